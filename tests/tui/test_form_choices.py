"""Choices in forms are tenant text (providers, attributes, applications offered by the flow
panes): they show literally, invisible characters made visible."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Select

from b2c_tui.tui.dialogs.form import FormDialog, FormField

DISGUISED = "Contoso\u202eevil\u200b [b]app[/b]"


async def test_a_choice_label_shows_bidi_and_zero_width_characters_visibly() -> None:
    app: App[None] = App()
    async with app.run_test(size=(100, 30)) as pilot:
        field = FormField("app", "Application", "choice", value="a1",
                          choices=((DISGUISED, "a1"), ("Plain", "a2")))
        app.push_screen(FormDialog("Pick", [field]))
        await pilot.pause()
        select = app.screen.query_one("#field-app", Select)
        prompts = [str(prompt) for prompt, _value in select._options]
        shown = next(p for p in prompts if "Contoso" in p)
        assert "\u202e" not in shown and "\u200b" not in shown
        assert "⟨U+202E⟩" in shown and "[b]app[/b]" in shown
