"""Export from the explorer: the loaded rows, and the whole collection streamed with Cancel."""

from __future__ import annotations

import csv

from b2c_tui.tui.dialogs.export import ExportDialog
from b2c_tui.tui.widgets.export_bar import ExportBar
from tests.helpers.pilot import settle
from tests.helpers.users_pane import load_next_page


async def fill_dialog(pilot, app, path, scope: str) -> ExportDialog:
    await pilot.press("e")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#field-path").value = str(path)
    dialog.query_one("#field-scope").value = scope
    return dialog


async def test_export_loaded_rows_as_shown(make_app, tmp_path) -> None:
    app = make_app(users=120)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        pane = app.pane("users")
        loaded = pane.table.row_count
        target = tmp_path / "users.csv"
        dialog = await fill_dialog(pilot, app, target, "loaded")
        dialog.action_save()
        await settle(pilot, app)
        rows = list(csv.reader(target.open(encoding="utf-8")))
        assert rows[0] == [c.label for c in pane.frame.columns]
        assert len(rows) == loaded + 1


async def test_existing_file_is_not_overwritten_without_asking(make_app, tmp_path) -> None:
    app = make_app(users=50)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        target = tmp_path / "keep.csv"
        target.write_text("precious")
        dialog = await fill_dialog(pilot, app, target, "loaded")
        dialog.action_save()
        await settle(pilot, app)
        assert app.screen is dialog  # still open, with the reason beside the path
        assert "already exists" in str(dialog.query_one("#error-path").render())
        assert dialog.query_one("#field-path").value == str(target)
        assert target.read_text() == "precious"


async def test_whole_collection_export_can_be_cancelled(make_app, tmp_path) -> None:
    # Big enough that the parallel export has pages left to hang on: before the first page is
    # written, at most about 65 pages can be on their way (the listing's queue holds 32).
    app = make_app(users=200_000)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        faults = app.context.connection.emulator.faults
        bar = app.query_one(ExportBar)
        target = tmp_path / "all.csv"
        dialog = await fill_dialog(pilot, app, target, "all")
        progress_seen = []
        original = ExportBar.update_progress

        def slow_after_first(widget, progress):
            progress_seen.append(progress.rows)
            faults.latency = 30.0  # every later page now hangs: only Cancel ends the export
            original(widget, progress)

        ExportBar.update_progress = slow_after_first  # type: ignore[method-assign]
        try:
            dialog.action_save()
            for _ in range(200):
                await pilot.pause()
                if progress_seen and bar.running:
                    break
            assert bar.running and app.screen is app.screen_stack[0]
            await pilot.press("ctrl+x")
            await settle(pilot, app)
        finally:
            ExportBar.update_progress = original  # type: ignore[method-assign]
            faults.latency = 0.0
        assert not target.exists(), "a cancelled export leaves no file that looks complete"
        assert not list(tmp_path.glob("*.partial")) and not list(tmp_path.glob(".*partial"))
        assert not bar.running


async def test_whole_collection_export_streams_every_page(make_app, tmp_path) -> None:
    app = make_app(users=2500)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        target = tmp_path / "all.csv"
        dialog = await fill_dialog(pilot, app, target, "all")
        dialog.action_save()
        await settle(pilot, app)
        rows = list(csv.reader(target.open(encoding="utf-8")))
        users = await app.context.client.users.list(select=["id"]).collect()
        assert len(rows) == len(users) + 1


async def test_loaded_rows_as_json_lines_page_by_page_without_removed_rows(make_app,
                                                                         tmp_path) -> None:
    import json

    app = make_app(users=2500)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot, app)
        pane = app.pane("users")
        await load_next_page(pilot, app, pane)
        loaded = pane.table.row_count
        assert loaded > 999  # more than one Graph page loaded
        gone = pane.table.row_key(1)
        pane.remove_rows([gone])  # as after a delete
        await settle(pilot, app)
        target = tmp_path / "users.jsonl"
        dialog = await fill_dialog(pilot, app, target, "loaded")
        dialog.query_one("#field-format").value = "jsonl"
        dialog.action_save()
        await settle(pilot, app)
        lines = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
        assert len(lines) == loaded - 1
        kept = pane.frame.frame  # arrival order, without the removed row
        assert [line["displayName"] for line in lines] == kept["displayName"].tolist()
        assert list(lines[0]) == [c.key for c in pane.frame.columns]  # the columns as shown
        # Values as shown, not re-derived: sign-in names kept, missing values null, times ISO.
        assert [line["signInName"] for line in lines] == [
            None if v is None or v != v else v for v in kept["signInName"].tolist()]
        assert any(line["signInName"] for line in lines)
        assert all(line["mail"] is None or "@" in line["mail"] for line in lines)
        assert all(line["createdDateTime"].endswith("Z") and "T" in line["createdDateTime"]
                   for line in lines)
