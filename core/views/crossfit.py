"""What the CrossFit page shows for one exercise and range: headline numbers, figures, rep maxes, weekly volume."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from core.analytics import strength as sa
from core.units import Units
from core.views.charts.crossfit import e1rm_figure, reps_load_figure, reps_session_figure, volume_figure
from core.views.format import format_number


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
    history: pd.DataFrame | None = None  # every session in the range, newest first, with its sets


def exercise_names(sets: pd.DataFrame) -> list[str]:
    """Every logged exercise, sorted."""
    return sorted(sets.exercise.dropna().unique())


def needs_weigh_ins(exercise: str | None, extra: tuple[str, ...] = ()) -> bool:
    """True when the view of this exercise needs the weigh-ins: a bodyweight exercise's load includes the body."""
    return bool(exercise) and sa.is_bodyweight(exercise, extra)


def bodyweight_caption(sets: pd.DataFrame, extra: tuple[str, ...] = ()) -> str:
    """Which logged exercises count as bodyweight, and the setting that adds more."""
    counted = sa.bodyweight_names(sets.exercise.dropna().unique(), extra)
    return (f"Counted as bodyweight exercises (their charts show the added load; body weight is not counted): "
            f"{', '.join(counted) or 'none logged'}. Add names with [strength] bodyweight_exercises.")


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
    last = {"last_session": last_session_table(chosen, units, bodyweight), "last_date": chosen.session_date.max(),
            "history": history_table(chosen, units, bodyweight)}
    mass = lambda kg: f"{format_number(kg * units.kg_factor)} {units.mass}"  # noqa: E731
    if bodyweight:
        summary = sa.exercise_summary(chosen)
        return CrossfitView(
            empty=False, volume=volume, bodyweight=True, **last,
            metrics=(("Most reps in a set", format_number(summary["max_set_reps"], 0)),
                     ("Total reps", format_number(summary["total_reps"], 0)),
                     ("Sets", format_number(summary["sets"], 0)),
                     ("Sessions", format_number(summary["sessions"], 0))),
            reps=reps_session_figure(sa.reps_by_session(chosen), exercise),
            scatter=reps_load_figure(chosen, exercise, units, bodyweight=True),
            caption=_bodyweight_note(sa.with_bodyweight(chosen, body, bodyweight_extra), units),
        )
    summary = sa.exercise_summary(chosen)
    every_session = sa.e1rm_by_session(sets[sets.exercise == exercise])  # a PR beats every earlier session
    records = sa.e1rm_records(every_session)
    shown = every_session.session_date.between(start, end)
    return CrossfitView(
        empty=False, volume=volume, **last,
        metrics=(("Heaviest load", mass(summary["heaviest_load_kg"])),
                 ("Total reps", format_number(summary["total_reps"], 0)),
                 ("Sets", format_number(summary["sets"], 0)),
                 ("Average load per rep", mass(summary["average_load_per_rep_kg"]))),
        scatter=reps_load_figure(chosen, exercise, units),
        e1rm=e1rm_figure(every_session[shown], exercise, units, records[shown]),
        rep_maxes=rep_max_table(sa.rep_maxes(chosen), units),
    )


def rep_max_table(maxes: pd.DataFrame, units: Units) -> pd.DataFrame:
    """Rep maxes in the display unit, with a note when the heaviest set for N reps had more reps (3RM = 1RM)."""
    return pd.DataFrame({"rep max": maxes.reps, "date": maxes.date,
                         f"load ({units.mass})": (maxes.load_kg * units.kg_factor).round(1),
                         "note": [rep_max_note(n, r) for n, r in zip(maxes.reps, maxes.set_reps, strict=True)]})


def rep_max_note(reps: int, set_reps: float) -> str:
    """Why an N-rep max can equal a larger one: no heavier set of N up to the set's reps was logged."""
    if pd.isna(set_reps) or set_reps <= reps:
        return ""
    short = {(1, 2): "single", (1, 3): "single or double"}
    fewer = short.get((reps, int(set_reps))) or (f"set of {reps} reps" if set_reps == reps + 1
                                                 else f"set of {reps} to {int(set_reps) - 1} reps")
    return f"no heavier {fewer} logged, so this is the {int(set_reps)}-rep set"


def history_table(chosen: pd.DataFrame, units: Units, bodyweight: bool) -> pd.DataFrame:
    """Every session of one exercise, newest first: its sets as 'reps x load' in set order, and its totals."""
    history = sa.session_history(chosen)
    ordered = chosen.sort_values(["session_date", "set_number"], kind="stable")
    sets_text = ordered.groupby("session_date").apply(
        lambda day: ", ".join(f"{r:.0f} x {format_number(kg * units.kg_factor, 2)}"
                              for r, kg in zip(day.reps, day.load_kg, strict=True)), include_groups=False)
    load = f"{'added load' if bodyweight else 'load'} ({units.mass})"
    return pd.DataFrame({"date": history.index, f"sets (reps x {load})": sets_text.reindex(history.index).to_numpy(),
                         "reps": history.reps.to_numpy(),
                         f"heaviest ({units.mass})": (history.top_load_kg * units.kg_factor).round(2).to_numpy(),
                         f"volume ({units.mass})": (history.volume_kg * units.kg_factor).round(0).to_numpy()})


def _bodyweight_note(weighed: pd.DataFrame, units: Units) -> str:
    """What the bodyweight load chart shows, and the body weight it leaves out."""
    body = weighed.effective_load_kg - weighed.load_kg
    known = body.dropna()
    weight = ("no weigh-in on those days" if known.empty else
              f"{format_number(known.mean() * units.kg_factor)} {units.mass} on average on the {len(known)} of "
              f"{len(weighed)} sets' days with a weigh-in")
    return (f"Bodyweight exercise: every set counts in the reps above. The load chart shows the added load only "
            f"(0 = body weight alone); your body weight ({weight}) comes on top.")
