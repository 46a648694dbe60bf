"""Freshness caption, staleness, next scheduled sync and the Data page's per-source table."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core.analytics.freshness import freshness, next_scheduled
from core.store.base import SyncState
from core.views.data import freshness_caption, source_status
from core.views.format import humanize_age
from tests.builders import STATUS_NOW as NOW


@pytest.mark.parametrize("age,text", [(timedelta(seconds=20), "just now"), (timedelta(minutes=5), "5 min ago"),
                                      (timedelta(hours=2, minutes=59), "2 h ago"), (timedelta(days=3), "3 days ago")])
def test_humanized_ages(age, text):
    """Ages read like a person would say them."""
    assert humanize_age(age) == text


def test_freshness_uses_the_newest_success_and_flags_twice_the_interval():
    """The newest success across sources counts; older than 2 x interval is stale."""
    states = [SyncState("strava", last_success=NOW - timedelta(hours=7)),
              SyncState("withings", last_success=NOW - timedelta(hours=5)), SyncState("sheets")]
    fresh = freshness(states, NOW, interval_h=3)
    assert freshness_caption(fresh) == "synced 5 h ago" and not fresh.stale
    assert freshness(states, NOW, interval_h=2).stale
    assert freshness_caption(freshness([SyncState("sheets")], NOW, 3)) == "never synced"


def test_one_source_failing_is_named_even_while_another_syncs():
    """An active source whose last success is older than 2 x interval, or that never succeeded, is lagging."""
    states = [SyncState("strava", last_success=NOW - timedelta(days=3), last_attempt=NOW),
              SyncState("withings", last_success=NOW - timedelta(hours=1)),
              SyncState("sheets", last_attempt=NOW),  # tried, never succeeded
              SyncState("demo", last_success=NOW - timedelta(days=90))]  # no longer active: ignored
    fresh = freshness(states, NOW, interval_h=3, active=("strava", "withings", "sheets"))
    assert not fresh.stale and fresh.lagging == ("sheets", "strava")
    assert freshness(states, NOW, 3).lagging == ()


def test_next_scheduled_follows_the_cron_hours():
    """Every 3 hours on UTC hours 0, 3, 6, ...: at 13:20 the next run is 15:00."""
    assert next_scheduled(NOW, 3) == datetime(2026, 11, 24, 15, tzinfo=UTC)
    assert next_scheduled(datetime(2026, 11, 24, 23, 5, tzinfo=UTC), 3) == datetime(2026, 11, 25, tzinfo=UTC)


def test_source_status_lists_every_source_with_its_error_and_counts():
    """Every real source appears, configured or not, with last error, action and rows per kind."""
    states = [SyncState("strava", last_success=NOW - timedelta(hours=1), last_error="strava: rate limited",
                        last_error_action="wait"), SyncState("demo", last_success=NOW)]
    table = source_status(states, {("run", "strava"): 12, ("body", "demo"): 3}, ["strava", "demo"], NOW)
    assert table.source.tolist() == ["withings", "strava", "sheets", "demo"]
    strava = table.set_index("source").loc["strava"]
    assert strava["configured"] == "yes" and strava["run rows"] == 12 and strava["what to do"] == "wait"
    assert strava["last success"] == "24 Nov 2026 12:20 UTC (1 h ago)"
    assert table.set_index("source").loc["withings", "last success"] == "never"
