"""What the Fitness page shows for one range: fitness, fatigue, form and ratio now, the 14-day projections (rest
and the plan), the figure on one date axis, how each session's load was measured, and what is estimated."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.analytics import between, monday
from core.analytics.athlete import Athlete, athlete_notes, zone_notes
from core.analytics.fitness import (
    PROJECTION_DAYS,
    daily_load,
    fitness,
    form_band,
    project,
    ratio_band,
    weekly_plan,
)
from core.analytics.run_load import run_loads
from core.analytics.strength_load import strength_loads
from core.analytics.weight import trend_series
from core.forecast.load_features import complete_plan
from core.units import Units
from core.views.charts.fitness import BodyLines, fitness_figure
from core.views.format import DASH, format_day, format_number, format_times, signed

PERIODS = ("day", "week")
METHOD_LABELS = {"HR stream": "TRIMP (HR stream)", "average HR": "TRIMP (average HR)",
                 "pace estimate": "pace estimate", "duration estimate": "duration estimate",
                 "session RPE x duration": "sRPE", "session RPE x estimated duration": "sRPE (estimated duration)",
                 "volume estimate": "sets estimate (reps x % of e1RM)"}
SESSION_ROWS = 20  # the most recent sessions in the range; the counts sentence covers all of them
NO_TRAINING = ("No training stored yet: fitness and fatigue are computed from runs and the strength log. Connect "
               "Strava or import runs on the Data page, or add your strength log (a Google Sheet or a CSV).")
NO_RUNS = ("No runs stored: fitness counts only the strength log. Connect Strava or import your runs on the Data "
           "page to see which of the two drives your fatigue.")
NO_SETS = ("No strength log stored: fitness counts only running. Add your Google Sheet or import a CSV of sets on "
           "the Data page to see lifting in the load.")
NO_BODY = "No weigh-ins stored: connect Withings or import its export on the Data page to see weight, fat and lean."


def no_training(runs: pd.DataFrame, sets: pd.DataFrame) -> str | None:
    """The page's whole empty state (nothing to compute load from), or None."""
    return NO_TRAINING if runs.empty and sets.empty else None


def training_days(runs: pd.DataFrame, sets: pd.DataFrame, today: pd.Timestamp) -> pd.Series:
    """Every day with training, and today (what the range picker spans: rest up to today counts)."""
    days = [runs.start_time_local.dt.normalize(), pd.to_datetime(sets.session_date), pd.Series([today])]
    return pd.concat([d for d in days if not d.empty], ignore_index=True)


@dataclass(frozen=True)
class FitnessView:
    """Everything the page draws for a range, period and plan."""

    headline: dict[str, tuple[str, str]]  # label -> (value, band or help)
    figure: go.Figure
    projection: list[str]  # one sentence per scenario
    sessions: pd.DataFrame  # the most recent sessions: date, kind, minutes, load, method
    methods: str  # how many sessions each method scored, as a sentence
    notes: list[str]  # what is missing or estimated (empty states and athlete settings)
    settings: list[str]  # the athlete settings in use


@dataclass(frozen=True)
class Loads:
    """Each run's and session's load and the daily fitness history: the slow part, once per data version."""

    per_run: pd.DataFrame
    per_session: pd.DataFrame
    history: pd.DataFrame


def training_loads(runs: pd.DataFrame, sets: pd.DataFrame, *, samples: Mapping[str, np.ndarray], athlete: Athlete,
                   today: pd.Timestamp) -> Loads:
    """Per-session loads and fitness, fatigue, form and ratio for every day up to today."""
    per_run, per_session = run_loads(runs, athlete, samples), strength_loads(sets)
    daily = daily_load(per_run, per_session, today)
    return Loads(per_run, per_session, fitness(daily, athlete.chronic_days, athlete.acute_days))


def fitness_view(loads: Loads, runs: pd.DataFrame, sets: pd.DataFrame, body: pd.DataFrame, *, athlete: Athlete,
                 current: Mapping[str, float], start: pd.Timestamp, end: pd.Timestamp, period: str,
                 plan: tuple[float, float], units: Units) -> FitnessView:
    """The page for local dates [start, end]; loads use the whole history, then are cut to the range."""
    history = loads.history
    shown = between(history, history.index, start, end)
    projections = _projections(history, athlete, current, plan) if end >= history.index.max() else {}
    body_lines = BodyLines(*(_cut(trend_series(body, c), start, end) if not body.empty else pd.Series(dtype=float)
                             for c in ("weight_kg", "fat_mass_kg", "lean_mass_kg")))
    runs_in, sessions_in = (between(f, f.date, start, end) for f in (loads.per_run, loads.per_session))
    return FitnessView(
        headline=_headline(history),
        figure=fitness_figure(shown, projections, period_loads(shown, period), period, body_lines, units),
        projection=[_projection_sentence(name, future) for name, future in projections.items()],
        sessions=_session_table(runs_in, sessions_in, runs),
        methods=_method_counts(runs_in, sessions_in),
        notes=_missing(runs, sets, body),
        settings=_settings(athlete) + athlete_notes(athlete) + zone_notes(athlete),
    )


def _cut(series: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return between(series, series.index, start, end)


def period_loads(history: pd.DataFrame, period: str) -> pd.DataFrame:
    """Running and strength load per day, or summed per local week (labelled by its Monday)."""
    loads = history[["run_load", "strength_load"]]
    return loads if period == "day" else loads.groupby(monday(loads.index)).sum().rename_axis("week")


def _projections(history: pd.DataFrame, athlete: Athlete, current: Mapping[str, float],
                 plan: tuple[float, float]) -> dict[str, pd.DataFrame]:
    """The next 14 days resting, and with the plan's weekly hours and sessions at the recent load rates."""
    hours, sessions = plan
    weekly = complete_plan({"run_hours": hours, "sessions": sessions}, dict(current))
    future = weekly_plan(weekly["run_load"], weekly["strength_load"])
    days = dict(chronic_days=athlete.chronic_days, acute_days=athlete.acute_days)
    return {"no training": project(history, **days), "plan": project(history, future, **days)}


def _headline(history: pd.DataFrame) -> dict[str, tuple[str, str]]:
    last = history.iloc[-1]
    ratio = DASH if np.isnan(last.ratio) else format_number(last.ratio, 2)
    return {"Fitness (chronic load, 42 d)": (format_number(last.chronic, 0), "load points a day, averaged over weeks"),
            "Fatigue (acute load, 7 d)": (format_number(last.acute, 0),
                                          "load points a day, averaged over the last week"),
            "Form (this morning)": (signed(last.form, 0), last.form_band),
            "Acute:chronic ratio": (ratio, ratio_band(last.ratio))}


def _projection_sentence(name: str, future: pd.DataFrame) -> str:
    last = future.iloc[-1]
    what = "With no training" if name == "no training" else "With the plan"
    return (f"{what}, in {PROJECTION_DAYS} days ({format_day(future.index[-1])}): fitness "
            f"{format_number(last.chronic, 0)}, fatigue {format_number(last.acute, 0)}, "
            f"form {signed(last.form, 0)} ({form_band(last.form)}).")


def _session_table(per_run: pd.DataFrame, per_session: pd.DataFrame, runs: pd.DataFrame) -> pd.DataFrame:
    names = runs.set_index("key").name if not runs.empty else pd.Series(dtype=object)
    rows = pd.concat([
        pd.DataFrame({"date": per_run.date, "session": per_run.key.map(names).fillna("run"), "kind": "run",
                      "minutes": per_run.minutes, "load": per_run.load, "method": per_run.method}),
        pd.DataFrame({"date": per_session.date, "session": per_session.sets.map(lambda n: f"{n:.0f} sets"),
                      "kind": "strength", "minutes": per_session.minutes, "load": per_session.load,
                      "method": per_session.method})], ignore_index=True)
    rows = rows.sort_values("date", ascending=False, kind="stable").head(SESSION_ROWS)
    return rows.assign(date=format_times(rows.date), method=rows.method.map(METHOD_LABELS),
                       minutes=rows.minutes.round(0), load=rows.load.round(0)).rename(
        columns={"load": "load (points)"}).reset_index(drop=True)


def _method_counts(per_run: pd.DataFrame, per_session: pd.DataFrame) -> str:
    parts = []
    for kind, frame in (("Runs", per_run), ("Strength sessions", per_session)):
        if not frame.empty:
            counts = frame.method.map(METHOD_LABELS).value_counts()
            parts.append(f"{kind}: " + ", ".join(f"{n} by {label}" for label, n in counts.items()) + ".")
    return " ".join(parts) or "No sessions in this range."


def _missing(runs: pd.DataFrame, sets: pd.DataFrame, body: pd.DataFrame) -> list[str]:
    notes = [note for empty, note in ((runs.empty, NO_RUNS), (sets.empty, NO_SETS), (body.empty, NO_BODY)) if empty]
    if not runs.empty and runs.average_heartrate_bpm.isna().all():
        notes.append("No run has a heart rate: run load is estimated from pace and duration, and there are no "
                     "heart-rate zones. Record runs with a heart-rate strap or a watch and sync them again.")
    return notes


def _settings(athlete: Athlete) -> list[str]:
    shown = {"sex": athlete.sex, "birth year": athlete.birth_year, "max HR": athlete.max_hr_bpm,
             "resting HR": athlete.resting_hr_bpm, "threshold HR": athlete.threshold_hr_bpm}
    values = ", ".join(f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"
                       for name, value in shown.items() if value is not None) or "none set"
    return [f"[athlete] settings: {values}; time constants {athlete.chronic_days:g} days (fitness) and "
            f"{athlete.acute_days:g} days (fatigue)."]
