"""Weight, Running and CrossFit pages in AppTest: widget combinations render, numbers match the store."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.analytics.weight import METRICS
from core.units import IMPERIAL
from core.views.charts.running import TOTAL_LABELS
from core.views.format import format_day, format_number, format_pace
from tests.apptest_helpers import TIMEOUT_S, app_env, logged_in_app, markdown_tables, open_page


@pytest.fixture
def app(demo_store, monkeypatch):
    store, path = demo_store
    app_env(monkeypatch, path)
    return logged_in_app(), store


@pytest.mark.parametrize("metric", list(METRICS))
def test_weight_page_every_metric_and_period(app, metric):
    """Each metric renders over each period preset without an exception."""
    at, _ = app
    open_page(at, "pages/weight.py")
    at.selectbox(key="weight_metric").set_value(metric).run()
    for preset in ("Last 3 months", "All", "Custom"):
        at.selectbox(key="weight_range_preset").set_value(preset).run()
        assert not at.exception, (metric, preset, at.exception)
        assert len(at.get("plotly_chart")) == 3


def test_weight_page_trend_equals_independent_computation(app):
    """'Trend at end of range' (the whole history) equals a hand-rolled 10% EWMA over first-of-day weights."""
    at, store = app
    open_page(at, "pages/weight.py")
    assert at.metric[0].value == f"{format_number(demo_trend(store.read('body')))} kg"
    at.number_input(key="weight_window").set_value(30).run()
    assert not at.exception


def demo_trend(body):
    """A hand-rolled 10% EWMA over the first weigh-in of each local day."""
    trend = None
    for value in body.dropna(subset=["weight_kg"]).sort_values("time_utc").groupby("local_date").weight_kg.first():
        trend = value if trend is None else trend + 0.1 * (value - trend)
    return trend


def test_weight_page_in_pounds_lists_a_misweigh_on_its_local_day(demo_store, monkeypatch):
    """A 07:00 Sydney weigh-in 6 kg over the trend is listed on its local date, in lb, against a 4.4 lb limit."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from core.records import BODY, Record, iso_utc

    store, path = demo_store
    body = store.read(BODY)
    trend = demo_trend(body)
    day = body.local_date.max() + pd.Timedelta(days=1)
    when = datetime.combine(day.date(), time(7), tzinfo=ZoneInfo("Australia/Sydney"))  # 20:00 UTC the day before
    value = round(trend + 6.0, 2)
    store.upsert([Record(BODY, "demo", "demo:body:misweigh", when,
                         {"time_utc": iso_utc(when), "local_date": day.date().isoformat(), "weight_kg": value})])
    app_env(monkeypatch, path)
    at = logged_in_app()
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    open_page(at, "pages/weight.py")
    assert not at.exception
    table = markdown_tables(at)[0]
    row = table[table["local date"] == format_day(day)]
    assert len(row) == 1
    assert float(row["weight (lb)"].iloc[0]) == pytest.approx(IMPERIAL.mass_from_kg(value), abs=0.01)
    assert float(row["gap (lb)"].iloc[0]) == pytest.approx(IMPERIAL.mass_from_kg(value - trend), abs=0.01)
    assert any("more than 4.4 lb" in m.value for m in at.markdown)
    assert at.metric[0].value.endswith(" lb")


@pytest.mark.parametrize("metric", list(METRICS))
def test_weight_page_in_pounds_over_the_whole_history(app, metric):
    """Each metric renders in imperial units over 'All' without an exception."""
    at, _ = app
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    open_page(at, "pages/weight.py")
    at.selectbox(key="weight_metric").set_value(metric)
    at.selectbox(key="weight_range_preset").set_value("All").run()
    assert not at.exception and len(at.get("plotly_chart")) == 3
    assert at.metric[0].value.endswith(" %" if metric == "fat_ratio_pct" else " lb")


def test_running_page_widgets_and_distance(app):
    """Totals per week and month for each metric render; distance, pace and speed over 'All' match the store."""
    at, store = app
    open_page(at, "pages/running.py")
    for metric in TOTAL_LABELS:
        for period in ("week", "month"):
            at.selectbox(key="running_metric").set_value(metric)
            at.radio(key="running_period").set_value(period).run()
            assert not at.exception
    at.selectbox(key="running_range_preset").set_value("All").run()
    runs = store.read("run")
    assert at.metric[1].value == f"{format_number(runs.distance_m.sum() / 1000)} km"
    pace = format_pace(1000 / (runs.distance_m.sum() / runs.moving_time_s.sum()))
    assert at.metric[2].value == f"{pace} min/km"
    assert at.metric[3].value == f"{format_number(runs.distance_m.sum() / runs.moving_time_s.sum() * 3.6)} km/h"
    at.selectbox(key="running_route").set_value(runs.key.iloc[0]).run()
    assert not at.exception
    records_caption = next(c.value for c in at.caption if c.value.startswith("Records come from"))
    assert ("a half marathon yet" in records_caption) == (runs.distance_m.max() < 21_097.5)


def test_crossfit_page_every_exercise(app):
    """Every exercise renders; the heaviest back squat in 'All' equals the store's maximum."""
    at, store = app
    open_page(at, "pages/crossfit.py")
    at.selectbox(key="crossfit_range_preset").set_value("All").run()
    for exercise in at.selectbox(key="crossfit_exercise").options:
        at.selectbox(key="crossfit_exercise").set_value(exercise).run()
        assert not at.exception, exercise
    at.selectbox(key="crossfit_exercise").set_value("Back squat").run()
    sets = store.read("set")
    squat = sets[sets.exercise == "Back squat"]
    assert at.metric[0].value == f"{format_number(squat.load_kg.max())} kg"
    assert at.metric[1].value == f"{format_number(squat.reps.sum(), 0)}"


def test_crossfit_bodyweight_exercise_keeps_every_set(app):
    """Pull-ups show the most reps in a set, and every set counts, weighed that day or not."""
    at, store = app
    open_page(at, "pages/crossfit.py")
    at.selectbox(key="crossfit_range_preset").set_value("All").run()
    at.selectbox(key="crossfit_exercise").set_value("Pull-up").run()
    assert not at.exception
    sets = store.read("set")
    pull = sets[sets.exercise == "Pull-up"]
    weighed_days = set(store.read("body").dropna(subset=["weight_kg"]).local_date)
    weighed = pull.session_date.isin(weighed_days).sum()
    assert 0 < weighed < len(pull)  # the demo has pull-ups on days without a weigh-in
    values = {m.label: m.value for m in at.metric}
    assert values["Most reps in a set"] == f"{format_number(pull.reps.max(), 0)}"
    assert values["Total reps"] == f"{format_number(pull.reps.sum(), 0)}" and values["Sets"] == f"{len(pull)}"
    assert "Heaviest load" not in values
    assert f"on the {weighed} of {len(pull)} sets' days with a weigh-in" in at.caption[0].value


def test_crossfit_custom_range(app):
    """A custom range counts only the sets of its dates; a range without the exercise says so."""
    at, store = app
    open_page(at, "pages/crossfit.py")
    at.selectbox(key="crossfit_exercise").set_value("Back squat")
    at.selectbox(key="crossfit_range_preset").set_value("Custom").run()
    sets = store.read("set")
    squat = sets[sets.exercise == "Back squat"]
    first, last = squat.session_date.iloc[0], squat.session_date.iloc[len(squat) // 2]
    at.date_input(key="crossfit_range_custom").set_value((first.date(), last.date())).run()
    assert not at.exception
    kept = squat[(squat.session_date >= first) & (squat.session_date <= last)]
    assert at.metric[1].value == f"{format_number(kept.reps.sum(), 0)}" and at.metric[2].value == f"{len(kept)}"
    other_days = sorted(set(sets.session_date) - set(squat.session_date))
    day = other_days[-1].date()
    at.date_input(key="crossfit_range_custom").set_value((day, day)).run()
    assert not at.exception and at.info[0].value.startswith("No Back squat sets between")


def test_pages_in_pounds_and_miles(app):
    """Imperial units convert what the pages show."""
    at, store = app
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    open_page(at, "pages/crossfit.py")
    at.selectbox(key="crossfit_range_preset").set_value("All").run()
    at.selectbox(key="crossfit_exercise").set_value("Deadlift").run()
    sets = store.read("set")
    heaviest = sets[sets.exercise == "Deadlift"].load_kg.max()
    assert at.metric[0].value == f"{format_number(IMPERIAL.mass_from_kg(heaviest))} lb"
    open_page(at, "pages/running.py")
    assert at.metric[1].value.endswith(" mi")


def test_empty_store_shows_empty_states(tmp_path, monkeypatch):
    """With nothing stored, each page says what to do instead of drawing empty charts."""
    from core.store.sqlite import SQLiteStore

    SQLiteStore(tmp_path / "empty.db")
    app_env(monkeypatch, tmp_path / "empty.db")
    at = logged_in_app()
    for page, text in (("pages/weight.py", "No weigh-ins"), ("pages/running.py", "No runs"),
                       ("pages/crossfit.py", "No training sets")):
        open_page(at, page)
        assert not at.exception and text in at.info[0].value


def test_custom_range_with_no_data_says_so(app):
    """A custom range without runs shows an empty state."""
    at, store = app
    open_page(at, "pages/running.py")
    at.selectbox(key="running_range_preset").set_value("Custom").run()
    run_days = set(store.read("run").start_time_local.dt.normalize())
    day = next(d for d in pd.date_range(min(run_days), max(run_days)) if d not in run_days).date()
    at.date_input(key="running_range_custom").set_value((day, day)).run()
    assert not at.exception
    assert at.info[0].value.startswith("No runs between")


def test_overview_says_a_missing_climb_is_not_recorded(demo_store, monkeypatch):
    """A last run without elevation data shows 'not recorded' and no made-up 0 m or difference."""
    from core.records import RUN, Record, iso_utc

    store, path = demo_store
    last = store.read(RUN).start_time_utc.max()
    when = (last + pd.Timedelta(hours=30)).to_pydatetime()
    store.upsert([Record(RUN, "demo", "demo:run:no-climb", when, {
        "start_time_utc": iso_utc(when), "start_time_local": when.strftime("%Y-%m-%dT%H:%M:%S"),
        "timezone": "UTC", "name": "Treadmill", "sport_type": "Run", "distance_m": 5000.0,
        "moving_time_s": 1500.0, "average_speed_mps": 5000 / 1500})])
    app_env(monkeypatch, path)
    at = open_page(logged_in_app(), "pages/overview.py")
    assert not at.exception
    climb = next(m for m in at.metric if m.label == "Elevation gain")
    assert climb.value == "not recorded" and not climb.delta


def test_ten_years_of_weigh_ins_are_drawn_weekly_and_the_page_says_so(tmp_path, monkeypatch):
    """Over 'All' on ten years, the weight chart stays within 5,000 points and its caption says what is drawn."""
    import json
    from datetime import timedelta

    from core.sources.demo import DemoSource
    from core.store.sqlite import SQLiteStore
    from core.sync import run_sync
    from tests.apptest_helpers import SEEDED_AT

    store = SQLiteStore(tmp_path / "ten.sqlite3")
    run_sync(store, [DemoSource(7, lambda: SEEDED_AT, history=timedelta(days=3653))], now=lambda: SEEDED_AT)
    app_env(monkeypatch, tmp_path / "ten.sqlite3")
    at = open_page(logged_in_app(), "pages/weight.py")
    at.selectbox(key="weight_range_preset").set_value("All").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    counts = [len(trace["x"]) for trace in spec["data"]]
    assert all(isinstance(trace["x"], list) for trace in spec["data"]), "dates are sent as lists"
    assert 1_000 < sum(counts) <= 5_000, counts
    assert any("dots are weekly medians" in c.value for c in at.caption)


def _table_app():
    import pandas as pd

    from ui import widgets

    widgets.table(pd.DataFrame({"km": [21.754, None, 1234.5], "sessions": [3.0, 2.0, 12.0],
                                "run": ["a", "Back | squat *heavy*", None]}))


def test_small_tables_round_numbers_and_show_missing_values_as_a_dash():
    """Small tables show up to 2 decimals (never a trailing zero), a thousands separator, a dash for nothing, and
    text with Markdown characters as typed."""
    at = AppTest.from_function(_table_app, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert markdown_tables(at)[0].to_dict("list") == {"km": ["21.75", "–", "1,234.5"], "sessions": ["3", "2", "12"],
                                                      "run": ["a", "Back | squat *heavy*", "–"]}


def test_crossfit_page_shows_rpe_in_the_last_session_and_the_bodyweight_list(demo_store, monkeypatch):
    """An imported log's RPE and RIR appear in the last-session table; the page lists the bodyweight exercises,
    including one added by [strength] bodyweight_exercises, which then shows as bodyweight."""
    from datetime import UTC, datetime

    from core.sources.files import import_file
    from tests.apptest_helpers import with_test_admin

    store, path = demo_store
    log = b"Date,Exercise,Set,Reps,Load,RPE,RIR\n2026-11-19,Back squat,1,5,120,8,2\n2026-11-19,Back squat,2,5,120,9,1\n"
    assert import_file(store, log, "log.csv", now=lambda: datetime(2026, 11, 20, tzinfo=UTC)).rows_stored == 2
    app_env(monkeypatch, path, training_bodyweight_exercises="Kettlebell swing")
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/crossfit.py")
    at.selectbox(key="crossfit_exercise").set_value("Back squat").run()
    assert not at.exception
    assert any(s.value == "Last session: 19 Nov 2026" for s in at.subheader)
    last = next(t for t in markdown_tables(at) if "RPE" in t.columns)
    assert last[["set", "reps", "load (kg)", "RPE", "RIR"]].values.tolist() == [["1", "5", "120", "8", "2"],
                                                                                ["2", "5", "120", "9", "1"]]
    caption = next(c.value for c in at.caption if c.value.startswith("Counted as bodyweight"))
    assert "Burpee, Kettlebell swing, Pull-up." in caption
    at.selectbox(key="crossfit_exercise").set_value("Kettlebell swing").run()
    assert not at.exception and at.metric[0].label == "Most reps in a set"
