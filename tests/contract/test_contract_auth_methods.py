"""Contract: a user's phone, email and software OATH methods against the documented examples.

The docs' examples often use ``/me``; B2C administration is app-only, so the client always names
the user and the request is checked against the ``/users/{id}`` form of the same path.
"""

from __future__ import annotations

import pytest

from b2c_tui.graph import ValidationError
from b2c_tui.graph.resources.auth_methods import EMAIL_METHOD_ID, PHONE_METHOD_IDS

from ._families import assert_read_only_refuses, assert_record, no_request, replay_repaired
from .harness import Recorder, documented_body, example, make_client, replay

COVERS = [
    "authentication-list-emailmethods",
    "authentication-list-phonemethods",
    "authentication-list-softwareoathmethods",
    "authentication-post-emailmethods",
    "authentication-post-phonemethods",
    "emailauthenticationmethod-delete",
    "emailauthenticationmethod-get",
    "emailauthenticationmethod-update",
    "phoneauthenticationmethod-delete",
    "phoneauthenticationmethod-get",
    "phoneauthenticationmethod-update",
    "softwareoathauthenticationmethod-delete",
    "softwareoathauthenticationmethod-get",
]

USER = "kim@contoso.com"
MOBILE = PHONE_METHOD_IDS["mobile"]
OATH_ID = "b172893e-893e-b172-3e89-72b13e8972b1"


def users_path(tail: str) -> str:
    """The app-only form of a documented ``/me/authentication/...`` path."""
    return f"/v1.0/users/{USER}/authentication/{tail}"


# -- lists ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("op", "method", "kind"),
    [
        ("authentication-list-phonemethods", "list_phone_methods", "phoneMethods"),
        ("authentication-list-emailmethods", "list_email_methods", "emailMethods"),
        ("authentication-list-softwareoathmethods", "list_software_oath_methods",
         "softwareOathMethods"),
    ],
)
async def test_list_methods(op: str, method: str, kind: str) -> None:
    r = await replay(op, lambda c: getattr(c.auth_methods, method)(USER).collect(),
                     path=users_path(kind))
    assert r.result == documented_body(op)["value"]


# -- phone -------------------------------------------------------------------------------------
async def test_get_phone_method() -> None:
    op = "phoneauthenticationmethod-get"
    r = await replay(op, lambda c: c.auth_methods.get_phone_method(USER, MOBILE),
                     path=users_path(f"phoneMethods/{MOBILE}"))
    assert_record(r.result, documented_body(op), truncated=True)


async def test_add_phone_method_posts_number_and_type() -> None:
    op = "authentication-post-phonemethods"
    r = await replay(op, lambda c: c.auth_methods.add_phone_method(USER, "+1 2065555555", "mobile"),
                     path=users_path("phoneMethods"))
    assert_record(r.result, documented_body(op), truncated=True)
    assert r.request.headers["content-type"] == "application/json"


async def test_update_phone_method_sends_documented_body() -> None:
    """The docs body has a trailing comma; the request must equal its repaired form."""
    r = await replay_repaired(
        "phoneauthenticationmethod-update",
        lambda c: c.auth_methods.update_phone_method(USER, MOBILE, "+1 2065555554",
                                                     phone_type="mobile"),
    )
    assert r.result is None


async def test_delete_phone_method() -> None:
    r = await replay("phoneauthenticationmethod-delete",
                     lambda c: c.auth_methods.delete_phone_method(USER, MOBILE),
                     path=users_path(f"phoneMethods/{MOBILE}"))
    assert r.result is None


async def test_fix_phone_number_patches_the_spaced_form() -> None:
    stored = {"id": MOBILE, "phoneNumber": "+12065555554", "phoneType": "mobile",
              "smsSignInState": "ready"}
    r = await replay("phoneauthenticationmethod-update",
                     lambda c: c.auth_methods.fix_phone_number(USER, stored),
                     check_request=False)
    assert r.request.method == "PATCH"
    assert r.request.url.path == f"/v1.0/users/{USER}/authentication/phoneMethods/{MOBILE}"
    assert r.body == b'{"phoneNumber":"+1 2065555554"}'
    assert r.result == {**stored, "phoneNumber": "+1 2065555554"}
    assert stored["phoneNumber"] == "+12065555554"  # the caller's record is left alone


async def test_fix_phone_number_leaves_a_good_number_alone() -> None:
    good = {"id": MOBILE, "phoneNumber": "+44 7911123456", "phoneType": "mobile"}
    recorder = Recorder()
    async with make_client(recorder) as client:
        assert await client.auth_methods.fix_phone_number(USER, good) == good
    assert recorder.requests == []


async def test_fix_phone_number_refuses_what_it_cannot_repair() -> None:
    bad = {"id": MOBILE, "phoneNumber": "2065555554", "phoneType": "mobile"}
    await no_request(lambda c: c.auth_methods.fix_phone_number(USER, bad), ValidationError)


# -- email -------------------------------------------------------------------------------------
async def test_get_email_method_unwraps_the_documented_value_wrapper() -> None:
    op = "emailauthenticationmethod-get"
    r = await replay(op, lambda c: c.auth_methods.get_email_method(USER),
                     path=users_path(f"emailMethods/{EMAIL_METHOD_ID}"))
    assert r.result == documented_body(op)["value"]


async def test_add_email_method() -> None:
    op = "authentication-post-emailmethods"
    r = await replay(op, lambda c: c.auth_methods.add_email_method(USER, "kim@contoso.com"))
    assert_record(r.result, documented_body(op), truncated=True)


async def test_update_email_method() -> None:
    body = example("emailauthenticationmethod-update")["request"]["body"]
    r = await replay("emailauthenticationmethod-update",
                     lambda c: c.auth_methods.update_email_method(USER, body["emailAddress"]))
    assert r.result is None


async def test_delete_email_method() -> None:
    r = await replay("emailauthenticationmethod-delete",
                     lambda c: c.auth_methods.delete_email_method(USER))
    assert r.result is None


# -- software OATH -----------------------------------------------------------------------------
async def test_get_software_oath_method_unwraps_value() -> None:
    op = "softwareoathauthenticationmethod-get"
    r = await replay(op, lambda c: c.auth_methods.get_software_oath_method(USER, OATH_ID),
                     path=users_path(f"softwareOathMethods/{OATH_ID}"))
    assert r.result == documented_body(op)["value"]
    assert r.result["secretKey"] is None


async def test_delete_software_oath_method() -> None:
    r = await replay("softwareoathauthenticationmethod-delete",
                     lambda c: c.auth_methods.delete_software_oath_method(USER, OATH_ID))
    assert r.result is None


# -- validation happens before any request -------------------------------------------------------
async def test_phone_without_space_is_refused_with_a_suggestion() -> None:
    err = await no_request(lambda c: c.auth_methods.add_phone_method(USER, "+12065555555"),
                           ValidationError)
    assert isinstance(err, ValidationError)
    assert err.field == "phoneNumber"
    assert err.suggestion == "+1 2065555555"


@pytest.mark.parametrize("number", ["2065555555", "+999 12345", "+1 206555", "", "+1 20655x"])
async def test_bad_phone_numbers_are_refused(number: str) -> None:
    await no_request(lambda c: c.auth_methods.add_phone_method(USER, number), ValidationError)
    await no_request(lambda c: c.auth_methods.update_phone_method(USER, MOBILE, number),
                     ValidationError)


async def test_unknown_phone_type_is_refused() -> None:
    await no_request(lambda c: c.auth_methods.add_phone_method(USER, "+1 2065555555", "fax"),
                     ValidationError)


async def test_phone_type_of_a_method_cannot_change() -> None:
    await no_request(
        lambda c: c.auth_methods.update_phone_method(USER, MOBILE, "+1 2065555555",
                                                     phone_type="office"),
        ValidationError,
    )


@pytest.mark.parametrize("email", ["kim", "kim@", "kim@@contoso.com", "k m@contoso.com", ""])
async def test_bad_emails_are_refused(email: str) -> None:
    await no_request(lambda c: c.auth_methods.add_email_method(USER, email), ValidationError)
    await no_request(lambda c: c.auth_methods.update_email_method(USER, email), ValidationError)


async def test_read_only_refuses_every_write() -> None:
    assert await assert_read_only_refuses("auth_methods") == 8
