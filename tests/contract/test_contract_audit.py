"""Contract: directory audit logs (v1.0), paged without prefetch."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from b2c_tui.graph import UnsupportedQueryError
from b2c_tui.graph.query import F, Query

from .harness import Recorder, documented_body, make_client, replay

COVERS = ["directoryaudit-get", "directoryaudit-list"]

USER = "00000000-0000-0000-0000-000000000000"


def sent_query(request: httpx.Request) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(str(request.url)).query))


async def test_list_audits() -> None:
    r = await replay("directoryaudit-list", lambda c: c.audit.list().collect())
    assert r.result == documented_body("directoryaudit-list", 0)["value"]


async def test_list_audits_by_initiating_user() -> None:
    r = await replay("directoryaudit-list",
                     lambda c: c.audit.list(initiated_by_user_id=USER).collect(), 1)
    assert r.result == documented_body("directoryaudit-list", 1)["value"]


async def test_list_audits_with_a_query_object() -> None:
    query = Query("directoryAudits").filter(F.eq("initiatedBy/user/id", USER))
    r = await replay("directoryaudit-list", lambda c: c.audit.list(query).collect(), 1)
    assert r.result[0]["id"].startswith("SSGM_")


async def test_get_audit_returns_what_graph_sends() -> None:
    """The docs' sample wraps the entity in ``value`` (a docs bug); the record comes back as
    Graph sent it."""
    r = await replay("directoryaudit-get", lambda c: c.audit.get("{id}"))
    assert r.result == documented_body("directoryaudit-get")


async def test_audit_paging_does_not_prefetch() -> None:
    """Audit reads are throttled at 5 per 10 s: the next page is asked for only on demand."""
    recorder = Recorder(
        httpx.Response(200, json={"value": [{"id": "1"}],
                                  "@odata.nextLink": "https://graph.microsoft.com/v1.0/"
                                                     "auditLogs/directoryAudits?$skiptoken=x"}),
        httpx.Response(200, json={"value": [{"id": "2"}]}),
    )
    async with make_client(recorder) as client:
        pages = client.audit.list(top=1)
        first = await pages.__anext__()
        for _ in range(5):
            await asyncio.sleep(0)
        assert first.items == [{"id": "1"}] and len(recorder.requests) == 1
        second = await pages.__anext__()
        assert second.items == [{"id": "2"}] and len(recorder.requests) == 2
        await pages.aclose()
    assert sent_query(recorder.requests[1]) == {"$skiptoken": "x"}


async def test_time_window_and_category_filter() -> None:
    recorder = Recorder(httpx.Response(200, json={"value": []}))
    async with make_client(recorder) as client:
        await client.audit.list(
            since=datetime(2024, 1, 1, tzinfo=UTC), until=date(2024, 1, 31),
            category="UserManagement", logged_by_service="B2C", newest_first=True,
            select=["id", "activityDateTime"], top=50,
        ).collect()
    assert sent_query(recorder.requests[0]) == {
        "$select": "id,activityDateTime",
        "$filter": "activityDateTime ge 2024-01-01T00:00:00Z and activityDateTime le 2024-01-31"
                   " and category eq 'UserManagement' and loggedByService eq 'B2C'",
        "$orderby": "activityDateTime desc",
        "$top": "50",
    }


async def test_keyword_filters_join_a_query_filter() -> None:
    recorder = Recorder(httpx.Response(200, json={"value": []}))
    async with make_client(recorder) as client:
        await client.audit.list({"$filter": "result eq 'failure'"}, target_id="t-1").collect()
    assert sent_query(recorder.requests[0])["$filter"] == (
        "(result eq 'failure') and targetResources/any(t:t/id eq 't-1')")


@pytest.mark.parametrize("params", [{"$count": "true"}, {"$search": '"displayName:x"'},
                                    {"$filter": "category ne 'x'"}])
async def test_b2c_refusals_apply_to_audit_queries(params: dict[str, str]) -> None:
    recorder = Recorder()
    async with make_client(recorder) as client:
        with pytest.raises(UnsupportedQueryError):
            client.audit.list(params)
    assert recorder.requests == []
