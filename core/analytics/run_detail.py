"""One run in detail, from its stream: its pace per sample, the route to draw, and which heart-rate zones apply."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.activity.derive import MOVING_SPEED_MPS
from core.activity.model import Stream
from core.analytics.athlete import Athlete
from core.analytics.athlete import run_zones as zones_on_days
from core.analytics.hr_zones import Zones, setting_on
from core.analytics.routes import PrivacyZone, spaced, visible_mask
from core.analytics.thinning import MAX_POINTS

PACE_SMOOTHING_S = 15  # a centred 15-sample mean: watch speed (and GPS-derived speed more so) jitters per second
MIN_ROUTE_SPACING_M = 2.0  # a map line needs no point closer than 2 m to the previous


def pace_s(stream: Stream, m_per_unit: float) -> np.ndarray:
    """Seconds per distance unit at each sample, smoothed; NaN while paused or slower than walking."""
    speed = pd.Series(stream.speed_mps).rolling(PACE_SMOOTHING_S, center=True, min_periods=1).mean().to_numpy()
    moving = (speed >= MOVING_SPEED_MPS) & ~stream.paused
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(moving, m_per_unit / speed, np.nan)


def map_route(lat: np.ndarray, lon: np.ndarray, zones: Sequence[PrivacyZone] = (),
              max_points: int = MAX_POINTS) -> np.ndarray:
    """The (lat, lon) route to draw: the privacy zones' start and end cut, at most about max_points points
    spaced evenly along it."""
    keep = visible_mask(lat, lon, zones)
    route = np.column_stack((lat[keep], lon[keep]))
    if len(route) <= max_points:
        return route
    steps = np.hypot(np.diff(route[:, 0]), np.diff(route[:, 1]) * np.cos(np.radians(route[0, 0]))) * 111_195
    spacing = max(MIN_ROUTE_SPACING_M, float(steps.sum()) / (max_points - 1))
    out = spaced(route, spacing)
    return out if len(out) <= max_points else out[np.linspace(0, len(out) - 1, max_points).astype(int)]


def run_zones(athlete: Athlete, day: pd.Timestamp) -> tuple[Zones | None, str]:
    """The zones for a run on local `day` (athlete.run_zones: dated `[athlete] hr_zones` entries, then threshold HR,
    then max HR, configured or 220 - age) and a sentence saying where they come from (None and what to set when
    neither a threshold nor a max HR is known)."""
    zones = zones_on_days(athlete, pd.Series([day.normalize()]))[0]
    if zones is None:
        return None, "Set [athlete] max_hr_bpm or threshold_hr_bpm to see the time in heart-rate zones."
    if athlete.hr_zones:
        setting = athlete.hr_zones[int(setting_on(athlete.hr_zones, pd.Series([day.normalize()]))[0])]
        basis = f"a threshold HR of {setting.threshold_hr_bpm:.0f} bpm" if setting.threshold_hr_bpm is not None \
            else f"a max HR of {setting.max_hr_bpm:.0f} bpm"
        return zones, f"Zones from {basis} ([athlete] hr_zones, from {setting.start.day} {setting.start:%b %Y})."
    if athlete.threshold_hr_bpm is not None:
        return zones, \
            f"Friel's zones from a threshold HR of {athlete.threshold_hr_bpm:.0f} bpm ([athlete] threshold_hr_bpm)."
    top = float(athlete.max_hr(np.array([day.year]))[0])
    source = "[athlete] max_hr_bpm" if athlete.max_hr_bpm is not None else "220 - age, an estimate: set " \
                                                                           "[athlete] max_hr_bpm"
    return zones, f"Zones from a max HR of {top:.0f} bpm ({source})."
