"""Running analytics with hand-computed expectations: local weeks, travel, records, comparisons, routes."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analytics import running as ra
from core.records import frame_from_rows

D = pd.Timestamp
# 23:30 on Sunday 8 March in New York is 04:30 UTC on Monday 9 March.
ABROAD = ("2026-03-09T04:30:00Z", "2026-03-08T23:30:00", 10, 50, 20)
HOME = ("2026-03-09T17:00:00Z", "2026-03-09T18:00:00", 5, 25, 10)


def runs(rows):
    """Runs from (utc start, local start, km, minutes, climb m) tuples."""
    out = []
    for i, (utc, local, km, minutes, climb) in enumerate(rows):
        out.append({"start_time_utc": utc, "start_time_local": local, "timezone": "Europe/Paris", "name": f"r{i}",
                    "sport_type": "Run", "distance_m": km * 1000, "moving_time_s": minutes * 60,
                    "elevation_gain_m": climb, "average_speed_mps": km * 1000 / (minutes * 60),
                    "average_heartrate_bpm": 150.0, "source": "t", "key": f"k{i}"})
    return frame_from_rows("run", out)


def on(day: str, km: float, minutes: float = 50, climb: float = 0):
    """A run at 08:00 local (07:00 UTC) on a day."""
    return (f"{day}T07:00:00Z", f"{day}T08:00:00", km, minutes, climb)


@pytest.mark.parametrize("period,rows,index,distances", [
    ("week", [ABROAD, HOME], ["2026-03-02", "2026-03-09"], [10_000, 5_000]),  # the late run stays on Sunday
    ("month", [("2026-04-01T03:30:00Z", "2026-03-31T23:30:00", 8, 40, 0), on("2026-04-02", 6)],
     ["2026-03-01", "2026-04-01"], [8_000, 6_000]),  # 31 March in New York is April in UTC
    ("week", [on("2026-03-04", 7)], ["2026-03-02"], [7_000]),  # a single run
    ("week", [], [], []),
])
def test_totals_are_per_local_week_or_month(period, rows, index, distances):
    """A run counts on its local start date: a late run abroad stays in its local week and month."""
    totals = ra.period_totals(runs(rows), period)
    assert totals.index.tolist() == [D(d) for d in index] and totals.distance_m.tolist() == distances


def test_period_average_speed_is_total_distance_over_total_time():
    """10 km in 50 min and 5 km in 30 min: 15 km / 80 min, not the mean of the two speeds."""
    frame = runs([on("2026-03-02", 10, 50), on("2026-03-04", 5, 30)])
    week = ra.period_totals(frame, "week").iloc[0]
    assert week.runs == 2 and week.average_speed_mps == pytest.approx(15_000 / 4800)


@pytest.mark.parametrize("rows,expected", [
    ([on("2026-03-02", 10, 50), on("2026-03-04", 5, 30)],
     {"runs": 2, "distance_m": 15_000, "moving_time_s": 4_800, "average_speed_mps": 15_000 / 4_800}),
    ([on("2026-03-02", 12, 60)], {"runs": 1, "distance_m": 12_000, "moving_time_s": 3_600,
                                  "average_speed_mps": 12_000 / 3_600}),
])
def test_range_summary_sums_and_speed(rows, expected):
    """The page's headline numbers: count, sums, and total distance over total moving time."""
    assert ra.range_summary(runs(rows)) == pytest.approx(expected)


def test_range_summary_of_no_runs_has_no_speed():
    """No runs: zero totals and an unknown (NaN) speed, never a division error."""
    summary = ra.range_summary(runs([]))
    assert summary["runs"] == 0 and summary["distance_m"] == 0 and math.isnan(summary["average_speed_mps"])


@pytest.mark.parametrize("start,end,kept", [
    ("2026-03-08", "2026-03-08", ["k0"]),  # the New York run is on Sunday although UTC says Monday
    ("2026-03-09", "2026-03-09", ["k1"]),
    ("2026-03-08", "2026-03-09", ["k0", "k1"]),
    (None, None, ["k0", "k1"]),
    ("2026-03-10", "2026-03-31", []),
])
def test_in_range_uses_the_local_start_date(start, end, kept):
    """The range is inclusive on local start dates."""
    frame = runs([ABROAD, HOME])
    bound = (None if start is None else D(start), None if end is None else D(end))
    assert ra.in_range(frame, *bound).key.tolist() == kept


@pytest.mark.parametrize("rows,expected", [
    ([on("2026-03-02", 5, 20), on("2026-03-03", 10.2, 51), on("2026-03-04", 22, 121)],  # 4:00, 5:00, 5:30/km
     {"Longest run": "k2", "Fastest average pace, 5 km or more": "k0",
      "Fastest average pace, 10 km or more": "k1", "Fastest average pace, Half marathon or more": "k2"}),
    ([on("2026-03-02", 4.9, 15), on("2026-03-03", 6, 30)],  # the 3:04/km 4.9 km is no 5 km record
     {"Longest run": "k1", "Fastest average pace, 5 km or more": "k1"}),
    ([on("2026-03-02", 3, 15)], {"Longest run": "k0"}),
    ([], {}),
])
def test_records_by_minimum_distance(rows, expected):
    """Longest run, and the fastest average pace among runs of at least each record distance."""
    recs = ra.records(runs(rows))
    assert dict(zip(recs.record, recs.key, strict=True)) == expected


@pytest.mark.parametrize("km,missing", [
    ([22, 5], []),
    ([21.0975], []),  # exactly a half marathon counts
    ([21.09, 10], ["Half marathon"]),
    ([9.99, 4], ["10 km", "Half marathon"]),
    ([4.9], ["5 km", "10 km", "Half marathon"]),
    ([], ["5 km", "10 km", "Half marathon"]),
])
def test_records_not_reached_are_the_distances_no_run_covers(km, missing):
    """A record distance is missing exactly when no run is at least that long."""
    frame = runs([on(f"2026-03-0{i + 1}", d, 60) for i, d in enumerate(km)])
    assert ra.records_not_reached(frame) == missing
    assert len(ra.records(frame)) == (1 if km else 0) + 3 - len(missing)  # the table and the list agree


@pytest.mark.parametrize("km,similar", [(9.0, True), (8.9, False), (11.0, True), (11.1, False), (10.0, True)])
def test_similar_runs_are_within_ten_percent(km, similar):
    """A run is 'similar' to a 10 km run when within 9-11 km; the run itself is never its own match."""
    frame = runs([on("2026-03-02", 10), on("2026-03-03", km)])
    assert ra.similar_runs(frame, frame.iloc[0]).key.tolist() == (["k1"] if similar else [])


def test_last_run_compared_with_previous_and_similar_distance():
    """The last 10 km is compared with the run before and the mean of other ~10 km runs."""
    frame = runs([on("2026-03-01", 10.4, 52), on("2026-03-02", 5, 25), on("2026-03-03", 9.6, 48),
                  on("2026-03-05", 10, 45)])
    table = ra.compare_last(frame)
    assert table.index.tolist() == ["last run", "previous run", "similar distance (mean of 2)"]
    assert table.loc["previous run", "distance_m"] == 9_600
    assert table.loc["similar distance (mean of 2)", "distance_m"] == pytest.approx(10_000)
    assert table.loc["similar distance (mean of 2)", "average_speed_mps"] == pytest.approx(20_000 / 6_000)


def test_a_single_run_is_compared_with_nothing():
    """One run: only the 'last run' row, with its own speed."""
    table = ra.compare_last(runs([on("2026-03-02", 10, 50)]))
    assert table.index.tolist() == ["last run"] and table.loc["last run", "average_speed_mps"] == 10_000 / 3_000


def test_empty_range_gives_empty_results():
    """No runs: empty totals, no records, nothing to compare."""
    empty = runs([])
    assert ra.period_totals(empty).empty and ra.records(empty).empty and ra.compare_last(empty).empty


R = ra.EARTH_RADIUS_M


@pytest.mark.parametrize("coords,east,north", [
    # At 60 degrees north a degree of longitude is half a degree of latitude: 0.01 deg lon = 556 m east.
    ([(60.0, 0.0), (60.0, 0.01)], [0.0, R * math.radians(0.01) * 0.5], [0.0, 0.0]),
    ([(60.0, 0.0), (60.01, 0.0)], [0.0, 0.0], [0.0, R * math.radians(0.01)]),
    # West and south of the start are negative.
    ([(0.0, 0.0), (0.0, -0.01), (-0.01, -0.01)],
     [0.0, -R * math.radians(0.01), -R * math.radians(0.01)], [0.0, 0.0, -R * math.radians(0.01)]),
    ([], [], []),
])
def test_route_offsets_are_local_east_north_metres(coords, east, north):
    """Longitude differences shrink by cos(latitude), so a route keeps its real shape."""
    offsets = ra.route_offsets(coords)
    assert offsets.east_m.tolist() == pytest.approx(east, abs=0.01)
    assert offsets.north_m.tolist() == pytest.approx(north, abs=0.01)
