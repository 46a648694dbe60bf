"""Training load per run, in load points: 100 = one hour at threshold (hrTSS's scale). Definitions:

- TRIMP (Banister 1991): sum over time of minutes x HRr x a x e^(b x HRr), with the heart-rate reserve
  HRr = (HR - resting) / (max - resting) clipped to [0, 1] and (a, b) = (0.64, 1.92) for men,
  (0.86, 1.67) for women (core.analytics.athlete).
- hrTSS (Coggan's TSS scaled to heart rate, as Dreeve does it): TRIMP x 100 / TRIMP of one hour at
  threshold HR, so an hour at threshold is exactly 100.
- Per run, the first method that applies, named in `method`:
  "HR stream": TRIMP summed over the samples (seconds, bpm); a gap above STREAM_GAP_S is a pause;
  "average HR": the whole moving time at the run's average HR;
  "pace estimate" (no HR, or no athlete HR settings): TSS = hours x IF^2 x 100, with the intensity
  IF = ASSUMED_IF x speed / the median speed of the person's runs in the PACE_WINDOW before it
  (clipped to IF_LIMITS): an ordinary run counts as steady (IF 0.75), a faster one as harder;
  "duration estimate": no speed either: IF = ASSUMED_IF.
Strength sessions are in core.analytics.strength_load, on the same scale.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

import numpy as np
import pandas as pd

from core.analytics.athlete import TRIMP_COEFFICIENTS, Athlete

STREAM_GAP_S = 30.0  # smart recording writes every 1-10 s; a longer gap is a pause, not effort
ASSUMED_IF = 0.75  # a typical steady run's intensity factor (TrainingPeaks' endurance range is 0.65-0.8)
IF_LIMITS = (0.5, 1.15)  # a run is neither rest nor a race pace held for hours
PACE_WINDOW = "90D"  # the runs that define 'your usual pace': the last three months
RUN_LOAD_COLUMNS = ["key", "date", "minutes", "trimp", "load", "method"]
Stream = Sequence[tuple[float, float]] | np.ndarray


class HeartRateLoad(Protocol):
    """A run's heart rate that gives its TRIMP (core.analytics.hr_summary.HrSummary)."""

    def trimp(self, resting: float, maximum: float, sex: str) -> float: ...


def hr_reserve(bpm, resting: float, maximum):
    """Fraction of the heart-rate reserve, clipped to [0, 1] (a spike above max counts as max)."""
    return np.clip((np.asarray(bpm, dtype="float64") - resting) / (np.asarray(maximum) - resting), 0.0, 1.0)


def trimp_weight(hrr, sex: str):
    """Banister's per-minute weight HRr x a x e^(b x HRr)."""
    a, b = TRIMP_COEFFICIENTS[sex]
    return hrr * a * np.exp(b * hrr)


def load_intervals(stream: Stream) -> tuple[np.ndarray, np.ndarray]:
    """(seconds, bpm) of each interval of a (seconds, bpm) stream that TRIMP counts: the HR at its start held
    until the next sample, samples without HR dropped, pauses (gaps above STREAM_GAP_S) skipped."""
    samples = np.asarray(stream, dtype="float64")
    if samples.size == 0:
        return np.empty(0), np.empty(0)
    if samples.ndim != 2 or samples.shape[1] != 2:
        raise ValueError(f"an HR stream is a sequence of (seconds, bpm) pairs, not an array of shape {samples.shape}")
    samples = samples[np.isfinite(samples).all(axis=1)]
    samples = samples[np.argsort(samples[:, 0], kind="stable")]
    dt = np.diff(samples[:, 0])
    counted = (dt > 0) & (dt <= STREAM_GAP_S)
    return dt[counted], samples[:-1, 1][counted]


def trimp_from_stream(stream: Stream, resting: float, maximum: float, sex: str) -> float:
    """TRIMP of a heart-rate stream of (seconds, bpm): each sample's HR held until the next, pauses skipped."""
    seconds, bpm = load_intervals(stream)
    return trimp_of_seconds(bpm, seconds, resting, maximum, sex)


def trimp_of_seconds(bpm: np.ndarray, seconds: np.ndarray, resting: float, maximum: float, sex: str) -> float:
    """TRIMP of `seconds` spent at heart rates `bpm`."""
    return float((seconds / 60.0 * trimp_weight(hr_reserve(bpm, resting, maximum), sex)).sum())


def threshold_hour(resting: float, maximum, threshold, sex: str):
    """TRIMP of one hour at threshold HR: the hrTSS divisor."""
    return 60.0 * trimp_weight(hr_reserve(threshold, resting, maximum), sex)


def run_loads(runs: pd.DataFrame, athlete: Athlete, streams: Mapping[str, HeartRateLoad] | None = None) -> pd.DataFrame:
    """One row per run: its local date, minutes, TRIMP (NaN without HR), load points and the method used;
    `streams` holds the heart rate of the runs with an HR stream (core.analytics.hr_summary)."""
    if runs.empty:
        return pd.DataFrame(columns=RUN_LOAD_COLUMNS).astype({"minutes": "float64", "trimp": "float64",
                                                              "load": "float64"})
    runs = runs.sort_values("start_time_utc", kind="stable")
    seconds = runs.moving_time_s.fillna(runs.elapsed_time_s).fillna(0.0).to_numpy(dtype="float64")
    minutes = np.clip(seconds, 0.0, None) / 60.0  # a negative duration (a corrupt file) is no training
    out = pd.DataFrame({"key": runs.key.to_numpy(), "date": runs.start_time_local.dt.normalize().to_numpy(),
                        "minutes": minutes, "trimp": np.nan})
    pace_load, pace_method = _pace_estimate(runs, minutes)
    out["load"], out["method"] = pace_load, pace_method
    if athlete.uses_heart_rate:
        _heart_rate(out, runs, athlete, streams or {})
    return out.reset_index(drop=True)


def _heart_rate(out: pd.DataFrame, runs: pd.DataFrame, athlete: Athlete, streams: Mapping[str, HeartRateLoad]) -> None:
    """Overwrite load and method where heart rate is known: the stream first, else the average."""
    years = runs.start_time_local.dt.year.to_numpy(dtype="float64")
    top, threshold = athlete.max_hr(years), athlete.threshold_hr(years)
    rest, sex = float(athlete.resting_hr_bpm), athlete.sex
    average = runs.average_heartrate_bpm.to_numpy(dtype="float64")
    trimp = out.minutes.to_numpy() * trimp_weight(hr_reserve(average, rest, top), sex)
    method = np.where(np.isnan(average), out.method.to_numpy(), "average HR")
    for i, key in enumerate(out.key):
        if key in streams:
            trimp[i] = streams[key].trimp(rest, top[i], sex)
            method[i] = "HR stream"
    known = ~np.isnan(trimp)
    out["trimp"] = trimp
    out.loc[known, "load"] = (trimp * 100.0 / threshold_hour(rest, top, threshold, sex))[known]
    out["method"] = method


def _pace_estimate(runs: pd.DataFrame, minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """TSS = hours x IF^2 x 100, IF from the speed against the median speed of the runs before it."""
    speed = pd.Series((runs.distance_m / runs.moving_time_s).to_numpy(dtype="float64"),
                      index=pd.DatetimeIndex(runs.start_time_utc))
    speed = speed.where(np.isfinite(speed) & (speed > 0))
    usual = speed.rolling(PACE_WINDOW, closed="left").median().to_numpy()
    usual = np.where(np.isnan(usual), speed.to_numpy(), usual)  # the first run is its own usual pace
    intensity = np.clip(ASSUMED_IF * speed.to_numpy() / usual, *IF_LIMITS)
    method = np.where(np.isnan(intensity), "duration estimate", "pace estimate")
    intensity = np.where(np.isnan(intensity), ASSUMED_IF, intensity)
    return minutes / 60.0 * intensity**2 * 100.0, method
