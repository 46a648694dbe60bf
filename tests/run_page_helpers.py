"""Runs with streams for the run page, the best efforts and the heatmap: demo runs given a stored stream."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from core.activity import read_activity
from core.activity.derive import Decoded, make_stream
from core.activity.model import Lap, Stream
from core.activity.storage import save_detail
from core.records import RUN
from tests.fixtures.make_activity_files import synthetic_run

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"


def stream_from_samples(run) -> Stream:
    """A synthetic run (tests/fixtures/make_activity_files.py) as the stream its file would give, without
    writing the file (0.06 s for an hour instead of 1 s through the FIT encoder and parser)."""
    s = run.samples
    cols = {"distance_m": [x.distance_m for x in s], "lat_deg": [x.lat for x in s], "lon_deg": [x.lon for x in s],
            "altitude_m": [x.altitude_m for x in s], "speed_mps": [x.speed_mps for x in s],
            "heart_rate_bpm": [np.nan if x.heart_rate is None else x.heart_rate for x in s],
            "cadence_rpm": [x.cadence for x in s]}
    pauses = [(a.timestamp(), b.timestamp()) for a, b in run.pauses]
    return make_stream(Decoded("fit", np.array([x.time.timestamp() for x in s]),
                               {k: np.asarray(v, dtype=float) for k, v in cols.items()}, pauses))


def synthetic_stream(start: datetime, seconds: int, seed: int = 1, origin=(48.8566, 2.3522)) -> Stream:
    """A synthetic run's stream: `seconds` long at 1 Hz from `origin`."""
    return stream_from_samples(synthetic_run(start, seconds, seed=seed, origin=origin))


def fixture(name: str):
    """A parsed activity fixture (tests/fixtures/activity/)."""
    return read_activity((FIXTURES / name).read_bytes(), name)


def demo_run_keys(store, count: int) -> list[str]:
    """The keys of the latest `count` runs of a demo store, latest first."""
    runs = store.read(RUN).sort_values("start_time_utc", ascending=False)
    return list(runs.key.head(count))


def attach(store, key: str, stream: Stream, laps: tuple[Lap, ...] = ()) -> None:
    """Store a stream (and laps) as the detail of the run with this key."""
    save_detail(store, key, stream, laps)


STREAM_FIXTURES = {"fit": "run_midnight_paris.fit", "gpx": "route_no_time.gpx", "treadmill": "treadmill.fit"}


def attach_fixture_streams(store) -> dict[str, str]:
    """Give the demo's 2nd, 3rd and 4th latest runs the streams of a FIT with laps, a GPX without time and a
    treadmill FIT; the latest keeps none. The run keys by kind: none, fit, gpx, treadmill."""
    keys = demo_run_keys(store, 1 + len(STREAM_FIXTURES))
    for key, name in zip(keys[1:], STREAM_FIXTURES.values(), strict=True):
        parsed = fixture(name)
        attach(store, key, parsed.stream, parsed.activity.laps)
    return dict(zip(["none", *STREAM_FIXTURES], keys, strict=True))
