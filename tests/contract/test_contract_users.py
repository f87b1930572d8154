"""Contract: users (list, get, create, update, delete) against the documented examples."""

from __future__ import annotations

import pytest

from b2c_tui.graph import UnsupportedQueryError
from b2c_tui.graph.query import F, Query

from .harness import documented_body, replay

COVERS = ["user-list", "user-get", "user-post-users", "user-update", "user-delete"]


async def test_list_users_returns_documented_records() -> None:
    r = await replay("user-list", lambda c: c.users.list(top=None).collect())
    assert r.result == documented_body("user-list", 0)["value"]


async def test_find_by_sign_in_name_sends_identities_filter() -> None:
    r = await replay(
        "user-list",
        lambda c: c.users.find_by_sign_in_name("My B2C tenant", "j.smith@yahoo.com",
                                               select=["displayName", "id"]),
        1,
    )
    assert r.result == [{"displayName": "John Smith", "id": "87d349ed-44d7-43e1-9a83-5f2406dee5bd"}]


@pytest.mark.parametrize("index", [2, 3, 4, 5, 6])
async def test_advanced_query_examples_are_refused_for_b2c(index: int) -> None:
    """The docs' $count/$search/endsWith examples are exactly what B2C cannot answer."""
    from .harness import example

    url = example("user-list", index)["request"]["url"]
    query = url.split("?", 1)[1] if "?" in url else "$count=true"
    with pytest.raises(UnsupportedQueryError):
        Query.parse(query).params() if "?" in url else Query().count()


async def test_select_extension_attribute() -> None:
    r = await replay(
        "user-list",
        lambda c: c.users.list(select=["ext55gb1l09_msLearnCourses"], top=None).collect(),
        8,
    )
    assert r.result == documented_body("user-list", 8)["value"]


async def test_get_user_by_id_and_with_select() -> None:
    r = await replay("user-get", lambda c: c.users.get("87d349ed-44d7-43e1-9a83-5f2406dee5bd"))
    assert r.result == documented_body("user-get", 0)
    r = await replay(
        "user-get",
        lambda c: c.users.get("87d349ed-44d7-43e1-9a83-5f2406dee5bd",
                              select=["displayName", "givenName", "postalCode", "identities"]),
        2,
    )
    assert r.result["identities"] == documented_body("user-get", 2)["identities"]


async def test_create_user_posts_documented_body() -> None:
    from .harness import example

    for index in (0, 1):
        body = example("user-post-users", index)["request"]["body"]
        r = await replay("user-post-users", lambda c, b=body: c.users.create(b), index)
        assert r.result == documented_body("user-post-users", index)


async def test_update_user_patches() -> None:
    from .harness import example

    for index in (1, 2):
        body = example("user-update", index)["request"]["body"]
        r = await replay("user-update", lambda c, b=body: c.users.update("{id}", b), index)
        assert r.result is None


async def test_delete_user() -> None:
    r = await replay("user-delete", lambda c: c.users.delete("{user-id}"))
    assert r.result is None
    assert r.request.method == "DELETE"


def test_identity_filter_requires_issuer() -> None:
    with pytest.raises((UnsupportedQueryError, ValueError)):
        F.identity(issuer="", issuer_assigned_id="x@y.com")
