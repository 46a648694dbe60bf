"""Weight analytics on small literal frames with hand-computed expectations."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from core.analytics import weight as wa
from core.records import frame_from_rows


def body(rows):
    """Weigh-ins from (utc time, local date, kg) tuples."""
    return frame_from_rows("body", [{"time_utc": t, "local_date": d, "weight_kg": w, "source": "t", "key": f"k{i}"}
                                    for i, (t, d, w) in enumerate(rows)])


D = pd.Timestamp


def test_two_weigh_ins_a_day_use_the_first():
    """A morning 80.0 and an evening 81.2 on one day: the day's value is 80.0."""
    frame = body([("2026-03-02T19:00:00Z", "2026-03-02", 81.2), ("2026-03-02T06:30:00Z", "2026-03-02", 80.0),
                  ("2026-03-03T06:40:00Z", "2026-03-03", 79.8)])
    expected = pd.Series([80.0, 79.8], index=pd.DatetimeIndex([D("2026-03-02"), D("2026-03-03")], name="local_date"),
                         name="weight_kg")
    assert_series_equal(wa.daily_first(frame, "weight_kg"), expected)


def test_local_date_decides_the_day_across_a_dst_change():
    """Weigh-ins at 06:30 Paris time either side of the spring DST change stay on their local days."""
    frame = body([("2026-03-28T05:30:00Z", "2026-03-28", 80.0), ("2026-03-29T04:30:00Z", "2026-03-29", 79.0)])
    assert wa.daily_first(frame, "weight_kg").index.tolist() == [D("2026-03-28"), D("2026-03-29")]


def test_rolling_mean_is_over_days_not_samples():
    """With irregular sampling, a 7-day window averages only the values of the last 7 days."""
    daily = pd.Series([80.0, 82.0, 84.0], index=pd.DatetimeIndex([D("2026-01-01"), D("2026-01-05"), D("2026-01-10")]))
    assert wa.rolling_mean(daily, 7).tolist() == [80.0, 81.0, 83.0]


def test_hackers_diet_trend_moves_ten_percent_per_weigh_in():
    """Trend starts at the first value, then moves 10% of the gap: 80, 80.2, 80.08."""
    daily = pd.Series([80.0, 82.0, 79.0], index=pd.date_range("2026-01-01", periods=3))
    assert wa.ewma_trend(daily).round(6).tolist() == [80.0, 80.2, 80.08]


def test_weekly_change_uses_monday_to_sunday_weeks():
    """Trend at the end of each local week minus the previous week's end, indexed by Monday."""
    trend = pd.Series([80.0, 79.5, 79.0, 78.8], index=pd.DatetimeIndex(
        [D("2026-03-01"), D("2026-03-02"), D("2026-03-08"), D("2026-03-09")]))  # Sun, Mon, Sun, Mon
    change = wa.weekly_change(trend)
    assert change.index.tolist() == [D("2026-03-02"), D("2026-03-09")]
    assert change.round(6).tolist() == [-1.0, -0.2]


def test_weekly_rate_is_a_regression_slope_per_week():
    """Values falling 0.1 kg a day give -0.7 kg per week; too few values give None."""
    daily = pd.Series([80 - 0.1 * i for i in range(14)], index=pd.date_range("2026-01-01", periods=14))
    assert wa.weekly_rate(daily) == pytest.approx(-0.7)
    assert wa.weekly_rate(daily.iloc[:3]) is None
    assert wa.weekly_rate(pd.Series(dtype="float64")) is None


def test_misweigh_is_flagged_against_the_previous_days_trend():
    """A 83.0 among ~80.0 weigh-ins is flagged with its gap; normal noise is not."""
    rows = [(f"2026-01-0{i}T06:00:00Z", f"2026-01-0{i}", w) for i, w in enumerate([80.0, 80.3, 83.0, 79.9], 1)]
    flagged = wa.flag_misweighs(body(rows))
    assert flagged.weight_kg.tolist() == [83.0]
    assert flagged.gap.round(3).tolist() == [round(83.0 - 80.03, 3)]


@pytest.mark.parametrize("rows", [[], [("2026-01-01T06:00:00Z", "2026-01-01", 80.0)]])
def test_empty_and_single_point(rows):
    """No data or one weigh-in: no change, no rate, no flag, and no error."""
    frame = body(rows)
    trend = wa.trend_series(frame)
    assert len(trend) == len(rows)
    assert wa.weekly_change(trend).empty and wa.weekly_rate(wa.daily_first(frame, "weight_kg")) is None
    assert wa.flag_misweighs(frame).empty


def test_in_range_is_inclusive_on_local_dates():
    """The range keeps weigh-ins on its first and last local days."""
    rows = [(f"2026-01-0{i}T06:00:00Z", f"2026-01-0{i}", 80.0) for i in range(1, 6)]
    assert len(wa.in_range(body(rows), D("2026-01-02"), D("2026-01-04"))) == 3
