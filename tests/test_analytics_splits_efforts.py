"""Splits that add up to the run, and true best efforts checked by hand and against brute force."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core.activity import read_activity
from core.analytics.efforts import BEST_EFFORT_DISTANCES_M, best_effort, best_efforts
from core.analytics.splits import SPLIT_COLUMNS, SPLIT_M, splits
from tests.stream_helpers import random_run, stream_of

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"
TIMED = ["run_paused.fit", "run_midnight_paris.fit", "treadmill.fit", "run.gpx.gz", "run_blank_lines.tcx",
         "run_no_distance.tcx.gz"]


def three_paces():
    """1 km at 4 m/s, 1 km at 5 m/s, 500 m at 2 m/s, sampled every second."""
    t = np.arange(0, 701.0)
    d = np.interp(t, [0, 250, 450, 700], [0, 1000, 2000, 2500])
    return stream_of(t, d, heart_rate_bpm=np.where(t <= 250, 140, np.where(t <= 450, 160, 120)))


def test_splits_of_a_hand_made_run():
    """Two full kilometres and a 500 m remainder with their times; fastest is the 5 m/s km, slowest the 4 m/s
    one (the partial last split is not ranked)."""
    frame = splits(three_paces())
    assert frame[["distance_m", "elapsed_s", "moving_s", "pace_s"]].values.ravel().tolist() == pytest.approx(
        [1000, 250, 250, 250, 1000, 200, 200, 200, 500, 250, 250, 500])
    assert (frame["fastest"].tolist(), frame["slowest"].tolist()) == ([False, True, False], [True, False, False])
    assert frame["avg_hr_bpm"].tolist() == pytest.approx([140, 160, 120])


def test_a_split_boundary_between_samples_is_interpolated():
    """At 3 m/s the first kilometre ends between two samples, at 333.3 s, not at a sample's time."""
    t = np.arange(0, 501.0)
    assert splits(stream_of(t, 3 * t))["elapsed_s"].iloc[0] == pytest.approx(1000 / 3)


@pytest.mark.parametrize("unit", ["km", "mi"])
@pytest.mark.parametrize("name", TIMED)
def test_splits_add_up_to_the_run(name, unit):
    """Distance, elapsed and moving time of the splits sum to the run's, in km and in miles."""
    parsed = read_activity((FIXTURES / name).read_bytes(), name)
    frame, a = splits(parsed.stream, SPLIT_M[unit]), parsed.activity
    assert [frame["distance_m"].sum(), frame["elapsed_s"].sum(), frame["moving_s"].sum()] == pytest.approx(
        [a.distance_m, a.elapsed_s, a.moving_s])
    assert (frame["fastest"].sum(), frame["slowest"].sum()) == (1, 1)


def test_a_route_without_time_has_no_splits():
    """Without timestamps there is nothing to split: an empty table with the usual columns."""
    route = read_activity((FIXTURES / "route_no_time.gpx").read_bytes(), "route_no_time.gpx").stream
    frame = splits(route)
    assert (frame.empty, list(frame.columns)) == (True, SPLIT_COLUMNS)


def test_best_efforts_of_a_hand_computed_stream():
    """Samples every 100 s at 0, 300, 700, 1000, 1400 m: the best 400 m takes 100 s from 100 s; the best km
    takes 275 s, from 100 s to 375 s (1300 m is three quarters of the way from 1000 m to 1400 m)."""
    t, d = np.array([0, 100, 200, 300, 400.0]), np.array([0, 300, 700, 1000, 1400.0])
    four, km = best_effort(t, d, 400), best_effort(t, d, 1000)
    assert (four.elapsed_s, four.start_s, four.end_s) == (100.0, 100.0, 200.0)
    assert (km.elapsed_s, km.start_s, km.end_s) == pytest.approx((275.0, 100.0, 375.0))
    assert best_effort(t, d, 1500) is None


def brute_force(t: np.ndarray, d: np.ndarray, target: float) -> float | None:
    """The definition, O(n^2): every start, scanning forward to where the target distance is reached."""
    best = None
    for i in range(len(d)):
        for j in range(i + 1, len(d)):
            if d[j] - d[i] >= target:
                end = t[j - 1] + (d[i] + target - d[j - 1]) / (d[j] - d[j - 1]) * (t[j] - t[j - 1])
                best = end - t[i] if best is None else min(best, end - t[i])
                break
    return best


@pytest.mark.parametrize("seed", range(8))
def test_best_efforts_match_brute_force_on_random_runs(seed):
    """On seeded random runs (uneven sampling, standing still) every distance matches the O(n^2) reference."""
    stream = random_run(np.random.default_rng(seed), 400)
    for target in (50.0, 400.0, 1000.0, stream.distance_m[-1] * 0.9, stream.distance_m[-1] + 1):
        effort, expected = best_effort(stream.t_s, stream.distance_m, target), \
            brute_force(stream.t_s, stream.distance_m, target)
        assert (effort and effort.elapsed_s) == pytest.approx(expected)


def test_best_efforts_table_lists_the_distances_a_run_covers():
    """A 2.5 km run has a best 400 m, 1 km and 1 mile, and no 5 km or longer."""
    frame = best_efforts(three_paces())
    assert frame["effort"].tolist() == ["400 m", "1 km", "1 mile"]
    assert frame.set_index("effort").loc["1 km", "elapsed_s"] == pytest.approx(200.0)
    assert len(BEST_EFFORT_DISTANCES_M) == 7


def test_a_pause_inside_a_best_effort_counts():
    """Best efforts are clock time: a run with a 60 s pause inside its only kilometre takes 60 s longer."""
    t = np.array([0, 100, 160, 260.0])
    stream = stream_of(t, [0, 500, 500, 1000], pauses=[(100, 160)])
    assert best_efforts(stream).set_index("effort").loc["1 km", "elapsed_s"] == pytest.approx(260.0)
