"""What the CrossFit page shows for one exercise and range: headline numbers, figures, rep maxes, weekly volume."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.analytics import strength as sa
from core.units import Units
from core.views.charts.crossfit import e1rm_figure, reps_load_figure, reps_session_figure, volume_figure


@dataclass(frozen=True)
class CrossfitView:
    """Everything the page draws; `empty` is set when the exercise has no set in the range (volume is still drawn)."""

    empty: bool
    volume: go.Figure
    bodyweight: bool = False
    metrics: tuple[tuple[str, str], ...] = ()  # (label, value) of the four headline numbers
    reps: go.Figure | None = None  # bodyweight: reps per session
    scatter: go.Figure | None = None
    e1rm: go.Figure | None = None  # loaded exercises only
    rep_maxes: pd.DataFrame | None = None  # loaded exercises only
    caption: str = ""  # bodyweight: how many sets the load chart shows
    last_session: pd.DataFrame | None = None  # the latest session's sets, with RPE / RIR when logged
    last_date: pd.Timestamp | None = None


def exercise_names(sets: pd.DataFrame) -> list[str]:
    """Every logged exercise, sorted."""
    return sorted(sets.exercise.dropna().unique())


def needs_weigh_ins(exercise: str | None, extra: tuple[str, ...] = ()) -> bool:
    """True when the view of this exercise needs the weigh-ins: a bodyweight exercise's load includes the body."""
    return bool(exercise) and sa.is_bodyweight(exercise, extra)


def bodyweight_caption(sets: pd.DataFrame, extra: tuple[str, ...] = ()) -> str:
    """Which logged exercises count as bodyweight, and the setting that adds more."""
    counted = sa.bodyweight_names(sets.exercise.dropna().unique(), extra)
    return (f"Counted as bodyweight exercises (body weight + added load): {', '.join(counted) or 'none logged'}. "
            "Add names with [strength] bodyweight_exercises.")


def last_session_table(chosen: pd.DataFrame, units: Units, bodyweight: bool) -> pd.DataFrame:
    """The latest session's sets as shown: load in the display unit; RPE / RIR columns only when logged."""
    table = sa.last_session(chosen)
    load = f"{'added load' if bodyweight else 'load'} ({units.mass})"
    table = table.assign(load_kg=(table.load_kg * units.kg_factor).round(1)).rename(
        columns={"set_number": "set", "load_kg": load, "rpe": "RPE", "rir": "RIR"})
    return table.drop(columns=[c for c in ("RPE", "RIR") if table[c].isna().all()])


def crossfit_view(sets: pd.DataFrame, body: pd.DataFrame | None = None, *, exercise: str, start: pd.Timestamp,
                  end: pd.Timestamp, units: Units, bodyweight_extra: tuple[str, ...] = ()) -> CrossfitView:
    """The page for `exercise` in [start, end]; `body` (weigh-ins) is needed only for a bodyweight exercise."""
    in_range = sa.in_range(sets, start, end)
    volume = volume_figure(sa.weekly_volume(in_range), units)
    chosen = in_range[in_range.exercise == exercise]
    if chosen.empty:
        return CrossfitView(empty=True, volume=volume)
    bodyweight = sa.is_bodyweight(exercise, bodyweight_extra)
    last = {"last_session": last_session_table(chosen, units, bodyweight), "last_date": chosen.session_date.max()}
    if bodyweight:
        chosen = sa.with_bodyweight(chosen, body, bodyweight_extra)
        summary = sa.exercise_summary(chosen)
        weighed = chosen.dropna(subset=["effective_load_kg"])
        return CrossfitView(
            empty=False, volume=volume, bodyweight=True, **last,
            metrics=(("Most reps in a set", f"{summary['max_set_reps']:.0f}"),
                     ("Total reps", f"{summary['total_reps']:.0f}"),
                     ("Sets", f"{summary['sets']:.0f}"),
                     ("Sessions", f"{summary['sessions']:.0f}")),
            reps=reps_session_figure(sa.reps_by_session(chosen), exercise),
            scatter=reps_load_figure(weighed, exercise, units, "effective_load_kg"),
            caption=f"Bodyweight exercise: every set counts in the reps above. The load chart shows body weight + "
                    f"added load for the {len(weighed)} of {len(chosen)} sets done on a day with a weigh-in.",
        )
    summary = sa.exercise_summary(chosen)
    maxes = sa.rep_maxes(chosen)
    maxes["load"] = (maxes.pop("load_kg") * units.kg_factor).round(1)
    return CrossfitView(
        empty=False, volume=volume, **last,
        metrics=(("Heaviest load", f"{summary['heaviest_load_kg'] * units.kg_factor:.1f} {units.mass}"),
                 ("Total reps", f"{summary['total_reps']:.0f}"),
                 ("Sets", f"{summary['sets']:.0f}"),
                 ("Average load per rep", f"{summary['average_load_per_rep_kg'] * units.kg_factor:.1f} {units.mass}")),
        scatter=reps_load_figure(chosen, exercise, units),
        e1rm=e1rm_figure(sa.e1rm_by_session(chosen), exercise, units),
        rep_maxes=maxes.rename(columns={"reps": "rep max", "load": f"load ({units.mass})"}),
    )
