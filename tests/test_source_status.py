"""The Data page's per-source 'next sync': the schedule, a rate limit's reset, or a fix a person must make."""

from __future__ import annotations

from core.store.base import SyncState
from core.views.data import next_sync, postponed_text, source_status
from tests.builders import STATUS_NOW as NOW


def test_next_sync_differs_per_source():
    """Every 3 h: a healthy source at 15:00, a rate-limited one after its reset, one needing re-auth never."""
    states = [SyncState("withings", last_success=NOW),
              SyncState("strava", last_error="strava: rate limited", details={
                  "error_kind": "RateLimited", "retry_at": "2026-11-25T00:00:00+00:00"}),
              SyncState("sheets", last_error="refused", details={"error_kind": "AuthExpired"})]
    table = source_status(states, {}, ["withings", "strava", "sheets"], NOW, 3).set_index("source")["next sync"]
    assert table["withings"] == "Tue 15:00 UTC"
    assert table["strava"] == "Wed 00:00 UTC (rate limited until 00:00)"
    assert table["sheets"] == "after the fix under 'what to do'"


def test_unconfigured_source_has_no_next_sync_and_a_past_limit_is_ignored():
    """A source without settings is not scheduled; a retry time already passed does not delay the next run."""
    old_limit = SyncState("strava", details={"retry_at": "2026-11-24T12:15:00+00:00"})
    assert next_sync(None, False, NOW, 3) == "not configured"
    assert next_sync(old_limit, True, NOW, 3) == "Tue 15:00 UTC"


def test_postponed_removals_read_as_a_sentence():
    """Postponed deletions are counted in words; none gives no sentence."""
    assert postponed_text(SyncState("sheets", details={"postponed_removals": 2})) == (
        "2 removals postponed until the quarantined rows are fixed")
    assert postponed_text(SyncState("sheets")) is None


def test_a_source_not_set_up_to_sync_but_holding_rows_says_where_they_came_from():
    """An imported training log ('csv') is not configured yet holds rows: the row says why, and no sync is due."""
    from core.views.data import IMPORTED_ONLY, source_status

    table = source_status([], {("set", "csv"): 14}, configured=("demo",), now=NOW, interval_h=3).set_index("source")
    assert table.loc["csv", "configured"] == IMPORTED_ONLY == "no: rows from imports or earlier syncs"
    assert table.loc["csv", "set rows"] == 14 and table.loc["csv", "next sync"] == "not configured"
    assert table.loc["strava", "configured"] == "no"  # nothing stored: plainly not configured


def test_only_the_hosted_store_or_a_set_interval_counts_as_a_schedule():
    """SQLite alone syncs on Refresh or `make sync`; the hosted store (the workflow) or a set interval is scheduled."""
    from dataclasses import replace

    from core.config import build_settings
    from core.views.data import schedule_text

    laptop = build_settings({}, {})
    assert not laptop.scheduled and schedule_text(laptop).startswith("No scheduled sync on this machine")
    assert replace(laptop, store_backend="dynamodb").scheduled
    assert build_settings({"sync": {"interval_hours": 6}}, {}).scheduled
    assert schedule_text(build_settings({"sync": {"interval_hours": 6}}, {})).startswith("Scheduled sync every 6 h")
