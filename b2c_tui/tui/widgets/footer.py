"""The footer: Textual's, recomposed only when what it shows has changed.

Textual's footer rebuilds every key widget whenever a screen's bindings may have changed (focus
moves, ``refresh_bindings``), which costs milliseconds a time with the explorer's many bindings
and happens several times while the first rows are on their way. This one compares what it would
show (keys, descriptions, enabled state, tooltips) with what it shows, and keeps its widgets
when nothing differs.
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class BindingsFooter(Footer):
    """A :class:`textual.widgets.Footer` that skips recomposing when nothing it shows changed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._shown: tuple[object, ...] | None = None
        self.recomposes = 0

    def shown_bindings(self) -> tuple[object, ...]:
        """What :meth:`compose` would show now, as a comparable value."""
        if not self._bindings_ready:
            return ()
        keys = tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip)
            for (_, binding, enabled, tooltip) in self.screen.active_bindings.values()
            if binding.show or binding.action == "command_palette")
        return (keys, self.compact, self.show_command_palette)

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if not self.is_attached:
            return
        shown = self.shown_bindings()
        if shown == self._shown:
            return
        await self.recompose()

    async def recompose(self) -> None:
        self._shown = self.shown_bindings()
        self.recomposes += 1
        await super().recompose()
