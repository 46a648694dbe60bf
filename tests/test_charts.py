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
    assert fig.layout.yaxis.title.text == "kg / week" and fig.layout.xaxis.title.text == "week (Monday)"
    ratio = weekly_change_figure(changes, "fat_ratio_pct", IMPERIAL)
    assert ratio.layout.yaxis.title.text == "pt / week" and list(ratio.data[0].y) == [-0.3]
    comp = composition_figure(changes, changes, IMPERIAL)
    assert [t.name for t in comp.data] == ["fat mass (left axis)", "lean mass (right axis)"]
    assert comp.data[1].yaxis == "y2"
    assert comp.layout.yaxis.title.text == "fat mass (lb)" and round(comp.data[0].y[0], 3) == -0.661
    assert is_empty_figure(weekly_change_figure(changes.iloc[0:0], "weight_kg", METRIC))
    assert is_empty_figure(composition_figure(changes.iloc[0:0], changes.iloc[0:0], METRIC))


@pytest.mark.parametrize("column,units,value,axis", [
    ("distance_m", METRIC, 10.0, "km / week"), ("distance_m", IMPERIAL, 6.214, "mi / week"),
    ("moving_time_s", METRIC, 0.833, "h / week"), ("elevation_gain_m", METRIC, 120.0, "m / week"),
    ("elevation_gain_m", IMPERIAL, 393.701, "ft / week"),
    ("average_speed_mps", METRIC, 12.0, "km/h"), ("average_speed_mps", IMPERIAL, 7.456, "mi/h"),
    ("runs", METRIC, 2.0, "runs / week"),
])
def test_totals_figure_in_display_units(column, units, value, axis):
    """Each weekly total is drawn in the display unit (climbs in feet in imperial) and its axis names that unit and
    the period; no runs says so."""
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
    assert [t.name for t in route.data] == ["route", "finish", "start"]
    assert round(route.data[0].x[1], 3) == east and round(route.data[1].x[0], 3) == east
    assert route.data[2].x[0] == 0.0 and route.layout.yaxis.scaleanchor == "x" and route.layout.yaxis.scaleratio == 1
    assert route.layout.xaxis.title.text == f"east of the start ({axis})"
    assert route.layout.yaxis.title.text == f"north of the start ({axis})"
    assert is_empty_figure(route_figure("", "run", units)) and is_empty_figure(route_figure(None, "run", units))


@pytest.mark.parametrize("units,x,axis", [(METRIC, 100.0, "kg"), (IMPERIAL, 220.462, "lb")])
def test_reps_load_figure_in_display_units(units, x, axis):
    """Each set at its load in kg or lb against its reps; no sets says so."""
    sets = pd.DataFrame({"load_kg": [100.0], "reps": [5.0]})
    fig = reps_load_figure(sets, "Squat", units)
    assert fig.data[0].x[0] == pytest.approx(x, abs=0.005) and fig.data[0].y[0] == 5.0
    assert fig.layout.xaxis.title.text == f"load ({axis})" and fig.layout.yaxis.title.text == "reps"
    assert is_empty_figure(reps_load_figure(sets.iloc[0:0], "Squat", units))


def test_bodyweight_load_axis_is_the_added_load_with_zero_for_body_weight_alone():
    """Pull-ups are drawn at their added load (a 10 kg vest apart from bare sets), the axis says 0 is body weight."""
    sets = pd.DataFrame({"load_kg": [0.0, 10.0], "effective_load_kg": [80.0, 90.0], "reps": [8.0, 5.0]})
    fig = reps_load_figure(sets, "Pull-up", METRIC, bodyweight=True)
    assert sorted(fig.data[0].x) == [0.0, 10.0]
    assert fig.layout.xaxis.title.text == "added load (kg) - 0: body weight alone"
    assert fig.layout.title.text == "Pull-up: reps vs added load (kg)"


def test_reps_load_scatter_has_one_sized_dot_per_load_and_reps_and_a_legend():
    """Three identical sets are one bigger dot (no overlapping shades), the hover counts them, the legend explains."""
    sets = pd.DataFrame({"load_kg": [100.0, 100.0, 100.0, 90.0], "reps": [5.0, 5.0, 5.0, 8.0]})
    trace = reps_load_figure(sets, "Squat", METRIC).data[0]
    dots = dict(zip(zip(trace.x, trace.y, strict=True), zip(trace.customdata, trace.marker.size, strict=True),
                    strict=True))
    assert dots[(100.0, 5.0)][0] == 3 and dots[(90.0, 8.0)][0] == 1 and dots[(100.0, 5.0)][1] > dots[(90.0, 8.0)][1]
    assert trace.showlegend and trace.name == "sets at this load and reps (bigger: more sets)"
    assert trace.hovertemplate.startswith("%{customdata} set(s) of %{y} reps at %{x:,.2~f} kg")


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
    assert vol.data[1].name == "sessions" and vol.layout.yaxis.title.text == f"volume ({axis} / week)"
    assert vol.layout.yaxis2.title.text == "sessions / week" and vol.layout.yaxis2.tickformat == ",d"
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
        chosen = sets[sets.exercise == exercise]
        yield f"{exercise} scatter", reps_load_figure(chosen, exercise, METRIC, sa.is_bodyweight(exercise))
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


def test_a_loops_start_is_drawn_over_its_finish_and_looks_different():
    """On a loop (start = finish) the start marker comes after the finish, as a ring over a bigger square."""
    loop = route_figure(encode_polyline([(60.0, 0.0), (60.0, 0.01), (60.01, 0.01), (60.0, 0.0)]), "loop", METRIC)
    finish, start = loop.data[1], loop.data[2]
    assert (start.x[0], start.y[0]) == (finish.x[0], finish.y[0]) == (0.0, 0.0)
    assert start.marker.symbol == "circle-open" and finish.marker.symbol == "square"
    assert start.marker.size < finish.marker.size and start.marker.color != finish.marker.color


def test_partial_periods_are_hatched_and_named():
    """A month the range cuts is its own hatched trace, named partial; whole months stay solid."""
    totals = pd.DataFrame({"distance_m": [5_000.0, 40_000.0], "moving_time_s": [1_500.0, 12_000.0],
                           "elevation_gain_m": [10.0, 90.0], "average_speed_mps": [3.3, 3.3], "runs": [1.0, 8.0]},
                          index=pd.to_datetime(["2026-01-01", "2026-02-01"]))
    partial = pd.Series([True, False], index=totals.index)
    fig = totals_figure(totals, "distance_m", "month", METRIC, partial)
    whole, cut = fig.data
    assert (whole.name, list(whole.y), whole.marker.pattern.shape) == ("Distance", [40.0], "")
    assert (cut.name, list(cut.y), cut.marker.pattern.shape) == ("partial month (the range cuts it)", [5.0], "/")


def test_count_axes_have_whole_number_ticks_and_moving_time_hovers_as_h_mm_ss():
    """Runs and sessions axes tick at whole numbers from 0; a week's moving time hovers as h:mm:ss, not hours."""
    totals = pd.DataFrame({"distance_m": [10_000.0], "moving_time_s": [3_909.0], "elevation_gain_m": [120.0],
                           "average_speed_mps": [2.6], "runs": [2.0]}, index=pd.to_datetime(["2026-01-05"]))
    runs = totals_figure(totals, "runs", "week", METRIC)
    assert (runs.layout.yaxis.dtick, runs.layout.yaxis.tick0, runs.layout.yaxis.tickformat) == (1, 0, ",d")
    assert runs.layout.title.text == "Runs per week"  # not "Runs per week (runs)"
    assert totals_figure(totals.assign(runs=[37.0]), "runs", "week", METRIC).layout.yaxis.dtick == 10
    moving = totals_figure(totals, "moving_time_s", "week", METRIC).data[0]
    assert list(moving.customdata) == ["1:05:09 / week"] and moving.hovertemplate.startswith("%{customdata}")


def test_e1rm_prs_are_starred():
    """Sessions whose estimate beats every earlier one get a star marker trace named PR."""
    e1rm = pd.DataFrame({"session_date": pd.to_datetime(["2026-01-01", "2026-01-03", "2026-01-05"]),
                         "epley_kg": [100.0, 98.0, 104.0], "brzycki_kg": [99.0, 97.0, 103.0],
                         "low_confidence": [False, False, False]})
    fig = e1rm_figure(e1rm, "Squat", METRIC, pd.Series([False, False, True]))
    pr = fig.data[2]
    assert pr.name == "PR (best Epley estimate so far)" and pr.marker.symbol == "star" and list(pr.y) == [104.0]
    assert len(e1rm_figure(e1rm, "Squat", METRIC, pd.Series([False] * 3)).data) == 2


def test_fat_and_lean_mass_have_their_own_colours_and_rounded_ticks():
    """Fat and lean lines in two hues, each axis titled in its line's colour, ticks to 0.1 over at least 2 kg."""
    index = pd.date_range("2026-01-01", periods=3)
    fat, lean = pd.Series([14.0, 13.9, 13.8], index=index), pd.Series([64.30, 64.32, 64.35], index=index)
    comp = composition_figure(fat, lean, METRIC)
    colours = [t.line.color for t in comp.data]
    assert colours[0] != colours[1]
    assert comp.layout.yaxis.title.font.color == colours[0] and comp.layout.yaxis2.title.font.color == colours[1]
    low, high = comp.layout.yaxis2.range
    assert comp.layout.yaxis2.tickformat == ",.1~f" and high - low >= 2.0 and low < 64.3 and high > 64.35


def test_speed_elevation_scatter_in_feet_with_dated_colour_bar_and_hover():
    """Imperial climbs are in feet; the colour bar shows dates, the hover the run's name, date, distance and climb."""
    runs = pd.DataFrame({"elevation_gain_m": [100.0, 30.0], "average_speed_mps": [3.0, 3.2],
                         "distance_m": [10_000.0, 5_000.0], "name": ["Hills", "Flat"],
                         "start_time_local": pd.to_datetime(["2026-01-01 08:00", "2026-01-11 18:00"])})
    fig = speed_elevation_figure(runs, IMPERIAL)
    trace = fig.data[0]
    assert round(trace.x[0], 1) == 328.1 and fig.layout.xaxis.title.text == "elevation gain (ft)"
    assert list(trace.marker.colorbar.ticktext) == ["1 Jan 2026", "6 Jan 2026", "11 Jan 2026"]
    assert list(trace.customdata[0]) == ["1 Jan 2026", 6.21]
    assert "ft climbed" in trace.hovertemplate and "%{text}" in trace.hovertemplate
