"""The audit log pane (``:audit``): directory audit entries from the tenant, the local archive,
or both merged, newest first, with the same filters everywhere.

Keys (the app's key map, plus): ``/`` filters (see :mod:`.query` for the language and what
Graph answers), ``f`` quick filters, ``t`` switches the source (tenant → archive → both),
``P`` pulls the tenant's new entries into the archive in the background (``X`` stops it),
``enter`` shows the whole entry, ``e`` exports the view (loaded rows, or everything).
Pulling only reads the tenant, so it is offered read-only too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from ....audit import AuditArchive
from ....frames.audit import targets
from ....frames.columns import Column
from ....graph.errors import B2CTuiError
from ....graph.paging import PageIterator
from ... import kit
from ...messages import FilterText
from ...safe_text import safe
from ...screens.prompt import PromptScreen
from .archive_keys import ArchiveKeys
from .detail import SECTIONS
from .pull_bar import PullBar
from .query import HINT, AuditQuery
from .quick import QuickFilterScreen
from .sources import PAGE_SIZE, ArchivePages, MergedPages, TenantPages

SOURCES = ("tenant", "archive", "both")
SOURCE_LABELS = {"tenant": "Tenant (7 days)", "archive": "Archive", "both": "Both"}
#: a B2C local account's UPN is its object id at the tenant: its name says more
_ID_UPN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}@", re.I)


def initiated_by(record: Mapping[str, Any]) -> str | None:
    """Who: an admin's UPN, a consumer's name (their UPN is only their id), else the app."""
    initiated = record.get("initiatedBy")
    initiated = initiated if isinstance(initiated, Mapping) else {}
    user, app = initiated.get("user"), initiated.get("app")
    if isinstance(user, Mapping):
        upn = user.get("userPrincipalName")
        if upn and not _ID_UPN.match(str(upn)):
            return str(upn)
        who = user.get("displayName") or upn or user.get("id")
        if who:
            return str(who)
    if isinstance(app, Mapping):
        who = app.get("displayName") or app.get("appId")
        if who:
            return str(who)
    return None


AUDIT = kit.PaneSpec(
    noun="audit entry",
    columns=(
        Column("activityDateTime", "Time (UTC)", kind="datetime", width=16),
        Column("category", "Category", width=14),
        Column("activityDisplayName", "Activity", width=34),
        Column("result", "Result", width=8),
        Column("initiatedBy", "Initiated by", get=initiated_by, width=30),
        Column("targets", "Targets", select=("targetResources",), get=targets, width=30),
        Column("correlationId", "Correlation id", width=36),
        Column("resultReason", "Reason", width=40),
        Column("id", "Id", width=24),
    ),
    filter=kit.Filter("Filter", server=True, note=HINT),
    name_of=lambda r: str(r.get("activityDisplayName") or r.get("id") or ""),
    sections=SECTIONS,
    actions=(
        kit.Operation("quick_filter", "f", "Quick filter"),
        kit.Operation("switch_source", "t", "Source"),
        kit.Operation("pull", "P", "Pull archive"),
        kit.Operation("stop_pull", "X", "Stop pull"),
    ),
)


class AuditPane(ArchiveKeys, kit.KitPane):
    """Directory audit entries; see the module docs."""

    spec: ClassVar[kit.PaneSpec] = AUDIT
    binding_prefix: ClassVar[str] = "audit"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.source = "tenant"
        self.audit_query = AuditQuery()
        self.archive = AuditArchive.for_tenant(self.context.tenant)
        self.archive_summary = "archive: not read yet"
        self._reported: set[str] = set()
        self._current: Any = None
        self._wanted: str | None = None

    # -- composition ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield Static(self._bar_text(), id="audit-bar")
        yield from super().compose()
        yield PullBar(id="audit-pull")

    def on_mount(self) -> None:
        self.read_archive_summary()

    # -- the view: source and filter ------------------------------------------------------
    def pages(self) -> PageIterator:
        now = self.context.connection.now()
        where = self.audit_query.archive_filter(now)
        if self.source == "archive":
            return ArchivePages(self.archive, where)  # type: ignore[return-value]
        listing = self.context.client.audit.list(
            newest_first=True, top=PAGE_SIZE, **self.audit_query.graph_filters(now))
        tenant = TenantPages(listing, None if where.empty else where)
        if self.source == "tenant":
            return tenant  # type: ignore[return-value]
        return MergedPages(tenant, ArchivePages(self.archive, where))  # type: ignore[return-value]

    def reload(self) -> None:
        super().reload()
        self._current = self._pages
        self._update_bar()

    def describe_filter(self) -> str:
        if self.audit_query.empty:
            return ""
        return f"filter: {self.audit_query.to_text()}"

    def status_note(self) -> str:
        return f"{self.source} · {self.describe_filter() or 'no filter'}"

    def empty_message(self) -> str:
        if self.last_error:
            return self.last_error
        where = "the archive" if self.source == "archive" else (
            "the tenant or the archive" if self.source == "both" else "the tenant's last 7 days")
        if not self.audit_query.empty:
            return (f"No entry in {where} matches {self.audit_query.to_text()}. "
                    "Esc clears the filter.")
        if self.source == "archive":
            return "The archive is empty: P pulls the tenant's entries into it."
        return f"No audit entries in {where}."

    def apply_filter(self, text: str) -> None:
        """``/``: parse the filter; a filter that cannot mean anything says why in one line
        and the prompt opens again with what was typed."""
        try:
            query = AuditQuery.parse(text, self.context.connection.now())
        except B2CTuiError as exc:
            self.notify(safe(str(exc)), title="Filter", severity="warning", markup=False)
            self._prompt_again(text)
            return
        self.set_query(query)

    def set_query(self, query: AuditQuery) -> None:
        """Show the view narrowed by ``query`` (the ``/`` text follows it)."""
        self.audit_query = query
        self.filter_text = query.to_text()
        self.reload()

    def _prompt_again(self, text: str) -> None:
        def chosen(value: str | None) -> None:
            if value is not None:
                self.apply_filter(value)

        self.app.push_screen(PromptScreen("/", text, self.filter_hint), chosen)

    def receive(self, subject: object) -> None:
        """Another pane asks for a filtered view (the dashboard's audit failures): shown
        when the pane is (it may not be mounted yet)."""
        if isinstance(subject, FilterText):
            self._wanted = subject.text

    def pane_shown(self) -> None:
        wanted, self._wanted = self._wanted, None
        if wanted is None:
            super().pane_shown()
            return
        self._shown_once = True  # the filter's load is the first one
        self.apply_filter(wanted)

    # -- keys ------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_pull":
            return self.pulling
        if action == "pull" and self.pulling:
            return None
        return super().check_action(action, parameters)

    def action_switch_source(self) -> None:
        self.source = SOURCES[(SOURCES.index(self.source) + 1) % len(SOURCES)]
        self.reload()

    def action_quick_filter(self) -> None:
        query = self.audit_query
        active = {f"category:{query.canonical_category}" if query.category else "",
                  "failures" if (query.result or "").lower() == "failure" else "",
                  "day" if query.since == "24h" else "",
                  "policy" if query.policy else "", "app" if query.app else ""}
        self.app.push_screen(QuickFilterScreen(frozenset(active - {""})), self._quick_chosen)

    def _quick_chosen(self, choice: str | None) -> None:
        query = self.audit_query
        if choice is None:
            return
        if choice.startswith("category:"):
            category = choice.partition(":")[2]
            same = query.canonical_category == category
            self.set_query(query.with_(category=None if same else category))
        elif choice == "failures":
            failing = (query.result or "").lower() == "failure"
            self.set_query(query.with_(result=None if failing else "failure"))
        elif choice == "day":
            self.set_query(query.with_(since=None if query.since == "24h" else "24h"))
        elif choice in ("policy", "app"):
            self._ask_id(choice)
        elif choice == "clear":
            self.set_query(AuditQuery())

    def _ask_id(self, what: str) -> None:
        """A policy or application id for the quick filter (suggested from loaded entries);
        empty removes it."""
        key = "PolicyId" if what == "policy" else "ApplicationId"
        seen = sorted({str(d.get("value")) for r in self.records.values()
                       for d in r.get("additionalDetails") or []
                       if isinstance(d, dict) and d.get("key") == key and d.get("value")})
        current = getattr(self.audit_query, what) or ""
        hint = ("policy id, e.g. B2C_1A_signup_signin (empty removes it)" if what == "policy"
                else "application (client) id (empty removes it)")

        def chosen(value: str | None) -> None:
            if value is None:
                return
            query = self.audit_query.with_(**{what: value.strip() or None})
            self.set_query(query)

        self.app.push_screen(PromptScreen(f"{what}:", current, hint, suggestions=seen), chosen)

    # -- pages landing ---------------------------------------------------------------------
    def page_loaded(self, items: list[dict[str, Any]]) -> None:
        super().page_loaded(items)
        self._report_skipped(getattr(self._current, "skipped", []))

    # -- the bar above the table -----------------------------------------------------------
    def _update_bar(self) -> None:
        if self.is_mounted:
            self.query_one("#audit-bar", Static).update(self._bar_text())

    def _bar_text(self) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("Source ", style="bold")
        for source in SOURCES:
            on = source == self.source
            text.append(f" {'●' if on else '○'} {SOURCE_LABELS[source]} ",
                        style="reverse" if on else "dim")
        text.append(f"   {self.archive_summary}", style="dim")
        if self._reported:
            text.append(f" · {len(self._reported)} file(s) skipped", style="bold")
        text.append("\n")
        text.append("Filter ", style="bold")
        if self.audit_query.empty:
            text.append("none", style="dim")
            text.append("   / filters · f quick filters · t switches the source", style="dim")
            return text
        text.append(safe(self.audit_query.to_text()))
        text.append("   ")
        text.append(self._who_answers(), style="dim")
        return text

    def _who_answers(self) -> str:
        if self.source == "archive":
            return "answered by the local archive"
        graph, local = self.audit_query.graph_parts(), self.audit_query.local_only()
        parts = []
        if graph:
            parts.append(f"Graph filters {', '.join(graph)}")
        if local:
            parts.append(f"Graph cannot filter {', '.join(local)}: each page is filtered as "
                         "it arrives")
        if self.source == "both":
            parts.append("the archive answers it all locally")
        return "; ".join(parts)

