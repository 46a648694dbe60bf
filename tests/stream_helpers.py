"""Streams for tests, built through the same derive rules as a parsed file."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np

from core.activity.derive import Decoded, make_stream
from core.activity.model import Stream

START = datetime(2026, 5, 1, 7, 0, tzinfo=UTC)


def stream_of(t, distance_m=None, start: datetime = START, pauses=(), **columns) -> Stream:
    """A stream from times (s from `start`) and any columns; pauses as (stop, restart) seconds from start."""
    epoch = np.asarray(t, dtype=float) + start.timestamp()
    cols = {k: np.asarray(v, dtype=float) for k, v in columns.items()}
    if distance_m is not None:
        cols["distance_m"] = np.asarray(distance_m, dtype=float)
    offset = start.timestamp()
    return make_stream(Decoded("fit", epoch, cols, [(a + offset, b + offset) for a, b in pauses]))


def random_run(rng: np.random.Generator, n: int) -> Stream:
    """A run of n samples, 1-5 s apart, at random speeds including standing still."""
    dt = rng.integers(1, 6, n - 1)
    speed = np.where(rng.random(n - 1) < 0.1, 0.0, rng.uniform(1.5, 6.0, n - 1))
    t = np.concatenate(([0], np.cumsum(dt)))
    return stream_of(t, np.concatenate(([0.0], np.cumsum(speed * dt))))
