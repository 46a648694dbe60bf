"""The run page, the Running page's best efforts and links, and the heatmap page, in AppTest on a demo store whose
latest runs were given the streams of the activity fixtures."""

from __future__ import annotations

import json

import pytest

from core.activity.codec import blob_name
from core.activity.storage import laps_blob_name
from core.records import RUN
from core.units import METRIC
from core.views.run import LISTED_RUNS, NO_STREAM, NO_TIME, run_choices
from tests.apptest_helpers import app_env, logged_in_app, markdown_tables, open_page
from tests.html_tables import html_tables
from tests.run_page_helpers import attach_fixture_streams, demo_run_keys


@pytest.fixture
def runs_with_files(demo_store, monkeypatch):
    """The demo store with streams on its latest runs: the latest has none, the next ones a FIT with laps, a GPX
    without time, a treadmill FIT and a damaged blob. Tiles off; max HR 190."""
    store, path = demo_store
    keys = attach_fixture_streams(store)
    keys["damaged"] = demo_run_keys(store, 5)[4]
    store.put_blob(blob_name(keys["damaged"]), b"FDST\x01 damaged on the disk")
    app_env(monkeypatch, path, maps_tile_url="off", athlete_max_hr_bpm="190")
    return store, keys


def open_run(key: str | None):
    """The app logged in, on the run page, with ?run=<key> when given."""
    at = logged_in_app()
    if key is not None:
        at.query_params["run"] = key
    return open_page(at, "pages/run.py")


def charts(at):
    return [chart.proto.spec for chart in at.get("plotly_chart")]


def test_a_fit_run_with_laps_shows_profile_splits_laps_zones_and_the_map(runs_with_files):
    """Opened by its link, a watch's run shows its summary, the profile, splits, its three laps, time in zones and
    the route on a map drawn without tiles."""
    _store, keys = runs_with_files
    at = open_run(keys["fit"])
    assert not at.exception and not at.error
    assert at.selectbox(key="run_pick").value == keys["fit"] and at.query_params["run"] == keys["fit"]
    specs = [json.loads(s) for s in charts(at)]
    assert [{t["type"] for t in s["data"]} for s in specs] == [{"scatter"}, {"bar"}, {"bar"}, {"scattermap"}]
    assert specs[3]["layout"]["map"]["style"]["sources"] == {}
    tables = html_tables(at)
    assert len(tables) == 2 and list(tables[1].lap) == ["1", "2", "3"]
    assert tables[0].iloc[:, -1].tolist().count("fastest") == 1
    assert any("max HR of 190 bpm" in c.value for c in at.caption)


def test_imperial_units_split_by_the_mile(runs_with_files):
    """In lb/mi the splits are miles, the pace per mile."""
    _store, keys = runs_with_files
    at = open_run(keys["fit"])
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    table = html_tables(at)[0]
    assert list(table.columns[:4]) == ["mi", "distance (mi)", "time", "pace (min/mi)"]
    assert sum(float(x) for x in table["distance (mi)"]) == pytest.approx(2778.05 / 1609.344, abs=0.01)


def test_a_gpx_route_without_time_says_why_it_has_no_pace(runs_with_files):
    """A GPX without timestamps shows the note, an elevation profile and the map, no splits and no zones."""
    _store, keys = runs_with_files
    at = open_run(keys["gpx"])
    assert not at.exception and [i.value for i in at.info] == [NO_TIME]
    assert len(at.get("plotly_chart")) == 2 and not html_tables(at)


def test_a_run_without_a_stream_shows_its_summary_and_says_what_to_import(runs_with_files):
    """A summary-only run shows its numbers and the note to import its file; its summary polyline is mapped."""
    _store, keys = runs_with_files
    at = open_run(keys["none"])
    assert not at.exception and [i.value for i in at.info] == [NO_STREAM]
    assert [m.label for m in at.metric][:2] == ["Distance", "Moving time"]
    assert ["scattermap" in s for s in charts(at)] == [True]


def test_a_damaged_stored_stream_shows_what_to_do_and_the_summary(runs_with_files):
    """A blob that cannot be decoded shows the BadInput message with its action, never a traceback; the summary
    stays."""
    _store, keys = runs_with_files
    at = open_run(keys["damaged"])
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert error.startswith("stream blob: damaged stream blob (")
    assert error.endswith("\n\nImport the run's activity file again: its stored stream cannot be read.")
    assert len(at.metric) == 5


def test_damaged_laps_show_the_message_not_a_traceback(runs_with_files):
    """Laps that cannot be read give their BadInput message too."""
    store, keys = runs_with_files
    store.put_blob(laps_blob_name(keys["fit"]), b"[{broken")
    at = open_run(keys["fit"])
    assert not at.exception and "stored laps damaged" in at.error[0].value


def test_a_treadmill_run_has_no_map_and_says_so(runs_with_files):
    """No positions: every chart but the map, and a caption saying why."""
    _store, keys = runs_with_files
    at = open_run(keys["treadmill"])
    assert not at.exception and not any("scattermap" in s for s in charts(at))
    assert any("No positions were recorded" in c.value for c in at.caption)


def test_an_unknown_run_in_the_link_opens_the_latest_with_a_warning(runs_with_files):
    """A link to a run that is not stored says so and shows the latest run instead of failing."""
    _store, keys = runs_with_files
    at = open_run("demo:run:nope")
    assert not at.exception and "not stored" in at.warning[0].value
    assert at.selectbox(key="run_pick").value == keys["none"]


def test_picking_another_run_in_the_list_updates_the_link(runs_with_files):
    """Choosing a run in the searchable list shows it and puts it in the URL."""
    _store, keys = runs_with_files
    at = open_run(None)
    at.selectbox(key="run_pick").set_value(keys["gpx"]).run()
    assert at.query_params["run"] == keys["gpx"] and [i.value for i in at.info] == [NO_TIME]


def test_the_search_box_lists_older_matching_runs_and_a_link_opens_any_run(runs_with_files):
    """The list holds the latest runs and says so; a search lists older runs that match; a link to a run older
    than the list opens it, and the list keeps it."""
    store, _keys = runs_with_files
    runs = store.read(RUN).sort_values("start_time_utc", ascending=False)
    assert len(runs) > LISTED_RUNS
    at = open_run(None)
    assert len(at.selectbox(key="run_pick").options) == LISTED_RUNS
    assert any(f"latest {LISTED_RUNS} of {len(runs):,} runs" in c.value for c in at.caption)
    labels = run_choices(runs, METRIC)
    oldest = runs.iloc[-1]
    moment = labels[oldest.key].split(" · ")[0]  # '3 Jan 2024 18:53'
    at.text_input(key="run_search").set_value(moment.lower()).run()
    options = at.selectbox(key="run_pick").options
    assert options == [labels[oldest.key], labels[runs.key.iloc[0]]]  # the match, then the open run kept
    linked = open_run(oldest.key)
    assert linked.selectbox(key="run_pick").value == oldest.key and linked.query_params["run"] == oldest.key
    assert linked.subheader[0].value.startswith(oldest["name"])


def test_the_running_page_lists_true_best_efforts_and_links_runs_to_their_page(runs_with_files):
    """Best efforts come from the three readable streams (the damaged one left out), labelled as such beside the
    summary records, each linked to its run page; the latest runs link too."""
    _store, keys = runs_with_files
    at = open_page(logged_in_app(), "pages/running.py")
    assert not at.exception
    tables = markdown_tables(at)
    best = next(t for t in tables if "effort" in t.columns and "pace (min/km)" in t.columns)
    assert list(best.effort) == ["400 m", "1 km", "1 mile"]
    assert all(cell.endswith(")") and "run?run=demo%3Arun%3A" in cell for cell in best.run)
    assert any("from the 3 runs with a stored activity file" in c.value and "cover the 425 runs without one" in c.value
               for c in at.caption)
    latest = next(t for t in tables if "run" in t.columns and "time" in t.columns and "effort" not in t.columns)
    assert f"run?run={keys['none'].replace(':', '%3A')}" in latest.run.iloc[0]


def test_the_heatmap_draws_the_routes_and_says_when_none_is_crossed_often_enough(runs_with_files):
    """The heatmap page maps the two routes with positions; at 'at least 3 runs' it says nothing qualifies."""
    at = open_page(logged_in_app(), "pages/heatmap.py")
    assert not at.exception and ["densitymap" in s for s in charts(at)] == [True]
    assert "2 of the" in at.caption[0].value
    at.number_input(key="heatmap_min_count").set_value(3).run()
    assert not at.get("plotly_chart") and "No place was crossed by 3 or more runs" in at.caption[0].value
