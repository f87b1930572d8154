"""The parts of inline edits without a running app: the pending store, values as cells, and
the table painting marks by row key (so sorting keeps them) and taking new values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from textual.app import App, ComposeResult

from b2c_tui.changes import Change
from b2c_tui.changes.commit import ChangeResult
from b2c_tui.frames.columns import Column
from b2c_tui.frames.paged import PagedFrame
from b2c_tui.tui.kit.inline import cell_text, describe_failure, edit_text, plain_value
from b2c_tui.tui.kit.pending import PendingEdits
from b2c_tui.tui.widgets.table import CellMark, VirtualTable

NAME = Column("displayName", "Name", width=16)
ON = Column("accountEnabled", "Enabled", kind="bool", width=7)


def test_pending_edits_are_keyed_by_object_and_property() -> None:
    pending = PendingEdits()
    pending.set("u1", "displayName", "New", old="Old", label="Name", name="Old")
    pending.set("u1", "accountEnabled", False, old=True)
    pending.set("u2", "displayName", "Two", old="Deux")
    assert (len(pending), pending.objects) == (3, 2)
    # Edited again: the first old value stays; back to it: no edit at all.
    pending.set("u1", "displayName", "Newer", old="New")
    assert pending.get("u1", "displayName").old == "Old"  # type: ignore[union-attr]
    pending.set("u2", "displayName", "Deux", old="Deux")
    assert pending.get("u2", "displayName") is None and pending.objects == 1
    # Empty, None and "" are the same "no value".
    assert pending.set("u3", "surname", "", old=None) is None
    changes = pending.changes(lambda oid, new, old, name: Change.update(
        "user", oid, new, old=old, display_name=name))
    assert [(c.object_id, dict(c.new), dict(c.old), c.display_name) for c in changes] == [
        ("u1", {"displayName": "Newer", "accountEnabled": False},
         {"displayName": "Old", "accountEnabled": True}, "Old")]
    assert pending.drop("u1", "accountEnabled") == 1 and len(pending) == 1
    assert pending.clear() == 1 and not pending


def test_settle_clears_what_graph_took_and_keeps_refusals_and_newer_edits() -> None:
    pending = PendingEdits()
    pending.set("ok", "displayName", "A", old="a")
    pending.set("no", "displayName", "B", old="b")
    pending.set("moved", "displayName", "C", old="c")
    sent = pending.changes(lambda oid, new, old, name: Change.update("user", oid, new, old=old))
    pending.set("moved", "displayName", "C2", old="c")  # edited again while sending
    assert pending.settle(sent[0], None) == ["displayName"]
    assert pending.settle(sent[1], "400 Request_BadRequest: no") == []
    assert pending.settle(sent[2], None) == ["displayName"]
    assert pending.get("ok", "displayName") is None
    assert pending.get("no", "displayName").error == "400 Request_BadRequest: no"  # type: ignore[union-attr]
    moved = pending.get("moved", "displayName")
    assert moved is not None and (moved.old, moved.new, moved.error) == ("C", "C2", None)
    assert pending.failed == 1


def test_values_and_cells() -> None:
    assert plain_value(np.float64("nan")) is None and plain_value(np.bool_(True)) is True
    assert plain_value(np.float64(7.0)) == 7 and plain_value(pd.NaT) is None
    assert plain_value(np.datetime64("2026-11-01T09:30:00")) == "2026-11-01T09:30:00Z"
    assert edit_text(["a", "b"]) == "a, b" and edit_text(None) == "" and edit_text(False) == \
        "false"
    assert cell_text(True, "bool") == "yes" and cell_text(["a", "b"], "text") == "a; b"
    assert cell_text("2026-11-01T09:30:00Z", "datetime") == "2026-11-01 09:30"
    assert cell_text("\x1b[31mred", "text") == "␛[31mred"  # tenant text stays text
    change = Change.update("user", "u", {"displayName": "x"})
    refused = ChangeResult(change, "e", "failed", 400, "Request_BadRequest", "Bad name")
    assert describe_failure(refused) == "400 Request_BadRequest: Bad name"
    unknown = ChangeResult(change, "e", "unknown", None, None, "dropped")
    assert "Not known" in describe_failure(unknown) and "journal" in describe_failure(unknown)


class Marks:
    def __init__(self) -> None:
        self.by_key: dict[str, dict[str, CellMark]] = {}

    def row_marks(self, key: str) -> dict[str, CellMark] | None:
        return self.by_key.get(key)


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield VirtualTable((NAME, ON))


def records(n: int) -> list[dict[str, Any]]:
    return [{"id": f"id-{i}", "displayName": f"User {n - i:02d}", "accountEnabled": True}
            for i in range(n)]


async def test_marks_follow_their_row_key_through_a_sort_and_new_values_resort() -> None:
    app = TableApp()
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(VirtualTable)
        frame = PagedFrame((NAME, ON))
        table.append(frame.add_records(records(6)))
        marks = Marks()
        marks.by_key["id-1"] = {"displayName": CellMark("Edited", "pending")}
        marks.by_key["id-4"] = {"accountEnabled": CellMark("no", "failed")}
        table.marks = marks
        await pilot.pause()

        def line(key: str) -> str:
            row = next(r for r in range(table.row_count) if table.row_key(r) == key)
            return table.render_line(row + 1).text

        assert line("id-1").startswith(" ✎") and "✎ Edited" in line("id-1")
        assert line("id-4").startswith(" ✗") and "✗ no" in line("id-4")
        assert "✎" not in line("id-0") and "✗" not in line("id-0")
        table.sort_by("displayName")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_key(0) == "id-5"  # "User 01" first: the rows moved...
        assert "✎ Edited" in line("id-1") and "✗ no" in line("id-4")  # ...and the marks too
        # New values (a commit) go into the loaded rows and the sort follows them.
        planned = frame.plan_values({"id-0": {"displayName": "AAA first"}})
        frame.set_arrays(planned)
        table.set_arrays(planned)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.row_key(0) == "id-0" and "AAA first" in line("id-0")


def test_every_kit_pane_that_changes_objects_says_where_they_live() -> None:
    """Inline commits and the kit's deletes are journaled with the object's kind and path:
    a pane description with ``delete`` or ``patchable`` must give them (``object_kind`` for
    ``changes.KINDS``, else ``collection_path``)."""
    from b2c_tui.tui.kit import KitPane
    from b2c_tui.tui.registry import PANES

    checked = 0
    for info in PANES:
        pane = info.pane
        if pane is None or not issubclass(pane, KitPane):
            continue
        spec = pane.spec
        if spec.delete is None and spec.edit is None and not spec.patchable:
            continue
        change = spec.change("delete", "0000-object-id")  # raises without a kind and path
        assert change.resource_path.endswith("0000-object-id"), info.id
        checked += 1
    assert checked >= 7  # users, attributes, apps, CA, idps, both kinds of flows


def test_value_text_speaks_the_words_of_where_it_is_shown() -> None:
    from b2c_tui.tui.value_text import value_text

    journal = {"empty": "(empty)", "yes": "yes", "no": "no", "separator": "; "}
    assert [value_text(v) for v in (None, "", True, False, ["a", "b"], 3)] == \
        ["", "", "true", "false", "a, b", "3"]
    assert [value_text(v, **journal) for v in (None, "", True, ["a", "b"], 0)] == \
        ["(empty)", "(empty)", "yes", "a; b", "0"]
