"""Column specs, user columns and the paged frame (no Textual)."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import numpy as np
import pandas as pd
import pytest

from b2c_tui.frames.columns import Column, flatten_value, select_for
from b2c_tui.frames.paged import PagedFrame
from b2c_tui.frames.users import (
    USER_COLUMNS,
    USER_COLUMNS_BY_KEY,
    USER_OPTIONAL_COLUMNS,
    email,
    extension_columns,
    sign_in_name,
)

APP = "b0f3c1d2-0000-4000-8000-1234567890ab"
APP_NODASH = APP.replace("-", "")
DOMAIN = "contoso.onmicrosoft.com"


def ident(kind: str, assigned: str, issuer: str = DOMAIN) -> dict[str, str]:
    return {"signInType": kind, "issuer": issuer, "issuerAssignedId": assigned}


def user(i: int, **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": f"00000000-0000-0000-0000-{i:012d}",
        "displayName": f"User {i}",
        "identities": [ident("emailAddress", f"user{i}@example.com"),
                       ident("userPrincipalName", f"{i}@{DOMAIN}")],
        "mail": None,
        "otherMails": [f"user{i}@example.com"],
        "creationType": "LocalAccount",
        "accountEnabled": i % 2 == 0,
        "createdDateTime": "2024-03-01T10:20:30Z",
        "userPrincipalName": f"{i}@{DOMAIN}",
    }
    record.update(extra)
    return record


# -- columns ---------------------------------------------------------------------------------
def test_select_for_puts_id_first_once_and_skips_secrets() -> None:
    columns = [*USER_COLUMNS, Column("passwordProfile", "Password", secret=True),
               Column("id", "Object id")]
    select = select_for(columns)
    assert select[0] == "id"
    assert select.count("id") == 1
    assert "passwordProfile" not in select
    assert select == ["id", "displayName", "identities", "mail", "otherMails", "creationType",
                      "accountEnabled", "createdDateTime"]


def test_flatten_value() -> None:
    assert flatten_value(None) is None
    assert flatten_value(True) is True
    assert flatten_value(3) == 3
    assert flatten_value("[red]x[/]") == "[red]x[/]"
    assert flatten_value(["a", "b", None]) == "a; b"
    assert flatten_value({"k": 1, "@odata.type": "x", "v": ["a", "b"]}) == "k=1, v=a; b"


def test_unknown_kind_is_rejected() -> None:
    with pytest.raises(ValueError):
        Column("x", "X", kind="blob")


# -- user columns ----------------------------------------------------------------------------
@pytest.mark.parametrize(("identities", "expected"), [
    ([ident("emailAddress", "jo@example.com")], "jo@example.com"),
    ([ident("userName", "jo42")], "jo42"),
    ([ident("emailAddress1", "jo@example.com")], "jo@example.com"),
    ([ident("federated", "1234567890", "google.com"),
      ident("userPrincipalName", f"x@{DOMAIN}")], "google.com"),
    ([ident("userPrincipalName", f"x@{DOMAIN}")], None),
    ([], None),
])
def test_sign_in_name(identities: list[dict[str, str]], expected: str | None) -> None:
    assert sign_in_name({"identities": identities}) == expected


def test_sign_in_name_prefers_local_over_federated() -> None:
    ids = [ident("federated", "1", "facebook.com"), ident("emailAddress", "a@example.com")]
    assert sign_in_name({"identities": ids}) == "a@example.com"


def test_email_falls_back_to_other_mails() -> None:
    assert email({"mail": "m@example.com", "otherMails": ["o@example.com"]}) == "m@example.com"
    assert email({"mail": None, "otherMails": ["o@example.com", "p@example.com"]}) == \
        "o@example.com"
    assert email({"mail": None, "otherMails": []}) is None


def test_user_columns_extract_from_records() -> None:
    record = user(7, mail=None)
    values = {c.label: c.value(record) for c in USER_COLUMNS}
    assert values == {
        "Display name": "User 7", "Sign-in name": "user7@example.com",
        "Email": "user7@example.com", "Creation type": "LocalAccount", "Enabled": False,
        "Created": "2024-03-01T10:20:30Z",
    }
    optional = {c.key for c in USER_OPTIONAL_COLUMNS}
    assert {"id", "userPrincipalName", "givenName", "surname", "userType", "identities",
            "otherMails"} <= optional
    identities = USER_COLUMNS_BY_KEY["identities"].value(record)
    assert "emailAddress: user7@example.com (contoso.onmicrosoft.com)" in identities
    assert USER_COLUMNS_BY_KEY["otherMails"].value(record) == "user7@example.com"


def test_extension_columns_use_friendly_names() -> None:
    columns = extension_columns(APP, ["loyaltyNumber", f"extension_{APP_NODASH}_tier",
                                      "marketingConsent"], kinds={"marketingConsent": "bool"})
    assert [c.key for c in columns] == [f"extension_{APP_NODASH}_loyaltyNumber",
                                        f"extension_{APP_NODASH}_tier",
                                        f"extension_{APP_NODASH}_marketingConsent"]
    assert [c.label for c in columns] == ["loyaltyNumber", "tier", "marketingConsent"]
    assert columns[2].kind == "bool"
    record = user(1, **{f"extension_{APP_NODASH}_loyaltyNumber": "LN0042"})
    assert columns[0].value(record) == "LN0042"
    assert columns[1].value(record) is None
    assert select_for(columns)[1:] == [c.key for c in columns]


# -- paged frame -----------------------------------------------------------------------------
def test_paged_append_keeps_ids_and_continues_the_index() -> None:
    frame = PagedFrame(USER_COLUMNS[:2])
    first = frame.add_records([user(i) for i in range(3)])
    second = frame.add_records([user(i) for i in range(3, 5)])
    assert list(first.columns) == ["id", "displayName", "signInName"]
    assert list(second.index) == [3, 4]
    assert len(frame) == 5
    whole = frame.frame
    assert list(whole["displayName"]) == [f"User {i}" for i in range(5)]
    assert whole["id"].iloc[4] == user(4)["id"]
    assert frame.frame is whole  # cached
    frame.add_records([user(5)])
    assert len(frame.frame) == 6  # ... until rows are added


def test_discarded_rows_leave_the_frame_and_the_chunks() -> None:
    frame = PagedFrame(USER_COLUMNS[:2])
    frame.add_records([user(i) for i in range(3)])
    frame.add_records([user(i) for i in range(3, 6)])
    assert len(frame.frame) == 6
    frame.discard([user(1)["id"], user(4)["id"]])
    assert len(frame) == 4
    whole = frame.frame
    assert list(whole["displayName"]) == [f"User {i}" for i in (0, 2, 3, 5)]
    assert list(whole.index) == [0, 1, 2, 3]
    assert [list(c.index) for c in frame.chunks] == [[0, 2], [3, 5]]  # arrival positions
    frame.add_records([user(6)])
    assert len(frame) == 5 and list(frame.frame["displayName"])[-1] == "User 6"
    frame.clear()
    frame.add_records([user(1)])
    assert len(frame) == 1 and len(frame.frame) == 1  # a clear forgets the discarded ids


def test_paged_frame_state() -> None:
    frame = PagedFrame(USER_COLUMNS)
    assert len(frame.frame) == 0
    assert list(frame.frame.columns) == frame.keys
    frame.has_more = True
    frame.add_records([user(1)])
    frame.clear()
    assert len(frame) == 0
    assert frame.has_more is False
    assert frame.chunks == ()


def test_compact_dtypes() -> None:
    frame = PagedFrame(USER_COLUMNS).add_records([user(i) for i in range(10)])
    assert frame["accountEnabled"].dtype == np.dtype(bool)
    assert str(frame["createdDateTime"].dtype) == "datetime64[us, UTC]"
    assert frame["createdDateTime"].iloc[0] == pd.Timestamp("2024-03-01T10:20:30Z")
    assert isinstance(frame["displayName"].dtype, pd.StringDtype)
    # Repeated values of a low-cardinality column are one shared string.
    values = frame["creationType"].array
    assert values[0] is values[9]


def test_missing_values_stay_missing() -> None:
    frame = PagedFrame(USER_COLUMNS).add_records([
        user(1), {"id": "x", "accountEnabled": None, "createdDateTime": "not a date"}])
    assert str(frame["accountEnabled"].dtype) == "boolean"
    assert frame["accountEnabled"].isna().tolist() == [False, True]
    assert frame["createdDateTime"].isna().tolist() == [False, True]
    assert frame["displayName"].isna().tolist() == [False, True]


def test_text_from_the_tenant_is_kept_verbatim() -> None:
    name = "[red]x[/] \x1b[31mEvil\x1b[0m 山田"
    frame = PagedFrame(USER_COLUMNS).add_records([user(1, displayName=name)])
    assert frame["displayName"].iloc[0] == name


def test_number_and_extension_columns() -> None:
    columns = [Column("score", "Score", kind="number"),
               *extension_columns(APP_NODASH, ["tier"])]
    frame = PagedFrame(columns).add_records([
        {"id": "a", "score": 3, f"extension_{APP_NODASH}_tier": "Gold"},
        {"id": "b", "score": None}])
    assert frame["score"].tolist()[0] == 3
    assert np.isnan(frame["score"].tolist()[1])
    assert frame[f"extension_{APP_NODASH}_tier"].tolist()[0] == "Gold"


def test_secret_columns_are_never_stored() -> None:
    frame = PagedFrame([*USER_COLUMNS, Column("passwordProfile", "Password", secret=True)])
    chunk = frame.add_records([user(1, passwordProfile={"password": "hunter2"})])
    assert "passwordProfile" not in chunk.columns
    assert "hunter2" not in chunk.to_string()


def test_memory_per_user_is_compact() -> None:
    """The default view stays well under the 750 bytes/user floor (75 MB per 100k)."""
    frame = PagedFrame(USER_COLUMNS)
    for start in range(0, 5_000, 999):
        frame.add_records([user(i) for i in range(start, min(start + 999, 5_000))])
    per_user = frame.memory_bytes() / len(frame)
    assert per_user < 750, per_user


def test_frames_do_not_import_textual() -> None:
    code = ("import sys, b2c_tui.frames.paged, b2c_tui.frames.users, b2c_tui.frames.columns; "
            "print('textual' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_snapshot_is_left_alone_by_later_pages_and_discards() -> None:
    frame = PagedFrame(USER_COLUMNS)
    frame.add_records([user(i) for i in range(3)])
    frame.add_records([user(i) for i in range(3, 5)])
    frame.discard([user(0)["id"]])
    snap = frame.snapshot()
    frame.add_records([user(5)])
    frame.discard([user(1)["id"]])
    assert len(snap) == 4 and len(frame) == 4
    assert list(snap.frame["displayName"]) == [f"User {i}" for i in (1, 2, 3, 4)]
    assert list(frame.frame["displayName"]) == [f"User {i}" for i in (2, 3, 4, 5)]


def test_iter_records_gives_the_shown_values_page_by_page() -> None:
    frame = PagedFrame(USER_COLUMNS)
    frame.add_records([user(0), user(1, createdDateTime=None)])
    frame.add_records([user(2)])
    pages = list(frame.iter_records())
    assert [len(p) for p in pages] == [2, 1]
    first = pages[0][0]
    assert list(first) == frame.keys
    assert first["signInName"] == "user0@example.com"  # derived once, at load
    assert pages[0][1]["createdDateTime"] is None
    assert first["mail"] is None or isinstance(first["mail"], str)
    created = pages[1][0]["createdDateTime"]
    assert isinstance(created, str) and created.endswith("Z") and "T" in created
    import json
    json.dumps(pages)  # plain JSON values only


def test_values_of_reads_loaded_rows_by_id_without_building_the_frame() -> None:
    frame = PagedFrame(USER_COLUMNS[:2])
    frame.add_records([user(i) for i in range(3)])
    frame.add_records([user(i) for i in range(3, 6)] + [{"id": "no-name"}])
    frame.discard([user(4)["id"]])
    ids = [user(i)["id"] for i in (5, 0, 4)] + ["no-name", "not-loaded"]
    found = frame.values_of(ids, "displayName")
    assert {k: v for k, v in found.items() if isinstance(v, str)} == {
        user(5)["id"]: "User 5", user(0)["id"]: "User 0"}  # the discarded row is left out
    assert set(found) == {user(5)["id"], user(0)["id"], "no-name"}
    assert frame.values_of(ids, "no such column") == {} and frame.values_of([], "id") == {}
    assert frame._frame is None  # nothing concatenated, nothing kept
