"""Deleted items (``:deleted``): deleted users, applications and service principals, when each
was deleted and how many days are left before Graph purges it (30 days; the last week marked).

``u`` restores and ``d``/``D`` delete for good the row under the cursor / the selection, each
through ``$batch`` with one result per object (failures first, still selected for a retry);
deleting for good confirms with the names, and a selection's count must be typed. Graph lists
deleted items one type at a time (no untyped list) and filters them by exact values only, so
``/`` filters the rows loaded (deleted items are few: 30 days' worth).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

from rich.text import Text

from ...frames.columns import Column
from ...frames.deleted_items import RETENTION_DAYS, TYPE_PROPERTIES
from ...graph.batch import BatchResult
from ...graph.client import GraphClient
from ...graph.errors import B2CTuiError
from ...graph.paging import ChainedPages, Page, PageIterator
from .. import kit
from ..dialogs.bulk_result import BulkOutcome, BulkResultDialog
from ..dialogs.confirm_delete import ConfirmDeleteDialog
from ..kit.pages import PagesThrough
from ..kit.spec import JOINED
from ..safe_text import safe

TYPE = JOINED + "type"
KINDS = (("user", "user"), ("application", "application"),
         ("servicePrincipal", "service principal"))
#: Items purged within this many days are marked.
SOON_DAYS = 7
SOON = "⚠"
NOT_FOUND = 404
PURGE_NOTE = "Permanently: Graph cannot restore them afterwards."
APP_NOTE = ("A restored application comes back without its service principal: restore that "
            "too (listed here) or create a new one.")


def days_left(record: Mapping[str, Any], now: datetime) -> int | None:
    """Whole days until Graph purges the object (0: today)."""
    text = record.get("deletedDateTime")
    if not isinstance(text, str) or not text:
        return None
    deleted = datetime.fromisoformat(text.replace("Z", "+00:00"))
    left = (deleted - now).total_seconds() / 86400 + RETENTION_DAYS
    return max(0, math.ceil(left))


def days_text(record: Mapping[str, Any], now: datetime) -> str | None:
    """``" 6 days ⚠"``: right-aligned so that sorting the text sorts the days."""
    days = days_left(record, now)
    if days is None:
        return None
    mark = f" {SOON}" if days <= SOON_DAYS else ""
    return f"{days:>2} day{'s' * (days != 1)}{mark}"


def kind_of(record: Mapping[str, Any]) -> str:
    return dict(KINDS).get(str(record.get(TYPE)), str(record.get(TYPE) or "item"))


def columns(now: datetime) -> tuple[Column, ...]:
    return (
        Column("displayName", "Name", width=28),
        Column("daysLeft", "Days left", select=("deletedDateTime",),
               get=lambda r: days_text(r, now), width=10),
        Column("type", "Type", select=("id",), get=kind_of, width=17),
        Column("deletedDateTime", "Deleted", kind="datetime", width=16),
        Column("userPrincipalName", "User principal name", width=36),
        Column("appId", "Client id", width=36),
        Column("id", "Object id", width=36),
    )


class TypedPages(PagesThrough):
    """One type's pages with each record marked with its type (Graph's listing is per type)."""

    def __init__(self, inner: PageIterator, kind: str) -> None:
        super().__init__(inner)
        self._kind = kind

    async def change(self, page: Page) -> Page:
        for item in page.items:
            item[TYPE] = self._kind
        return page


def list_deleted(client: GraphClient, select: Sequence[str], text: str) -> PageIterator:
    """Deleted users, then applications, then service principals, 999 a page."""
    own = {p for props in TYPE_PROPERTIES.values() for p in props}
    lists = []
    for kind, _label in KINDS:
        # Graph refuses to $select a property the type does not have (appId of a user).
        mine = [p for p in select if p not in own or p in TYPE_PROPERTIES.get(kind, ())]
        lists.append(TypedPages(client.deleted_items.list(kind, select=mine, top=999), kind))
    return ChainedPages(lists)  # type: ignore[arg-type,return-value]


DELETED = kit.PaneSpec(
    noun="deleted item",
    columns=(),  # made per listing by DeletedItemsPane.columns (days left move with time)
    list=list_deleted,
    filter=kit.Filter(note="Graph filters deleted items by exact values only: / filters the rows "
                           "loaded (30 days' worth)."),
    get=lambda client, key: client.deleted_items.get(key),
    actions=(
        kit.Operation("restore", "u", "Restore", write=True, needs_row=True, in_detail=True),
        kit.Operation("purge", "d,delete", "Delete for good", write=True, needs_row=True,
                      in_detail=True, key_display="d"),
        kit.Operation("purge_selected", "D,shift+delete", "Delete selected for good", write=True,
                      key_display="D", needs_selection=True),
    ),
)


class DeletedItemsPane(kit.KitPane):
    """Deleted users, applications and service principals (restorable for 30 days)."""

    spec: ClassVar[kit.PaneSpec] = DELETED
    binding_prefix: ClassVar[str] = "deleted"

    def columns(self) -> Sequence[Column]:
        return columns(self.context.now())

    def sections(self) -> Sequence[kit.Section]:
        now = self.context.now()

        def purge(record: Mapping[str, Any]) -> Text:
            days = days_left(record, now)
            if days is None:
                return Text("—")
            return Text(f"Graph purges it in {days} day{'s' * (days != 1)}"
                        f"{' (within a week)' if days <= SOON_DAYS else ''}.",
                        style="bold" if days <= SOON_DAYS else "")

        fields = kit.fields_table((
            ("Type", TYPE), ("Name", "displayName"), ("Object id", "id"),
            ("User principal name", "userPrincipalName"), ("Client id", "appId"),
            ("Deleted", "deletedDateTime")))
        return (kit.Section("Deleted object", lambda r: fields({**r, TYPE: kind_of(r)})),
                kit.Section("Purge", purge))

    async def fetch_record(self, key: str) -> dict[str, Any]:
        record = await super().fetch_record(key)
        return {**record, TYPE: self.records.get(key, {}).get(TYPE)}

    # -- restore and delete for good ---------------------------------------------------------
    def _items(self, records: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
        """``(name, id)`` of each record; an app and its service principal share a name, so
        other types than users say what they are."""
        out = []
        for r in records:
            name, kind = str(r.get("displayName") or r.get("id")), kind_of(r)
            out.append((name if kind == "user" else f"{name} ({kind})", str(r["id"])))
        return out

    def action_restore(self) -> None:
        """``u``: restore the selection, or the row under the cursor."""
        records = self.chosen_records()
        if records and not self.context.read_only:
            items = self._items(records)
            note = APP_NOTE if any(kind_of(r) == "application" for r in records) else ""
            self._run(self._batch("restored", items, note), "restore deleted items")

    def action_purge(self) -> None:
        """``d``: delete the row under the cursor for good (after confirming)."""
        record = self.current_record()
        if record is not None and not self.context.read_only:
            self._purge([record], kind_of(record))

    def action_purge_selected(self) -> None:
        """``D``: delete the selection for good (after confirming with the count typed)."""
        records = self.chosen_records() if self.table.selected_count else []
        if records and not self.context.read_only:
            self._purge(records, "item")

    def _purge(self, records: Sequence[Mapping[str, Any]], kind: str) -> None:
        items = self._items(records)

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._run(self._batch("deleted for good", items, ""), "purge deleted items")

        self.app.push_screen(ConfirmDeleteDialog(kind, items, note=PURGE_NOTE,
                                                 verb="Permanently delete"), confirmed)

    async def _batch(self, verb: str, items: list[tuple[str, str]], note: str) -> None:
        api = self.context.client.deleted_items
        keys = [key for _, key in items]
        try:
            results = await (api.restore_many(keys) if verb == "restored"
                             else api.delete_many(keys))
        except B2CTuiError as exc:
            self.notify(safe(str(exc)), title=f"Nothing {verb}", severity="error",
                        markup=False, timeout=10)
            return
        self._report(verb, items, results, note)

    def _report(self, verb: str, items: list[tuple[str, str]], results: list[BatchResult],
                note: str) -> None:
        outcomes = []
        for (name, key), result in zip(items, results, strict=True):
            error = result.error
            outcomes.append(BulkOutcome(key, name, result.ok, result.status,
                                        (error.code or "") if error else "",
                                        error.message if error else ""))
        # Done, or gone already (purged or restored elsewhere): such rows leave the list; the
        # others stay, still selected, for a retry.
        gone = [o.key for o in outcomes if o.ok or o.status == NOT_FOUND]
        if gone:
            self.table.remove_keys(gone)
            for screen in self.app.screen_stack:
                if isinstance(screen, kit.DetailScreen) and screen.object_id in gone:
                    screen.dismiss(None)
        failed = [o for o in outcomes if not o.ok]
        if note and len(failed) < len(outcomes):
            self.notify(note, title="Restored", markup=False, timeout=10)
        if len(outcomes) == 1 and not failed:
            self.notify(f"{safe(outcomes[0].name)} ({safe(outcomes[0].key)}) {verb}.",
                        title=f"Deleted item {verb}", markup=False)
            return
        kept = len([o for o in failed if o.status != NOT_FOUND])
        self.app.push_screen(BulkResultDialog(
            verb, outcomes, note=f"{kept:,} still selected for a retry" if kept else ""))
