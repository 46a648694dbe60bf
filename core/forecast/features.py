"""Weekly training features and body-change targets, per local Monday-to-Sunday week.

Features: running distance (km), running time (h), CrossFit sessions, average load per rep (kg,
over loaded sets; 0 in a week without one): what a plan sets. The load features (run and strength
load, form at the week's start, the 14-day weight trend before it) are in core.forecast.load_features;
FEATURE_SETS names the two sets the backtest compares. Targets: the change over the week of the Weight page's
trend (core.analytics.weight: Hacker's Diet EWMA) for weight (kg) and fat ratio (percentage points):
trend at the week's last weigh-in minus trend at the previous week's last weigh-in. Weeks without a
weigh-in in both that week and the week before are left out of training. Weight is the required
target; the fat-ratio change is missing (NaN) in weeks without a fat reading at both ends, and a
weight-only scale gives a weight-only model (core.forecast.model fits fat ratio only when enough
weeks have it).
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pandas as pd

from core.analytics import monday
from core.analytics.athlete import Athlete
from core.analytics.weight import trend_series
from core.forecast.load_features import LOAD_FEATURES, current_state, daily_fitness, prior_rates, weekly_load

FEATURES = ("run_km", "run_hours", "sessions", "avg_load_kg")  # the plan: what the sliders set
FEATURE_SETS = {"training": FEATURES, "training + load": FEATURES + LOAD_FEATURES}
TARGETS = ("weight_change_kg", "fat_ratio_change_pt")
FEATURE_LABELS = {"run_km": "Running distance (km/week)", "run_hours": "Running time (h/week)",
                  "sessions": "CrossFit sessions per week", "avg_load_kg": "Average load per rep (kg)"}


def local_today(now: datetime, timezone: str) -> pd.Timestamp:
    """Today's date (naive midnight) in the configured display time zone ([app] timezone; UTC if unknown)."""
    try:
        zone = ZoneInfo(timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    return pd.Timestamp(now.astimezone(zone).date())


def last_complete_week(today: pd.Timestamp) -> pd.Timestamp:
    """The Monday of the newest local week that has fully ended before `today`."""
    day = pd.Timestamp(today).normalize()
    return day - pd.Timedelta(days=day.day_of_week + 7)


def weekly_features(runs: pd.DataFrame, sets: pd.DataFrame) -> pd.DataFrame:
    """Training per week, indexed by Monday; weeks without training in between are zeros."""
    day = runs.start_time_local.dt.normalize()
    sums = runs.assign(week=monday(day)).groupby("week")[["distance_m", "moving_time_s"]].sum()
    run_weeks = pd.DataFrame({"run_km": sums.distance_m / 1000, "run_hours": sums.moving_time_s / 3600})
    loaded = sets[(sets.load_kg > 0) & (sets.reps > 0)]
    per_rep = loaded.assign(week=monday(loaded.session_date), work=loaded.load_kg * loaded.reps).groupby("week")
    lift_weeks = pd.DataFrame({
        "sessions": sets.assign(week=monday(sets.session_date)).groupby("week").session_date.nunique(),
        "avg_load_kg": per_rep.work.sum() / per_rep.reps.sum(),
    })
    table = run_weeks.join(lift_weeks, how="outer")
    if table.empty:
        return pd.DataFrame(columns=list(FEATURES), index=pd.DatetimeIndex([], name="week"), dtype="float64")
    full = pd.date_range(table.index.min(), table.index.max(), freq="7D", name="week")
    return table.reindex(full).fillna(0.0)[list(FEATURES)].astype("float64")


def weekly_table(runs: pd.DataFrame, sets: pd.DataFrame, athlete: Athlete | None = None,
                 fit: pd.DataFrame | None = None) -> pd.DataFrame:
    """`weekly_features` plus each week's run and strength load and its Monday's form (from `fit` when given)."""
    features = weekly_features(runs, sets)
    fit = daily_fitness(runs, sets, athlete) if fit is None else fit
    return features.join(weekly_load(fit).reindex(features.index).fillna(0.0))


def weekly_targets(body: pd.DataFrame) -> pd.DataFrame:
    """Trend change per week for weight and fat ratio, only where both week ends have a weigh-in."""
    out = {}
    for target, column in zip(TARGETS, ("weight_kg", "fat_ratio_pct"), strict=True):
        trend = trend_series(body, column)
        week_end = trend.groupby(monday(trend.index)).last()
        consecutive = week_end.index.to_series().diff() == pd.Timedelta(days=7)
        out[target] = week_end.diff()[consecutive]
    return pd.DataFrame(out, columns=list(TARGETS)).rename_axis("week")


def training_table(body: pd.DataFrame, runs: pd.DataFrame, sets: pd.DataFrame,
                   today: pd.Timestamp | None = None, athlete: Athlete | None = None) -> pd.DataFrame:
    """Features, load features and targets of every complete week with a weight change, oldest first.

    Fat ratio may be NaN: a week is usable when its weight trend change is known.
    """
    table = weekly_table(runs, sets, athlete).join(weekly_targets(body), how="inner")
    if today is not None:
        table = table[table.index <= last_complete_week(today)]
    table = table.dropna(subset=[TARGETS[0]]).sort_index()
    return table.join(prior_rates(body, pd.DatetimeIndex(table.index)))


def recent_averages(features: pd.DataFrame, today: pd.Timestamp, weeks: int = 8) -> dict[str, float]:
    """Mean of each weekly column over the last `weeks` COMPLETE weeks before today (weeks without training are 0)."""
    last = last_complete_week(today)
    window = pd.date_range(last - pd.Timedelta(weeks=weeks - 1), last, freq="7D", name="week")
    recent = features.reindex(window).fillna(0.0)
    return {f: float(recent[f].mean()) for f in features.columns}


def current_week(body: pd.DataFrame, runs: pd.DataFrame, sets: pd.DataFrame, today: pd.Timestamp,
                 athlete: Athlete | None = None) -> dict[str, float]:
    """The 'current' scenario: the last 8 complete weeks' averages, today's form and the 14-day trend."""
    fit = daily_fitness(runs, sets, athlete, end=pd.Timestamp(today).normalize())
    return {**recent_averages(weekly_table(runs, sets, athlete, fit), today), **current_state(body, fit, today)}
