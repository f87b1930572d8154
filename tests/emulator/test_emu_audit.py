"""The audit log of the demo tenant: a realistic week, derived lazily, seven days kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from emu_support import client_for, make, walk

from b2c_tui.emulator import Emulator, ManualClock, create_emulator
from b2c_tui.emulator.clock import parse_iso
from b2c_tui.emulator.directory import audit_listing
from b2c_tui.emulator.directory.audit_history import AuditHistory

AUDITS = "/v1.0/auditLogs/directoryAudits"
GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


async def _all(emu: Emulator, query: str = "") -> list[dict[str, Any]]:
    async with client_for(emu) as client:
        return await walk(client, f"{AUDITS}?$top=999{query}")


@pytest.fixture(scope="module")
def week() -> tuple[Emulator, list[dict[str, Any]]]:
    """A default demo tenant (2,000 users) and every audit entry it serves."""
    import asyncio

    emu = make(users=2000)
    return emu, asyncio.run(_all(emu))


def test_a_week_worth_looking_at(week: tuple[Emulator, list[dict[str, Any]]]) -> None:
    emu, entries = week
    assert len(entries) == len(emu.store.audit_log) == 2000
    assert len({e["id"] for e in entries}) == len(entries)
    categories = {e["category"] for e in entries}
    assert {"Authentication", "Authorization", "Key", "Resource", "ApplicationManagement",
            "UserManagement"} <= categories
    failures = [e for e in entries if e["result"] == "failure"]
    assert 0.03 < len(failures) / len(entries) < 0.15
    assert all(e["resultReason"] for e in failures)
    assert len({e["activityDisplayName"] for e in failures}) >= 4
    by_user = [e for e in entries if e["initiatedBy"]["user"]]
    by_app = [e for e in entries if e["initiatedBy"]["app"]]
    assert by_user and by_app and len(by_user) + len(by_app) == len(entries)
    admins = {a["userPrincipalName"] for a in (emu.store.users.get(n) for n in range(3)) if a}
    assert admins & {e["initiatedBy"]["user"]["userPrincipalName"] for e in by_user}
    apps = {a["appId"] for a in emu.store.apps.apps.values()}
    assert {e["initiatedBy"]["app"]["appId"] for e in by_app} & apps
    changed = [p for e in entries for t in e["targetResources"] for p in t["modifiedProperties"]]
    assert any(p["oldValue"] and p["newValue"] and p["oldValue"] != p["newValue"] for p in changed)
    assert all(GUID.match(e["correlationId"]) for e in entries)
    sign_ins = [e for e in entries if e["activityDisplayName"].startswith("Issue an")]
    details = {d["key"] for e in sign_ins for d in e["additionalDetails"]}
    assert {"PolicyId", "ApplicationId", "TenantId"} <= details
    stamps = [e["activityDateTime"] for e in entries]
    assert stamps == sorted(stamps, reverse=True)  # newest first
    now = emu.clock()
    assert now - timedelta(days=7) <= parse_iso(stamps[-1]) < parse_iso(stamps[0]) <= now


async def test_the_same_seed_gives_the_same_log() -> None:
    first = await _all(make(users=300, audit_entries=400, seed=5))
    again = await _all(make(users=300, audit_entries=400, seed=5))
    other = await _all(make(users=300, audit_entries=400, seed=6))
    assert first == again
    assert [e["id"] for e in first] != [e["id"] for e in other]


async def test_entries_are_built_only_when_read(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    real = AuditHistory.entry

    def counting(self: AuditHistory, k: int) -> dict[str, Any]:
        built.append(k)
        return real(self, k)

    monkeypatch.setattr(AuditHistory, "entry", counting)
    emu = make(users=1000, audit_entries=250_000)
    assert built == [] and len(emu.store.audit_log) == 250_000
    async with client_for(emu) as client:
        page = (await client.get(f"{AUDITS}?$top=10")).json()
    assert len(page["value"]) == 10 and "@odata.nextLink" in page
    assert len(built) <= 11


async def test_seven_days_are_kept_on_the_tenants_clock(clock: ManualClock) -> None:
    emu = create_emulator(clock=clock, users=200, audit_entries=700, throttling=False)
    oldest = (await _all(emu))[-1]
    async with client_for(emu) as client:
        made = await client.post("/v1.0/applications", json={"displayName": "Kept a week"})
        assert made.status_code == 201
    clock.advance(days=3)
    served = await _all(emu)
    assert len(served) == len(emu.store.audit_log) < 701
    assert all(parse_iso(e["activityDateTime"]) >= clock() - timedelta(days=7) for e in served)
    assert served[0]["activityDisplayName"] == "Add application"
    async with client_for(emu) as client:
        gone = await client.get(f"{AUDITS}/{oldest['id']}")
        assert gone.status_code == 404
        newest = served[0]["id"]
        assert (await client.get(f"{AUDITS}/{newest}")).status_code == 200
        clock.advance(days=7, seconds=1)
        assert (await client.get(f"{AUDITS}/{newest}")).status_code == 404
    assert await _all(emu) == [] and len(emu.store.audit_log) == 0


FILTERS: dict[str, Callable[[dict[str, Any]], bool]] = {
    "category eq 'Key'": lambda e: e["category"] == "Key",
    "result eq 'failure'": lambda e: e["result"] == "failure",
    "activityDisplayName eq 'Add user'": lambda e: e["activityDisplayName"] == "Add user",
    "startswith(activityDisplayName,'Issue an')":
        lambda e: e["activityDisplayName"].startswith("Issue an"),
    "category eq 'Authentication' and result eq 'failure'":
        lambda e: e["category"] == "Authentication" and e["result"] == "failure",
    "activityDateTime ge 2025-01-13T00:00:00Z and activityDateTime le 2025-01-14T12:00:00Z":
        lambda e: "2025-01-13T00:00:00" <= e["activityDateTime"] <= "2025-01-14T12:00:00.0000000Z",
    "result eq 'failure' and activityDateTime ge 2025-01-14T09:30:00Z":
        lambda e: e["result"] == "failure" and e["activityDateTime"] >= "2025-01-14T09:30:00",
    "loggedByService eq 'Self-service Password Management'":
        lambda e: e["loggedByService"] == "Self-service Password Management",
}


@pytest.mark.parametrize("expr", list(FILTERS))
async def test_filters_answer_what_a_scan_of_the_week_finds(
    week: tuple[Emulator, list[dict[str, Any]]], expr: str
) -> None:
    emu, entries = week
    expected = [e["id"] for e in entries if FILTERS[expr](e)]
    got = await _all(emu, f"&$filter={expr}&$select=id")
    assert [e["id"] for e in got] == expected and expected


async def test_initiator_filters(week: tuple[Emulator, list[dict[str, Any]]]) -> None:
    emu, entries = week
    user = next(e["initiatedBy"]["user"]["id"] for e in entries if e["initiatedBy"]["user"])
    app = next(e["initiatedBy"]["app"]["appId"] for e in entries if e["initiatedBy"]["app"])
    by_user = await _all(emu, f"&$filter=initiatedBy/user/id eq '{user}'")
    by_app = await _all(emu, f"&$filter=initiatedBy/app/appId eq '{app}'&$select=id")
    assert by_user == [e for e in entries if (e["initiatedBy"]["user"] or {}).get("id") == user]
    assert [e["id"] for e in by_app] == [
        e["id"] for e in entries if (e["initiatedBy"]["app"] or {}).get("appId") == app]


async def test_oldest_first_pages_cover_the_week_once(
    week: tuple[Emulator, list[dict[str, Any]]]
) -> None:
    emu, entries = week
    async with client_for(emu) as client:
        oldest_first = await walk(client, f"{AUDITS}?$orderby=activityDateTime asc&$top=333")
    assert oldest_first == entries[::-1]


async def test_a_filter_that_finds_nothing_pages_on_within_a_budget(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(audit_listing, "SCAN_BUDGET", 1_000)
    emu = make(users=100, audit_entries=5_000)
    pages = 0
    url: str | None = f"{AUDITS}?$filter=initiatedBy/user/id eq 'nobody'"
    async with client_for(emu) as client:
        while url:
            body = (await client.get(url)).json()
            assert body["value"] == []
            url = body.get("@odata.nextLink")
            pages += 1
    assert pages == 5  # 1,000 entries examined a page; the fifth reaches the end


def test_the_number_of_entries_is_an_option() -> None:
    assert len(make(users=50, audit_entries=12_345).store.audit_log) == 12_345
    assert len(make(users=50, audit_entries=0).store.audit_log) == 0
    assert len(make(users=0).store.audit_log) == 0
