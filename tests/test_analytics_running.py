"""Running analytics with hand-computed expectations: local weeks, travel, records, comparisons."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics import running as ra
from core.records import frame_from_rows


def runs(rows):
    """Runs from (utc start, local start, km, minutes, climb m) tuples."""
    out = []
    for i, (utc, local, km, minutes, climb) in enumerate(rows):
        out.append({"start_time_utc": utc, "start_time_local": local, "timezone": "Europe/Paris", "name": f"r{i}",
                    "sport_type": "Run", "distance_m": km * 1000, "moving_time_s": minutes * 60,
                    "elevation_gain_m": climb, "average_speed_mps": km * 1000 / (minutes * 60),
                    "average_heartrate_bpm": 150.0, "source": "t", "key": f"k{i}"})
    return frame_from_rows("run", out)


def test_a_late_run_abroad_counts_on_its_local_day_and_week():
    """Sunday 23:30 in New York is Monday 04:30 UTC: it belongs to the local Sunday's week."""
    frame = runs([("2026-03-09T04:30:00Z", "2026-03-08T23:30:00", 10, 50, 20),
                  ("2026-03-09T17:00:00Z", "2026-03-09T18:00:00", 5, 25, 10)])
    totals = ra.period_totals(frame, "week")
    assert totals.index.tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-09")]
    assert totals.distance_m.tolist() == [10_000, 5_000]


def test_period_average_speed_is_total_distance_over_total_time():
    """10 km in 50 min and 5 km in 30 min: 15 km / 80 min, not the mean of the two speeds."""
    frame = runs([("2026-03-02T07:00:00Z", "2026-03-02T08:00:00", 10, 50, 0),
                  ("2026-03-04T07:00:00Z", "2026-03-04T08:00:00", 5, 30, 0)])
    week = ra.period_totals(frame, "week").iloc[0]
    assert week.runs == 2 and week.average_speed_mps == pytest.approx(15_000 / 4800)
    assert ra.period_totals(frame, "month").index.tolist() == [pd.Timestamp("2026-03-01")]


def test_records_by_minimum_distance():
    """Fastest average pace counts only runs of at least the record distance."""
    frame = runs([("2026-03-02T07:00:00Z", "2026-03-02T08:00:00", 5, 20, 0),     # 4:00/km
                  ("2026-03-03T07:00:00Z", "2026-03-03T08:00:00", 10.2, 51, 0),  # 5:00/km
                  ("2026-03-04T07:00:00Z", "2026-03-04T08:00:00", 22, 121, 0)])  # 5:30/km
    recs = ra.records(frame).set_index("record")
    assert recs.loc["Longest run", "distance_m"] == 22_000
    assert recs.loc["Fastest average pace, 5 km or more", "key"] == "k0"
    assert recs.loc["Fastest average pace, 10 km or more", "key"] == "k1"
    assert recs.loc["Fastest average pace, Half marathon or more", "key"] == "k2"


def test_last_run_compared_with_previous_and_similar_distance():
    """The last 10 km is compared with the run before and the mean of other ~10 km runs."""
    frame = runs([("2026-03-01T07:00:00Z", "2026-03-01T08:00:00", 10.4, 52, 0),
                  ("2026-03-02T07:00:00Z", "2026-03-02T08:00:00", 5, 25, 0),
                  ("2026-03-03T07:00:00Z", "2026-03-03T08:00:00", 9.6, 48, 0),
                  ("2026-03-05T07:00:00Z", "2026-03-05T08:00:00", 10, 45, 0)])
    table = ra.compare_last(frame)
    assert table.index.tolist() == ["last run", "previous run", "similar distance (mean of 2)"]
    assert table.loc["previous run", "distance_m"] == 9_600
    assert table.loc["similar distance (mean of 2)", "distance_m"] == pytest.approx(10_000)


def test_empty_range_gives_empty_results():
    """No runs: empty totals, no records, nothing to compare."""
    empty = runs([])
    assert ra.period_totals(empty).empty and ra.records(empty).empty and ra.compare_last(empty).empty
