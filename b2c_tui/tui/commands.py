"""Command palette providers, one per concern: panes, export, tenant profiles, themes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from .registry import PANES

if TYPE_CHECKING:
    from .app import B2CApp


class _ListProvider(Provider):
    """A provider over a fixed list of (title, help, callback)."""

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        raise NotImplementedError

    @property
    def b2c_app(self) -> B2CApp:
        return cast("B2CApp", self.app)

    async def discover(self) -> Hits:
        for title, help_text, callback in self.items():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self.items():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)


class PaneCommands(_ListProvider):
    """Go to any pane."""

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.b2c_app
        return [(f"Go to {p.title}", p.summary, partial(app.show_pane, p.id)) for p in PANES]


class ExportCommands(_ListProvider):
    """Export the current view: the loaded rows, or the whole collection streamed."""

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.b2c_app
        pane = app.pane(app.current_pane)
        if pane is None or not pane.can_export:
            return []
        return [
            ("Export view to CSV (loaded rows)", "the rows on screen, as shown",
             partial(app.run_action, "export('loaded')")),
            ("Export view to CSV (whole collection)", "every page, streamed with progress",
             partial(app.run_action, "export('all')")),
        ]


def _profile_entries() -> list[tuple[str, str]]:
    """``(name, note)`` of the config file's profiles, read again only when the file
    changed (its path, size or modification time): the palette asks on every keystroke."""
    from .. import paths
    from ..connection import load_config
    from ..graph.errors import ConfigError

    path = paths.config_file()
    try:
        stat = path.stat()
        stamp: tuple[object, ...] = (str(path), stat.st_size, stat.st_mtime_ns)
    except OSError:
        stamp = (str(path), None)
    if _PROFILE_CACHE.get("stamp") == stamp:
        return list(_PROFILE_CACHE["entries"])  # type: ignore[call-overload]
    try:
        profiles = load_config().profiles
    except ConfigError:
        profiles = {}
    entries = []
    for name, profile in sorted(profiles.items()):
        note = f"{profile.tenant} ({profile.cloud.name})"
        if profile.production:
            note += " PRODUCTION"
        entries.append((name, note))
    _PROFILE_CACHE.update(stamp=stamp, entries=entries)
    return entries


#: the profiles read last, and the config file's stamp then
_PROFILE_CACHE: dict[str, object] = {}


class ProfileCommands(_ListProvider):
    """Switch to another tenant profile from the config file, or to the demo tenant.

    The config is read when the palette opens (off the event loop), and only if it changed
    since last time; keystrokes filter what was read."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._entries: list[tuple[str, str]] = []

    async def startup(self) -> None:
        self._entries = await asyncio.to_thread(_profile_entries)

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.b2c_app
        out: list[tuple[str, str, Callable[[], Any]]] = [
            ("Switch tenant: demo", "the built-in offline demo tenant",
             partial(app.run_action, "switch_profile('')")),
        ]
        for name, note in self._entries:
            out.append((f"Switch tenant: {name}", note,
                        partial(app.run_action, f"switch_profile({name!r})")))
        return out


class ThemeCommands(_ListProvider):
    """Switch the colour theme."""

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.b2c_app
        return [(f"Theme: {name}", "colours", partial(app.action_set_theme, name))
                for name in sorted(app.available_themes)]


class ChangeCommands(_ListProvider):
    """The change journal (undo), and the current pane's pending inline edits."""

    def items(self) -> list[tuple[str, str, Callable[[], Any]]]:
        app = self.b2c_app
        out: list[tuple[str, str, Callable[[], Any]]] = [
            ("Journal: recent changes, undo", "every commit and delete, written before it "
             "was sent (ctrl+z)", app.action_journal),
        ]
        pane = app.pane(app.current_pane)
        count = pane.pending_count() if pane is not None else 0
        if pane is not None and count:
            edits = f"{count} pending edit{'s' if count != 1 else ''}"
            out += [
                (f"Review {edits}", "old → new per object; drop any (v)",
                 partial(app.run_action, "review", pane)),
                (f"Commit {edits}", "one PATCH per object, journaled first (ctrl+s)",
                 partial(app.run_action, "commit", pane)),
            ]
        return out
