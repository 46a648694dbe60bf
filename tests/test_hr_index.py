"""Each run's heart rate kept as seconds per bpm (core/analytics/hr_summary.py, core/activity/hr_index.py): the
same zones and TRIMP as the samples, computed once per run and kept, so pages never hold every run's samples."""

from __future__ import annotations

import json
import zlib

import numpy as np
import pandas as pd
import pytest

from core.activity.codec import blob_name, decode_stream, encode_stream
from core.activity.hr_index import HEART_RATE, run_heart_rates
from core.activity.storage import save_detail
from core.analytics.athlete import Athlete
from core.analytics.hr_summary import HrSummary, summarise
from core.analytics.hr_zones import hr_samples, zone_seconds, zones_from_max_hr, zones_from_threshold_hr
from core.analytics.run_load import run_loads, trimp_from_stream
from tests.stream_helpers import stream_of
from tests.test_efforts_index import CountingStore
from tests.test_run_view import runs_frame

ZONES = (zones_from_max_hr(187.0), zones_from_threshold_hr(163.0))


def hr_stream(seed: int, n: int = 3000, whole_bpm: bool = True):
    """A run of n samples 1-40 s apart (some gaps are pauses for TRIMP), HR drifting 90-195 bpm with dropouts,
    and a stopped timer for a while."""
    rng = np.random.default_rng(seed)
    t = np.concatenate(([0.0], np.cumsum(rng.choice([1, 1, 1, 2, 5, 40], n - 1))))
    hr = np.clip(140 + np.cumsum(rng.normal(0, 1.5, n)), 90, 195)
    hr = np.round(hr) if whole_bpm else hr
    hr[rng.random(n) < 0.02] = np.nan  # the strap lost contact
    return stream_of(t, np.cumsum(rng.uniform(0, 5, n)), heart_rate_bpm=hr, pauses=[(t[n // 3], t[n // 3 + 50])])


@pytest.mark.parametrize("whole_bpm", [True, False])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summary_gives_the_same_zones_and_trimp_as_the_samples(seed, whole_bpm):
    """For any zones (max-HR or Friel's) and any resting / max HR and sex, the seconds per bpm give the time in
    zones and the TRIMP the samples give, also for fractional bpm."""
    samples = hr_samples(hr_stream(seed, whole_bpm=whole_bpm))
    summary = summarise(samples)
    for zones in ZONES:
        assert summary.zone_seconds(zones) == pytest.approx(zone_seconds(samples, zones), rel=1e-12)
    for rest, top, sex in ((48.0, 187.0, "male"), (60.0, 172.0, "female"), (40.0, 205.0, "male")):
        assert summary.trimp(rest, top, sex) == pytest.approx(trimp_from_stream(samples, rest, top, sex), rel=1e-12)


def test_a_stored_three_hour_run_is_a_few_hundred_numbers_and_survives_its_blob():
    """A 10,800-sample stream as stored (whole bpm) reduces to at most one entry per bpm; its JSON form gives
    the same zones to the millisecond."""
    t = np.arange(0, 10_801.0)
    hr = 120 + 50 * np.sin(t / 900) + np.random.default_rng(4).normal(0, 3, len(t))
    stream = decode_stream(encode_stream(stream_of(t, t * 3.0, heart_rate_bpm=hr)))
    summary = summarise(hr_samples(stream))
    assert len(summary.bpm) <= 250
    back = HrSummary.from_json(summary.to_json())
    assert back.zone_seconds(ZONES[0]) == pytest.approx(summary.zone_seconds(ZONES[0]), abs=0.01)
    assert back.zone_seconds(ZONES[0]).sum() == pytest.approx(10_800.0)


def test_a_stream_without_heart_rate_has_no_summary():
    """No HR sample at all, or only paused ones: nothing to zone, the run keeps its average-HR estimate."""
    t = np.arange(0, 601.0)
    assert summarise(hr_samples(stream_of(t, t * 3.0))) is None
    assert summarise(np.empty((0, 2))) is None


def test_each_runs_heart_rate_is_read_from_its_stream_once_then_from_the_index(store):
    """The first call opens each stream; later calls open none; a new run's stream is the only one opened next;
    a run without HR or without a stream has no summary; the loads from the index equal those from the streams."""
    counting = CountingStore(store)
    streams = {k: hr_stream(seed) for seed, k in enumerate("ab")}
    for key, stream in streams.items():
        save_detail(store, key, stream)
    save_detail(store, "c", stream_of(np.arange(0, 601.0), np.arange(0, 601.0) * 3))  # no HR
    runs = runs_frame([(k, f"2026-05-0{i + 1} 08:00", 5000, 1500) for i, k in enumerate("abcd")])
    runs["elapsed_time_s"] = runs.moving_time_s
    first = run_heart_rates(counting, runs)
    assert set(first) == {"a", "b"} and counting.stream_reads == 4  # d: looked up, none stored
    again = run_heart_rates(counting, runs)
    assert counting.stream_reads == 4 and set(again) == {"a", "b"}
    athlete = Athlete("male", resting_hr_bpm=50.0, max_hr_bpm=190.0, threshold_hr_bpm=170.0)
    direct = {k: summarise(hr_samples(decode_stream(store.get_blob(blob_name(k))))) for k in "ab"}
    pd.testing.assert_frame_equal(run_loads(runs, athlete, again), run_loads(runs, athlete, direct))
    assert run_loads(runs, athlete, again).method.tolist()[:2] == ["HR stream", "HR stream"]
    save_detail(store, "e", hr_stream(7))
    more = pd.concat([runs, runs_frame([("e", "2026-05-09 08:00", 5000, 1500)]).assign(elapsed_time_s=1500)])
    assert set(run_heart_rates(counting, more)) == {"a", "b", "e"} and counting.stream_reads == 5


def test_a_damaged_stream_a_damaged_index_and_a_tampered_entry_never_fail_the_page(store, caplog):
    """A stream that cannot be decoded leaves its run to the average HR; an index that is not ours is rebuilt;
    an entry whose lists were tampered with is logged and left out, the other runs keep theirs."""
    save_detail(store, "a", hr_stream(1))
    save_detail(store, "b", hr_stream(2))
    store.put_blob(blob_name("x"), b"FDST garbage")
    runs = runs_frame([("a", "2026-05-01 08:00", 5000, 1500), ("b", "2026-05-02 08:00", 5000, 1500),
                       ("x", "2026-05-03 08:00", 5000, 1500)])
    assert set(run_heart_rates(store, runs)) == {"a", "b"} and "run x" in caplog.text
    store.put_blob(HEART_RATE.blob, b"not zlib at all")
    assert set(run_heart_rates(store, runs)) == {"a", "b"} and "rebuilt" in caplog.text
    body = json.loads(zlib.decompress(store.get_blob(HEART_RATE.blob)))
    body["runs"]["a"]["hr"]["zone_s"] = [1.0]  # lengths no longer agree
    store.put_blob(HEART_RATE.blob, zlib.compress(json.dumps(body).encode()))
    assert set(run_heart_rates(store, runs)) == {"b"} and "run a" in caplog.text
