"""Figure builders: traces, axis titles with units, and the empty-figure case."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics import weight as wa
from core.polyline import encode_polyline
from core.records import frame_from_rows
from core.units import IMPERIAL, METRIC
from core.views.charts.base import empty_figure
from core.views.charts.crossfit import e1rm_figure, reps_load_figure, reps_session_figure, volume_figure
from core.views.charts.forecast import Panel, forecast_figure
from core.views.charts.overview import weight_overview_figure
from core.views.charts.running import TOTAL_LABELS, route_figure, speed_elevation_figure, totals_figure
from core.views.charts.weight import body_metric_figure, composition_figure, weekly_change_figure


def is_empty_figure(fig) -> bool:
    return not fig.data and bool(fig.layout.annotations)


def test_body_metric_figure_plots_on_local_dates_and_converts_units():
    """Points, N-day mean, trend and mis-weighs on local dates; values in the display unit; axis names the unit."""
    frame = frame_from_rows("body", [  # 07:00 in Sydney: the UTC date is the day before
        {"time_utc": "2026-01-01T20:00:00Z", "local_date": "2026-01-02", "weight_kg": 80.0, "key": "a"},
        {"time_utc": "2026-01-02T20:00:00Z", "local_date": "2026-01-03", "weight_kg": 83.0, "key": "b"}])
    daily = wa.daily_first(frame, "weight_kg")
    view = wa.metric_view(frame, "weight_kg", daily, daily, frame.iloc[1:])
    fig = body_metric_figure(view, "weight_kg", IMPERIAL, 7)
    assert [t.name for t in fig.data] == ["measurement", "7-day mean", "trend", "probable mis-weigh"]
    assert [pd.Timestamp(x) for x in fig.data[0].x] == [pd.Timestamp("2026-01-02"), pd.Timestamp("2026-01-03")]
    assert [pd.Timestamp(x) for x in fig.data[3].x] == [pd.Timestamp("2026-01-03")]
    assert round(fig.data[0].y[0], 2) == 176.37 and round(fig.data[3].y[0], 2) == 182.98
    assert fig.layout.yaxis.title.text == "lb" and fig.layout.xaxis.title.text == "local date"
    assert fig.layout.title.text == "Weight (lb)"
    empty = wa.metric_view(frame.iloc[0:0], "weight_kg", daily.iloc[0:0], daily.iloc[0:0], frame.iloc[0:0])
    assert is_empty_figure(body_metric_figure(empty, "weight_kg", METRIC, 7))


def test_weekly_and_composition_figures():
    """Weekly bars coloured by sign; fat and lean on two axes; a ratio's change in points in any units; empty inputs
    say so."""
    changes = pd.Series([-0.3, 0.2], index=pd.to_datetime(["2026-01-05", "2026-01-12"]))
    fig = weekly_change_figure(changes, "weight_kg", METRIC)
    assert [(t.name, t.marker.color, list(t.y)) for t in fig.data] == [("down", "seagreen", [-0.3]),
                                                                        ("up", "indianred", [0.2])]
    assert fig.layout.yaxis.title.text == "kg per week" and fig.layout.xaxis.title.text == "week (Monday)"
    ratio = weekly_change_figure(changes, "fat_ratio_pct", IMPERIAL)
    assert ratio.layout.yaxis.title.text == "pt per week" and list(ratio.data[0].y) == [-0.3]
    comp = composition_figure(changes, changes, IMPERIAL)
    assert [t.name for t in comp.data] == ["fat mass", "lean mass"] and comp.data[1].yaxis == "y2"
    assert comp.layout.yaxis.title.text == "fat mass (lb)" and round(comp.data[0].y[0], 3) == -0.661
    assert is_empty_figure(weekly_change_figure(changes.iloc[0:0], "weight_kg", METRIC))
    assert is_empty_figure(composition_figure(changes.iloc[0:0], changes.iloc[0:0], METRIC))


@pytest.mark.parametrize("column,units,value,axis", [
    ("distance_m", METRIC, 10.0, "km"), ("distance_m", IMPERIAL, 6.214, "mi"),
    ("moving_time_s", METRIC, 0.833, "h"), ("elevation_gain_m", IMPERIAL, 120.0, "m"),
    ("average_speed_mps", METRIC, 12.0, "km/h"), ("average_speed_mps", IMPERIAL, 7.456, "mi/h"),
    ("runs", METRIC, 2.0, "runs"),
])
def test_totals_figure_in_display_units(column, units, value, axis):
    """Each weekly total is drawn in the display unit and its axis names that unit; no runs says so."""
    totals = pd.DataFrame({"distance_m": [10_000.0], "moving_time_s": [3_000.0], "elevation_gain_m": [120.0],
                           "average_speed_mps": [10_000 / 3_000], "runs": [2.0]}, index=pd.to_datetime(["2026-01-05"]))
    fig = totals_figure(totals, column, "week", units)
    assert round(fig.data[0].y[0], 3) == value and fig.layout.yaxis.title.text == axis
    assert is_empty_figure(totals_figure(totals.iloc[0:0], column, "week", units))


def test_speed_elevation_scatter():
    """Average speed in km/h or mph against elevation gain in metres; no runs says so."""
    runs = pd.DataFrame({"elevation_gain_m": [100.0], "average_speed_mps": [3.0], "distance_m": [10_000.0],
                         "start_time_local": pd.to_datetime(["2026-01-01"]), "name": ["r"]})
    scatter = speed_elevation_figure(runs, METRIC)
    assert scatter.data[0].y[0] == 10.8 and scatter.layout.xaxis.title.text == "elevation gain (m)"
    assert scatter.layout.yaxis.title.text == "km/h"
    assert round(speed_elevation_figure(runs, IMPERIAL).data[0].y[0], 3) == 6.711
    assert is_empty_figure(speed_elevation_figure(runs.iloc[0:0], METRIC))


@pytest.mark.parametrize("units,east,axis", [(METRIC, 0.556, "km"), (IMPERIAL, 0.345, "mi")])
def test_route_is_drawn_in_east_north_distance_on_equal_scales(units, east, axis):
    """At 60 N, 0.01 deg of longitude is 0.556 km east (not 1.11): start and finish marked, axes in km or mi."""
    route = route_figure(encode_polyline([(60.0, 0.0), (60.0, 0.01), (60.01, 0.01)]), "run", units)
    assert [t.name for t in route.data] == ["route", "start", "finish"]
    assert round(route.data[0].x[1], 3) == east and round(route.data[2].x[0], 3) == east
    assert route.data[1].x[0] == 0.0 and route.layout.yaxis.scaleanchor == "x" and route.layout.yaxis.scaleratio == 1
    assert route.layout.xaxis.title.text == f"east of the start ({axis})"
    assert route.layout.yaxis.title.text == f"north of the start ({axis})"
    assert is_empty_figure(route_figure("", "run", units)) and is_empty_figure(route_figure(None, "run", units))


@pytest.mark.parametrize("units,x,axis", [(METRIC, 100.0, "kg"), (IMPERIAL, 220.462, "lb")])
def test_reps_load_figure_in_display_units(units, x, axis):
    """Each set at its load in kg or lb against its reps; no sets says so."""
    sets = pd.DataFrame({"load_kg": [100.0], "reps": [5.0]})
    fig = reps_load_figure(sets, "Squat", units)
    assert round(fig.data[0].x[0], 3) == x and fig.data[0].y[0] == 5.0
    assert fig.layout.xaxis.title.text == f"load ({axis})" and fig.layout.yaxis.title.text == "reps"
    assert is_empty_figure(reps_load_figure(sets.iloc[0:0], "Squat", units))


def test_bodyweight_load_axis_says_body_weight_plus_added_load():
    """Pull-ups are drawn at body weight + added load; with no weighed day the empty figure says why."""
    sets = pd.DataFrame({"load_kg": [0.0], "effective_load_kg": [80.0], "reps": [8.0]})
    fig = reps_load_figure(sets, "Pull-up", METRIC, "effective_load_kg")
    assert fig.data[0].x[0] == 80.0 and fig.layout.xaxis.title.text == "body weight + added load (kg)"
    empty = reps_load_figure(sets.iloc[0:0], "Pull-up", METRIC, "effective_load_kg")
    assert is_empty_figure(empty) and empty.layout.annotations[0].text == "No set on a day with a weigh-in"


def test_reps_session_figure():
    """Reps per session as bars and the best set as a line, on a reps axis; no sets says so."""
    sessions = pd.DataFrame({"reps": [14.0, 9.0], "max_set_reps": [8.0, 9.0]},
                            index=pd.to_datetime(["2026-03-02", "2026-03-04"]))
    fig = reps_session_figure(sessions, "Pull-up")
    assert [t.name for t in fig.data] == ["reps in the session", "most reps in one set"]
    assert list(fig.data[0].y) == [14.0, 9.0] and fig.layout.yaxis.title.text == "reps"
    assert is_empty_figure(reps_session_figure(sessions.iloc[0:0], "Pull-up"))


@pytest.mark.parametrize("units,axis", [(METRIC, "kg"), (IMPERIAL, "lb")])
def test_e1rm_and_volume_figures(units, axis):
    """e1RM with hollow high-rep markers and volume with sessions, in kg or lb; empty states."""
    e1rm = pd.DataFrame({"session_date": pd.to_datetime(["2026-01-01", "2026-01-03"]), "epley_kg": [116.0, 98.0],
                         "brzycki_kg": [112.0, 99.0], "low_confidence": [False, True]})
    fig = e1rm_figure(e1rm, "Squat", units)
    assert [t.name for t in fig.data] == ["Epley", "Brzycki"] and fig.layout.yaxis.title.text == axis
    assert list(fig.data[0].marker.symbol) == ["circle", "circle-open"]
    assert fig.data[0].y[0] == pytest.approx(116.0 * units.kg_factor)
    volume = pd.DataFrame({"volume_kg": [1000.0], "sessions": [3.0]}, index=pd.to_datetime(["2026-01-05"]))
    vol = volume_figure(volume, units)
    assert vol.data[1].name == "sessions" and vol.layout.yaxis.title.text == f"volume ({axis})"
    assert is_empty_figure(e1rm_figure(e1rm.iloc[0:0], "Squat", units))
    assert is_empty_figure(volume_figure(volume.iloc[0:0], units))


def test_overview_weight_figure_keeps_the_last_90_days():
    """The Overview chart shows 90 days of daily means and their 7-day mean."""
    daily = pd.Series(range(200), index=pd.date_range("2026-01-01", periods=200), dtype="float64")
    fig = weight_overview_figure(daily, METRIC)
    assert len(fig.data[0].x) == 90 and fig.data[1].name == "7-day mean"
    assert is_empty_figure(weight_overview_figure(daily.iloc[0:0], METRIC))


@pytest.fixture(scope="module")
def ten_years():
    """Ten years of demo body, run and set frames, built straight from the demo source."""
    from datetime import UTC, datetime, timedelta

    from core.sources.demo import DemoSource

    source = DemoSource(7, lambda: datetime(2026, 11, 20, 12, tzinfo=UTC), history=timedelta(days=3653))
    rows = {"body": [], "run": [], "set": []}
    for record in source.fetch(None):
        rows[record.kind].append({**record.fields, "source": record.source, "key": record.key})
    return {kind: frame_from_rows(kind, found) for kind, found in rows.items()}


def point_count(fig) -> int:
    """Markers, bars and line vertices the browser has to draw."""
    return sum(len(trace.x) for trace in fig.data if trace.x is not None)


def weight_figures(body):
    """Every Weight- and Overview-page chart over the whole history, built as the pages build them."""
    for column, label in wa.METRICS.items():
        daily = wa.daily_first(body, column)
        trend = wa.ewma_trend(daily)
        view = wa.metric_view(body.dropna(subset=[column]), column, wa.rolling_mean(daily, 7), trend,
                              wa.flag_misweighs(body, column))
        yield label, body_metric_figure(view, column, METRIC, 7)
        yield f"{label} weekly", weekly_change_figure(wa.weekly_change(trend), column, METRIC)
    (fat, lean), _ = wa.fit_lines([wa.trend_series(body, "fat_mass_kg"), wa.trend_series(body, "lean_mass_kg")])
    yield "composition", composition_figure(fat, lean, METRIC)
    yield "overview", weight_overview_figure(body.groupby("local_date").weight_kg.mean(), METRIC)


def running_figures(runs):
    """Every Running-page chart over the whole history."""
    from core.analytics import running as ra

    for period in ra.PERIODS:
        for column in TOTAL_LABELS:
            yield f"{column} per {period}", totals_figure(ra.period_totals(runs, period), column, period, METRIC)
    yield "scatter", speed_elevation_figure(runs, METRIC)
    yield "route", route_figure(runs.loc[runs.distance_m.idxmax()].summary_polyline, "longest", METRIC)


def training_figures(sets, body):
    """Every CrossFit-page chart for every exercise over the whole history."""
    from core.analytics import strength as sa

    for exercise in sets.exercise.unique():
        chosen = sa.with_bodyweight(sets[sets.exercise == exercise], body)
        yield f"{exercise} scatter", reps_load_figure(chosen.dropna(subset=["effective_load_kg"]), exercise, METRIC,
                                                      "effective_load_kg")
        yield f"{exercise} e1RM", e1rm_figure(sa.e1rm_by_session(chosen), exercise, METRIC)
        yield f"{exercise} reps", reps_session_figure(sa.reps_by_session(chosen), exercise)
    yield "volume", volume_figure(sa.weekly_volume(sets), METRIC)


def test_no_chart_draws_more_than_5000_points_over_ten_years(ten_years):
    """On a 10-year history every chart of every page stays within the 5,000-point budget."""
    body, runs, sets = ten_years["body"], ten_years["run"], ten_years["set"]
    assert len(body) > 2_500 and len(runs) > 1_000 and len(sets) > 10_000  # the history is really long
    figures = [*weight_figures(body), *running_figures(runs), *training_figures(sets, body)]
    over = {name: point_count(fig) for name, fig in figures if point_count(fig) > wa.CHART_BUDGET}
    assert over == {}


def test_long_weight_range_is_drawn_weekly_and_says_so(ten_years):
    """Ten years of weigh-ins are drawn as weekly medians and weekly lines, named so in the legend."""
    body = ten_years["body"]
    daily = wa.daily_first(body, "weight_kg")
    view = wa.metric_view(body, "weight_kg", wa.rolling_mean(daily, 7), wa.ewma_trend(daily),
                          wa.flag_misweighs(body))
    fig = body_metric_figure(view, "weight_kg", METRIC, 7)
    assert view.weekly and [t.name for t in fig.data][:3] == ["weekly median", "7-day mean (weekly)", "trend (weekly)"]
    assert len(view.points) == body.local_date.dt.to_period("W-SUN").nunique()


def test_every_chart_is_laid_out_once_with_fixed_margins(ten_years):
    """No axis lets plotly grow the margins after a first pass (which redraws the whole chart), and the legend
    sits above the plot, inside the fixed top margin, rather than below it where it pushes the margin."""
    body, runs, sets = ten_years["body"], ten_years["run"], ten_years["set"]
    history = wa.trend_series(body, "weight_kg").iloc[-100:]
    projection = pd.DataFrame({"week": [1, 2], "mean": [80.0, 79.5], "low": [79.0, 78.5], "high": [81.0, 80.5]})
    panel = Panel(history, {"plan": projection}, history.index.max(), "Weight", "kg", 1.0)
    figures = [*weight_figures(body), *running_figures(runs), *training_figures(sets, body),
               ("forecast", forecast_figure([panel, panel])),
               ("empty", empty_figure("nothing", "No data"))]
    for name, fig in figures:
        layout = fig.layout
        axes = [layout[key] for key in layout if key.startswith(("xaxis", "yaxis")) and layout[key] is not None]
        assert axes and all(axis.automargin is False for axis in axes), name
        assert layout.margin.l >= 60 and layout.margin.b >= 50 and layout.margin.t >= 60, name
        assert layout.legend.yanchor == "bottom" and layout.legend.y >= 1, name
        if any(axis.overlaying for axis in axes):
            assert layout.margin.r >= 60, f"{name}: room for the right-hand axis"
