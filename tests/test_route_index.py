"""Every run's heatmap line kept in one blob (core/activity/route_index.py): read once from the streams, the
privacy zones cut as the lines are read, never nearer home than the stream's own first point outside them."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pandas as pd
import pytest

from core.activity.codec import blob_name, decode_stream
from core.activity.efforts_index import run_efforts
from core.activity.geo import haversine_m
from core.activity.hr_index import run_heart_rates
from core.activity.route_index import ROUTES, run_lines
from core.activity.storage import save_detail
from core.analytics.routes import spaced, visible_route
from tests.stream_helpers import stream_of
from tests.test_efforts_index import CountingStore
from tests.test_run_view import runs_frame

HOME = (48.8566, 2.3522, 300.0)


def out_and_back(metres: float = 3000, n: int = 601, bearing_deg: float = 90.0):
    """A run from home out `metres` on a bearing and back, 1 s apart, with positions."""
    d = np.concatenate((np.linspace(0, metres, n), np.linspace(metres, 0, n)[1:]))
    lat = HOME[0] + d * np.cos(np.radians(bearing_deg)) / 111_195
    lon = HOME[1] + d * np.sin(np.radians(bearing_deg)) / (111_195 * np.cos(np.radians(HOME[0])))
    return stream_of(np.arange(len(d), dtype=float), lat_deg=lat, lon_deg=lon)


def runs(keys: str) -> pd.DataFrame:
    return runs_frame([(k, f"2026-05-0{i + 1} 08:00", 6000, 1800) for i, k in enumerate(keys)])


def test_the_kept_line_is_the_streams_own_points_a_point_every_25_m_cut_at_home(store):
    """The line read back is the stream's 25 m points to 0.1 m; with a privacy zone no point of its start or
    end stretch lies inside it and it starts no nearer home than the stream's first point outside."""
    stream = out_and_back()
    save_detail(store, "a", stream)
    lines, broken = run_lines(store, runs("a"), ())
    kept = decode_stream(store.get_blob(blob_name("a")))
    expected = spaced(visible_route(kept))
    assert broken == 0 and lines["a"] == pytest.approx(expected, abs=2e-6)
    cut, _ = run_lines(store, runs("a"), (HOME,))
    near = haversine_m(cut["a"][:, 0], cut["a"][:, 1], HOME[0], HOME[1])
    first_outside = spaced(visible_route(kept, [HOME]))[0]
    assert near[0] > HOME[2] and near[-1] > HOME[2]
    assert near[0] >= haversine_m(first_outside[0], first_outside[1], HOME[0], HOME[1]) - 1e-6
    assert len(cut["a"]) < len(lines["a"])


def test_streams_are_read_once_and_a_new_privacy_zone_reads_none(store):
    """The first heatmap opens every stream; the next, and one with a different privacy zone, open none; a
    new run's stream is the only one opened next; a run without positions has no line."""
    counting = CountingStore(store)
    for i, key in enumerate("ab"):
        save_detail(store, key, out_and_back(bearing_deg=90.0 * i))
    save_detail(store, "t", stream_of(np.arange(0, 601.0), np.arange(0, 601.0) * 3))  # a treadmill: no positions
    first, _ = run_lines(counting, runs("abt"), ())
    assert set(first) == {"a", "b"} and counting.stream_reads == 3
    run_lines(counting, runs("abt"), (HOME,))
    assert counting.stream_reads == 3
    save_detail(store, "c", out_and_back(bearing_deg=180.0))
    assert set(run_lines(counting, runs("abtc"), ())[0]) == {"a", "b", "c"} and counting.stream_reads == 4


def test_a_damaged_stream_is_counted_and_a_tampered_line_left_out(store, caplog):
    """A stream that cannot be decoded is counted for the page's note; a kept line altered to a length that is
    not whole points, or to text that is not base64, is logged and left out; the other runs keep theirs."""
    for key in "ab":
        save_detail(store, key, out_and_back())
    store.put_blob(blob_name("x"), b"FDST garbage")
    lines, broken = run_lines(store, runs("abx"), ())
    assert set(lines) == {"a", "b"} and broken == 1
    body = json.loads(zlib.decompress(store.get_blob(ROUTES.blob)))
    body["runs"]["a"]["line"] = body["runs"]["a"]["line"][:-8] + "AAA="  # a length that is not whole points
    body["runs"]["b"]["line"] = "not base64 at all!"
    store.put_blob(ROUTES.blob, zlib.compress(json.dumps(body).encode()))
    lines, broken = run_lines(store, runs("abx"), ())
    assert lines == {} and broken == 1 and "run a" in caplog.text and "run b" in caplog.text


def test_a_stream_opened_for_one_kept_index_fills_them_all(store):
    """After an import, the Running page's best efforts open each new stream once; its heart-rate summaries and
    the heatmap's lines then need no stream read, and give what they would have computed themselves."""
    for i, key in enumerate("ab"):
        save_detail(store, key, out_and_back(bearing_deg=90.0 * i))
    counting = CountingStore(store)
    _, with_stream = run_efforts(counting, runs("ab"))
    assert with_stream == 2 and counting.stream_reads == 2
    lines, _ = run_lines(counting, runs("ab"), ())
    run_heart_rates(counting, runs("ab"))
    assert counting.stream_reads == 2, "the other indexes were filled in the same pass"
    kept = decode_stream(store.get_blob(blob_name("b")))
    assert lines["b"] == pytest.approx(spaced(visible_route(kept)), abs=2e-6)
    run_efforts(counting, runs("abc"))  # a run without a stream: looked up once, for every index
    run_lines(counting, runs("abc"), ())
    assert counting.stream_reads == 3
