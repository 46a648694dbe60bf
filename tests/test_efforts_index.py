"""Every run's best efforts from its stored stream, computed once and kept (core/activity/efforts_index.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from core.activity.codec import blob_name
from core.activity.efforts_index import INDEX_BLOB, run_efforts
from core.activity.storage import save_detail
from tests.stream_helpers import stream_of
from tests.test_run_view import runs_frame


def hand_made():
    """2 km: the first km at 4 m/s (250 s), the second at 5 m/s (200 s); 1 s samples."""
    t = np.arange(0, 451.0)
    return stream_of(t, np.interp(t, [0, 250, 450], [0, 1000, 2000]))


class CountingStore:
    """A store that counts the stream blobs read (what the index exists to avoid)."""

    def __init__(self, store):
        self.store, self.stream_reads = store, 0

    def get_blob(self, name):
        self.stream_reads += name.startswith("streams/")
        return self.store.get_blob(name)

    def put_blob(self, name, data):
        self.store.put_blob(name, data)


def test_efforts_of_a_hand_computed_stream_and_the_runs_without_one(store):
    """The best 1 km of the hand-made run is its second km (200 s) and its 400 m 80 s; a run without a stream
    has no efforts and is not counted as having one."""
    save_detail(store, "a", hand_made())
    efforts, with_stream = run_efforts(store, runs_frame([("a", "2026-05-01 08:00", 2000, 450),
                                                          ("b", "2026-05-02 08:00", 5000, 1500)]))
    got = efforts.set_index("effort")
    assert with_stream == 1 and set(efforts.key) == {"a"}
    assert got.loc["1 km", "elapsed_s"] == pytest.approx(200.0) and got.loc["1 km", "start_s"] == pytest.approx(250)
    assert got.loc["400 m", "elapsed_s"] == pytest.approx(80.0)
    assert "5 km" not in got.index


def test_each_stream_is_read_once_then_only_new_or_changed_runs_are(store):
    """A second visit reads no stream; a new run's stream and a changed record's stream are the only ones read
    next; a deleted run leaves the index."""
    counting = CountingStore(store)
    for key in "abc":
        save_detail(store, key, hand_made())
    runs = runs_frame([(k, f"2026-05-0{i + 1} 08:00", 2000, 450) for i, k in enumerate("abc")])
    first, _ = run_efforts(counting, runs)
    assert counting.stream_reads == 3
    again, _ = run_efforts(counting, runs)
    assert counting.stream_reads == 3
    pd.testing.assert_frame_equal(first, again)
    save_detail(store, "d", hand_made())
    changed = runs.copy()
    changed.loc[changed.key == "a", "distance_m"] = 2001.0  # the file import corrected the record
    more = pd.concat([changed[changed.key != "c"], runs_frame([("d", "2026-05-09 08:00", 2000, 450)])])
    efforts, with_stream = run_efforts(counting, more)
    assert counting.stream_reads == 5 and with_stream == 3 and set(efforts.key) == {"a", "b", "d"}


def test_a_damaged_stream_is_left_out_and_a_damaged_index_is_rebuilt(store, caplog):
    """A stream blob that cannot be decoded leaves its run out (logged), the others count; an index blob that
    is not ours is rebuilt from the streams instead of failing the page."""
    save_detail(store, "a", hand_made())
    store.put_blob(blob_name("b"), b"FDST garbage")
    runs = runs_frame([("a", "2026-05-01 08:00", 2000, 450), ("b", "2026-05-02 08:00", 2000, 450)])
    efforts, with_stream = run_efforts(store, runs)
    assert set(efforts.key) == {"a"} and with_stream == 1 and "run b" in caplog.text
    store.put_blob(INDEX_BLOB, b"not zlib at all")
    rebuilt, _ = run_efforts(store, runs)
    pd.testing.assert_frame_equal(rebuilt, efforts)
    assert "rebuilt" in caplog.text
