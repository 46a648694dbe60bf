"""The run page's view and figures, the best efforts across runs and the heatmap, from streams (no Streamlit)."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pandas as pd
import pytest

from core.activity.geo import haversine_m
from core.activity.storage import save_detail
from core.analytics.athlete import Athlete
from core.analytics.thinning import MAX_POINTS
from core.analytics.true_records import ALL_TIME, best_by_period
from core.maps import OSM_ATTRIBUTION, MapSettings
from core.units import IMPERIAL, METRIC
from core.views.heatmap import heatmap_view
from core.views.run import NO_STREAM, NO_TIME, run_view
from tests.run_page_helpers import fixture, synthetic_stream
from tests.stream_helpers import stream_of

NO_TILES = MapSettings(tile_url="", tile_attribution="")
ORIGIN = (48.8566, 2.3522)  # where the synthetic runs start


def runs_frame(rows) -> pd.DataFrame:
    """Run records as the store gives them: (key, local start, distance m, moving s), named after the key."""
    frame = pd.DataFrame(rows, columns=["key", "start_time_local", "distance_m", "moving_time_s"])
    frame["start_time_local"] = pd.to_datetime(frame.start_time_local)
    frame["start_time_utc"] = frame.start_time_local.dt.tz_localize(UTC)
    frame["name"] = "Run " + frame.key
    frame["average_speed_mps"] = frame.distance_m / frame.moving_time_s
    frame["elevation_gain_m"] = 12.0
    frame["average_heartrate_bpm"] = 150.0
    frame["summary_polyline"] = pd.array([pd.NA] * len(frame), dtype="string")
    return frame


def one_run(key="a", when="2026-05-01 08:00", distance=2000.0, moving=600.0) -> pd.DataFrame:
    return runs_frame([(key, when, distance, moving)])


def test_a_fit_file_with_laps_gives_profile_splits_laps_zones_and_a_map():
    """A watch's FIT file: three stacked panels against distance, a split per km with one fastest and one
    slowest, the file's laps, minutes per zone from the configured max HR, and the route from start to finish."""
    parsed = fixture("run_midnight_paris.fit")
    view = run_view(one_run(), parsed.stream, parsed.activity.laps, key="a", units=METRIC,
                    athlete=Athlete(max_hr_bpm=190), maps=NO_TILES)
    assert [t.yaxis or "y" for t in view.profile.data] == ["y", "y2", "y3"]
    assert {t.xaxis or "x" for t in view.profile.data} == {"x"}, "one shared distance axis"
    assert list(view.splits_table[""]).count("fastest") == 1 and list(view.splits_table[""]).count("slowest") == 1
    assert len(view.laps_table) == len(parsed.activity.laps) == 3
    assert view.zones_chart.data[0].x.sum() * 60 == pytest.approx(parsed.activity.timer_s, abs=2)
    assert "max HR of 190 bpm" in view.zones_note
    lat, lon = view.route.data[0].lat, view.route.data[0].lon
    assert [d.name for d in view.route.data] == ["route", "start", "finish"]
    assert (view.route.data[1].lat[0], view.route.data[2].lon[0]) == (lat[0], lon[-1])


def test_imperial_splits_are_miles_that_add_up_to_the_run():
    """In lb/mi the splits are miles; their distances and times sum to the run's distance and moving time."""
    parsed = fixture("run_paused.fit")
    view = run_view(one_run(), parsed.stream, (), key="a", units=IMPERIAL, athlete=Athlete(), maps=NO_TILES)
    table = view.splits_table
    assert list(table.columns[:2]) == ["mi", "distance (mi)"]
    assert table["distance (mi)"].sum() == pytest.approx(parsed.activity.distance_m / 1609.344, abs=0.01)
    minutes = [sum(int(p) * 60 ** i for i, p in enumerate(reversed(t.split(":")))) for t in table.time]
    assert sum(minutes) == pytest.approx(parsed.activity.moving_s, abs=len(minutes))
    assert view.laps_table is None


def test_in_imperial_every_climb_is_in_feet():
    """Lb/mi: the elevation gain, the profile's elevation panel and the splits' elevation change are in feet."""
    parsed = fixture("run_midnight_paris.fit")
    view = run_view(one_run(), parsed.stream, (), key="a", units=IMPERIAL, athlete=Athlete(), maps=NO_TILES)
    assert view.summary["Elevation gain"] == "39 ft"  # 12 m
    [elevation] = [t for t in view.profile.data if t.name.startswith("elevation")]
    assert elevation.name == "elevation (ft)" and elevation.yaxis == "y3"
    assert np.nanmax(elevation.y) == pytest.approx(np.nanmax(parsed.stream.altitude_m) / 0.3048, rel=0.01)
    assert "elevation (ft)" in view.splits_table.columns and "elevation (m)" not in view.splits_table.columns


def test_a_route_without_time_shows_elevation_and_the_map_but_no_pace_splits_or_zones():
    """A GPX without timestamps says why there is no pace, and draws what it has: elevation and the route."""
    parsed = fixture("route_no_time.gpx")
    view = run_view(one_run(), parsed.stream, (), key="a", units=METRIC, athlete=Athlete(max_hr_bpm=190),
                    maps=NO_TILES)
    assert view.notes == (NO_TIME,)
    assert [t.name for t in view.profile.data] == ["elevation (m)"]
    assert view.splits_chart is None and view.zones_chart is None and view.route is not None


def test_a_run_without_a_stream_shows_its_summary_and_its_summary_polyline():
    """No stored stream: the note says to import the file; the summary numbers and the polyline map remain."""
    runs = one_run()
    runs["summary_polyline"] = pd.array(["_p~iF~ps|U_ulLnnqC_mqNvxq`@"], dtype="string")
    view = run_view(runs, None, (), key="a", units=METRIC, athlete=Athlete(), maps=NO_TILES)
    assert view.notes == (NO_STREAM,) and view.profile is None and view.splits_table is None
    assert view.summary["Distance"] == "2 km" and view.summary["Moving time"] == "0:10:00"
    assert len(view.route.data[0].lat) == 3


def test_a_three_hour_stream_is_thinned_to_at_most_two_thousand_points_per_chart_and_on_the_map():
    """10,800 samples become at most MAX_POINTS points in the profile chart (its three lines together) and in
    the map's route."""
    stream = synthetic_stream(datetime(2026, 5, 1, 6, tzinfo=UTC), 10_800)
    view = run_view(one_run(distance=stream.distance_m[-1], moving=10_800), stream, (), key="a", units=METRIC,
                    athlete=Athlete(max_hr_bpm=190), maps=NO_TILES)
    assert len(stream) > 10_000
    assert len(view.profile.data) == 3 and sum(len(t.x) for t in view.profile.data) <= MAX_POINTS
    assert len(view.route.data[0].lat) <= MAX_POINTS
    assert min(len(t.x) for t in view.profile.data) > MAX_POINTS / 4, "thinned, not emptied"


def test_the_privacy_zone_cuts_the_start_and_end_of_the_drawn_route():
    """Nothing drawn, the start and finish markers included, lies inside the privacy zone around home."""
    stream = synthetic_stream(datetime(2026, 5, 1, 6, tzinfo=UTC), 1200)
    home = MapSettings("", "", ((*ORIGIN, 300.0),))
    view = run_view(one_run(), stream, (), key="a", units=METRIC, athlete=Athlete(), maps=home)
    for trace in view.route.data:
        assert haversine_m(np.asarray(trace.lat), np.asarray(trace.lon), *ORIGIN).min() > 300
    plain = run_view(one_run(), stream, (), key="a", units=METRIC, athlete=Athlete(), maps=NO_TILES)
    assert haversine_m(plain.route.data[1].lat[0], plain.route.data[1].lon[0], *ORIGIN) < 1
    assert "privacy zone" in view.route_note


def test_the_map_loads_the_configured_tiles_with_their_credit_or_draws_a_plain_background():
    """With tiles, the map's style is a raster source of that URL crediting its host; without, no source at
    all (the browser fetches nothing)."""
    stream = synthetic_stream(datetime(2026, 5, 1, 6, tzinfo=UTC), 600)
    with_tiles = run_view(one_run(), stream, (), key="a", units=METRIC, athlete=Athlete(), maps=MapSettings())
    source = with_tiles.route.layout.map.style["sources"]["tiles"]
    assert source["tiles"] == ["https://tile.openstreetmap.org/{z}/{x}/{y}.png"]
    assert source["attribution"] == OSM_ATTRIBUTION
    plain = run_view(one_run(), stream, (), key="a", units=METRIC, athlete=Athlete(), maps=NO_TILES)
    assert plain.route.layout.map.style["sources"] == {} and "without map tiles" in plain.route_note


def test_zones_need_a_heart_rate_setting_and_say_where_they_come_from():
    """Threshold HR gives Friel's seven zones; without max HR or birth year the page says what to set."""
    parsed = fixture("run_midnight_paris.fit")
    friel = run_view(one_run(), parsed.stream, (), key="a", units=METRIC,
                     athlete=Athlete(max_hr_bpm=190, threshold_hr_bpm=170), maps=NO_TILES)
    assert len(friel.zones_chart.data[0].y) == 7 and "threshold HR of 170" in friel.zones_note
    unknown = run_view(one_run(), parsed.stream, (), key="a", units=METRIC, athlete=Athlete(), maps=NO_TILES)
    assert unknown.zones_chart is None and "Set [athlete] max_hr_bpm" in unknown.zones_note


def test_dated_zone_settings_apply_to_a_run_by_its_date():
    """[athlete] hr_zones entries: a run takes the entry in force on its local date, before the undated values."""
    from core.analytics.hr_zones import ZoneSetting
    parsed = fixture("run_midnight_paris.fit")
    athlete = Athlete(max_hr_bpm=200, hr_zones=(ZoneSetting(pd.Timestamp("2025-01-01"), max_hr_bpm=185.0),
                                                ZoneSetting(pd.Timestamp("2026-04-01"), threshold_hr_bpm=168.0)))
    before = run_view(one_run(when="2026-03-01 08:00"), parsed.stream, (), key="a", units=METRIC, athlete=athlete,
                      maps=NO_TILES)
    after = run_view(one_run(when="2026-05-01 08:00"), parsed.stream, (), key="a", units=METRIC, athlete=athlete,
                     maps=NO_TILES)
    assert len(before.zones_chart.data[0].y) == 5 and "max HR of 185 bpm ([athlete] hr_zones, from 1 Jan 2025)" \
        in before.zones_note
    assert len(after.zones_chart.data[0].y) == 7 and "threshold HR of 168 bpm" in after.zones_note


def efforts_rows(rows):
    return pd.DataFrame(rows, columns=["key", "effort", "distance_m", "elapsed_s", "start_s"])


def test_best_efforts_per_year_and_all_time_come_with_their_run():
    """The fastest 1 km of 2025 and of 2026, and all time; a tie goes to the earlier run."""
    runs = runs_frame([("a", "2025-03-01 08:00", 5000, 1500), ("b", "2026-03-01 08:00", 5000, 1500),
                       ("c", "2026-06-01 08:00", 5000, 1500)])
    efforts = efforts_rows([("a", "1 km", 1000.0, 230.0, 0), ("b", "1 km", 1000.0, 240.0, 0),
                            ("c", "1 km", 1000.0, 240.0, 10), ("b", "5 km", 5000.0, 1300.0, 0)])
    best = best_by_period(efforts, runs)
    got = {(p, e): k for p, e, k in best[["period", "effort", "key"]].itertuples(index=False)}
    assert got == {(ALL_TIME, "1 km"): "a", (ALL_TIME, "5 km"): "b", ("2026", "1 km"): "b", ("2026", "5 km"): "b",
                   ("2025", "1 km"): "a"}
    assert list(best.period.drop_duplicates()) == [ALL_TIME, "2026", "2025"]
    assert best.pace_s_per_km.iloc[0] == 230.0


def test_the_heatmap_keeps_the_range_and_the_places_crossed_often_enough():
    """Two runs share a route and a third runs elsewhere: at 'at least 2' only the shared cells remain, and a
    range holding only the third draws that one."""
    here = synthetic_stream(datetime(2026, 5, 1, 6, tzinfo=UTC), 600, seed=1)
    away = synthetic_stream(datetime(2026, 5, 1, 6, tzinfo=UTC), 600, seed=1, origin=(45.0, 5.0))
    line = lambda s: np.column_stack((s.lat_deg, s.lon_deg))  # noqa: E731
    lines = {"a": line(here), "b": line(here), "c": line(away)}
    runs = runs_frame([("a", "2026-05-01 08:00", 1, 1), ("b", "2026-05-02 08:00", 1, 1),
                       ("c", "2026-06-01 08:00", 1, 1)])
    every = heatmap_view(lines, runs, start=None, end=None, min_count=1, maps=NO_TILES)
    shared = heatmap_view(lines, runs, start=None, end=None, min_count=2, maps=NO_TILES)
    june = heatmap_view(lines, runs, start=pd.Timestamp("2026-06-01"), end=pd.Timestamp("2026-06-30"), min_count=1,
                        maps=NO_TILES)
    assert min(shared.figure.data[0].lat) > 48 and max(june.figure.data[0].lat) < 46
    assert len(shared.figure.data[0].lat) < len(every.figure.data[0].lat)
    assert heatmap_view(lines, runs, start=None, end=None, min_count=3, maps=NO_TILES).figure is None


def test_a_stored_stream_round_trips_into_the_same_view(store):
    """What the page draws from a stored stream equals what it draws from the parsed file."""
    from core.activity.storage import load_stream

    parsed = fixture("run_paused.fit")
    save_detail(store, "a", parsed.stream, parsed.activity.laps)
    args = dict(key="a", units=METRIC, athlete=Athlete(max_hr_bpm=190), maps=NO_TILES)
    stored = run_view(one_run(), load_stream(store, "a"), (), **args).splits_table
    pd.testing.assert_frame_equal(stored, run_view(one_run(), parsed.stream, (), **args).splits_table)


def test_a_run_shorter_than_one_split_has_its_partial_split_ranked():
    """A 600 m run has a single, partial split: it is the fastest (and slowest) one, and the page draws it."""
    t = np.arange(0, 201.0)
    view = run_view(one_run(distance=600, moving=200), stream_of(t, 3 * t), (), key="a", units=METRIC,
                    athlete=Athlete(), maps=NO_TILES)
    assert list(view.splits_table[""]) == ["fastest"] and len(view.splits_chart.data[0].x) == 1


def test_a_run_named_like_markdown_links_to_its_page_and_nowhere_else():
    """A run named '[x](javascript:alert(1))' shows its name literally, linked to the run page by its escaped key."""
    from core.views.run import runs_table
    from core.views.tables import markdown_table

    runs = runs_frame([("strava:1 (a)", "2026-05-01 08:00", 5000, 1500)])
    runs["name"] = "[x](javascript:alert(1))"
    text = markdown_table(runs_table(runs, units=METRIC, start=None, end=None))
    assert "[\\[x\\](javascript:alert(1))](run?run=strava%3A1%20%28a%29)" in text


def test_the_run_list_holds_the_latest_matching_runs_and_always_the_open_one():
    """The picker lists the latest `limit` runs whose line has every searched word (any case), says how many
    matched, and keeps the open run in the list even when it is older or does not match."""
    from core.views.run import listed_choices
    choices = {f"k{i}": f"{i + 1} Mar 2026 · {'Long run' if i % 2 else 'Easy'} · 10 km" for i in range(10)}
    listed, matching = listed_choices(choices, "", "k0", limit=3)
    assert list(listed) == ["k0", "k1", "k2"] and matching == 10
    listed, matching = listed_choices(choices, "long MAR", "k0", limit=3)
    assert list(listed) == ["k1", "k3", "k5", "k0"] and matching == 5
    assert listed_choices(choices, "tempo", "k4", limit=3) == ({"k4": choices["k4"]}, 0)
