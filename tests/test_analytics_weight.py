"""Weight analytics on small literal frames with hand-computed expectations."""

from __future__ import annotations

import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from core.analytics import weight as wa
from tests.builders import weigh_ins

D = pd.Timestamp


def dated(values: dict[str, float], name=None) -> pd.Series:
    """A float series indexed by the given dates."""
    index = pd.DatetimeIndex([D(d) for d in values], name="local_date")
    return pd.Series(list(values.values()), index=index, dtype="float64", name=name)


@pytest.mark.parametrize("rows,expected", [
    # A morning 80.0 and an evening 81.2 on one day: the day's value is the morning one.
    ([("2026-03-02T19:00:00Z", "2026-03-02", 81.2), ("2026-03-02T06:30:00Z", "2026-03-02", 80.0),
      ("2026-03-03T06:40:00Z", "2026-03-03", 79.8)], {"2026-03-02": 80.0, "2026-03-03": 79.8}),
    # Sydney, DST ends 5 April 2026: 07:00 AEDT on the 4th is 20:00 UTC on the 3rd, an evening 21:00 is
    # 10:00 UTC on the 4th, and 07:00 AEST on the 5th is 21:00 UTC on the 4th. UTC days would give 3rd/4th.
    ([("2026-04-03T20:00:00Z", "2026-04-04", 80.0), ("2026-04-04T10:00:00Z", "2026-04-04", 81.0),
      ("2026-04-04T21:00:00Z", "2026-04-05", 79.0)], {"2026-04-04": 80.0, "2026-04-05": 79.0}),
    # Paris, DST starts 29 March 2026: 00:30 CET on the 29th is 23:30 UTC on the 28th, 00:30 CEST on the
    # 30th is 22:30 UTC on the 29th.
    ([("2026-03-28T23:30:00Z", "2026-03-29", 80.0), ("2026-03-29T22:30:00Z", "2026-03-30", 79.5)],
     {"2026-03-29": 80.0, "2026-03-30": 79.5}),
])
def test_the_day_is_the_local_date_and_its_first_weigh_in(rows, expected):
    """Each local day's value is its first weigh-in, even when the UTC date differs (DST, time zones)."""
    actual = wa.daily_first(weigh_ins(rows), "weight_kg")
    assert_series_equal(actual.round(6), dated(expected, "weight_kg"))


def test_pounds_on_the_scale_are_analysed_in_kg(store):
    """A Withings export in lb, read as the import reads it, gives its day's value in kg: 176.37 lb is 80.0 kg."""
    from core.records import BODY
    from core.sources.files import import_file

    import_file(store, b"Date,Weight (lb)\n2026-03-02 06:30:00,176.3698097\n", "weight.csv")
    actual = wa.daily_first(store.read(BODY), "weight_kg")
    assert_series_equal(actual.round(6), dated({"2026-03-02": 80.0}, "weight_kg"))


def test_rolling_mean_is_over_days_not_samples():
    """With irregular sampling, a 7-day window averages only the values of the last 7 days."""
    daily = dated({"2026-01-01": 80.0, "2026-01-05": 82.0, "2026-01-10": 84.0})
    assert wa.rolling_mean(daily, 7).tolist() == [80.0, 81.0, 83.0]


@pytest.mark.parametrize("values,expected", [
    ({"2026-01-01": 80.0, "2026-01-02": 82.0, "2026-01-03": 79.0}, [80.0, 80.2, 80.08]),
    # Irregular days: a day without a weigh-in leaves the trend where it was.
    ({"2026-01-01": 80.0, "2026-01-09": 90.0}, [80.0, 81.0]),
    ({"2026-01-01": 80.0}, [80.0]),
])
def test_hackers_diet_trend_moves_ten_percent_per_weigh_in(values, expected):
    """Trend starts at the first value, then moves 10% of the gap at each day with a weigh-in."""
    assert wa.ewma_trend(dated(values)).round(6).tolist() == expected


@pytest.mark.parametrize("trend,expected", [
    # Sun, Mon, Sun, Mon: weeks of 23 Feb, 2 Mar and 9 Mar end at 80.0, 79.0 and 78.8.
    ({"2026-03-01": 80.0, "2026-03-02": 79.5, "2026-03-08": 79.0, "2026-03-09": 78.8},
     {"2026-03-02": -1.0, "2026-03-09": -0.2}),
    # The week of 9 March has no weigh-in: the week of 16 March gets no change (it would be two weeks').
    ({"2026-03-02": 80.0, "2026-03-08": 79.6, "2026-03-18": 79.0, "2026-03-26": 78.9}, {"2026-03-23": -0.1}),
    ({"2026-03-02": 80.0, "2026-03-05": 79.0}, {}),
    ({}, {}),
])
def test_weekly_change_only_between_consecutive_monday_to_sunday_weeks(trend, expected):
    """Trend at the end of each local week minus the previous week's end, indexed by Monday."""
    change = wa.weekly_change(dated(trend))
    assert {d.strftime("%Y-%m-%d"): round(v, 6) for d, v in change.items()} == expected


@pytest.mark.parametrize("daily,expected", [
    ({f"2026-01-{d:02d}": 80 - 0.1 * (d - 1) for d in range(1, 15)}, -0.7),
    # Irregular sampling, every other day, +0.05 kg a day: +0.35 kg a week.
    ({f"2026-01-{d:02d}": 80 + 0.05 * (d - 1) for d in range(1, 15, 2)}, 0.35),
    # Falling for a month, then flat for the last 14 days: only the last 14 days count.
    ({**{f"2026-01-{d:02d}": 90 - 0.3 * d for d in range(1, 17)},
      **{f"2026-01-{d:02d}": 80.0 for d in range(17, 31)}}, 0.0),
    ({"2026-01-01": 80.0, "2026-01-02": 80.0, "2026-01-03": 80.0}, None),
    ({}, None),
])
def test_weekly_rate_is_a_14_day_regression_slope_per_week(daily, expected):
    """The least-squares slope of the last 14 days' values, x 7; None with fewer than 4 values."""
    rate = wa.weekly_rate(dated(daily))
    assert rate == (None if expected is None else pytest.approx(expected, abs=1e-9))
    rolling = wa.rolling_rate(dated(daily))  # the same slope for every day at once (the forecast's prior trend)
    last = float(rolling.iloc[-1]) if len(rolling) else float("nan")
    assert (last != last) if expected is None else last == pytest.approx(expected, abs=1e-9)


def test_rolling_rate_is_the_weekly_rate_of_each_days_last_14_days():
    """At every day with a weigh-in, the rolling slope equals weekly_rate of the data up to that day."""
    values = {f"2026-01-{d:02d}": 80 + 0.1 * d + (0.4 if d % 3 else -0.3) for d in range(1, 32) if d % 5}
    daily, rolling = dated(values), wa.rolling_rate(dated(values))
    for day in daily.index:
        expected = wa.weekly_rate(daily[daily.index <= day])
        assert (rolling[day] != rolling[day]) if expected is None else rolling[day] == pytest.approx(expected)


@pytest.mark.parametrize("column,limit", [("weight_kg", 2.0), ("fat_mass_kg", 2.0), ("lean_mass_kg", 2.0),
                                          ("muscle_mass_kg", 2.0), ("fat_ratio_pct", 3.0)])
def test_misweigh_limit_per_metric(column, limit):
    """Masses are flagged 2 kg off the trend, the noisier fat ratio 3 percentage points off."""
    assert wa.misweigh_limit(column) == limit


@pytest.mark.parametrize("column,values,flagged,gaps", [
    # 80.0, 80.3 -> trend 80.03; 83.0 is 2.97 above it; 79.9 is 0.43 below the next trend (80.327).
    ("weight_kg", [80.0, 80.3, 83.0, 79.9], [83.0], [2.97]),
    ("weight_kg", [80.0, 82.0], [], []),  # exactly 2 kg away is not "more than"
    ("weight_kg", [80.0, 77.5], [77.5], [-2.5]),
    ("fat_ratio_pct", [20.0, 22.5], [], []),  # 2.5 pt: within the ratio's 3 pt
    ("fat_ratio_pct", [20.0, 23.5], [23.5], [3.5]),
])
def test_misweigh_is_flagged_against_the_previous_days_trend(column, values, flagged, gaps):
    """A value further than the metric's limit from the previous day's trend is flagged with its gap."""
    rows = [(f"2026-01-0{i}T06:00:00Z", f"2026-01-0{i}", w) for i, w in enumerate(values, 1)]
    out = wa.flag_misweighs(weigh_ins(rows, column), column)
    assert out[column].tolist() == flagged and out.gap.round(3).tolist() == gaps


@pytest.mark.parametrize("rows", [[], [("2026-01-01T06:00:00Z", "2026-01-01", 80.0)]])
def test_empty_and_single_point(rows):
    """No data or one weigh-in: no change, no rate, no flag, and no error."""
    frame = weigh_ins(rows)
    trend = wa.trend_series(frame)
    assert len(trend) == len(rows)
    assert wa.weekly_change(trend).empty and wa.weekly_rate(wa.daily_first(frame, "weight_kg")) is None
    assert wa.flag_misweighs(frame).empty


@pytest.mark.parametrize("start,end,count", [("2026-01-02", "2026-01-04", 3), (None, "2026-01-02", 2),
                                             ("2026-01-05", None, 1), ("2026-02-01", "2026-02-28", 0)])
def test_in_range_is_inclusive_on_local_dates(start, end, count):
    """The range keeps weigh-ins on its first and last local days; an empty range keeps none."""
    rows = [(f"2026-01-0{i}T06:00:00Z", f"2026-01-0{i}", 80.0) for i in range(1, 6)]
    bound = (None if start is None else D(start), None if end is None else D(end))
    assert len(wa.in_range(weigh_ins(rows), *bound)) == count


def test_metric_view_keeps_everything_within_the_budget():
    """Under the point budget, every weigh-in is drawn on its local date and the lines stay daily."""
    frame = weigh_ins([("2026-04-03T20:00:00Z", "2026-04-04", 80.0), ("2026-04-04T21:00:00Z", "2026-04-05", 79.0)])
    daily = wa.daily_first(frame, "weight_kg")
    view = wa.metric_view(frame, "weight_kg", daily, daily, wa.flag_misweighs(frame))
    assert not view.weekly and view.points.index.tolist() == [D("2026-04-04"), D("2026-04-05")]


def test_metric_view_over_budget_draws_weekly_medians_and_weekly_samples():
    """Over the budget, points become each week's median (on its Thursday), lines each week's last value."""
    frame = weigh_ins([("2026-03-02T06:00:00Z", "2026-03-02", 80.0), ("2026-03-03T06:00:00Z", "2026-03-03", 81.0),
                  ("2026-03-04T06:00:00Z", "2026-03-04", 79.0), ("2026-03-04T19:00:00Z", "2026-03-04", 82.0),
                  ("2026-03-09T06:00:00Z", "2026-03-09", 78.0)])
    line = dated({"2026-03-02": 1.0, "2026-03-04": 2.0, "2026-03-09": 3.0})
    view = wa.metric_view(frame, "weight_kg", line, line, wa.flag_misweighs(frame), budget=5)
    assert view.weekly
    assert_series_equal(view.points, dated({"2026-03-05": 80.5, "2026-03-12": 78.0}, "weight_kg"))
    assert_series_equal(view.trend, dated({"2026-03-04": 2.0, "2026-03-09": 3.0}))
