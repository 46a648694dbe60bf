"""Fitness, fatigue and form: the EWMAs against hand-computed values and published constants, bands, projections."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.analytics.fitness import (
    LoadRates,
    alpha,
    daily_load,
    fitness,
    form_band,
    plan_daily_load,
    project,
    ratio_band,
)


def days(loads: list[float], strength: list[float] | None = None, start: str = "2026-03-02") -> pd.DataFrame:
    index = pd.date_range(start, periods=len(loads), freq="D", name="date")
    return pd.DataFrame({"run_load": loads, "strength_load": strength or [0.0] * len(loads)}, index=index, dtype=float)


def test_the_decay_constants_are_intervals_icus_published_ones():
    """alpha = 1 - e^(-1/tau): 0.023528 of a day's load goes to fitness, 0.133122 to fatigue (intervals.icu forum)."""
    assert round(alpha(42), 6) == 0.023528 and round(alpha(7), 6) == 0.133122


def test_a_hand_computed_three_days():
    """Loads 100, 0, 50 from zero: each day moves chronic and acute alpha of the way to the load; form lags a day."""
    fit = fitness(days([100.0, 0.0, 50.0]))
    assert fit.acute.tolist() == pytest.approx([13.31221, 11.54006, 16.65993], abs=1e-5)
    assert fit.chronic.tolist() == pytest.approx([2.35283, 2.29747, 3.41983], abs=1e-5)
    assert fit.form.tolist() == pytest.approx([0.0, 2.35283 - 13.31221, 2.29747 - 11.54006], abs=1e-5)
    assert fit.ratio.tolist() == pytest.approx([13.31221 / 2.35283, 11.54006 / 2.29747, 16.65993 / 3.41983], abs=1e-4)


def test_the_published_load_that_takes_form_to_minus_ten():
    """intervals.icu forum: with this morning's fitness and fatigue (yesterday's after the night's decay, x 0.976472
    and x 0.866878), LOAD = (10 + fitness - fatigue) / 0.109594 puts form at -10 (here: the next morning)."""
    history = fitness(days([60.0] * 30 + [120.0] * 10))
    fitness_now, fatigue_now = history.chronic.iloc[-1] * 0.976472, history.acute.iloc[-1] * 0.866878
    load = (10 + fitness_now - fatigue_now) / 0.109594
    after = project(history, days([load, 0.0]))
    assert after.form.iloc[1] == pytest.approx(-10.0, abs=0.01)


@pytest.mark.parametrize("rest_days", [1, 7, 14, 42])
def test_a_rest_period_raises_form_by_the_closed_form_of_the_decay(rest_days):
    """From chronic 60 and acute 80 (form -20), n rest days give form 60 e^(-n/42) - 80 e^(-n/7)."""
    fit = fitness(days([0.0] * (rest_days + 1)), start=(60.0, 80.0))
    assert fit.form.iloc[0] == -20.0
    expected = 60 * math.exp(-rest_days / 42) - 80 * math.exp(-rest_days / 7)
    assert fit.form.iloc[rest_days] == pytest.approx(expected, rel=1e-12)
    if rest_days == 7:
        assert fit.form.iloc[7] - fit.form.iloc[0] == pytest.approx(41.3585, abs=1e-4)  # 50.7889 - 29.4304 + 20


def test_a_constant_load_converges_to_that_load():
    """50 points a day from zero: chronic is 50 (1 - e^(-(d+1)/42)) every day; after a year both are 50, ratio 1."""
    fit = fitness(days([50.0] * 365))
    expected = 50 * (1 - np.exp(-np.arange(1, 366) / 42))
    assert fit.chronic.to_numpy() == pytest.approx(expected, rel=1e-9)
    last = fit.iloc[-1]
    assert (last.chronic, last.acute, last.ratio) == pytest.approx((50.0, 50.0, 1.0), abs=0.01)
    assert -0.01 < last.form < 0 and last.form_band == "Neutral", "fitness is still catching up, a hair below"


def test_the_ratio_is_undefined_without_fitness():
    """No load at all, or a chronic load below one point: no ratio and 'no fitness yet', never a ratio of 0."""
    fit = fitness(days([0.0, 0.0, 30.0, 0.0]))
    assert np.isnan(fit.ratio.iloc[:3]).tolist() == [True, True, True]  # 30 x 0.0235 = 0.71 < 1 point
    assert [ratio_band(r) for r in fit.ratio.iloc[:2]] == ["no fitness yet"] * 2
    assert fitness(days([100.0])).ratio.iloc[0] == pytest.approx(0.1331221 / 0.0235283, abs=1e-4)


@pytest.mark.parametrize("ratio,band", [(0.79, "low"), (0.8, "optimal"), (1.3, "optimal"), (1.31, "high risk")])
def test_ratio_bands_are_dreeves(ratio, band):
    """Acute:chronic 0.8 to 1.3 is 'optimal' (bounds included), below 'low', above 'high risk'."""
    assert ratio_band(ratio) == band


@pytest.mark.parametrize("form,band", [
    (30.0, "Risk of detraining"), (25.0, "Peak fresh"), (10.5, "Peak fresh"), (10.0, "Slightly fresh"),
    (0.1, "Slightly fresh"), (0.0, "Neutral"), (-10.0, "Accumulated fatigue"), (-29.9, "Accumulated fatigue"),
    (-30.0, "Over-fatigued"), (-80.0, "Over-fatigued"),
])
def test_form_bands_are_dreeves(form, band):
    """Dreeve's TSBStatus: each band starts strictly above its bound (25, 10, 0, -10, -30)."""
    assert form_band(form) == band
    assert fitness(days([0.0]), start=(form, 0.0)).form_band.iloc[0] == band


def test_daily_load_has_every_day_with_running_and_lifting_apart():
    """Two runs on one day add up; rest days are zeros; the range runs to `end`."""
    runs = pd.DataFrame({"date": pd.to_datetime(["2026-03-02", "2026-03-02", "2026-03-05"]),
                         "load": [40.0, 20.0, 50.0]})
    lifts = pd.DataFrame({"date": pd.to_datetime(["2026-03-03"]), "load": [70.0]})
    daily = daily_load(runs, lifts, end=pd.Timestamp("2026-03-07"))
    assert daily.index.tolist() == list(pd.date_range("2026-03-02", "2026-03-07"))
    assert daily.run_load.tolist() == [60.0, 0.0, 0.0, 50.0, 0.0, 0.0]
    assert daily.strength_load.tolist() == [0.0, 70.0, 0.0, 0.0, 0.0, 0.0]
    assert daily_load(runs.iloc[0:0], lifts.iloc[0:0]).empty


def test_projection_without_training_and_with_a_plan():
    """Fourteen days of rest decay both loads from today's; a plan adds its weekly load spread over the days."""
    history = fitness(days([80.0] * 60))
    rest = project(history)
    assert len(rest) == 14 and rest.index[0] == history.index[-1] + pd.Timedelta(days=1)
    assert rest.chronic.iloc[-1] == pytest.approx(history.chronic.iloc[-1] * math.exp(-14 / 42))
    assert rest.form.is_monotonic_increasing
    plan = plan_daily_load(5.0, 3.0, LoadRates(per_run_hour=60.0, per_session=70.0))
    assert plan.run_load.tolist() == [300 / 7] * 14 and plan.strength_load.tolist() == [210 / 7] * 14
    planned = project(history, plan)
    assert (planned.load == 510 / 7).all() and planned.chronic.iloc[-1] > rest.chronic.iloc[-1]
