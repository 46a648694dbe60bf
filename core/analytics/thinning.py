"""Largest-triangle-three-buckets (Steinarsson, 2013): a series thinned to N points keeping its visual shape.

Our own short implementation rather than the `lttb` package: it handles NaN gaps and returns indices, so one
choice of samples can index every column of a stream.
"""

from __future__ import annotations

import numpy as np

from core.activity.model import Stream

MAX_POINTS = 2_000  # per chart: more than a chart's width in pixels, a tenth of a 3-hour 1 Hz run


def lttb_indices(x: np.ndarray, y: np.ndarray, n_out: int = MAX_POINTS) -> np.ndarray:
    """Indices of at most n_out points of (x, y) that keep its shape: the first, the last, and per bucket the
    point making the largest triangle with the previous choice and the next bucket's mean. NaN points are
    skipped; x must not decrease."""
    valid = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    if len(valid) <= max(n_out, 2):
        return valid
    if n_out < 3:
        return valid[[0, -1]]
    xs, ys = x[valid], y[valid]
    edges = np.linspace(1, len(valid) - 1, n_out - 1).astype(int)  # n_out - 2 buckets between first and last
    size = np.diff(np.append(edges, len(valid)))  # the last "bucket" is the last point alone
    cx, cy = np.add.reduceat(xs, edges) / size, np.add.reduceat(ys, edges) / size  # each bucket's mean
    chosen, a, xl, yl, bounds = [0], 0, xs.tolist(), ys.tolist(), edges.tolist()
    for b in range(n_out - 2):  # plain floats: buckets of a few points cost less than numpy calls
        ax, ay, mx, my = xl[a], yl[a], float(cx[b + 1]), float(cy[b + 1])
        best = -1.0
        for i in range(bounds[b], bounds[b + 1]):
            area = abs((ax - mx) * (yl[i] - ay) - (ax - xl[i]) * (my - ay))
            if area > best:
                best, pick = area, i
        a = pick
        chosen.append(a)
    chosen.append(len(valid) - 1)
    return valid[np.array(chosen)]


def thin(stream: Stream, y: str, x: str = "distance_m", n_out: int = MAX_POINTS) -> Stream:
    """The stream's samples that LTTB keeps for a chart of column `y` against `x` (distance or time)."""
    return stream.take(lttb_indices(getattr(stream, x), getattr(stream, y), n_out))
