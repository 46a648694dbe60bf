"""CrossFit / strength analytics. Definitions:

- Estimated one-rep max (e1RM) of a set: Epley load x (1 + reps / 30) and Brzycki
  load x 36 / (37 - reps); a single (1 rep) is its own max. Estimates from sets above
  LOW_CONFIDENCE_REPS reps are flagged low-confidence (both formulas drift apart there).
- Rep max for N reps: the heaviest load lifted for at least N reps in one set.
- Volume: sets x reps x load, i.e. the sum of reps x load over sets, per local Monday-Sunday week.
- Bodyweight exercises (pull-ups, dips, burpees, ...): always shown by reps (per session, and the
  most in one set); effective load = that day's first weigh-in plus any added load, only for sets
  on a day with a weigh-in (no set is dropped: the others count in every reps figure). Names are
  compared without case, spaces, hyphens or a plural s, after a leading "strict", "kipping",
  "butterfly" or "weighted", so "Pull-ups", "pull up", "PU" and "Strict pull-up" are one exercise;
  `[strength] bodyweight_exercises` adds names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from core.analytics import between

LOW_CONFIDENCE_REPS = 10
REP_MAXES = (1, 3, 5, 10)
# Full names and the abbreviations CrossFit boxes write on the whiteboard, compared as `plain()` gives them.
BODYWEIGHT_EXERCISES = ("pull-up", "pu", "chin-up", "chest-to-bar", "c2b", "ctb", "dip", "ring dip", "bar dip",
                        "burpee", "bar-facing burpee", "push-up", "handstand push-up", "hspu", "muscle-up", "mu",
                        "bar muscle-up", "bmu", "ring muscle-up", "rmu", "toes-to-bar", "ttb", "t2b",
                        "knees-to-elbows", "k2e", "air squat", "pistol", "sit-up", "ghd sit-up", "rope climb",
                        "ring row", "box jump", "lunge", "walking lunge")
MODIFIERS = ("strict", "kipping", "butterfly", "weighted")  # the same exercise, done another way or loaded


def plain(exercise: str) -> str:
    """'Strict Pull-Ups ' -> 'pullup': lower case, letters and digits only, no modifier or plural s."""
    text = re.sub(r"[^a-z0-9]", "", exercise.lower())
    for modifier in MODIFIERS:
        if text.startswith(modifier) and len(text) > len(modifier):
            text = text[len(modifier):]
    return text[:-1] if text.endswith("s") and len(text) > 3 and not text.endswith("ss") else text


BODYWEIGHT = frozenset(plain(name) for name in BODYWEIGHT_EXERCISES)


def is_bodyweight(exercise: str, extra: Iterable[str] = ()) -> bool:
    """True for exercises whose load is the body (by name, abbreviations included, plus `extra` names)."""
    name = plain(exercise)
    return name in BODYWEIGHT or name in {plain(e) for e in extra}


def bodyweight_names(exercises: Iterable[str], extra: Iterable[str] = ()) -> list[str]:
    """The logged exercises counted as bodyweight, sorted (shown on the page)."""
    extra = tuple(extra)
    return sorted(e for e in set(exercises) if is_bodyweight(e, extra))


def epley(load: pd.Series | float, reps: pd.Series | float):
    """Epley's estimate; a single is its own max."""
    return np.where(np.asarray(reps) == 1, load, np.asarray(load) * (1 + np.asarray(reps) / 30))


def brzycki(load: pd.Series | float, reps: pd.Series | float):
    """Brzycki's estimate (undefined from 37 reps: NaN); a single is its own max."""
    reps_a, load_a = np.asarray(reps, dtype=float), np.asarray(load, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        estimate = np.where(reps_a < 37, load_a * 36 / (37 - reps_a), np.nan)
    return np.where(reps_a == 1, load_a, estimate)


def in_range(sets: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    """Sets whose session date lies in [start, end] (either bound may be None)."""
    return between(sets, sets.session_date, start, end)


def exercise_summary(sets: pd.DataFrame) -> dict[str, float]:
    """Heaviest load, total reps, sets, sessions, most reps in one set, average load per rep."""
    reps = sets.reps.sum()
    return {
        "heaviest_load_kg": float(sets.load_kg.max()) if not sets.empty else float("nan"),
        "total_reps": float(reps),
        "sets": float(len(sets)),
        "sessions": float(sets.session_date.nunique()),
        "max_set_reps": float(sets.reps.max()) if not sets.empty else float("nan"),
        "average_load_per_rep_kg": float((sets.reps * sets.load_kg).sum() / reps) if reps else float("nan"),
    }


def e1rm_by_session(sets: pd.DataFrame) -> pd.DataFrame:
    """Best Epley and Brzycki estimate per session date, and whether the best set was high-rep."""
    loaded = sets[(sets.load_kg > 0) & (sets.reps > 0)]
    if loaded.empty:
        return pd.DataFrame(columns=["session_date", "epley_kg", "brzycki_kg", "reps", "low_confidence"])
    scored = loaded.assign(epley_kg=epley(loaded.load_kg, loaded.reps), brzycki_kg=brzycki(loaded.load_kg, loaded.reps))
    best = scored.loc[scored.groupby("session_date").epley_kg.idxmax()]
    out = best[["session_date", "epley_kg", "brzycki_kg", "reps"]].reset_index(drop=True)
    out["low_confidence"] = out.reps > LOW_CONFIDENCE_REPS
    return out


def rep_maxes(sets: pd.DataFrame, reps: tuple[int, ...] = REP_MAXES) -> pd.DataFrame:
    """Heaviest load for at least N reps, with its date and the reps of that set (NaN when never done)."""
    rows = []
    for n in reps:
        eligible = sets[sets.reps >= n]
        if eligible.empty:
            rows.append({"reps": n, "load_kg": float("nan"), "date": pd.NaT, "set_reps": float("nan")})
            continue
        top = eligible.loc[eligible.load_kg.idxmax()]
        rows.append({"reps": n, "load_kg": float(top.load_kg), "date": top.session_date, "set_reps": float(top.reps)})
    return pd.DataFrame(rows)


def e1rm_records(e1rm: pd.DataFrame) -> pd.Series:
    """For each session of `e1rm_by_session`, True when its Epley estimate beats every earlier session's (a PR)."""
    ordered = e1rm.sort_values("session_date")
    earlier_best = ordered.epley_kg.cummax().shift(1)
    return (ordered.epley_kg > earlier_best).reindex(e1rm.index)


def session_history(sets: pd.DataFrame) -> pd.DataFrame:
    """One row per session, newest first: sets, reps, heaviest load, volume and best Epley estimate."""
    scored = sets.assign(volume_kg=sets.reps * sets.load_kg, epley_kg=epley(sets.load_kg, sets.reps))
    grouped = scored.groupby("session_date")
    out = grouped.agg(sets=("reps", "size"), reps=("reps", "sum"), top_load_kg=("load_kg", "max"),
                      volume_kg=("volume_kg", "sum"), best_e1rm_kg=("epley_kg", "max"))
    return out.sort_index(ascending=False)


def weekly_volume(sets: pd.DataFrame) -> pd.DataFrame:
    """Volume (reps x load, kg) and number of sessions per local week, indexed by Monday."""
    if sets.empty:
        return pd.DataFrame(columns=["volume_kg", "sessions"], index=pd.DatetimeIndex([], name="week"))
    monday = sets.session_date - pd.to_timedelta(sets.session_date.dt.day_of_week, unit="D")
    frame = sets.assign(week=monday, volume=sets.reps * sets.load_kg)
    out = frame.groupby("week").agg(volume_kg=("volume", "sum"), sessions=("session_date", "nunique"))
    return out.astype("float64")


def reps_by_session(sets: pd.DataFrame) -> pd.DataFrame:
    """Total reps and the most reps in one set per session date (how bodyweight work is followed)."""
    if sets.empty:
        return pd.DataFrame(columns=["reps", "max_set_reps"], index=pd.DatetimeIndex([], name="session_date"),
                            dtype="float64")
    grouped = sets.groupby("session_date").reps
    return pd.DataFrame({"reps": grouped.sum(), "max_set_reps": grouped.max()}).astype("float64")


def last_session(sets: pd.DataFrame) -> pd.DataFrame:
    """The sets of the latest session date, in set order: set, reps, load, RPE, RIR, notes."""
    if sets.empty:
        return sets[["set_number", "reps", "load_kg", "rpe", "rir", "notes"]]
    last = sets[sets.session_date == sets.session_date.max()]
    return last.sort_values(["set_number", "key"], kind="stable")[["set_number", "reps", "load_kg", "rpe", "rir",
                                                                   "notes"]].reset_index(drop=True)


def with_bodyweight(sets: pd.DataFrame, body: pd.DataFrame, extra: Iterable[str] = ()) -> pd.DataFrame:
    """Adds `effective_load_kg`: added load plus that day's first weigh-in for bodyweight exercises."""
    first = body.dropna(subset=["weight_kg"]).sort_values("time_utc").groupby("local_date").weight_kg.first()
    extra = tuple(extra)
    bodyweight = sets.exercise.map(lambda e: is_bodyweight(e, extra))
    day_weight = sets.session_date.map(first)
    effective = np.where(bodyweight, sets.load_kg + day_weight, sets.load_kg)
    return sets.assign(effective_load_kg=effective)
