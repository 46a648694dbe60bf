"""Training load per strength or CrossFit session (one session per log date), in the runs' load points.

- Session RPE (Foster et al. 2001): load = session RPE (0-10) x minutes, in arbitrary units (AU).
  The log's RPE is per set: the session's RPE is the mean of its sets' `rpe`, or of 10 - `rir`
  where only reps in reserve are logged (the RIR-based RPE scale, Zourdos et al. 2016); a column
  that is absent, or empty for a session, means no RPE.
- Minutes: the log's `session_duration_s` when it has one (the longest of the session's rows),
  else MINUTES_PER_SET per set (labelled "estimated duration").
- Without any RPE, a volume estimate: AU = AU_PER_RELATIVE_REP x sum of reps x relative intensity,
  the relative intensity being load / the exercise's e1RM (Epley, core.analytics.strength) as best
  known up to that session (never a later one); bodyweight or unloaded sets count at
  BODYWEIGHT_INTENSITY. The constant makes a reference session (15 sets of 5 at 80 % e1RM, 45 min at
  RPE 7 = 315 AU) score the same both ways.
- Load points = AU / AU_PER_POINT: an hour at RPE 7 ("very hard", what an hour at threshold feels
  like) is 100 points, an hour at threshold on the run side.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.analytics.strength import epley, is_bodyweight

MINUTES_PER_SET = 3.0  # a working set plus its rest; only used when the log has no duration
REFERENCE_AU = 7 * 45  # 15 sets x 5 reps at 80 % e1RM, 45 minutes at RPE 7
AU_PER_RELATIVE_REP = REFERENCE_AU / (15 * 5 * 0.8)  # 5.25 AU per rep at 100 % of e1RM
BODYWEIGHT_INTENSITY = 0.4  # a pull-up or burpee is a moderate rep, not a maximal one (an assumption)
AU_PER_POINT = 7 * 60 / 100  # 4.2: an hour at RPE 7 = 100 load points
RPE_COLUMN, RIR_COLUMN, DURATION_COLUMN = "rpe", "rir", "session_duration_s"
SESSION_COLUMNS = ["date", "sets", "minutes", "rpe", "srpe_au", "load", "method"]


def relative_intensity(sets: pd.DataFrame) -> pd.Series:
    """load / the exercise's best e1RM up to and including that session; BODYWEIGHT_INTENSITY when unloaded."""
    names = sets.exercise.fillna("")
    bodyweight = names.map({name: is_bodyweight(name) for name in names.unique()}).astype(bool)  # once per name
    loaded = (sets.load_kg > 0) & (sets.reps > 0) & ~bodyweight
    work = sets[loaded].assign(e1rm=epley(sets.load_kg[loaded], sets.reps[loaded]))
    best = work.groupby(["exercise", "session_date"]).e1rm.max().groupby(level="exercise").cummax()
    reference = pd.Series(best.reindex(pd.MultiIndex.from_frame(work[["exercise", "session_date"]])).to_numpy(),
                          index=work.index)
    intensity = pd.Series(BODYWEIGHT_INTENSITY, index=sets.index, dtype="float64")
    intensity[loaded] = work.load_kg / reference
    return intensity


def _set_rpe(sets: pd.DataFrame) -> pd.Series:
    """Each set's RPE: logged, else 10 - RIR, else NaN (a missing column is no RPE)."""
    rpe = sets[RPE_COLUMN] if RPE_COLUMN in sets else pd.Series(np.nan, index=sets.index)
    if RIR_COLUMN in sets:
        rpe = rpe.fillna(10 - sets[RIR_COLUMN])
    return pd.to_numeric(rpe, errors="coerce").clip(0, 10)


def strength_loads(sets: pd.DataFrame) -> pd.DataFrame:
    """One row per session date: sets, minutes, session RPE, Foster AU, load points and the method used."""
    if sets.empty:
        return pd.DataFrame(columns=SESSION_COLUMNS).astype({c: "float64" for c in SESSION_COLUMNS[1:6]})
    duration = sets[DURATION_COLUMN] if DURATION_COLUMN in sets else pd.Series(np.nan, index=sets.index)
    frame = pd.DataFrame({"date": sets.session_date, "rpe": _set_rpe(sets),
                          "relative": sets.reps.fillna(0) * relative_intensity(sets),
                          "duration_min": pd.to_numeric(duration, errors="coerce") / 60.0})
    per = frame.groupby("date").agg(sets=("relative", "size"), rpe=("rpe", "mean"), relative=("relative", "sum"),
                                    duration_min=("duration_min", "max"))
    timed = per.duration_min.notna()
    per["minutes"] = per.duration_min.where(timed, per.sets * MINUTES_PER_SET)
    rated = per.rpe.notna()
    per["srpe_au"] = np.where(rated, per.rpe * per.minutes, AU_PER_RELATIVE_REP * per.relative)
    per["load"] = per.srpe_au / AU_PER_POINT
    per["method"] = np.select([rated & timed, rated], ["session RPE x duration", "session RPE x estimated duration"],
                              "volume estimate")
    return per.reset_index()[SESSION_COLUMNS].astype({"sets": "float64"})
