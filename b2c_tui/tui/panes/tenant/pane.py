"""The tenant dashboard (``:tenant``, the first pane on launch): the tenant at a glance.

Its layout is on screen at once, with a placeholder in every place; each piece (the tenant's
details, the quota, each object count, each health check) is asked for in its own worker and
fills its place when it arrives, so nothing waits on anything else and navigation never waits on
the dashboard. A piece that fails says why in its own place; the others carry on. Counts show
their running total while a large tenant is listed; leaving the dashboard stops them (a
million users are a thousand pages, which must not compete with the pane you went to) and
coming back goes on from the page each had reached. What the pieces ask Graph, and the quota's
warning levels, are in :mod:`.checks`.

Keys: ``enter`` on a health line opens the pane that fixes it (the audit failures open the
audit log filtered to them), ``u`` the users pane, ``r`` asks everything again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ....graph.errors import B2CTuiError
from ...kit.base import ResourcePane
from ...messages import FilterText, OpenPane
from ...safe_text import safe
from .checks import (
    COUNTS,
    ERROR,
    HEALTH,
    OK,
    CountProgress,
    CountSource,
    Finding,
    count_objects,
    quota_level,
)

ICONS = {OK: ("✓", "$text-success"), "warning": ("!", "$text-warning"),
         ERROR: ("✗", "$text-error"), "failed": ("?", "$text-error"),
         "loading": ("…", "$text-muted")}
LEVEL_STYLES = {"ok": "$success", "warning": "$warning", "alert": "$error", "full": "$error"}
BAR_WIDTH = 24
QUOTA_NOTE = "80% act · 90% alert · 100% full (Microsoft's levels)"
INDENT = "        "
#: a count's place (label and number) where the screen is wide, and where it is narrow
WIDE_CELL, WIDE_LABEL, NARROW_LABEL = 28, 19, 11


def _error_text(exc: BaseException) -> str:
    if isinstance(exc, B2CTuiError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


class TenantPane(ResourcePane):
    """The dashboard; see the module docs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("u", "users", "Users", id="tenant.users"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.generation = 0
        self.org: dict[str, Any] | str | None = None
        self.quota: dict[str, Any] | str | None = None
        #: count key -> (count so far, finished) or the error that stopped it
        self.counts: dict[str, tuple[int, bool] | str] = {}
        #: health key -> its findings, or the error that stopped it (absent: checking)
        self.health: dict[str, list[Finding] | str] = {}
        self._chosen: str | None = None  # the line the user moved the cursor to
        self._count_state: dict[str, CountProgress] = {}

    # -- layout --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="tenant-title")
        yield Static(self._quota(), id="tenant-quota")
        yield Static(self._counts(), id="tenant-counts")
        yield Static(Content.assemble(("Health", "bold"), ("  enter opens the pane that fixes "
                                                           "a line", "$text-muted")),
                     id="tenant-health-title")
        yield OptionList(*self._health_options(), id="tenant-health")

    def focus_default(self) -> None:
        self.query_one("#tenant-health", OptionList).focus()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        """Ask for every piece again (``r``); answers to the previous round are dropped."""
        self.generation += 1
        self.workers.cancel_group(self, "dashboard")
        self.org = self.quota = None
        self.counts, self.health = {}, {}
        self._refresh_all()
        client, now = self.context.client, self.context.connection.now()
        self._start(self._org, "org")
        self._start(self._quota_piece, "quota")
        self.workers.cancel_group(self, "dashboard-count")
        self._count_state = {}
        for source in COUNTS:
            self._start(self._count(source), f"count {source.key}", group="dashboard-count")
        for check in HEALTH:
            self._start(self._check(check.key, partial(check.run, client, now)),
                        f"health {check.key}")
        self.post_message(self.Status("", "enter opens the pane that fixes a line · u users"))

    def _start(self, piece: Callable[[int], Awaitable[None]], name: str,
               group: str = "dashboard") -> None:
        self.run_worker(piece(self.generation), name=name, group=group, exit_on_error=False)

    async def _org(self, generation: int) -> None:
        try:
            org: dict[str, Any] | str = await self.context.client.organization.current(
                select=["id", "displayName", "tenantType", "verifiedDomains"])
        except Exception as exc:  # its own place says why
            org = _error_text(exc)
        if generation == self.generation:
            self.org = org
            self.query_one("#tenant-title", Static).update(self._title())

    async def _quota_piece(self, generation: int) -> None:
        try:
            quota: dict[str, Any] | str = await self.context.client.organization.quota()
            if not quota:
                quota = "this tenant does not report directorySizeQuota"
        except Exception as exc:
            quota = _error_text(exc)
        if generation == self.generation:
            self.quota = quota
            self.query_one("#tenant-quota", Static).update(self._quota())

    def _count(self, source: CountSource) -> Callable[[int], Awaitable[None]]:
        state = self._count_state.setdefault(source.key, CountProgress())

        async def run(generation: int) -> None:
            def progress(count: int, done: bool) -> None:
                if generation == self.generation:
                    self.counts[source.key] = (count, done)
                    self.query_one("#tenant-counts", Static).update(self._counts())

            try:
                await count_objects(self.context.client.core, source, progress, state)
            except Exception as exc:
                if generation == self.generation:
                    self.counts[source.key] = _error_text(exc)
                    self.query_one("#tenant-counts", Static).update(self._counts())
        return run

    def pane_hidden(self) -> None:
        """Leaving stops the counts (a big tenant's users are a thousand pages: they must not
        compete with the pane you went to); they go on from where they were when you
        return."""
        super().pane_hidden()
        self.workers.cancel_group(self, "dashboard-count")

    def pane_shown(self) -> None:
        if self._shown_once:
            for source in COUNTS:
                state = self._count_state.get(source.key)
                if state is not None and not state.done \
                        and not isinstance(self.counts.get(source.key), str):
                    self._start(self._count(source), f"count {source.key}",
                                group="dashboard-count")
        super().pane_shown()

    def _check(self, key: str, run: Callable[[], Awaitable[list[Finding]]]
               ) -> Callable[[int], Awaitable[None]]:
        async def piece(generation: int) -> None:
            try:
                found: list[Finding] | str = await run()
            except Exception as exc:
                found = _error_text(exc)
            if generation == self.generation:
                self.health[key] = found
                self._refresh_health()
        return piece

    # -- rendering -----------------------------------------------------------------------
    def _refresh_all(self) -> None:
        if not self.is_mounted:
            return
        self.query_one("#tenant-title", Static).update(self._title())
        self.query_one("#tenant-quota", Static).update(self._quota())
        self.query_one("#tenant-counts", Static).update(self._counts())
        self._refresh_health()

    def _title(self) -> Content:
        tenant = self.context.tenant
        org = self.org
        head = ("Tenant  ", "bold")
        if org is None:
            return Content.assemble(head, safe(tenant),
                                    ("  reading its details…", "$text-muted italic"))
        if isinstance(org, str):
            return Content.assemble(head, safe(tenant),
                                    (f"  details could not be read: {safe(org)}",
                                     "$text-error"))
        parts: list[str | tuple[str, str]] = [head, (safe(org.get("displayName") or tenant),
                                                     "bold")]
        if org.get("tenantType"):
            parts.append(f" · {safe(org['tenantType'])}")
        if org.get("id"):
            parts.append((f" · {safe(org['id'])}", "$text-muted"))
        return Content.assemble(*parts)

    def _quota(self) -> Content:
        quota = self.quota
        head = ("Quota   ", "bold")
        if quota is None:
            return Content.assemble(head, ("reading directorySizeQuota…", "$text-muted italic"))
        if isinstance(quota, str):
            return Content.assemble(head, (f"could not be read: {safe(quota)}", "$text-error"))
        used, total = int(quota.get("used") or 0), int(quota.get("total") or 0)
        level = quota_level(used, total)
        share = used / total if total else 0.0
        filled = min(BAR_WIDTH, round(share * BAR_WIDTH))
        if used and not filled:
            filled = 1  # something is used: show it
        style = LEVEL_STYLES[level]
        return Content.assemble(
            head, ("█" * filled, style), ("░" * (BAR_WIDTH - filled), "$text-muted"),
            f" {share:.1%}  ", (level.upper() if level != "ok" else "ok", f"{style} bold"),
            f"\n{INDENT}{used:,} of {total:,} directory objects",
            (f"\n{INDENT}{QUOTA_NOTE}", "$text-muted"))

    def _counts(self) -> Content:
        width = self.size.width or 160
        wide = width >= len(INDENT) + 2 * WIDE_CELL + 2
        per_line = 3 if width >= len(INDENT) + 3 * WIDE_CELL + 2 else 2
        cell = WIDE_CELL if wide else max(NARROW_LABEL + 4, (width - len(INDENT) - 2) // 2)
        label_width = WIDE_LABEL if wide else NARROW_LABEL
        parts: list[str | tuple[str, str]] = [("Objects ", "bold")]
        for index, source in enumerate(COUNTS):
            if index and index % per_line == 0:
                parts.append(f"\n{INDENT}")
            label = source.label if wide else source.short
            parts.append((label.ljust(label_width), "$text-muted"))
            state = self.counts.get(source.key)
            if state is None:
                value: tuple[str, str] = ("…", "$text-muted")
            elif isinstance(state, str):
                value = (f"could not be counted: {safe(state)}", "$text-error")
            else:
                count, done = state
                value = (f"{count:,}", "bold") if done else (
                    f"{count:,}… counting" if wide else f"{count:,}…", "$text-warning")
            parts.append(value)
            if index % per_line != per_line - 1:
                parts.append(" " * max(1, cell - label_width - len(value[0])))
        return Content.assemble(*parts)

    def on_resize(self) -> None:
        # After the layout this resize started: an update made during it kept the height the
        # counts had at the old width (an extra blank line at 80 columns, now and then).
        self.call_after_refresh(self._refresh_counts)

    def _refresh_counts(self) -> None:
        if self.is_mounted:
            self.query_one("#tenant-counts", Static).update(self._counts())

    def _health_options(self) -> list[Option]:
        options: list[Option] = []
        for check in HEALTH:
            state = self.health.get(check.key)
            if state is None:
                options.append(self._line("loading", f"{check.title}: checking…",
                                          f"loading:{check.key}", disabled=True))
            elif isinstance(state, str):
                options.append(self._line("failed", f"{check.title}: could not be checked: "
                                                    f"{state}", f"failed:{check.key}",
                                          disabled=True))
            else:
                for index, finding in enumerate(state):
                    options.append(self._line(finding.severity, finding.text,
                                              f"{check.key}:{index}", target=finding.pane))
        return options

    @staticmethod
    def _line(severity: str, text: str, option_id: str, *, target: str = "",
              disabled: bool = False) -> Option:
        icon, style = ICONS.get(severity, ICONS["loading"])
        prompt = Content.assemble((f"{icon} ", f"{style} bold"), safe(text),
                                  (f"  → :{target}", "$text-muted") if target else "")
        return Option(prompt, id=option_id, disabled=disabled)

    def _refresh_health(self) -> None:
        if not self.is_mounted:
            return
        health = self.query_one("#tenant-health", OptionList)
        health.clear_options()
        health.add_options(self._health_options())
        index = None
        if self._chosen is not None:
            try:  # the line the user moved to stays under the cursor
                index = health.get_option_index(self._chosen)
            except Exception:  # not there (yet)
                index = None
        if index is None:  # the first line one can open (pieces arrive in any order)
            index = self._first_openable(health)
            # From the top, whatever order the pieces came in: the list keeps its scroll
            # offset across a refill, so the shown lines depended on that order.
            health.scroll_home(animate=False, immediate=True)
        with health.prevent(OptionList.OptionHighlighted):  # not the user's move
            health.highlighted = index

    @staticmethod
    def _first_openable(health: OptionList) -> int | None:
        return next((i for i in range(health.option_count)
                     if not health.get_option_at_index(i).disabled), None)

    # -- keys ------------------------------------------------------------------------------
    def finding(self, option_id: str | None) -> Finding | None:
        """The finding behind a health line's id (``None`` for placeholders)."""
        if not option_id or ":" not in option_id:
            return None
        key, _, index = option_id.partition(":")
        state = self.health.get(key)
        if not isinstance(state, list) or not index.isdigit() or int(index) >= len(state):
            return None
        return state[int(index)]

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        # The list highlights its first line by itself (on focus): only a move elsewhere is
        # the user's choice, kept while later pieces add lines above it.
        health = event.option_list
        first = self._first_openable(health)
        on_first = first is not None and health.get_option_at_index(first).id == event.option.id
        self._chosen = None if on_first else event.option.id

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.open_finding(event.option.id)

    def open_finding(self, option_id: str | None) -> None:
        """Open the pane that fixes the line (with its filter, for the audit log)."""
        finding = self.finding(option_id)
        if finding is not None:
            subject = FilterText(finding.filter) if finding.filter else None
            self.post_message(OpenPane(finding.pane, subject))

    def action_users(self) -> None:
        self.post_message(OpenPane("users"))
