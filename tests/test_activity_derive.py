"""The rules every format shares: elevation gain's hysteresis, moving time, distance filled from positions."""

from __future__ import annotations

import numpy as np
import pytest

from core.activity.derive import MOVING_SPEED_MPS, Decoded, elevation_gain_m, make_stream, summarise
from core.activity.geo import haversine_m

NAN = float("nan")


@pytest.mark.parametrize(("altitude", "gain"), [
    ([], 0.0),
    ([100.0], 0.0),
    (list(range(11)), 10.0),  # a steady climb counts whole, not in steps of the hysteresis
    ([100, 101, 99, 101, 100, 99, 101, 100], 0.0),  # noise within 3 m is no climb
    ([100, 98, 101], 3.0),  # a climb counts from the lowest point before it
    ([0, 10, 5, 12], 17.0),  # a descent of 5 m ends one climb; the next counts from 5
    ([0, 10, 8, 12], 12.0),  # a dip of 2 m does not split the climb
    ([0, 10, 0, 2], 10.0),  # a last rise under 3 m is noise
    ([0, NAN, 5, NAN, 10], 10.0),  # missing samples are skipped
    ([50, 40, 30], 0.0),  # all downhill
])
def test_elevation_gain_counts_climbs_beyond_a_three_metre_hysteresis(altitude, gain):
    """Total climb of an altitude series, with GoldenCheetah's default 3 m hysteresis."""
    assert elevation_gain_m(np.array(altitude, dtype=float)) == pytest.approx(gain)


def decoded(t, **columns) -> Decoded:
    return Decoded("fit", np.array(t, dtype=float), {k: np.array(v, dtype=float) for k, v in columns.items()})


@pytest.mark.parametrize(("speed", "moving"), [(0.3, 0.0), (MOVING_SPEED_MPS - 0.01, 0.0), (MOVING_SPEED_MPS, 10.0),
                                               (3.0, 10.0)])
def test_an_interval_moves_when_distance_grows_at_half_a_metre_per_second(speed, moving):
    """Ten 1 s intervals at a steady speed count as moving time only at 0.5 m/s or more."""
    t = np.arange(11.0)
    stream = make_stream(decoded(t, distance_m=t * speed))
    assert float(np.diff(stream.t_s)[stream.moving[1:]].sum()) == moving


def test_a_timer_pause_is_neither_moving_nor_timer_time():
    """Samples every 10 s with the timer stopped from 20 to 50 s: 30 s paused, both other times exclude it."""
    d = decoded([0, 10, 20, 50, 60], distance_m=[0, 30, 60, 60, 90])
    d.pauses = [(20.0, 50.0)]
    activity = summarise(make_stream(d), d)
    assert (activity.elapsed_s, activity.timer_s, activity.moving_s) == (60.0, 30.0, 30.0)


def test_distance_comes_from_positions_when_the_file_has_none():
    """Without a distance column the cumulative haversine distance of the positions is used (gaps carried)."""
    lat, lon = [45.0, 45.001, NAN, 45.002], [6.0, 6.0, NAN, 6.0]
    stream = make_stream(decoded([0, 10, 20, 30], lat_deg=lat, lon_deg=lon))
    step = float(haversine_m(45.0, 6.0, 45.001, 6.0))
    assert stream.distance_m == pytest.approx([0, step, step, 2 * step])
    assert step == pytest.approx(111.2, abs=0.1)  # a thousandth of a degree of latitude


def test_file_distance_starts_at_zero_never_decreases_and_fills_gaps():
    """A file's distance is made relative to the start, carried over missing samples and kept monotone."""
    stream = make_stream(decoded([0, 1, 2, 3, 4], distance_m=[NAN, 500, NAN, 498, 510]))
    assert stream.distance_m.tolist() == [0, 0, 0, 0, 10]


def test_samples_out_of_order_are_sorted_by_time():
    """A device clock that wrote samples out of order gives a stream in time order, values following."""
    stream = make_stream(decoded([0, 2, 1], distance_m=[0, 20, 10], heart_rate_bpm=[100, 120, 110]))
    assert (stream.t_s.tolist(), stream.heart_rate_bpm.tolist()) == ([0, 1, 2], [100, 110, 120])


def test_sensor_faults_are_missing_values_not_zeros():
    """0 bpm from a strap losing contact and a (0, 0) position before the first fix become NaN."""
    stream = make_stream(decoded([0, 1, 2], heart_rate_bpm=[0, 140, 300], lat_deg=[0, 45, 45], lon_deg=[0, 6, 6]))
    assert np.isnan(stream.heart_rate_bpm).tolist() == [True, False, True]
    assert np.isnan(stream.lat_deg).tolist() == [True, False, False]


def test_speed_is_derived_from_distance_when_the_file_has_none():
    """Without a speed column each sample's speed is the distance over time of the interval ending there."""
    stream = make_stream(decoded([0, 2, 4], distance_m=[0, 6, 10]))
    assert stream.speed_mps.tolist() == [3.0, 3.0, 2.0]
