"""The Fitness page and the Running page's weekly zones in AppTest: with data, with streams, and every empty state."""

from __future__ import annotations

import base64
import json

import numpy as np
import pandas as pd
import pytest

from core.activity.codec import blob_name
from core.activity.storage import save_detail
from core.store.sqlite import SQLiteStore
from core.views.fitness import NO_BODY, NO_RUNS, NO_SETS, NO_TRAINING
from core.views.zones import NO_ZONES
from tests.apptest_helpers import app_env, logged_in_app, markdown_tables, open_page, with_test_admin
from tests.builders import body, run, set_row
from tests.stream_helpers import stream_of

HEART_RATE = dict(athlete_sex="male", athlete_resting_hr_bpm="50", athlete_max_hr_bpm="190")


def page(monkeypatch, path, admin: bool = True, **settings):
    app_env(monkeypatch, path, **settings)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)) if admin else logged_in_app(), "pages/fitness.py")
    if at.selectbox and any(s.key == "fitness_range_preset" for s in at.selectbox):
        at.selectbox(key="fitness_range_preset").set_value("All").run()  # the test histories start in 2025
    assert not at.exception, at.exception
    return at


def values(y) -> list[float]:
    """A trace's numbers as sent: a list, or plotly's typed array (base64 of the given dtype)."""
    return np.frombuffer(base64.b64decode(y["bdata"]), dtype=y["dtype"]).tolist() if isinstance(y, dict) else y


def test_with_runs_lifting_and_weigh_ins_the_page_shows_fitness_form_load_and_body(demo_store, monkeypatch):
    """The demo history: four headline numbers with their bands, one figure whose panels hold fitness, fatigue,
    form with its labelled bands, the ratio, running and strength load stacked and weight, fat and lean mass."""
    at = page(monkeypatch, demo_store[1], admin=False, **HEART_RATE)
    assert [m.label for m in at.metric] == ["Fitness (chronic load, 42 d)", "Fatigue (acute load, 7 d)",
                                           "Form (this morning)", "Acute:chronic ratio"]
    bands = {"Risk of detraining", "Peak fresh", "Slightly fresh", "Neutral", "Accumulated fatigue", "Over-fatigued"}
    assert at.caption[2].value in bands and at.caption[3].value in {"low", "optimal", "high risk"}
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    names = {t["name"] for t in spec["data"]}
    assert {"fitness (chronic, 42 d)", "fatigue (acute, 7 d)", "acute:chronic ratio", "running load",
            "strength load", "weight trend", "fat mass", "lean mass", "form, no training", "form, plan"} <= names
    assert bands <= {a["text"] for a in spec["layout"]["annotations"]}
    assert spec["layout"]["barmode"] == "stack"
    assert not [i.value for i in at.info if i.value in (NO_RUNS, NO_SETS, NO_BODY)]


def test_each_session_says_how_its_load_was_measured(demo_store, monkeypatch):
    """The table names each session's method (TRIMP from the average HR for the demo runs, the sets estimate for the
    log without RPE), and a sentence counts them."""
    at = page(monkeypatch, demo_store[1], admin=False, **HEART_RATE)
    table = next(t for t in markdown_tables(at) if "method" in t.columns)
    assert set(table.method) == {"TRIMP (average HR)", "sets estimate (reps x % of e1RM)"}
    dates = pd.to_datetime(table.date.str.replace("\u00a0", " "), format="%d %b %Y")
    assert len(table) == 20 and dates.is_monotonic_decreasing
    counts = next(m.value for m in at.markdown if m.value.startswith("Runs: "))
    assert "by TRIMP (average HR)" in counts and "Strength sessions:" in counts


def test_without_heart_rate_settings_runs_fall_back_to_pace_and_the_page_says_what_to_set(demo_store, monkeypatch):
    """No [athlete] settings: every run is a pace estimate, and the settings list names what heart rate needs."""
    at = page(monkeypatch, demo_store[1], admin=False)
    table = next(t for t in markdown_tables(at) if "method" in t.columns)
    assert "pace estimate" in set(table.method) and "TRIMP (average HR)" not in set(table.method)
    settings = next(m.value for m in at.markdown if "[athlete] settings" in m.value)
    assert "none set" in settings and "heart rate needs [athlete] sex, resting_hr_bpm" in settings
    assert NO_ZONES in [i.value for i in at.info]


def test_the_plan_is_shared_with_the_forecast_sliders_and_moves_the_projection(demo_store, monkeypatch):
    """Editing the plan's running hours here sets the Forecast page's plan (model units) and raises the
    projected fatigue; the resting projection does not move."""
    at = page(monkeypatch, demo_store[1], admin=False, **HEART_RATE)
    before = next(m.value for m in at.markdown if m.value.startswith("With no training")).split("  \n")
    at.number_input(key="fitness_plan_run_hours").set_value(10.0).run()
    after = next(m.value for m in at.markdown if m.value.startswith("With no training")).split("  \n")
    assert at.session_state["forecast_plan_run_hours"] == 10.0
    assert after[0] == before[0] and after[1] != before[1]
    fatigue = lambda line: float(line.split("fatigue ")[1].split(",")[0])  # noqa: E731
    assert fatigue(after[1]) > fatigue(before[1])


def test_a_plan_set_on_the_forecast_page_is_the_fitness_pages_plan(demo_store, monkeypatch):
    """A plan already in the session (the Forecast sliders' state) is what the Fitness page's inputs start from."""
    app_env(monkeypatch, demo_store[1], **HEART_RATE)
    at = logged_in_app()
    at.session_state["forecast_plan_sessions"] = 5.0
    open_page(at, "pages/fitness.py")
    assert not at.exception and at.number_input(key="fitness_plan_sessions").value == 5.0


def test_with_nothing_to_compute_load_from_the_page_says_what_to_add(tmp_path, monkeypatch):
    """Only weigh-ins stored: no figure, one sentence naming the sources to add."""
    SQLiteStore(tmp_path / "s.db").upsert([body(i) for i in range(10)])
    at = page(monkeypatch, tmp_path / "s.db")
    assert [i.value for i in at.info] == [NO_TRAINING] and not at.get("plotly_chart")


def test_a_strength_log_alone_gives_fitness_and_says_runs_are_missing(tmp_path, monkeypatch):
    """Sets but no runs, no weigh-ins: the page draws, says runs and weigh-ins are missing, and has no zones."""
    SQLiteStore(tmp_path / "s.db").upsert([set_row(i) for i in range(0, 60, 2)])
    at = page(monkeypatch, tmp_path / "s.db")
    infos = [i.value for i in at.info]
    assert NO_RUNS in infos and NO_BODY in infos and NO_SETS not in infos
    assert "No run in this range has a heart rate" in " ".join(infos)
    table = next(t for t in markdown_tables(at) if "method" in t.columns)
    assert set(table.kind) == {"strength"}


def test_runs_without_heart_rate_or_a_log_say_so(tmp_path, monkeypatch):
    """Runs with no HR and no strength log: the page says lifting is missing and that no run has a heart rate."""
    SQLiteStore(tmp_path / "s.db").upsert([run(i) for i in range(0, 40, 3)])
    at = page(monkeypatch, tmp_path / "s.db", **HEART_RATE)
    infos = " ".join(i.value for i in at.info)
    assert NO_SETS in infos and "No run has a heart rate" in infos


@pytest.fixture
def streamed(tmp_path):
    """Runs without summary HR; run 3 has a stored stream at 140 bpm, run 6 a damaged one."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([run(i) for i in range(0, 30, 3)] + [set_row(i) for i in range(1, 30, 3)])
    t = np.arange(0, 3001.0)
    save_detail(store, "strava:run:3", stream_of(t, 3.3 * t, heart_rate_bpm=np.full(len(t), 140.0)))
    store.put_blob(blob_name("strava:run:6"), b"not a stream")
    return tmp_path / "s.db"


def test_a_stored_hr_stream_gives_trimp_and_measured_zones(streamed, monkeypatch):
    """The run with a stream is scored by TRIMP from it and zoned from it (measured, not estimated); the run with a
    damaged stream falls back to the pace estimate and the page still draws."""
    at = page(monkeypatch, streamed, **HEART_RATE)
    table = next(t for t in markdown_tables(at) if "method" in t.columns)
    methods = dict(zip(table.session, table.method, strict=True))
    assert methods["Run 3"] == "TRIMP (HR stream)" and methods["Run 6"] == "pace estimate"
    assert any(c.value.startswith("Measured from each run's heart-rate stream") for c in at.caption)
    zones = [json.loads(c.proto.spec) for c in at.get("plotly_chart")][1]
    z3 = next(t for t in zones["data"] if t["name"] == "Z3")  # 140 bpm of max 190 is 74 %: zone 3
    assert sum(values(z3["y"])) == pytest.approx(3000 / 3600, rel=1e-3)


def test_the_running_page_shows_weekly_zones_and_polarisation(demo_store, monkeypatch):
    """Running page: a weekly zones chart and the polarisation sentence, estimated from the demo runs' average HR."""
    app_env(monkeypatch, demo_store[1], **HEART_RATE)
    at = open_page(logged_in_app(), "pages/running.py")
    assert not at.exception
    subheaders = [s.value for s in at.subheader]
    assert "Weekly time in heart-rate zones" in subheaders
    assert any(m.value.startswith("Running in this range: low ") for m in at.markdown)
    assert any("of the time is estimated" in c.value for c in at.caption)


def test_the_running_page_says_how_to_get_zones_without_settings(demo_store, monkeypatch):
    """Without any max or threshold HR the Running page's zones section says which setting gives zones."""
    app_env(monkeypatch, demo_store[1])
    at = open_page(logged_in_app(), "pages/running.py")
    assert not at.exception and NO_ZONES in [i.value for i in at.info]
