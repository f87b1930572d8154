"""What the tenant dashboard asks Graph and makes of it: quota levels, counts without $count,
each health finding on a demo tenant arranged to show it."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

import pytest

from b2c_tui.tui.panes.tenant.checks import (
    COUNTS,
    ERROR,
    OK,
    WARNING,
    audit_failures,
    count_objects,
    credential_findings,
    extensions_app_finding,
    key_findings,
    purge_findings,
    quota_level,
)
from tests.helpers.pilot import FIXED_NOW, demo_connection


@pytest.mark.parametrize(("used", "total", "level"), [
    (0, 50_000, "ok"), (39_999, 50_000, "ok"), (40_000, 50_000, "warning"),
    (44_999, 50_000, "warning"), (45_000, 50_000, "alert"), (50_000, 50_000, "full"),
    (10, 0, "ok"),
])
def test_quota_levels_are_microsofts(used: int, total: int, level: str) -> None:
    assert quota_level(used, total) == level


class Recorder:
    """Wraps the core: records each GET it is asked for."""

    def __init__(self, core: Any) -> None:
        self.core, self.urls = core, []

    def url(self, *args: Any, **kwargs: Any) -> str:
        return str(self.core.url(*args, **kwargs))

    async def request(self, method: str, url: str, **kwargs: Any) -> Any:
        self.urls.append(url)
        return await self.core.request(method, url, **kwargs)


async def test_users_are_counted_a_page_at_a_time_without_count() -> None:
    connection = demo_connection(2500)
    client = connection.client
    recorder = Recorder(client.core)
    seen: list[tuple[int, bool]] = []
    users = next(s for s in COUNTS if s.key == "users")
    total = await count_objects(recorder, users, lambda n, done: seen.append((n, done)))  # type: ignore[arg-type]
    listed = await client.users.list(select=["id"]).collect()
    assert total == len(listed) > 1998
    assert seen == [(999, False), (1998, False), (total, True)]
    assert all("count" not in u and "select=id" in u for u in recorder.urls)
    assert "$top=999" in recorder.urls[0] and len(recorder.urls) == 3


async def test_every_kind_is_counted_as_graph_lists_it() -> None:
    client = demo_connection(50).client
    expected = {
        "applications": len(await client.applications.list().collect()),
        "policies": len(await client.policies.list().collect()),
        "keysets": len(await client.keysets.list().collect()),
        "identity_providers": len(await client.identity_providers.list().collect()),
        "user_flows": len(await client.b2c_user_flows.list().collect()),
    }
    for source in COUNTS:
        if source.key in expected:
            got = await count_objects(client.core, source, lambda n, done: None)
            assert got == expected[source.key] > 0, source.key


async def test_keys_expired_and_expiring_within_30_days() -> None:
    found = await key_findings(demo_connection(20).client, FIXED_NOW)
    assert {f.pane for f in found} == {"keysets"}
    texts = " ".join(f.text for f in found)
    assert "expires in 7 day(s)" in texts and "expires in 25 day(s)" in texts
    assert "expired on" in texts and any(f.severity == ERROR for f in found)


async def test_application_secrets_and_certificates_expiring() -> None:
    found = await credential_findings(demo_connection(20, health_findings=True).client,
                                      FIXED_NOW)
    lines = [(f.severity, f.text) for f in found]
    assert (ERROR, "Contoso Mobile: secret 'Production secret' expired 5 day(s) ago "
                   "(2026-10-27).") in lines
    assert (WARNING, "Contoso Web: secret 'Production secret' expires in 12 day(s) "
                     "(2026-11-13).") in lines
    assert any("Contoso API: certificate" in t and "20 day(s)" in t for _, t in lines)
    plain = await credential_findings(demo_connection(20).client, FIXED_NOW)
    assert [f.severity for f in plain] == [OK]


async def test_audit_failures_of_the_last_day_by_activity() -> None:
    client = demo_connection(300).client
    found = await audit_failures(client, FIXED_NOW)
    every = await client.audit.list(top=999).collect()
    since = FIXED_NOW - timedelta(hours=24)
    expected = Counter(e["activityDisplayName"] for e in every if e["result"] == "failure"
                       and e["activityDateTime"] >= since.strftime("%Y-%m-%dT%H:%M:%S"))
    assert expected, "the demo tenant has failures in its last day"
    head, *lines = found
    assert f"{sum(expected.values()):,} failures" in head.text
    assert {f.text for f in lines} == {f"  {n:,} × {a}" for a, n in expected.items()}
    assert all(f.pane == "audit" and "result:failure since:24h" in f.filter for f in found)


async def test_the_extensions_app_present_or_missing() -> None:
    [present] = await extensions_app_finding(demo_connection(20).client, FIXED_NOW)
    assert present.severity == OK and "present" in present.text
    [missing] = await extensions_app_finding(
        demo_connection(20, extensions_app=False).client, FIXED_NOW)
    assert missing.severity == ERROR and "missing" in missing.text
    assert missing.pane == "applications"


async def test_deleted_users_purged_within_a_week() -> None:
    client = demo_connection(300).client
    found = await purge_findings(client, FIXED_NOW)
    deleted = await client.deleted_items.list("user").collect()
    assert len(deleted) > len(found) >= 1
    assert all(f.pane == "deleted" and "purged for good in" in f.text for f in found)
    later = await purge_findings(client, FIXED_NOW - timedelta(days=20))
    assert [f.severity for f in later] == [OK]
