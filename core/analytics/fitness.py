"""Fitness, fatigue and form from the daily load of running and lifting together. Definitions:

- Daily load: the sum of the day's run loads and strength-session loads (load points, 100 = an hour
  at threshold), two columns; every calendar day from the first session to `end` (rest days are 0).
- Chronic load ("fitness", CTL, GoldenCheetah's LTS) and acute load ("fatigue", ATL, STS):
  exponentially weighted averages x_t = x_(t-1) + alpha (load_t - x_(t-1)), alpha = 1 - e^(-1/tau)
  with tau = 42 and 7 days by default (GoldenCheetah's PMC and Dreeve use this alpha; intervals.icu's
  forum gives the same 0.023528 and 0.133122), starting from 0 the day before the first session
  (as GoldenCheetah does unseeded).
- Form (TSB, SB) = chronic - acute of the DAY BEFORE: this morning's readiness, before today's
  training (GoldenCheetah's default, "most folks show SB on the following day"), so a hard session
  lowers tomorrow's form, not the form it was done on.
- Acute:chronic ratio = acute / chronic of the same day (Dreeve's ratio, "optimal" 0.8-1.3); NaN
  while chronic is below MIN_CHRONIC (a ratio of two near-zero numbers says nothing).
- After n rest days from chronic C and acute A, chronic is C e^(-n/tau_c) and acute A e^(-n/tau_a):
  form rises by C (e^(-n/tau_c) - 1) - A (e^(-n/tau_a) - 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.analytics.athlete import ACUTE_DAYS, CHRONIC_DAYS

# Dreeve's form bands (TSBStatus): the label of the first bound the form is strictly above.
FORM_BANDS = ((25.0, "Risk of detraining"), (10.0, "Peak fresh"), (0.0, "Slightly fresh"), (-10.0, "Neutral"),
              (-30.0, "Accumulated fatigue"), (-np.inf, "Over-fatigued"))
RATIO_OPTIMAL = (0.8, 1.3)  # Dreeve's "optimal" acute:chronic band; below is "low", above "high risk"
MIN_CHRONIC = 1.0  # load points: below this there is no fitness to compare fatigue with
PROJECTION_DAYS = 14
FITNESS_COLUMNS = ["run_load", "strength_load", "load", "chronic", "acute", "form", "ratio", "form_band"]


def alpha(days: float) -> float:
    """The EWMA weight of today's load for a time constant of `days`: 1 - e^(-1/days)."""
    return 1.0 - float(np.exp(-1.0 / days))


def ewma(loads: np.ndarray, days: float, start: float = 0.0) -> np.ndarray:
    """x_t = x_(t-1) + alpha (load_t - x_(t-1)) from x_(-1) = start (vectorised by pandas)."""
    seeded = pd.Series(np.concatenate([[start], np.asarray(loads, dtype="float64")]))
    return seeded.ewm(alpha=alpha(days), adjust=False).mean().to_numpy()[1:]


def daily_load(runs: pd.DataFrame, sessions: pd.DataFrame, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Run and strength load per calendar day (0 on rest days), from the first session to `end` (or the last)."""
    run = runs.groupby("date").load.sum() if not runs.empty else pd.Series(dtype="float64")
    lift = sessions.groupby("date").load.sum() if not sessions.empty else pd.Series(dtype="float64")
    days = run.index.union(lift.index)
    if days.empty:
        return pd.DataFrame(columns=["run_load", "strength_load"], index=pd.DatetimeIndex([], name="date"),
                            dtype="float64")
    last = max(days.max(), end) if end is not None else days.max()
    full = pd.date_range(days.min(), last, freq="D", name="date")
    return pd.DataFrame({"run_load": run.reindex(full, fill_value=0.0),
                         "strength_load": lift.reindex(full, fill_value=0.0)}).astype("float64")


def form_band(form: float) -> str:
    """Dreeve's label for a form value."""
    return next(label for bound, label in FORM_BANDS if form > bound)


def ratio_band(ratio: float) -> str:
    """'low', 'optimal' or 'high risk' (Dreeve's acute:chronic bands); 'no fitness yet' when undefined."""
    if np.isnan(ratio):
        return "no fitness yet"
    return "low" if ratio < RATIO_OPTIMAL[0] else "optimal" if ratio <= RATIO_OPTIMAL[1] else "high risk"


def fitness(daily: pd.DataFrame, chronic_days: float = CHRONIC_DAYS, acute_days: float = ACUTE_DAYS,
            start: tuple[float, float] = (0.0, 0.0)) -> pd.DataFrame:
    """Chronic, acute, form (yesterday's chronic - acute), ratio and form band per day of `daily`."""
    load = (daily.run_load + daily.strength_load).to_numpy(dtype="float64")
    chronic, acute = ewma(load, chronic_days, start[0]), ewma(load, acute_days, start[1])
    form = np.concatenate([[start[0] - start[1]], (chronic - acute)[:-1]])[:len(load)]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(chronic >= MIN_CHRONIC, acute / chronic, np.nan)
    out = daily[["run_load", "strength_load"]].assign(load=load, chronic=chronic, acute=acute, form=form, ratio=ratio)
    out["form_band"] = [form_band(value) for value in form]
    return out[FITNESS_COLUMNS]


@dataclass(frozen=True)
class LoadRates:
    """How the person's training turns into load: points per running hour and per strength session."""

    per_run_hour: float
    per_session: float


def plan_daily_load(run_hours_per_week: float, sessions_per_week: float, rates: LoadRates,
                    days: int = PROJECTION_DAYS) -> pd.DataFrame:
    """A weekly plan as daily run and strength loads, spread evenly over the days (EWMAs see the weekly mean)."""
    return weekly_plan(run_hours_per_week * rates.per_run_hour, sessions_per_week * rates.per_session, days)


def weekly_plan(run_load_per_week: float, strength_load_per_week: float, days: int = PROJECTION_DAYS) -> pd.DataFrame:
    """Weekly loads as daily run and strength loads, spread evenly over the days."""
    return pd.DataFrame({"run_load": np.full(days, run_load_per_week / 7.0),
                         "strength_load": np.full(days, strength_load_per_week / 7.0)})


def project(history: pd.DataFrame, future: pd.DataFrame | None = None, chronic_days: float = CHRONIC_DAYS,
            acute_days: float = ACUTE_DAYS, days: int = PROJECTION_DAYS) -> pd.DataFrame:
    """The days after `history` (a `fitness` frame) with the given daily loads, or none: rest."""
    if future is None:
        future = pd.DataFrame({"run_load": np.zeros(days), "strength_load": np.zeros(days)})
    last = history.index.max()
    future = future.set_axis(pd.date_range(last + pd.Timedelta(days=1), periods=len(future), freq="D", name="date"))
    seed = (float(history.chronic.iloc[-1]), float(history.acute.iloc[-1]))
    return fitness(future, chronic_days, acute_days, start=seed)
