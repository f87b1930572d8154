"""The find-user box builds the right B2C query for each kind of identifier."""

from __future__ import annotations

import pytest

from b2c_tui.graph.errors import UnsupportedQueryError, ValidationError
from b2c_tui.graph.find_user import plan_user_search
from b2c_tui.graph.query import check_b2c

TENANT = "contosob2c.onmicrosoft.com"


def filters(text: str) -> list[str]:
    search = plan_user_search(text, TENANT)
    out = []
    for q in search.queries(["id", "displayName"]):
        params = q.params()
        check_b2c(params, resource="users")  # everything we build is something B2C answers
        out.append(params["$filter"])
    return out


def test_object_id() -> None:
    assert filters("2075AB2C-93A5-49E0-AA53-94E04529D790") == [
        "id eq '2075ab2c-93a5-49e0-aa53-94e04529d790'"]


def test_upn() -> None:
    assert filters("2075ab2c@contosob2c.onmicrosoft.com") == [
        "userPrincipalName eq '2075ab2c@contosob2c.onmicrosoft.com'"]


def test_sign_in_email_uses_identities_with_issuer() -> None:
    assert filters("o'brien@gmail.com") == [
        "identities/any(c:c/issuerAssignedId eq 'o''brien@gmail.com' and c/issuer eq "
        "'contosob2c.onmicrosoft.com')"]


def test_phone_number_normalised() -> None:
    (flt,) = filters("+1 (206) 555-0100")
    assert "issuerAssignedId eq '+12065550100'" in flt


def test_single_word_is_name_prefix_or_username() -> None:
    flts = filters("jsmith")
    assert flts[0] == "startswith(displayName,'jsmith')"
    assert "issuerAssignedId eq 'jsmith'" in flts[1]


def test_several_words_are_a_name_prefix() -> None:
    assert filters("Zoë Tho") == ["startswith(displayName,'Zoë Tho')"]


def test_explicit_kinds() -> None:
    assert filters("user:j.smith")[0].startswith("identities/any(")
    assert filters("name:john@x") == ["startswith(displayName,'john@x')"]


@pytest.mark.parametrize("text", ["*smith", "*smith*", "!john", "not john"])
def test_what_b2c_cannot_answer_is_refused_plainly(text: str) -> None:
    with pytest.raises(UnsupportedQueryError) as info:
        plan_user_search(text, TENANT)
    assert "B2C" in str(info.value)


def test_empty_and_bad_id() -> None:
    with pytest.raises(ValidationError):
        plan_user_search("  ", TENANT)
    with pytest.raises(ValidationError):
        plan_user_search("id:not-a-guid", TENANT)
