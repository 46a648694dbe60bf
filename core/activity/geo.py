"""Distances on the Earth's surface, vectorised over numpy arrays of degrees."""

from __future__ import annotations

import numpy as np

EARTH_RADIUS_M = 6_371_008.8  # the IUGG mean Earth radius; haversine on a sphere is within 0.5 % of WGS-84


def haversine_m(lat1, lon1, lat2, lon2) -> np.ndarray:
    """Great-circle distance in metres between points given in degrees (arrays broadcast)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    h = np.sin(dlat / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def cumulative_distance_m(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distance covered at each sample along the positions; samples without a position carry the last value."""
    out = np.full(len(lat), np.nan)
    valid = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon))
    if len(valid) == 0:
        return out
    steps = haversine_m(lat[valid[:-1]], lon[valid[:-1]], lat[valid[1:]], lon[valid[1:]])
    out[valid] = np.concatenate(([0.0], np.cumsum(steps)))
    return forward_fill(out, first=0.0)


def forward_fill(values: np.ndarray, first: float = np.nan) -> np.ndarray:
    """NaNs replaced by the last value before them; leading NaNs by `first`."""
    index = np.where(np.isfinite(values), np.arange(len(values)), -1)
    np.maximum.accumulate(index, out=index)
    return np.where(index >= 0, values[np.maximum(index, 0)], first)
