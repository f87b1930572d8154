"""limit, filter and select: what the facade asks Graph for, and what it refuses up front."""

from __future__ import annotations

import pytest

from b2c_tui.graph.errors import UnsupportedQueryError
from b2c_tui.graph.query import F

from .support import recorded_tenant


def test_a_small_limit_is_one_request_for_no_more_than_it_needs() -> None:
    tenant, recorder, _ = recorded_tenant(2100)
    with tenant:
        users = tenant.users(limit=7, extensions=False)
    assert len(users) == 7
    lists = [r for r in recorder.requests if r.url.path.endswith("/users")]
    assert len(lists) == 1, recorder.paths()
    assert lists[0].url.params["$top"] == "7"


def test_a_limit_over_a_page_pages_and_stops() -> None:
    tenant, recorder, _ = recorded_tenant(2100)
    with tenant:
        users = tenant.users(limit=1200, extensions=False)
    assert len(users) == 1200 and users["id"].is_unique
    lists = [r for r in recorder.requests if "/users" in r.url.path]
    assert lists[0].url.params["$top"] == "999"
    assert len(lists) <= 3  # the second page, and at most one prefetched page cancelled


def test_no_limit_reads_every_page() -> None:
    tenant, _, emu = recorded_tenant(2100)
    with tenant:
        users = tenant.users(extensions=False)
    assert len(users) == emu.store.users.live_count()


def test_select_asks_graph_for_those_columns_only() -> None:
    tenant, recorder, _ = recorded_tenant(100)
    with tenant:
        users = tenant.users(select=["displayName", "city", "loyaltyNumber"], limit=5)
    assert list(users.columns) == ["id", "displayName", "city", "loyaltyNumber"]
    select = recorder.requests[-1].url.params["$select"].split(",")
    assert select[:3] == ["id", "displayName", "city"]
    assert select[3].startswith("extension_") and select[3].endswith("_loyaltyNumber")
    assert len(select) == 4


def test_filter_goes_through_the_b2c_query_builder() -> None:
    tenant, recorder, _ = recorded_tenant(300)
    with tenant:
        by_text = tenant.users(filter="startswith(displayName,'A')", extensions=False)
        by_builder = tenant.users(filter=F.startswith("displayName", "A"), extensions=False)
    assert len(by_text) and by_text["displayName"].str.upper().str.startswith("A").all()
    assert by_text["id"].tolist() == by_builder["id"].tolist()
    assert recorder.requests[-1].url.params["$filter"] == "startswith(displayName,'A')"


@pytest.mark.parametrize("expression", [
    "displayName ne 'x'", "not startswith(displayName,'A')", "endswith(mail,'.com')",
])
def test_refused_filters_raise_before_anything_is_sent(expression: str) -> None:
    tenant, recorder, _ = recorded_tenant(50)
    with tenant, pytest.raises(UnsupportedQueryError):
        tenant.users(filter=expression, extensions=False)
    assert recorder.requests == []


def test_a_family_graph_cannot_filter_refuses_a_filter() -> None:
    from b2c_tui.api.identity import IDENTITY_PROVIDERS

    columns = list(IDENTITY_PROVIDERS.columns)
    with pytest.raises(UnsupportedQueryError, match="filter the DataFrame"):
        IDENTITY_PROVIDERS.query(columns, "displayName eq 'Google'", None)
    assert IDENTITY_PROVIDERS.query(columns, None, None) == (None, True)


@pytest.mark.parametrize("limit", [0, -3, 1.5, True])
def test_a_bad_limit_is_refused(limit: object) -> None:
    tenant, recorder, _ = recorded_tenant(20)
    with tenant, pytest.raises(ValueError, match="limit"):
        tenant.applications(limit=limit)  # type: ignore[arg-type]
    assert recorder.requests == []
