"""Weekly time in heart-rate zones and the polarisation of running, measured or estimated from the average HR."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.analytics.zones import weekly_zones, zone_bounds, zone_of
from core.records import frame_from_rows

BOUNDS = zone_bounds(190.0)  # 95, 115.9, 134.9, 153.9, 172.9 bpm (Dreeve's 50/61/71/81/91 %)


def runs(*rows: dict) -> pd.DataFrame:
    return frame_from_rows("run", [{"start_time_utc": f"{r['start_time_local']}Z", **r} for r in rows])


def measured(key: str, week: str, seconds: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"key": key, "week": pd.Timestamp(week), "zone": range(1, 6), "seconds": seconds})


@pytest.mark.parametrize("bpm,zone", [(60.0, 1), (95.0, 1), (115.8, 1), (115.9, 2), (150.0, 3), (153.9, 4),
                                      (172.9, 5), (230.0, 5), (float("nan"), 0)])
def test_a_heart_rate_falls_in_the_zone_whose_lower_bound_it_reaches(bpm, zone):
    """Zone 1 also takes anything below it, zone 5 anything above; an unknown HR has no zone."""
    assert BOUNDS.tolist() == pytest.approx([95.0, 115.9, 134.9, 153.9, 172.9])
    assert zone_of([bpm], BOUNDS).tolist() == [zone]


def test_weekly_zones_add_measured_runs_and_estimate_the_others_from_their_average():
    """Run A measured; run B (no zones) whole in the zone of its 150 bpm average, counted as estimated; C not twice."""
    table = runs({"key": "A", "start_time_local": "2026-03-03T07:00:00", "moving_time_s": 3000.0,
                  "average_heartrate_bpm": 140.0},
                 {"key": "B", "start_time_local": "2026-03-05T07:00:00", "moving_time_s": 1800.0,
                  "average_heartrate_bpm": 150.0},
                 {"key": "C", "start_time_local": "2026-03-10T07:00:00", "moving_time_s": 600.0,
                  "average_heartrate_bpm": None})
    zones = weekly_zones(measured("A", "2026-03-02", [600.0, 1800.0, 300.0, 200.0, 100.0]), table, BOUNDS)
    week = zones.loc["2026-03-02"]
    assert week[[f"zone_{z}_s" for z in range(1, 6)]].tolist() == [600.0, 1800.0, 2100.0, 200.0, 100.0]
    assert (week.total_s, week.estimated_s) == (4800.0, 1800.0)
    assert (week.low, week.moderate, week.high) == pytest.approx((2400 / 4800, 2100 / 4800, 300 / 4800))
    assert zones.index.tolist() == [pd.Timestamp("2026-03-02")], "a run without any HR has no zone time"


def test_a_week_without_heart_rate_has_no_shares_and_no_input_is_an_empty_table():
    """Shares are NaN for a week with zero seconds (not 0 %), and nothing at all gives an empty typed frame."""
    zones = weekly_zones(measured("A", "2026-03-02", [0.0] * 5), runs(), BOUNDS)
    assert np.isnan(zones.low.iloc[0]) and zones.total_s.iloc[0] == 0.0
    empty = weekly_zones(measured("A", "2026-03-02", [0.0] * 5).iloc[0:0], runs(), BOUNDS)
    assert empty.empty and {"low", "moderate", "high", "zone_5_s"} <= set(empty.columns)
