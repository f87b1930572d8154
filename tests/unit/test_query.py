"""OData query building with B2C's rules: quoting, encoding, and refusals before any request."""

from __future__ import annotations

import re
import socket
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2c_tui.graph.errors import UnsupportedQueryError, ValidationError
from b2c_tui.graph.query import (
    F,
    Filter,
    Query,
    ResourceRules,
    check_b2c,
    extension_attribute_name,
    format_literal,
    parse_extension_attribute,
    parse_literal,
    register_rules,
    rules_for,
    strip_literals,
    validate_property,
)

FAST = settings(max_examples=200, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
UNRESERVED_OR_ESCAPE = re.compile(r"(?:[A-Za-z0-9\-._~]|%[0-9A-F]{2})*")


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Any attempt to open a connection fails the test: refusals happen before requests."""

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


def filter_value(query_string: str) -> str:
    """The still-encoded value of $filter in a query string."""
    pairs = dict(p.split("=", 1) for p in query_string.split("&"))
    return pairs["$filter"]


# -- quoting and encoding round-trip -------------------------------------------------------

# Plain text, plus text built from the words and characters most likely to break quoting.
TRICKY = st.lists(st.sampled_from(
    ["'", "''", " ", "ne", "NOT", "not(", "endsWith(", "$count", "$search", "#", "&", "%", "+",
     "=", "?", "/", "\\", "é", "日本", "\x00", "\n", "\t", "%27", "%23", "a"]
)).map("".join)
VALUES = st.one_of(st.text(), TRICKY)


@FAST
@given(VALUES)
def test_any_string_round_trips_through_the_encoded_query(value: str) -> None:
    qs = Query("users").filter(F.eq("displayName", value)).to_query_string()
    encoded = filter_value(qs)
    assert UNRESERVED_OR_ESCAPE.fullmatch(encoded), encoded
    decoded = unquote(encoded, errors="strict")
    prefix = "displayName eq "
    assert decoded.startswith(prefix)
    assert parse_literal(decoded[len(prefix):]) == value


@FAST
@given(VALUES)
def test_words_inside_string_literals_are_never_refused(value: str) -> None:
    expression = f"displayName eq {format_literal(value)}"
    assert check_b2c({"$filter": expression}, resource="users") == {"$filter": expression}
    assert F.raw(expression).text == expression
    query = Query("users").filter(expression)
    assert Query.parse(query.to_query_string(), resource="users") == query


@FAST
@given(VALUES, VALUES)
def test_startswith_and_in_quote_every_value(a: str, b: str) -> None:
    expr = F.startswith("displayName", a) & F.in_("mail", [a, b])
    qs = Query("users").filter(expr).to_query_string()
    assert UNRESERVED_OR_ESCAPE.fullmatch(filter_value(qs))
    assert unquote(filter_value(qs)) == (
        f"startswith(displayName,{format_literal(a)}) and mail in "
        f"({format_literal(a)},{format_literal(b)})")


def test_reserved_characters_are_percent_encoded() -> None:
    qs = Query().filter(F.eq("displayName", "a#b&c+d'e f é/?=")).to_query_string()
    assert qs == ("$filter=displayName%20eq%20%27a%23b%26c%2Bd%27%27e%20f%20%C3%A9%2F%3F%3D%27")


def test_query_string_keeps_option_names_readable_and_order_stable() -> None:
    q = Query("users").top(5).select("id", "displayName").filter(F.eq("accountEnabled", True))
    assert list(q.params()) == ["$select", "$filter", "$top"]
    assert q.to_query_string() == (
        "$select=id%2CdisplayName&$filter=accountEnabled%20eq%20true&$top=5")
    assert str(q) == "$select=id,displayName&$filter=accountEnabled eq true&$top=5"


# -- refusals -----------------------------------------------------------------------------

def random_case(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda flags: "".join(c.upper() if up else c.lower() for c, up in zip(word, flags,
                                                                              strict=True)))


LITERALS = st.text(max_size=20).map(format_literal)
REFUSED_CLAUSES = st.one_of(
    st.builds(lambda op, lit: f"displayName {op} {lit}", random_case("ne"), LITERALS),
    st.builds(lambda op, sep, lit: f"{op}{sep}startswith(displayName,{lit})" +
              (")" if sep == "(" else ""),
              random_case("not"), st.sampled_from(["(", " ", "  ", " ("]), LITERALS),
    st.builds(lambda op, sep, lit: f"{op}{sep}(mail,{lit})",
              random_case("endsWith"), st.sampled_from(["", " "]), LITERALS),
    st.builds(lambda op, lit: f"owners/{op} eq 0 or displayName eq {lit}",
              random_case("$count"), LITERALS),
)
NEIGHBOURS = st.sampled_from(["", "startswith(displayName,'ne') and ", "id eq 'not' or "])


@FAST
@given(NEIGHBOURS, REFUSED_CLAUSES, NEIGHBOURS.map(lambda s: s and " and id eq 'x'"))
def test_unsupported_operators_are_refused_anywhere(
    no_network: None, before: str, clause: str, after: str
) -> None:
    expression = before + clause + after
    with pytest.raises(UnsupportedQueryError):
        check_b2c({"$filter": expression}, resource="users")
    with pytest.raises(UnsupportedQueryError):
        F.raw(expression)
    with pytest.raises(UnsupportedQueryError):
        Query("users").filter(expression)
    with pytest.raises(UnsupportedQueryError):
        check_b2c("$select=id&$filter=" + quote(expression, safe=""), resource="users")


@FAST
@given(random_case("count"), random_case("search"), st.booleans(), st.text(max_size=10))
def test_count_and_search_are_refused_in_any_spelling(
    no_network: None, count: str, search: str, dollar: bool, value: str
) -> None:
    prefix = "$" if dollar else ""
    for key in (prefix + count, prefix + search):
        with pytest.raises(UnsupportedQueryError, match="B2C tenants do not support"):
            check_b2c({key: value or "true"})
        with pytest.raises(UnsupportedQueryError):
            Query.parse(f"{key}={value or 'true'}")


@FAST
@given(st.sampled_from([None, "users", "applications", "deletedItems", "groups"]),
       st.sampled_from(["displayName", "userPrincipalName"]), st.booleans())
def test_filter_with_orderby_is_refused(
    no_network: None, resource: str | None, prop: str, desc: bool
) -> None:
    with pytest.raises(UnsupportedQueryError, match="cannot combine"):
        Query(resource).filter(F.startswith(prop, "a")).orderby(prop, desc=desc)
    with pytest.raises(UnsupportedQueryError, match="cannot combine"):
        Query(resource).orderby(prop).filter(F.eq(prop, "a"))
    with pytest.raises(UnsupportedQueryError, match="cannot combine"):
        check_b2c({"$FILTER": f"{prop} eq 'a'", "orderBy": prop}, resource=resource)


def test_messages_say_what_to_do_instead() -> None:
    cases = {
        "endsWith(mail,'@x.com')": "use startsWith on the beginning of the value",
        "mail ne 'x'": "eq or in",
        "not startswith(mail,'x')": "rewrite the filter positively",
    }
    for expression, advice in cases.items():
        with pytest.raises(UnsupportedQueryError, match=re.escape(advice)):
            F.raw(expression)
    with pytest.raises(UnsupportedQueryError, match="count them locally"):
        Query().count()
    with pytest.raises(UnsupportedQueryError, match="startsWith"):
        Query().search("jo")
    with pytest.raises(UnsupportedQueryError, match="rewrite the filter positively"):
        ~F.eq("mail", "x")


def test_count_path_segment_is_refused() -> None:
    with pytest.raises(UnsupportedQueryError, match=r"\$count"):
        check_b2c("https://graph.microsoft.com/v1.0/users/$count")


def test_page_size_limits_per_resource() -> None:
    assert Query("users").top(999).page_limit == 999
    for resource in ("users", "applications", "deletedItems",
                     "/directory/deletedItems/microsoft.graph.user"):
        with pytest.raises(UnsupportedQueryError, match=r"\$top=999 or less"):
            Query(resource).top(1000)
    with pytest.raises(UnsupportedQueryError, match="signInActivity"):
        Query("users").select("id", "signInActivity").top(999)
    assert Query("users").select("signInActivity").top(500).page_limit == 500
    with pytest.raises(UnsupportedQueryError, match="signInActivity"):
        check_b2c({"$filter": "signInActivity/lastSignInDateTime le 2024-01-01T00:00:00Z",
                   "$top": "501"}, resource="users")
    # a word inside a literal does not lower the limit
    assert Query("users").filter(F.eq("displayName", "signInActivity")).top(999)
    assert Query("directoryAudits").top(5000).page_limit is None
    assert Query("audits", max_top=50).top(50).page_limit == 50
    with pytest.raises(UnsupportedQueryError):
        Query("audits", max_top=50).top(51)
    for bad in (0, -1):
        with pytest.raises(UnsupportedQueryError, match="whole number"):
            Query().top(bad)
    with pytest.raises(UnsupportedQueryError, match="whole number"):
        check_b2c("$top=ten")


def test_custom_rules_can_be_registered() -> None:
    register_rules(ResourceRules("widgets", max_top=50, skip=False))
    assert rules_for("/v1.0/widgets").max_top == 50
    with pytest.raises(UnsupportedQueryError, match=r"\$skip"):
        Query("widgets").skip(10)


def test_skip_is_refused_on_users_but_not_where_supported() -> None:
    with pytest.raises(UnsupportedQueryError, match=r"@odata\.nextLink"):
        Query("users").skip(10)
    with pytest.raises(UnsupportedQueryError, match=r"\$skip"):
        check_b2c("$skip=5", resource="users")
    assert Query("conditionalAccessPolicies").skip(10).params() == {"$skip": "10"}


def test_users_sort_only_by_display_name_or_upn() -> None:
    assert Query("users").orderby("displayName desc").params() == {"$orderby": "displayName desc"}
    assert Query("users").orderby("userPrincipalName", desc=True).params() == {
        "$orderby": "userPrincipalName desc"}
    with pytest.raises(UnsupportedQueryError, match="displayName or userPrincipalName"):
        Query("users").orderby("createdDateTime")
    with pytest.raises(UnsupportedQueryError, match=r"asc\|desc"):
        Query("users").orderby("displayName sideways")


def test_resources_with_more_freedom() -> None:
    audits = Query("directoryAudits").filter(F.ge("activityDateTime", date(2024, 1, 1)))
    assert audits.orderby("activityDateTime desc").params()["$orderby"] == "activityDateTime desc"
    attrs = Query("userFlowAttributes").filter("userFlowAttributeType ne 'builtIn'")
    assert attrs.params() == {"$filter": "userFlowAttributeType ne 'builtIn'"}
    with pytest.raises(UnsupportedQueryError):
        Query("userFlowAttributes").filter("not startswith(id,'x')")


def test_identity_filter_needs_issuer_and_id() -> None:
    expr = F.identity(issuer="contoso.onmicrosoft.com", issuer_assigned_id="j.smith@yahoo.com")
    assert expr.text == ("identities/any(c:c/issuerAssignedId eq 'j.smith@yahoo.com' and "
                         "c/issuer eq 'contoso.onmicrosoft.com')")
    for kwargs in ({"issuer": "contoso.onmicrosoft.com"}, {"issuer_assigned_id": "j@x.com"},
                   {"issuer": "", "issuer_assigned_id": "j@x.com"}, {}):
        with pytest.raises(UnsupportedQueryError, match="needs both issuer"):
            F.identity(**kwargs)
    with pytest.raises(UnsupportedQueryError, match="c/issuer"):
        F.raw("identities/any(c:c/issuerAssignedId eq 'j@x.com')")
    assert F.raw("identities/any(c:c/issuer eq 'facebook.com')")


# -- builders ------------------------------------------------------------------------------

def test_filter_builders_produce_odata() -> None:
    assert str(F.eq("mail", "o'brien@x.com")) == "mail eq 'o''brien@x.com'"
    assert str(F.eq("accountEnabled", True)) == "accountEnabled eq true"
    assert str(F.eq("accountEnabled", False)) == "accountEnabled eq false"
    assert str(F.eq("employeeId", None)) == "employeeId eq null"
    assert str(F.eq("age", 42)) == "age eq 42"
    assert str(F.eq("ratio", 0.5)) == "ratio eq 0.5"
    assert str(F.in_("id", ["a", "b"])) == "id in ('a','b')"
    assert str(F.lt("n", 3)) == "n lt 3" and str(F.gt("n", 3)) == "n gt 3"
    assert str(F.le("n", 3)) == "n le 3" and str(F.ge("n", 3)) == "n ge 3"
    any_mail = F.any_("otherMails", F.eq("m", "a@b.c"), var="m")
    assert str(any_mail) == "otherMails/any(m:m eq 'a@b.c')"
    with pytest.raises(UnsupportedQueryError, match="at least one value"):
        F.in_("id", [])
    with pytest.raises(UnsupportedQueryError):
        F.startswith("displayName", 5)  # type: ignore[arg-type]


def test_and_or_parenthesize_by_precedence() -> None:
    a, b, c = F.eq("a", 1), F.eq("b", 2), F.eq("c", 3)
    assert str(F.and_(a, b, c)) == "a eq 1 and b eq 2 and c eq 3"
    assert str((a | b) & c) == "(a eq 1 or b eq 2) and c eq 3"
    assert str((a & b) | c) == "(a eq 1 and b eq 2) or c eq 3"
    assert str(F.raw("a eq 1 or b eq 2") & c) == "(a eq 1 or b eq 2) and c eq 3"
    assert F.and_(a) is a
    q = Query().filter(a).filter(b)
    assert q.params()["$filter"] == "a eq 1 and b eq 2"


def test_literals() -> None:
    assert format_literal(datetime(2024, 5, 1, 12, 30)) == "2024-05-01T12:30:00Z"
    plus_two = timezone(timedelta(hours=2))
    assert format_literal(datetime(2024, 5, 1, 14, 30, tzinfo=plus_two)) == "2024-05-01T12:30:00Z"
    assert format_literal(datetime(2024, 5, 1, tzinfo=UTC).replace(microsecond=5)) == (
        "2024-05-01T00:00:00.000005Z")
    assert format_literal(date(2024, 5, 1)) == "2024-05-01"
    guid = uuid.UUID("87d349ed-44d7-43e1-9a83-5f2406dee5bd")
    assert format_literal(guid) == "'87d349ed-44d7-43e1-9a83-5f2406dee5bd'"
    for value in (True, None, 42, -7, 1.5, date(2024, 5, 1),
                  datetime(2024, 5, 1, 12, 30, tzinfo=UTC), "it's"):
        assert parse_literal(format_literal(value)) == value
    for bad in (float("nan"), float("inf"), "\ud800"):
        with pytest.raises(UnsupportedQueryError):
            format_literal(bad)
    with pytest.raises(ValueError):
        parse_literal("'it's'")
    with pytest.raises(ValueError):
        parse_literal("bogus")


def test_unterminated_literal_is_reported() -> None:
    with pytest.raises(UnsupportedQueryError, match="unterminated"):
        F.raw("displayName eq 'o'brien'")
    assert strip_literals("a eq 'x''y' and b eq 'ne'") == "a eq '' and b eq ''"


def test_property_names_are_checked() -> None:
    for good in ("displayName", "identities/any", "c/issuer", "_x",
                 "extension_25883231668a43a780b25685c3f874bc_Shoesize"):
        assert validate_property(good) == good
    for bad in ("", "display name", "a)", "x'", "a//b", "1abc", "extension_123_x",
                "mail eq 'x' or 1"):
        with pytest.raises(UnsupportedQueryError):
            validate_property(bad)
    with pytest.raises(UnsupportedQueryError):
        F.eq("mail) or (1", "x")
    with pytest.raises(UnsupportedQueryError):
        Query().select("id,displayName")


def test_extension_attribute_names() -> None:
    name = extension_attribute_name("25883231-668A-43a7-80b2-5685c3f874bc", "Shoesize")
    assert name == "extension_25883231668a43a780b25685c3f874bc_Shoesize"
    assert parse_extension_attribute(name) == ("25883231668a43a780b25685c3f874bc", "Shoesize")
    assert parse_extension_attribute("displayName") is None
    assert parse_extension_attribute("extension_abc_x") is None
    with pytest.raises(ValidationError) as err:
        extension_attribute_name("not-a-guid", "x")
    assert err.value.field == "app_id"
    with pytest.raises(ValidationError) as err:
        extension_attribute_name("25883231668a43a780b25685c3f874bc", "shoe size")
    assert err.value.field == "name"


def test_query_is_immutable_and_parse_round_trips() -> None:
    base = Query("users").select("id")
    grown = base.select("displayName", "id").top(10)
    assert base.params() == {"$select": "id"}
    assert grown.selected == ("id", "displayName")
    with pytest.raises(AttributeError):
        base.page_size = 5  # type: ignore[misc]
    q = (Query("users").select("id", "identities").filter(F.startswith("displayName", "Jo"))
         .top(999).expand("manager($select=id,displayName)"))
    again = Query.parse(q.to_query_string(), resource="users")
    assert again.params() == q.params()
    assert Query.parse(q.params(), resource="users").params() == q.params()
    from_url = Query.parse("https://graph.microsoft.com/v1.0/users?$select=id&$top=5")
    assert rules_for(from_url.resource).name == "users"
    with pytest.raises(UnsupportedQueryError):
        Query.parse("https://graph.microsoft.com/v1.0/users?$top=1000")


def test_parse_reads_query_strings_like_graph() -> None:
    assert check_b2c("?$filter=displayName+eq+'a%2Bb'") == {"$filter": "displayName eq 'a+b'"}
    assert check_b2c("$filter=displayName eq 'what?'") == {"$filter": "displayName eq 'what?'"}
    assert check_b2c("filter=id eq 'x'&top=3") == {"$filter": "id eq 'x'", "$top": "3"}
    assert check_b2c({"$top": 5, "$skiptoken": "abc"}) == {"$top": "5", "$skiptoken": "abc"}
    with pytest.raises(UnsupportedQueryError, match="twice"):
        check_b2c("$top=5&$TOP=6")
    with pytest.raises(UnsupportedQueryError, match="empty"):
        check_b2c({"$filter": "  "})
    with pytest.raises(UnsupportedQueryError, match="twice"):
        Query().top(5).param("$top", "6")


def test_filter_objects_are_plain_values() -> None:
    assert Filter("a eq 1") == F.eq("a", 1)
    assert hash(F.eq("a", 1)) == hash(Filter("a eq 1"))
