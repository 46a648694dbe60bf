"""Overview analytics: the last two runs (a missing climb stays missing) and period changes."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics import overview as ov
from core.records import frame_from_rows


def runs(rows):
    """Runs from (utc start, km, minutes, climb m or None) tuples."""
    return frame_from_rows("run", [
        {"start_time_utc": t, "start_time_local": t.rstrip("Z"), "name": f"r{i}", "distance_m": km * 1000,
         "moving_time_s": minutes * 60, "elevation_gain_m": climb, "source": "t", "key": f"k{i}"}
        for i, (t, km, minutes, climb) in enumerate(rows)])


@pytest.mark.parametrize("rows,last,previous", [
    ([("2026-03-01T07:00:00Z", 8, 40, 50.0), ("2026-03-03T07:00:00Z", 10, 50, None)], (10_000, None), (8_000, 50.0)),
    ([("2026-03-01T07:00:00Z", 8, 40, 0.0)], (8_000, 0.0), None),  # a flat run climbs a real 0 m
    ([], None, None),
])
def test_last_two_runs_keep_a_missing_climb_missing(rows, last, previous):
    """The latest run and the one before; an unrecorded elevation gain is None, not 0 m."""
    got = ov.last_two_runs(runs(rows))
    as_pairs = [None if r is None else (r.distance_m, r.elevation_gain_m) for r in got]
    assert as_pairs == [last, previous]


@pytest.mark.parametrize("days,expected", [(7, -0.7), (30, None)])
def test_change_needs_data_in_both_windows(days, expected):
    """14 daily weigh-ins falling 0.1 kg a day: -0.7 kg over a week, 'not enough data' over a month."""
    start = pd.Timestamp("2026-03-01T06:00:00Z")
    body = frame_from_rows("body", [
        {"time_utc": (start + pd.Timedelta(days=i)).isoformat(), "local_date": f"2026-03-{i + 1:02d}",
         "weight_kg": 80.0 - 0.1 * i, "source": "t", "key": f"k{i}"} for i in range(14)])
    change = ov.change_over(body, "weight_kg", days)
    assert change == (None if expected is None else pytest.approx(expected))
