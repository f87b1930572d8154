"""The authentication methods pane through Pilot, on the demo tenant (waits, never sleeps).

Users are found through the client by what their methods look like, so the tests do not depend
on which ordinal the seeded generator gave which method.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from textual.widgets import Input, Label

from b2c_tui.tui.app import B2CApp
from b2c_tui.tui.dialogs.confirm_delete import ConfirmDeleteDialog
from b2c_tui.tui.dialogs.email_method import EmailMethodDialog
from b2c_tui.tui.dialogs.phone_method import PhoneMethodDialog
from b2c_tui.tui.messages import UserRef
from b2c_tui.tui.panes.auth_methods import MUTATING, AuthMethodsPane
from tests.helpers.pilot import settle

SIZE = (120, 36)
Methods = dict[str, list[dict[str, Any]]]


async def methods_of(app: B2CApp, user_id: str) -> Methods:
    """What Graph holds for ``user_id`` now."""
    api = app.context.client.auth_methods
    phones, emails, oaths = await asyncio.gather(
        api.list_phone_methods(user_id).collect(), api.list_email_methods(user_id).collect(),
        api.list_software_oath_methods(user_id).collect())
    return {"phone": phones, "email": emails, "oath": oaths}


async def find_user(app: B2CApp, want: Callable[[Methods], bool]) -> str:
    """The first user (in listing order) whose methods satisfy ``want``."""
    users = await app.context.client.users.list(select=["id"], top=999).collect()
    for user in users:
        if want(await methods_of(app, user["id"])):
            return str(user["id"])
    raise AssertionError("no such user in the demo tenant")


def phone_types(methods: Methods) -> dict[str, str]:
    return {p["phoneType"]: p["phoneNumber"] for p in methods["phone"]}


async def open_for(pilot: Any, app: B2CApp, user_id: str) -> AuthMethodsPane:
    """The pane showing ``user_id``, as the users pane's ``m`` leaves it."""
    app.open_pane("auth-methods", UserRef(user_id))
    await settle(pilot, app)
    pane = app.pane("auth-methods")
    assert isinstance(pane, AuthMethodsPane)
    assert pane.user_id == user_id and not pane.loading
    pane.table.focus()
    await settle(pilot, app)
    return pane


async def type_text(pilot: Any, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


def shown_error(screen: Any, field: str) -> str:
    label = screen.query_one(f"#error-{field}", Label)
    return str(label.render()) if label.has_class("-shown") else ""


def move_to(pane: AuthMethodsPane, predicate: Callable[[Any], bool]) -> Any:
    index = next(n for n, row in enumerate(pane.rows) if predicate(row))
    pane.table.move_cursor(row=index)
    return pane.rows[index]


# -- listing ---------------------------------------------------------------------------------
async def test_m_on_the_users_pane_lists_that_users_methods(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        users = app.pane("users")
        table = users.table  # type: ignore[union-attr]
        for row in range(table.row_count):
            methods = await methods_of(app, table.row_key(row))
            if methods["phone"] and (methods["email"] or methods["oath"]):
                break
        table.focus()
        table.move_cursor(row=row)
        await pilot.press("m")
        await settle(pilot, app)
        assert app.current_pane == "auth-methods"
        pane = app.pane("auth-methods")
        assert isinstance(pane, AuthMethodsPane)
        user_id = table.row_key(row)
        assert pane.user_id == user_id
        expected = {p["phoneNumber"] for p in methods["phone"]}
        expected |= {e["emailAddress"] for e in methods["email"]}
        expected |= {o["id"] for o in methods["oath"]}
        assert {r.value for r in pane.rows} == expected
        assert pane.table.row_count == len(expected)
        header = str(pane.query_one("#methods-user").render())
        assert user_id in header
        user = await app.context.client.users.get(user_id, select=["displayName"])
        assert user["displayName"] in header


async def test_without_a_user_the_pane_says_how_to_pick_one(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        app.show_pane("auth-methods")
        await settle(pilot, app)
        pane = app.pane("auth-methods")
        assert isinstance(pane, AuthMethodsPane)
        hint = str(pane.query_one("#methods-hint").render())
        assert "No user selected" in hint and "press m" in hint
        for action in MUTATING:
            assert pane.check_action(action, ()) is None


async def test_tenant_text_in_the_header_is_shown_as_text(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: bool(m["phone"]))
        await app.context.client.users.update(user_id, {"displayName": "[b]Mal[/b]\x1b[31m"})
        pane = await open_for(pilot, app, user_id)
        header = str(pane.query_one("#methods-user").render())
        assert "[b]Mal[/b]␛[31m" in header


# -- phone -----------------------------------------------------------------------------------
async def test_add_phone(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: not m["phone"])
        pane = await open_for(pilot, app, user_id)
        await pilot.press("a")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PhoneMethodDialog)
        await type_text(pilot, "+44 7911123456")
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, PhoneMethodDialog)
        assert phone_types(await methods_of(app, user_id)) == {"mobile": "+44 7911123456"}
        assert [(r.type, r.value) for r in pane.rows] == [("mobile", "+44 7911123456")]


async def test_add_phone_without_the_space_suggests_and_sends_nothing(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: not m["phone"])
        await open_for(pilot, app, user_id)
        await pilot.press("a")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PhoneMethodDialog)
        await type_text(pilot, "+447911123456")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog  # refused before anything is sent
        assert "space after the country code" in shown_error(dialog, "phoneNumber")
        assert dialog.suggestion == "+44 7911123456"
        assert dialog.query_one("#phone-suggestion").display
        assert "+44 7911123456" in str(dialog.query_one("#phone-suggestion-text").render())
        assert (await methods_of(app, user_id))["phone"] == []
        await pilot.press("ctrl+y")  # one key takes the suggestion
        await settle(pilot, app)
        assert dialog.query_one("#field-phoneNumber", Input).value == "+44 7911123456"
        assert not shown_error(dialog, "phoneNumber")
        await pilot.press("enter")
        await settle(pilot, app)
        assert phone_types(await methods_of(app, user_id)) == {"mobile": "+44 7911123456"}


async def test_graph_refusal_shows_beside_the_field_and_keeps_the_input(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: not m["phone"])
        await open_for(pilot, app, user_id)
        await pilot.press("a")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PhoneMethodDialog)
        # Someone else adds a mobile meanwhile: Graph refuses a second one.
        await app.context.client.auth_methods.add_phone_method(user_id, "+1 2065550100")
        await type_text(pilot, "+44 7911123456")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog
        assert "already exists" in shown_error(dialog, "phoneType")
        assert dialog.query_one("#field-phoneNumber", Input).value == "+44 7911123456"
        assert phone_types(await methods_of(app, user_id)) == {"mobile": "+1 2065550100"}
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, PhoneMethodDialog)


async def test_add_offers_only_free_phone_types(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: set(phone_types(m)) == {"mobile"})
        pane = await open_for(pilot, app, user_id)
        assert pane.free_phone_types() == ["alternateMobile", "office"]
        for phone_type in ("alternateMobile", "office"):
            await app.context.client.auth_methods.add_phone_method(
                user_id, "+1 2065550101", phone_type)
        await pilot.press("r")
        await settle(pilot, app)
        assert pane.free_phone_types() == []
        assert pane.check_action("add_phone", ()) is None


async def test_edit_phone_number_with_E_and_enter(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: "mobile" in phone_types(m))
        pane = await open_for(pilot, app, user_id)
        move_to(pane, lambda r: r.type == "mobile")
        for key in ("E", "enter"):
            await pilot.press(key)
            await settle(pilot, app)
            dialog = app.screen
            assert isinstance(dialog, PhoneMethodDialog)
            assert dialog.method_id is not None
            assert dialog.query_one("#field-phoneType").disabled  # the type is fixed
            number = dialog.query_one("#field-phoneNumber", Input)
            number.value = ""
            new = "+49 3012345678" if key == "E" else "+49 3012345679"
            await type_text(pilot, new)
            await pilot.press("enter")
            await settle(pilot, app)
            assert not isinstance(app.screen, PhoneMethodDialog)
            assert phone_types(await methods_of(app, user_id))["mobile"] == new
            assert next(r.value for r in pane.rows if r.type == "mobile") == new


# -- the one-key fix ---------------------------------------------------------------------------
async def test_x_fixes_a_number_stored_without_the_space(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: any(
            " " not in p["phoneNumber"] for p in m["phone"]))
        pane = await open_for(pilot, app, user_id)
        row = move_to(pane, lambda r: r.needs_fix)
        before, after = row.value, row.fix
        assert after is not None and " " in after and after.replace(" ", "") == before
        assert pane.table.row_texts(pane.table.cursor_row)[3] == "yes"
        await settle(pilot, app)
        assert pane.check_action("fix", ()) is True
        await pilot.press("x")
        await settle(pilot, app)
        assert phone_types(await methods_of(app, user_id))[row.type] == after
        fixed = next(r for r in pane.rows if r.id == row.id)
        assert fixed.value == after and not fixed.needs_fix
        note = app._notifications  # the before/after is what the admin sees
        assert any(before in n.message and after in n.message for n in note)
        assert pane.check_action("fix", ()) is None  # nothing left to fix on this row


async def test_x_is_disabled_on_rows_that_need_no_fix(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: any(
            " " in p["phoneNumber"] for p in m["phone"]) and bool(m["email"]))
        pane = await open_for(pilot, app, user_id)
        for predicate in (lambda r: r.kind == "phone" and not r.needs_fix,
                          lambda r: r.kind == "email"):
            move_to(pane, predicate)
            assert pane.check_action("fix", ()) is None
        before = await methods_of(app, user_id)
        await pilot.press("x")
        await settle(pilot, app)
        assert await methods_of(app, user_id) == before


# -- email -----------------------------------------------------------------------------------
async def test_add_and_edit_email(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: not m["email"])
        pane = await open_for(pilot, app, user_id)
        await pilot.press("A")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, EmailMethodDialog)
        await type_text(pilot, "not an address")
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen is dialog and shown_error(dialog, "emailAddress")
        assert (await methods_of(app, user_id))["email"] == []
        dialog.query_one("#field-emailAddress", Input).value = ""
        await type_text(pilot, "ada@example.com")
        await pilot.press("enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, EmailMethodDialog)
        emails = (await methods_of(app, user_id))["email"]
        assert [e["emailAddress"] for e in emails] == ["ada@example.com"]
        assert pane.check_action("add_email", ()) is None  # one email method per user
        move_to(pane, lambda r: r.kind == "email")
        await pilot.press("E")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, EmailMethodDialog)
        dialog.query_one("#field-emailAddress", Input).value = "ada@example.org"
        await pilot.press("enter")
        await settle(pilot, app)
        emails = (await methods_of(app, user_id))["email"]
        assert [e["emailAddress"] for e in emails] == ["ada@example.org"]


# -- read-only and stale results -------------------------------------------------------------
async def test_read_only_disables_every_change(make_app) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: any(
            " " not in p["phoneNumber"] for p in m["phone"]))
        pane = await open_for(pilot, app, user_id)
        for predicate in (lambda r: r.needs_fix, lambda r: True):
            move_to(pane, predicate)
            for action in MUTATING:  # hidden in read-only, not just disabled (issue 10)
                assert pane.check_action(action, ()) is False, action
        screen = app.screen
        for key in ("a", "A", "E", "enter", "d", "x"):
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is screen, key
        shown = {b.binding.action for b in app.screen.active_bindings.values()
                 if b.binding.id and b.binding.id.startswith("methods.")}
        assert shown == {"back"}


async def test_a_stale_user_result_never_lands(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        first = await find_user(app, lambda m: bool(m["phone"]))
        second = await find_user(app, lambda m: bool(m["email"]) and not m["phone"])
        expected = {e["emailAddress"] for e in (await methods_of(app, second))["email"]}
        api = app.context.client.auth_methods
        real = api.list_phone_methods
        gate = asyncio.Event()

        class Held:
            def __init__(self, user_id: str) -> None:
                self.user_id = user_id

            async def collect(self) -> list[dict[str, Any]]:
                if self.user_id == first:
                    await gate.wait()  # the first user's answer is slow
                return await real(self.user_id).collect()

        api.list_phone_methods = Held  # type: ignore[assignment,method-assign]
        app.open_pane("auth-methods", UserRef(first))
        await pilot.pause()
        pane = app.pane("auth-methods")
        assert isinstance(pane, AuthMethodsPane)
        assert pane.loading and pane.user_id == first
        pane.receive(UserRef(second))  # the users pane picks someone else
        pane.reload()
        await settle(pilot, app)
        gate.set()
        await settle(pilot, app)
        assert pane.user_id == second
        assert {r.value for r in pane.rows} == expected
        # Even an answer that is not cancelled is dropped once it is stale.
        old = pane.generation - 1
        pane._load(first, old)
        await settle(pilot, app)
        assert {r.value for r in pane.rows} == expected
        assert second in str(pane.query_one("#methods-user").render())


# -- delete ----------------------------------------------------------------------------------
async def delete_current(pilot: Any, app: B2CApp, pane: AuthMethodsPane, *,
                         confirm: bool = True) -> str:
    """Press d, check the confirmation names the method and the user, answer it."""
    user_name = pane.user_name
    await pilot.press("d")
    await settle(pilot, app)
    dialog = app.screen
    assert isinstance(dialog, ConfirmDeleteDialog)
    row = pane.current_row()
    assert row is not None
    text = " ".join(str(dialog.query_one(f"#confirm-{part}").render())
                    for part in ("title", "body"))
    for needed in (row.description, row.value, row.id, user_name, pane.user_id):
        assert str(needed) in text, needed
    await pilot.click("#confirm-delete" if confirm else "#confirm-cancel")
    await settle(pilot, app)
    assert not isinstance(app.screen, ConfirmDeleteDialog)
    return row.id


async def test_delete_phone_after_confirmation(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: set(phone_types(m)) == {"mobile"})
        pane = await open_for(pilot, app, user_id)
        move_to(pane, lambda r: r.type == "mobile")
        await delete_current(pilot, app, pane, confirm=False)  # cancel keeps it
        assert "mobile" in phone_types(await methods_of(app, user_id))
        method_id = await delete_current(pilot, app, pane)
        assert phone_types(await methods_of(app, user_id)) == {}
        assert method_id not in {r.id for r in pane.rows}
        assert pane.table.row_count == len(pane.rows)


async def test_graph_refusing_a_delete_is_reported_and_the_row_stays(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: {"mobile", "alternateMobile"}
                                  <= set(phone_types(m)))
        pane = await open_for(pilot, app, user_id)
        move_to(pane, lambda r: r.type == "mobile")
        await delete_current(pilot, app, pane)
        assert "mobile" in phone_types(await methods_of(app, user_id))
        assert any(r.type == "mobile" for r in pane.rows)
        assert any(n.severity == "error" and "alternateMobile" in n.message
                   for n in app._notifications)


async def test_delete_email_method(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: bool(m["email"]))
        pane = await open_for(pilot, app, user_id)
        move_to(pane, lambda r: r.kind == "email")
        await delete_current(pilot, app, pane)
        assert (await methods_of(app, user_id))["email"] == []
        assert not any(r.kind == "email" for r in pane.rows)
        assert pane.check_action("add_email", ()) is True


async def test_delete_software_oath_method_but_never_edit_it(make_app) -> None:
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot, app)
        user_id = await find_user(app, lambda m: bool(m["oath"]))
        pane = await open_for(pilot, app, user_id)
        move_to(pane, lambda r: r.kind == "OATH")
        assert pane.check_action("edit", ()) is None  # Graph has no PATCH for OATH methods
        assert pane.check_action("fix", ()) is None
        method_id = await delete_current(pilot, app, pane)
        assert (await methods_of(app, user_id))["oath"] == []
        assert method_id not in {r.id for r in pane.rows}
