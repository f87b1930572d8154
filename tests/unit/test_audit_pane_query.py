"""The audit pane's filter language: parsing, what Graph answers, what is left to the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from b2c_tui.graph.errors import ValidationError
from b2c_tui.tui.panes.audit.query import AuditQuery

NOW = datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_parses_keys_quotes_and_free_words() -> None:
    query = AuditQuery.parse('cat:key result:FAILURE activity:"Add user" since:24h '
                             "policy:B2C_1A_x app:abc mallory words", NOW)
    assert query.canonical_category == "Key"
    assert query.activity == "Add user" and query.policy == "B2C_1A_x" and query.app == "abc"
    assert query.words == "mallory words"
    assert query.bounds(NOW) == (NOW - timedelta(hours=24), None)
    again = AuditQuery.parse(query.to_text(), NOW)
    assert again == query
    assert 'activity:\'Add user\'' in query.to_text()


def test_dates_mean_whole_days_and_times_are_utc() -> None:
    query = AuditQuery.parse("since:2026-10-30 until:2026-10-31", NOW)
    since, until = query.bounds(NOW)
    assert since == datetime(2026, 10, 30, tzinfo=UTC)
    assert until == datetime(2026, 10, 31, 23, 59, 59, 999999, tzinfo=UTC)
    zoned = AuditQuery.parse("since:2026-10-31T10:00+02:00", NOW).bounds(NOW)[0]
    assert zoned == datetime(2026, 10, 31, 8, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "says"), [
    ("catgory:Key", "catgory: is not a filter"),
    ('activity:"Add user', "quote is not closed"),
    ("since:yesterday", "since:yesterday is not an age"),
    ("result:maybe", "result:maybe is not one of"),
    ("since:1d until:7d", "since: is after until:"),
    ("policy:", "policy: needs a value"),
])
def test_what_cannot_mean_anything_says_why(text: str, says: str) -> None:
    with pytest.raises(ValidationError) as raised:
        AuditQuery.parse(text, NOW)
    assert says in str(raised.value)


def test_text_with_a_colon_that_is_no_key_is_free_text() -> None:
    query = AuditQuery.parse("AADB2C90118: 12:30", NOW)
    assert query.words == "AADB2C90118: 12:30"


def test_graph_answers_what_it_can_and_the_rest_is_said_plainly() -> None:
    query = AuditQuery.parse("category:Key result:failure since:1h by:ada@contoso.example "
                             "target:t1 correlation:c1 activity:Add", NOW)
    assert query.graph_filters(NOW) == {
        "since": NOW - timedelta(hours=1), "category": "Key", "result": "failure",
        "activity_prefix": "Add", "target_id": "t1", "correlation_id": "c1",
        "initiated_by_upn": "ada@contoso.example"}
    assert query.local_only() == []
    local = AuditQuery.parse("policy:B2C_1A_x app:a1 by:Ada words", NOW)
    assert local.graph_filters(NOW) == {}
    assert local.local_only() == ["initiator name", "policy id", "application id", "text"]
    guid = AuditQuery.parse("by:aaaaaaaa-0000-4000-8000-000000000001", NOW)
    assert guid.local_only() == ["initiator id (a user's or an app's)"]


def test_the_archive_gets_the_whole_filter() -> None:
    query = AuditQuery.parse("category:authorization policy:B2C_1A_x app:a1 by:Ada text",
                             NOW)
    where = query.archive_filter(NOW)
    assert (where.category, where.policy_id, where.application_id, where.initiated_by,
            where.text) == ("Authorization", "B2C_1A_x", "a1", "Ada", "text")


def test_quick_filters_replace_or_remove_one_part() -> None:
    query = AuditQuery.parse("category:Key policy:p", NOW)
    assert query.with_(category="Resource").to_text() == "category:Resource policy:p"
    assert query.with_(policy=None).to_text() == "category:Key"
    assert AuditQuery().empty and not query.empty
