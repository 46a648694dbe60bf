"""Every run's route for the heatmap, a point every 25 m (core.analytics.routes.spaced), computed from its stream
once and kept in one blob beside the streams (`routes/index.v1`: microdegrees, about 3 kB a 10 km run;
core.activity.run_index says how it is kept). A process's first heatmap then reads one blob, not every stream
(on S3, 1,500 requests for ten years). The privacy zones are cut when the lines are read, so a change of
`[maps] privacy_zones` needs no stream read; the cut falls on a kept point, never closer to home than the
stream's own first point outside every zone."""

from __future__ import annotations

import base64
import binascii
import logging
from collections.abc import Sequence

import numpy as np
import pandas as pd

from core.activity.model import Stream
from core.activity.run_index import RunIndex, indexed_with_damage
from core.analytics.routes import PrivacyZone, spaced, visible_mask

MICRO = 1e6  # microdegrees: 0.1 m, far below a heatmap cell
log = logging.getLogger(__name__)


def _line(stream: Stream) -> str | None:
    """The stream's positions a point every 25 m, as base64 of little-endian int32 microdegree pairs."""
    has = np.isfinite(stream.lat_deg) & np.isfinite(stream.lon_deg)
    line = spaced(np.column_stack((stream.lat_deg[has], stream.lon_deg[has])))
    if len(line) < 2:
        return None
    return base64.b64encode(np.round(line * MICRO).astype("<i4").tobytes()).decode()


ROUTES = RunIndex("routes/index.v1", 1, "route lines", "line", _line)
KEPT_INDEX = ROUTES  # filled with the other kept indexes (core.activity.run_index)


def decode_line(text: str) -> np.ndarray:
    """An (n, 2) array of (lat, lon) degrees from `_line`'s text; ValueError when it is not one."""
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, TypeError) as exc:
        raise ValueError(f"not a kept route ({exc})") from exc
    if len(raw) % 8:
        raise ValueError("a kept route's length is not whole points")
    return np.frombuffer(raw, dtype="<i4").reshape(-1, 2) / MICRO


def run_lines(store, runs: pd.DataFrame, zones: Sequence[PrivacyZone]) -> tuple[dict[str, np.ndarray], int]:
    """Each run's privacy-cut heatmap line by key (runs without positions left out), and how many runs have a
    damaged stored stream; a kept line that cannot be read leaves its run out (logged)."""
    entries, broken = indexed_with_damage(store, runs, ROUTES)
    lines = {}
    for key, text in entries.items():
        if text is None:
            continue
        try:
            line = decode_line(text)
        except ValueError as exc:
            log.warning("run %s: its kept route cannot be read (%s): left out of the heatmap", key, exc)
            continue
        line = line[visible_mask(line[:, 0], line[:, 1], zones)]
        if len(line) >= 2:
            lines[key] = line
    return lines, broken
