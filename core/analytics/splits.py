"""Splits per km or per mile from a run's stream: they add up to the run, the last one partial; fastest and slowest.

Each boundary's time is interpolated where the distance first reaches it, so splits of a 10.3 km run are ten
full kilometres and a 300 m remainder whose elapsed and moving times sum exactly to the run's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.units import M_PER_MI

SPLIT_COLUMNS = ["split", "start_m", "distance_m", "elapsed_s", "moving_s", "pace_s", "elevation_change_m",
                 "avg_hr_bpm", "fastest", "slowest"]
SPLIT_M = {"km": 1000.0, "mi": M_PER_MI}


def splits(stream: Stream, split_m: float = 1000.0) -> pd.DataFrame:
    """One row per split: distance, elapsed and moving time, pace (moving s per split unit), climb, mean HR."""
    d, total = stream.distance_m, _total(stream)
    if not stream.has_time or total <= 0:
        return pd.DataFrame(columns=SPLIT_COLUMNS)
    bounds = np.append(np.arange(0.0, total, split_m), total)
    bounds = bounds[np.append(np.diff(bounds) > 1e-9, True)]  # no zero-length remainder
    elapsed = cumulative_at(d, stream.t_s, bounds)
    moving = cumulative_at(d, moving_seconds(stream), bounds)
    altitude = cumulative_at(d, stream.altitude_m, bounds)
    frame = pd.DataFrame({"split": np.arange(1, len(bounds)), "start_m": bounds[:-1], "distance_m": np.diff(bounds),
                          "elapsed_s": np.diff(elapsed), "moving_s": np.diff(moving),
                          "elevation_change_m": np.diff(altitude), "avg_hr_bpm": _mean_hr(stream, bounds)})
    frame["pace_s"] = frame["moving_s"] / frame["distance_m"] * split_m
    return _mark_extremes(frame, split_m)[SPLIT_COLUMNS]


def _total(stream: Stream) -> float:
    return float(stream.distance_m[-1]) if len(stream) and stream.has("distance_m") else 0.0


def moving_seconds(stream: Stream) -> np.ndarray:
    """Cumulative moving time at each sample."""
    return np.concatenate(([0.0], np.cumsum(np.where(stream.moving[1:], np.diff(stream.t_s), 0.0))))


def cumulative_at(distance: np.ndarray, values: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """`values` where the distance first reaches each target (linear between samples); the last target is the
    last sample (a run's final standing still belongs to its last split)."""
    j = np.clip(np.searchsorted(distance, targets, side="left"), 1, len(distance) - 1)
    d0, d1 = distance[j - 1], distance[j]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.clip(np.where(d1 > d0, (targets - d0) / (d1 - d0), 1.0), 0.0, 1.0)
    out = values[j - 1] + frac * (values[j] - values[j - 1])
    out[targets <= distance[0]] = values[0]
    out[-1] = values[-1]
    return out


def _mean_hr(stream: Stream, bounds: np.ndarray) -> np.ndarray:
    """Time-weighted mean heart rate of the samples ending inside each split (NaN without HR)."""
    hr, dt = stream.heart_rate_bpm[1:], np.diff(stream.t_s)
    split = np.clip(np.searchsorted(bounds, stream.distance_m[1:], side="left") - 1, 0, len(bounds) - 2)
    ok = np.isfinite(hr) & (dt > 0)
    weight = np.bincount(split[ok], dt[ok], minlength=len(bounds) - 1)
    total = np.bincount(split[ok], (hr * dt)[ok], minlength=len(bounds) - 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weight > 0, total / weight, np.nan)


def _mark_extremes(frame: pd.DataFrame, split_m: float) -> pd.DataFrame:
    """Fastest and slowest by pace among full splits (the partial last one only when it is the only split)."""
    full = frame["distance_m"] >= split_m - 1e-6
    ranked = frame["pace_s"].where(full) if full.any() else frame["pace_s"]  # .where(True) raises in pandas 3
    frame["fastest"] = frame.index == ranked.idxmin() if ranked.notna().any() else False
    frame["slowest"] = frame.index == ranked.idxmax() if ranked.notna().any() else False
    return frame
