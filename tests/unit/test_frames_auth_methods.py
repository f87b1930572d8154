"""Authentication methods as rows and a DataFrame (no Textual)."""

from __future__ import annotations

from b2c_tui.frames.auth_methods import METHOD_COLUMNS, MethodRow, method_rows, methods_frame


def test_method_rows_put_phones_in_type_order_then_email_then_oath() -> None:
    rows = method_rows(
        [{"id": "o", "phoneType": "office", "phoneNumber": "+1 4255550100"},
         {"id": "m", "phoneType": "mobile", "phoneNumber": "+12065550123"}],
        [{"id": "e", "emailAddress": "ann@example.com"}],
        [{"id": "t"}])
    assert [(r.kind, r.type, r.value, r.id) for r in rows] == [
        ("phone", "mobile", "+12065550123", "m"), ("phone", "office", "+1 4255550100", "o"),
        ("email", "email", "ann@example.com", "e"), ("OATH", "software", "t", "t")]
    mobile, office, email, oath = rows
    assert mobile.needs_fix and mobile.fix == "+1 2065550123"
    assert not office.needs_fix and office.fix is None
    assert not email.needs_fix and not oath.needs_fix
    assert [r.description for r in rows] == ["mobile phone", "office phone", "email method",
                                            "software OATH method"]


def test_methods_frame_has_the_columns_and_the_fix_flag() -> None:
    frame = methods_frame([MethodRow("phone", "mobile", "+12065550123", "m"),
                           MethodRow("email", "email", "a@b.c", "e")])
    assert list(frame.columns) == ["id", *(c.key for c in METHOD_COLUMNS if c.key != "id")]
    assert list(frame["needsFix"]) == ["yes", ""]
    assert list(frame["id"]) == ["m", "e"]
    assert len(methods_frame([])) == 0
