"""The forecast's load features per local week, all known when the week starts or made by the week itself.

- run_load, strength_load: the week's load points (core.analytics.run_load / strength_load), like its km.
- form: form on the week's Monday, i.e. chronic - acute load at the end of the Sunday before.
- prior_rate_kg (and prior_rate_pt for fat ratio): the Weight page's weekly rate, the least-squares
  slope of the daily values over the 14 days ending that Sunday, x 7; 0 when too few weigh-ins (no
  known trend). It is a feature and, carried forward, the third baseline.
A plan from the sliders says only km, hours, sessions and load per rep: `complete_plan` gives it the
load of those hours and sessions at the person's recent rates, and the current form and weight trend.
"""

from __future__ import annotations

import pandas as pd

from core.analytics import monday
from core.analytics.athlete import Athlete
from core.analytics.fitness import daily_load, fitness
from core.analytics.run_load import ASSUMED_IF, run_loads
from core.analytics.strength_load import AU_PER_POINT, REFERENCE_AU, strength_loads
from core.analytics.weight import daily_first, rolling_rate

LOAD_FEATURES = ("run_load", "strength_load", "form", "prior_rate_kg")
STATE_FEATURES = ("form", "prior_rate_kg")  # known today, not chosen by a plan
PRIOR_RATE = {"weight_change_kg": "prior_rate_kg", "fat_ratio_change_pt": "prior_rate_pt"}  # per target
DEFAULT_PER_RUN_HOUR = 100 * ASSUMED_IF**2  # a steady hour, when no recent run says otherwise
DEFAULT_PER_SESSION = REFERENCE_AU / AU_PER_POINT  # strength_load's reference session, without recent ones


def daily_fitness(runs: pd.DataFrame, sets: pd.DataFrame, athlete: Athlete | None,
                  end: pd.Timestamp | None = None) -> pd.DataFrame:
    """Every day's run and strength load, chronic, acute and form (core.analytics.fitness), up to `end`."""
    athlete = athlete or Athlete()
    daily = daily_load(run_loads(runs, athlete), strength_loads(sets), end)
    return fitness(daily, athlete.chronic_days, athlete.acute_days)


def weekly_load(fit: pd.DataFrame) -> pd.DataFrame:
    """Per local week: its run and strength load, and the form on its Monday."""
    if fit.empty:
        return pd.DataFrame(columns=["run_load", "strength_load", "form"], index=pd.DatetimeIndex([], name="week"),
                            dtype="float64")
    weeks = fit.groupby(monday(fit.index))
    return pd.DataFrame({"run_load": weeks.run_load.sum(), "strength_load": weeks.strength_load.sum(),
                         "form": weeks.form.first()}).rename_axis("week")


def prior_rates(body: pd.DataFrame, weeks: pd.DatetimeIndex) -> pd.DataFrame:
    """The 14-day weight and fat-ratio rates at the end of the Sunday before each week (0 when unknown)."""
    out = {}
    for name, column in (("prior_rate_kg", "weight_kg"), ("prior_rate_pt", "fat_ratio_pct")):
        rate = rolling_rate(daily_first(body, column))
        out[name] = rate.reindex(weeks - pd.Timedelta(days=1)).fillna(0.0).to_numpy()
    return pd.DataFrame(out, index=weeks)


def current_state(body: pd.DataFrame, fit: pd.DataFrame, today: pd.Timestamp) -> dict[str, float]:
    """Today's form and the weight trend of the 14 days up to yesterday: what a plan starts from."""
    day = pd.Timestamp(today).normalize()
    form = fit.form[fit.index <= day]
    rates = prior_rates(body, pd.DatetimeIndex([day]))
    return {"form": float(form.iloc[-1]) if not form.empty else 0.0,
            "prior_rate_kg": float(rates.prior_rate_kg.iloc[0]), "prior_rate_pt": float(rates.prior_rate_pt.iloc[0])}


def complete_plan(plan: dict[str, float], current: dict[str, float]) -> dict[str, float]:
    """The plan's load at the current load per running hour and per session, and the current state."""
    derived = {"run_load": _scaled(current, plan, "run_load", "run_hours", DEFAULT_PER_RUN_HOUR),
               "strength_load": _scaled(current, plan, "strength_load", "sessions", DEFAULT_PER_SESSION)}
    return {**derived, **{f: current[f] for f in (*STATE_FEATURES, "prior_rate_pt") if f in current}, **plan}


def _scaled(current: dict[str, float], plan: dict[str, float], load: str, driver: str, default_rate: float) -> float:
    """Load for the plan's driver (hours or sessions): the current load itself when the driver is unchanged."""
    now = current.get(driver, 0.0)
    if plan[driver] == now and load in current:
        return current[load]  # exactly: a plan equal to the current week predicts the current week
    rate = current[load] / now if now and load in current else default_rate
    return plan[driver] * rate
