"""The Fitness view and its figures, pure: panels on one date axis, projections, bands, methods, weekly zones."""

from __future__ import annotations

import base64
from itertools import pairwise

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import pytest

from core.analytics.athlete import Athlete
from core.analytics.fitness import daily_load, fitness, project
from core.records import frame_from_rows
from core.units import IMPERIAL, METRIC
from core.views.charts.fitness import BodyLines, fitness_figure, zones_figure
from core.views.fitness import NO_TRAINING, fitness_view, no_training, period_loads, training_loads
from core.views.zones import NO_HR, NO_ZONES, zones_view
from tests.builders import daily_weigh_ins, sets

DAYS = pd.date_range("2026-03-02", periods=14, freq="D", name="date")
RUNS = frame_from_rows("run", [
    {"key": f"r{i}", "name": f"Run {i}", "start_time_utc": f"2026-03-{2 + i:02d}T07:00:00Z",
     "start_time_local": f"2026-03-{2 + i:02d}T08:00:00", "distance_m": 10_000.0, "moving_time_s": 3000.0,
     "average_heartrate_bpm": 150.0 if i % 4 else None} for i in range(0, 14, 2)])
SETS = sets([(f"2026-03-{3 + i:02d}", "Back squat", 5, 100.0) for i in range(0, 14, 3)])
BODY = daily_weigh_ins(pd.Timestamp("2026-03-02T06:00:00Z").to_pydatetime(), 14, fat_mass_kg=15.0,
                       lean_mass_kg=65.0)
ATHLETE = Athlete("male", max_hr_bpm=190.0, resting_hr_bpm=50.0)
TODAY = pd.Timestamp("2026-03-15")


def history() -> pd.DataFrame:
    loads = pd.DataFrame({"run_load": [60.0, 0.0] * 7, "strength_load": [0.0, 40.0] * 7}, index=DAYS)
    return fitness(loads)


def view(**changes):
    args = dict(athlete=ATHLETE, current={}, start=DAYS[0], end=TODAY, period="week", plan=(3.0, 2.0), units=METRIC)
    loads = training_loads(RUNS, SETS, samples={}, athlete=ATHLETE, today=TODAY)
    return fitness_view(loads, RUNS, SETS, BODY, **{**args, **changes})


def numbers(values) -> list[float]:
    """A trace's numbers as plotly.js reads them (typed arrays decoded)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def body_lines(weight: bool = True) -> BodyLines:
    empty = pd.Series(dtype=float)
    return BodyLines(pd.Series([80.0], index=DAYS[:1]) if weight else empty, empty, empty)


def test_the_figure_stacks_five_panels_on_one_shared_date_axis():
    """Fitness/fatigue, form, ratio, stacked load and the body share one x axis; each y axis names its quantity."""
    fig = fitness_figure(history(), {}, period_loads(history(), "day"), "day", body_lines(), IMPERIAL).to_dict()
    layout = fig["layout"]
    titles = [layout[f"yaxis{n}"]["title"]["text"] for n in ("", 2, 3, 4, 5, 6)]
    assert titles == ["load (pt / day)", "form (pt)", "acute:chronic ratio", "load (pt / day)", "weight, lean (lb)",
                      "fat mass (lb)"]
    assert {layout[f"xaxis{n}"]["matches"] for n in (2, 3, 4, 5)} == {"x"}, "zooming one panel zooms all"
    domains = [layout[f"yaxis{n}"]["domain"] for n in ("", 2, 3, 4, 5)]
    assert all(upper[0] > lower[1] for upper, lower in pairwise(domains)), "panels stacked, not overlapping"
    weight = next(t for t in fig["data"] if t["name"] == "weight trend")
    assert numbers(weight["y"])[0] == pytest.approx(80.0 / 0.45359237) and weight["yaxis"] == "y5"
    bars = [t for t in fig["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars] == ["running load", "strength load"] and layout["barmode"] == "stack"
    assert numbers(bars[0]["y"]) == history().run_load.tolist()


def test_the_figure_is_already_in_the_form_plotly_validation_gives():
    """Built without validation (ten years of shapes and subplots took ~1 s through the validating API), the figure
    needs no coercion: validating it changes nothing, so no misspelt or malformed property reaches the browser."""
    fit = history()
    for projections, body in (({}, body_lines()), ({"no training": project(fit), "plan": project(fit)},
                                                   body_lines(weight=False))):
        sent = fitness_figure(fit, projections, period_loads(fit, "week"), "week", body, METRIC).to_dict()
        assert go.Figure(sent).to_dict() == sent


def test_form_bands_are_shaded_and_labelled_as_documented():
    """Six form bands, each from its bound up to the one above (the top and bottom cut at +40 and -50), labelled
    with Dreeve's names; the ratio's optimal band from 0.8 to 1.3."""
    layout = fitness_figure(history(), {}, history(), "day", body_lines(), METRIC).to_dict()["layout"]
    form = [(s["y0"], s["y1"]) for s in layout["shapes"] if s["yref"] == "y2"]
    assert form == [(25.0, 40.0), (10.0, 25.0), (0.0, 10.0), (-10.0, 0.0), (-30.0, -10.0), (-50.0, -30.0)]
    labels = [a["text"] for a in layout["annotations"] if a.get("yref") == "y2"]
    assert labels == ["Risk of detraining", "Peak fresh", "Slightly fresh", "Neutral", "Accumulated fatigue",
                      "Over-fatigued"]
    assert [(s["y0"], s["y1"]) for s in layout["shapes"] if s["yref"] == "y3"] == [(0.8, 1.3)]


def test_projections_are_drawn_after_the_history_dotted_for_rest_and_dashed_for_the_plan():
    """Rest and plan continue fitness, fatigue and form from the day after the last one."""
    fit = history()
    rest = project(fit)
    fig = fitness_figure(fit, {"no training": rest, "plan": rest}, period_loads(fit, "week"), "week",
                         BodyLines(*(pd.Series(dtype=float),) * 3), METRIC).to_dict()
    form = {t["name"]: t for t in fig["data"] if t["name"].startswith("form, ")}
    assert form["form, no training"]["line"]["dash"] == "dot" and form["form, plan"]["line"]["dash"] == "dash"
    assert pd.Timestamp(form["form, plan"]["x"][0]) == DAYS[-1] + pd.Timedelta(days=1)
    assert numbers(form["form, no training"]["y"]) == pytest.approx(rest.form.tolist())
    assert "No weigh-ins in this range" in [a["text"] for a in fig["layout"]["annotations"]]


def test_an_empty_history_is_an_empty_figure_saying_so():
    """No training in the range: no axes, a sentence."""
    empty = fitness(daily_load(pd.DataFrame(columns=["date", "load"]), pd.DataFrame(columns=["date", "load"])))
    fig = fitness_figure(empty, {}, empty, "day", BodyLines(*(pd.Series(dtype=float),) * 3), METRIC)
    assert not fig.data and fig.layout.annotations[0].text == "No training in this range"


def test_weekly_loads_sum_the_days_of_each_monday_week():
    """Per week: the two weeks' run and strength load, labelled by their Mondays."""
    weekly = period_loads(history(), "week")
    assert weekly.index.tolist() == [pd.Timestamp("2026-03-02"), pd.Timestamp("2026-03-09")]
    assert weekly.run_load.tolist() == [240.0, 180.0] and weekly.strength_load.tolist() == [120.0, 160.0]


def test_the_view_labels_each_sessions_method_and_the_projections():
    """The sessions table names TRIMP (average HR), pace estimate and sets estimate; two projection sentences."""
    shown = view()
    assert set(shown.sessions.method) == {"TRIMP (average HR)", "pace estimate", "sets estimate (reps x % of e1RM)"}
    assert shown.methods.startswith("Runs: ") and "Strength sessions: 5 by sets estimate" in shown.methods
    assert [line.split(",")[0] for line in shown.projection] == ["With no training", "With the plan"]
    assert "(29 Mar 2026)" in shown.projection[0], "14 days after today"
    assert view(end=pd.Timestamp("2026-03-10")).projection == [], "a range ending before today projects nothing"


def test_the_plan_projection_follows_the_plan():
    """More planned hours and sessions raise the projected fatigue; the resting projection stays."""
    light, heavy = view(plan=(0.0, 0.0)).projection, view(plan=(8.0, 5.0)).projection
    fatigue = lambda line: float(line.split("fatigue ")[1].split(",")[0])  # noqa: E731
    assert light[0] == heavy[0] and fatigue(heavy[1]) > fatigue(light[1])


def test_no_training_is_the_pages_empty_state():
    """Neither runs nor sets: the sentence naming what to add; either one alone is enough to draw."""
    assert no_training(RUNS.iloc[0:0], SETS.iloc[0:0]) == NO_TRAINING
    assert no_training(RUNS, SETS.iloc[0:0]) is None and no_training(RUNS.iloc[0:0], SETS) is None


def test_zones_view_zones_runs_by_their_average_and_says_when_it_cannot():
    """Runs with an average HR are zoned (estimated); without any zones setting, or without HR, a sentence."""
    shown = zones_view(RUNS, athlete=ATHLETE, samples={}, start=DAYS[0], end=TODAY)
    assert shown.empty == "" and "100% of the time is estimated" in shown.caption
    assert shown.polarisation.startswith("Running in this range: low 0% (advised 75%-90%)")
    assert zones_view(RUNS, athlete=Athlete(), samples={}, start=DAYS[0], end=TODAY).empty == NO_ZONES
    no_hr = RUNS.assign(average_heartrate_bpm=float("nan"))
    assert zones_view(no_hr, athlete=ATHLETE, samples={}, start=DAYS[0], end=TODAY).empty == NO_HR


def test_zones_figure_stacks_hours_per_zone_and_plots_the_low_share_on_its_own_axis():
    """Bars per zone from Z1 up, then the low-intensity share on a 0-100 % right axis; empty weeks say so."""
    weekly = pd.DataFrame({"Z1": [1.0], "Z2": [0.5], "Z4": [0.5], "total_h": [2.0], "estimated_h": [0.0],
                           "low": [0.75], "moderate": [0.0], "high": [0.25]},
                          index=pd.DatetimeIndex(["2026-03-02"], name="week"))
    fig = zones_figure(weekly)
    assert [t.name for t in fig.data] == ["Z1", "Z2", "Z4", "low share (Z1-Z2)"]
    assert fig.data[-1].yaxis == "y2" and tuple(fig.layout.yaxis2.range) == (0, 1)
    assert not zones_figure(weekly.iloc[0:0]).data
