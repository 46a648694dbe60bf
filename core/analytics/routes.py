"""What of a route may be drawn: privacy zones cut its start and end; the heatmap's input from many routes.

A privacy zone is a circle (lat, lon, radius in metres), typically around home. The samples from the start
until the route first leaves every zone, and from its last exit to the end, are left out of what is drawn;
the run's statistics still use every sample.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from core.activity.geo import EARTH_RADIUS_M, haversine_m
from core.activity.model import Stream

PrivacyZone = tuple[float, float, float]  # latitude and longitude in degrees, radius in metres
M_PER_DEG_LAT = np.pi * EARTH_RADIUS_M / 180
HEATMAP_SPACING_M = 25.0  # a heatmap line keeps a point every 25 m: finer than a street at city zoom
HEATMAP_CELL_M = 100.0  # a grid cell of about 100 x 100 m


def visible_mask(lat: np.ndarray, lon: np.ndarray, zones: Sequence[PrivacyZone]) -> np.ndarray:
    """True for the samples that may be drawn: with a position, from the first to the last sample outside
    every zone (an all-inside route draws nothing)."""
    has = np.isfinite(lat) & np.isfinite(lon)
    inside = np.zeros(len(lat), bool)
    for zlat, zlon, radius in zones:
        inside |= haversine_m(lat, lon, zlat, zlon) <= radius
    outside = np.flatnonzero(has & ~inside)
    visible = np.zeros(len(lat), bool)
    if len(outside):
        visible[outside[0]:outside[-1] + 1] = True
    return visible & has


def visible_route(stream: Stream, zones: Sequence[PrivacyZone] = ()) -> np.ndarray:
    """The route to draw as an (n, 2) array of (lat, lon), its start and end cut by the privacy zones."""
    keep = visible_mask(stream.lat_deg, stream.lon_deg, zones)
    return np.column_stack((stream.lat_deg[keep], stream.lon_deg[keep]))


def spaced(route: np.ndarray, spacing_m: float = HEATMAP_SPACING_M) -> np.ndarray:
    """The route thinned to about one point per `spacing_m` metres along it (first and last kept)."""
    if len(route) < 3:
        return route
    steps = haversine_m(route[:-1, 0], route[:-1, 1], route[1:, 0], route[1:, 1])
    along = np.concatenate(([0.0], np.cumsum(steps)))
    keep = np.flatnonzero(np.diff(np.floor(along / spacing_m), prepend=-1) > 0)
    return route[np.unique(np.append(keep, len(route) - 1))]


def heatmap_grid(lines: Iterable[np.ndarray], cell_m: float = HEATMAP_CELL_M, min_count: int = 1) -> pd.DataFrame:
    """Grid cells crossed by at least `min_count` runs (each run counts once per cell): centre lat, lon, count."""
    lines = [line for line in lines if len(line)]
    if not lines:
        return pd.DataFrame(columns=["lat_deg", "lon_deg", "count"])
    dlat = cell_m / M_PER_DEG_LAT
    dlon = dlat / np.cos(np.radians(np.median(np.concatenate([line[:, 0] for line in lines]))))
    cells = pd.concat([pd.DataFrame({"i": np.floor(line[:, 0] / dlat), "j": np.floor(line[:, 1] / dlon),
                                     "run": k}).drop_duplicates() for k, line in enumerate(lines)])
    counts = cells.groupby(["i", "j"]).size().rename("count").reset_index()
    counts = counts[counts["count"] >= min_count]
    return pd.DataFrame({"lat_deg": (counts["i"] + 0.5) * dlat, "lon_deg": (counts["j"] + 0.5) * dlon,
                         "count": counts["count"]}).reset_index(drop=True)
