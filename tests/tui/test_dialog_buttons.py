"""The dialogs' buttons do what their keys do: Apply and Cancel in the column chooser, Copy
and Done in the dialog that shows a new client secret once."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.screen import Screen

from b2c_tui.tui.dialogs.column_chooser import ColumnChoice, ColumnChooserDialog
from b2c_tui.tui.panes.applications.secrets import SecretOnceDialog

CHOICES = [ColumnChoice("name", "Name", chosen=True), ColumnChoice("mail", "Mail")]
SECRET = {"secretText": "s3cr3t-value-shown-once", "keyId": "k1", "displayName": "ci"}


async def _open(app: App[None], dialog: Screen[Any], answers: list[Any]) -> None:
    await app.push_screen(dialog, answers.append)


async def test_column_chooser_buttons_apply_and_cancel() -> None:
    app: App[None] = App()
    answers: list[Any] = []
    async with app.run_test(size=(100, 40)) as pilot:
        dialog = ColumnChooserDialog(CHOICES)
        await _open(app, dialog, answers)
        await pilot.pause()
        dialog.select("mail")
        await pilot.click("#columns-apply")
        await pilot.pause()
        assert answers == [["name", "mail"]] and app.screen is not dialog
        again = ColumnChooserDialog(CHOICES)
        await _open(app, again, answers)
        await pilot.pause()
        again.deselect("name")
        await pilot.click("#columns-apply")  # nothing on: refused, the dialog stays
        await pilot.pause()
        assert app.screen is again and "at least one column" in str(
            again.query_one("#columns-note").render())
        await pilot.click("#columns-cancel")
        await pilot.pause()
        assert answers == [["name", "mail"], None] and app.screen is not again


async def test_secret_dialog_buttons_copy_then_done() -> None:
    app: App[None] = App()
    answers: list[Any] = []
    copied: list[str] = []
    async with app.run_test(size=(100, 40)) as pilot:
        app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
        dialog = SecretOnceDialog("Contoso API", SECRET)
        await _open(app, dialog, answers)
        await pilot.pause()
        await pilot.click("#secret-close")  # not copied yet: it asks again
        await pilot.pause()
        assert app.screen is dialog and "Not copied yet" in str(
            dialog.query_one("#secret-status").render())
        await pilot.click("#secret-copy")
        await pilot.pause()
        assert copied == [SECRET["secretText"]] and dialog.copied
        await pilot.click("#secret-close")
        await pilot.pause()
        assert answers == [None] and app.screen is not dialog
