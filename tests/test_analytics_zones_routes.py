"""Heart-rate zones, LTTB thinning for charts, privacy zones and the heatmap's input."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from core.activity.geo import haversine_m
from core.analytics.hr_zones import time_in_zones, zones_from_max_hr, zones_from_threshold_hr
from core.analytics.routes import heatmap_grid, spaced, visible_mask, visible_route
from core.analytics.thinning import lttb_indices, thin
from core.errors import BadInput
from tests.stream_helpers import START, random_run, stream_of

HOME = (48.8566, 2.3522, 200.0)


@pytest.mark.parametrize(("zones", "names", "lower"), [
    (zones_from_max_hr(200), ("Z1", "Z2", "Z3", "Z4", "Z5"), (100, 120, 140, 160, 180)),
    (zones_from_threshold_hr(170), ("Z1", "Z2", "Z3", "Z4", "Z5a", "Z5b", "Z5c"),
     (0, 144.5, 153, 161.5, 170, 175.1, 181.9)),
])
def test_zone_bounds_from_max_and_threshold_heart_rate(zones, names, lower):
    """Five zones at 50/60/70/80/90 % of max HR; Friel's seven at 85/90/95/100/103/107 % of threshold HR."""
    assert (zones.names, zones.lower_bpm) == (names, pytest.approx(lower))


def test_time_in_zones_counts_each_interval_in_the_zone_of_its_heart_rate():
    """Intervals of 10 s ending at 90, 110, 130, 170 and 190 bpm (max 200) fill Z1 twice, Z2, Z4 and Z5;
    the paused interval and the one without HR count nowhere."""
    t = [0, 10, 20, 30, 40, 50, 60, 70]
    hr = [95, 90, 110, 130, 170, 190, np.nan, 150]
    frame = time_in_zones(stream_of(t, heart_rate_bpm=hr, pauses=[(60, 70)]), zones_from_max_hr(200))
    assert frame["seconds"].tolist() == [20, 10, 0, 10, 10]
    assert frame["share"].sum() == pytest.approx(1.0)


def test_time_in_zones_adds_up_to_the_timer_time():
    """With heart rate on every sample the zones hold the whole timer time, pauses left out."""
    t = np.arange(0, 601.0)
    stream = stream_of(t, 3 * t, heart_rate_bpm=120 + t / 10, pauses=[(200, 260)])
    assert time_in_zones(stream, zones_from_threshold_hr(165))["seconds"].sum() == pytest.approx(600 - 60)


@pytest.mark.parametrize("bpm", [0, 20, 400])
def test_an_absurd_reference_heart_rate_is_refused(bpm):
    """A max or threshold HR no human has raises BadInput saying which setting to fix."""
    with pytest.raises(BadInput, match="not a human one"):
        zones_from_max_hr(bpm)


def test_lttb_keeps_first_last_and_every_spike_in_n_points():
    """10,800 flat samples with 20 isolated spikes thin to 2,000 increasing indices keeping both ends and spikes."""
    rng = np.random.default_rng(5)
    x, y = np.arange(10_800.0), np.zeros(10_800)
    spikes = np.sort(rng.choice(np.arange(50, 10_750, 500), 20, replace=False)) + rng.integers(0, 100, 20)
    y[spikes] = rng.uniform(5, 10, 20) * rng.choice([-1, 1], 20)
    kept = lttb_indices(x, y, 2000)
    assert (len(kept), kept[0], kept[-1], bool(np.all(np.diff(kept) > 0))) == (2000, 0, 10_799, True)
    assert set(spikes) <= set(kept.tolist())


def test_lttb_leaves_short_series_whole_and_skips_missing_values():
    """A series at or under the limit is kept whole, without its NaN samples."""
    y = np.array([1.0, np.nan, 3.0, 2.0])
    assert lttb_indices(np.arange(4.0), y, 2000).tolist() == [0, 2, 3]


def test_thin_gives_a_stream_of_the_kept_samples():
    """Thinning a 5,000-sample run for a pace chart keeps 500 of its samples, every column alike."""
    stream = random_run(np.random.default_rng(2), 5000)
    thinned = thin(stream, "speed_mps", "distance_m", 500)
    kept = lttb_indices(stream.distance_m, stream.speed_mps, 500)
    assert len(thinned) == 500
    assert thinned.t_s.tolist() == stream.t_s[kept].tolist()


def line(lat0: float, lon0: float, metres: float, n: int) -> tuple[np.ndarray, np.ndarray]:
    """n points due east from (lat0, lon0) over `metres`."""
    lon = lon0 + np.linspace(0, metres, n) / (111_195 * np.cos(np.radians(lat0)))
    return np.full(n, lat0), lon


def test_privacy_zone_cuts_the_start_and_end_but_not_a_pass_in_the_middle():
    """A route leaving home, coming back past it and out again, then home: only the first and last stretches
    inside the 200 m circle are hidden."""
    lat, lon = line(HOME[0], HOME[1], 1000, 101)  # 10 m apart: out 1 km
    lat = np.concatenate((lat, lat[::-1], lat, lat[::-1]))
    lon = np.concatenate((lon, lon[::-1], lon, lon[::-1]))
    visible = visible_mask(lat, lon, [HOME])
    inside = haversine_m(lat, lon, HOME[0], HOME[1]) <= HOME[2]
    first_out, last_out = np.flatnonzero(~inside)[[0, -1]]
    assert (visible[:first_out].any(), visible[last_out + 1:].any()) == (False, False)
    assert visible[first_out:last_out + 1].all()
    assert inside[first_out:last_out].any()  # the pass by home in the middle is still drawn


def test_a_route_wholly_inside_a_zone_draws_nothing_and_the_stream_keeps_every_sample():
    """A 150 m jog around home is hidden entirely; the stream (for the statistics) is untouched."""
    lat, lon = line(HOME[0], HOME[1], 150, 16)
    stream = stream_of(np.arange(16.0) * 10, lat_deg=lat, lon_deg=lon)
    assert (len(visible_route(stream, [HOME])), len(stream), len(visible_route(stream))) == (0, 16, 16)


def test_spaced_keeps_a_point_every_25_metres():
    """A 1 km line sampled every metre keeps about 41 points, the last among them."""
    lat, lon = line(45.0, 6.0, 1000, 1001)
    route = np.column_stack((lat, lon))
    kept = spaced(route, 25.0)
    assert (len(kept), kept[-1].tolist()) == (41, route[-1].tolist())


def test_heatmap_keeps_cells_crossed_often_enough_each_run_counted_once_per_cell():
    """Of two identical out-and-back runs and one elsewhere, with min_count 2 only the shared route's cells
    remain, each counted once per run even though each run crosses it twice. (Which runs a date range keeps:
    tests/test_run_view.py.)"""
    lat, lon = line(HOME[0], HOME[1], 2000, 201)
    out_and_back = (np.concatenate((lat, lat[::-1])), np.concatenate((lon, lon[::-1])))
    streams = [stream_of(np.arange(402.0), start=START + timedelta(days=k), lat_deg=out_and_back[0],
                         lon_deg=out_and_back[1]) for k in range(2)]
    far = line(45.0, 6.0, 2000, 201)
    streams.append(stream_of(np.arange(201.0), start=START + timedelta(days=2), lat_deg=far[0], lon_deg=far[1]))
    lines = [spaced(visible_route(s, [HOME])) for s in streams]
    grid = heatmap_grid(lines, min_count=2)
    assert (grid["count"] == 2).all()
    assert grid["lat_deg"].sub(HOME[0]).abs().max() < 0.001  # every cell lies on the shared route
    assert len(heatmap_grid(lines, min_count=1)) > len(grid)
