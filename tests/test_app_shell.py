"""The app shell in AppTest: login, roles, every page renders, refresh adds data."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core.records import BODY, RUN, SET
from core.units import IMPERIAL
from core.views.format import format_number, signed
from tests.apptest_helpers import APP, ROOT, TIMEOUT_S, app_env, logged_in_app, login, markdown_tables, open_page

PAGES = ["pages/overview.py", "pages/weight.py", "pages/running.py", "pages/run.py", "pages/heatmap.py",
         "pages/crossfit.py", "pages/fitness.py",
         "pages/forecast.py", "pages/data.py"]


def test_login_page_shows_demo_credentials_and_blocks_content(demo_store, monkeypatch):
    """Before login nothing but the form (and the demo hint) is shown."""
    app_env(monkeypatch, demo_store[1])
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert any("demo" in i.value for i in at.info)
    assert not at.title and not at.metric


def test_wrong_password_is_refused(demo_store, monkeypatch):
    """A wrong password keeps the person out with a clear message."""
    app_env(monkeypatch, demo_store[1])
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "nope")
    assert at.session_state["authentication_status"] is False
    assert any("incorrect" in e.value for e in at.error)
    assert not at.metric


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_demo_data(demo_store, monkeypatch, page):
    """Logged in as the demo admin, each page renders without an exception."""
    app_env(monkeypatch, demo_store[1])
    at = open_page(logged_in_app(), page)
    assert not at.exception, at.exception
    assert at.title


def test_admin_refresh_adds_data_and_updates_freshness(demo_store, monkeypatch):
    """Refresh data syncs the week the first import held back, and the caption says 'just now'."""
    store, path = demo_store
    app_env(monkeypatch, path)
    before = len(store.read(BODY))
    at = logged_in_app()
    assert "days ago" in at.sidebar.caption[0].value
    assert at.sidebar.warning, "a stale-data warning is shown for a sync days old"
    at.sidebar.button(key="refresh").click().run()
    assert not at.exception
    assert len(store.read(BODY)) > before
    assert at.sidebar.caption[0].value == "Data synced just now"
    assert any("demo: ok" in s.value for s in at.sidebar.success)


@pytest.mark.parametrize("page", PAGES)
def test_page_opened_directly_requires_login(demo_store, monkeypatch, page):
    """A page file run on its own (Streamlit's first-request v1 path) shows nothing without a login."""
    app_env(monkeypatch, demo_store[1])
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT_S).run()
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please log in first."]
    assert not at.metric and not at.dataframe and not at.title


def test_sidebar_survives_reruns(demo_store, monkeypatch):
    """Changing the units reruns the whole app (sidebar included) and converts the shown weight."""
    store, path = demo_store
    app_env(monkeypatch, path)
    body = store.read(BODY)
    latest_kg = body.loc[body.time_utc.idxmax(), "weight_kg"]
    at = logged_in_app()
    assert at.metric[0].value == f"{format_number(latest_kg)} kg"
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    assert at.sidebar.button(key="refresh")
    assert at.metric[0].value == f"{format_number(IMPERIAL.mass_from_kg(latest_kg))} lb"


def test_configured_imperial_units_show_in_every_new_session_until_switched(demo_store, monkeypatch):
    """With [app] units = "imperial" a new session shows pounds; the person's switch to metric is kept (issue 20)."""
    store, path = demo_store
    app_env(monkeypatch, path, app_units="imperial")
    body = store.read(BODY)
    latest_kg = body.loc[body.time_utc.idxmax(), "weight_kg"]
    at = logged_in_app()
    assert at.sidebar.radio(key="units_system").value == "imperial"
    assert at.metric[0].value == f"{format_number(IMPERIAL.mass_from_kg(latest_kg))} lb"
    at.sidebar.radio(key="units_system").set_value("metric").run()
    assert at.metric[0].value == f"{format_number(latest_kg)} kg"
    assert open_page(logged_in_app(), "pages/weight.py").metric[0].value.endswith(" kg"), "a new session: still kg"


def test_demo_login_stops_once_real_data_is_stored(demo_store, monkeypatch):
    """With real data in the store and no user configured, the app asks for a user instead of demo/demo."""
    store, path = demo_store
    from tests.builders import body

    store.upsert([body(0, source="withings")])
    app_env(monkeypatch, path)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not at.text_input, "no login form that demo/demo could pass"
    assert "python -m core.users add" in at.error[0].value


def test_overview_numbers_equal_an_independent_computation(demo_store, monkeypatch):
    """Latest weight, its weekly change and the last run's distance match a computation on the store."""
    store, path = demo_store
    app_env(monkeypatch, path)
    body = store.read(BODY).dropna(subset=["weight_kg"])
    latest = body.loc[body.time_utc.idxmax()]
    end = latest.time_utc

    def mean_before(end_time):
        window = body[(body.time_utc > end_time - pd.Timedelta(days=7)) & (body.time_utc <= end_time)]
        return window.weight_kg.mean()

    week_change = mean_before(end) - mean_before(end - pd.Timedelta(days=7))
    runs = store.read(RUN).sort_values("start_time_utc")
    at = logged_in_app()
    shown = [m.value for m in at.markdown]
    assert at.metric[0].value == f"{format_number(latest.weight_kg)} kg"
    assert f"Change since last week: **{signed(week_change)} kg**" in shown
    distance = next(m for m in at.metric if m.label == "Distance")
    assert distance.value == f"{format_number(runs.distance_m.iloc[-1] / 1000, 2)} km"
    delta = (runs.distance_m.iloc[-1] - runs.distance_m.iloc[-2]) / 1000
    assert distance.delta == f"{signed(delta, 2)} km"
    sets = store.read(SET)
    last_day = sets[sets.session_date == sets.session_date.max()]
    assert len(markdown_tables(at)[0]) == len(last_day)


def test_not_enough_data_is_said_not_guessed(tmp_path, monkeypatch):
    """With two weeks of weigh-ins, the monthly and yearly changes say 'not enough data'."""
    from datetime import timedelta

    from core.records import Record, iso_utc
    from core.store.sqlite import SQLiteStore
    from tests.apptest_helpers import SEEDED_AT

    store = SQLiteStore(tmp_path / "s.db")
    records = []
    for i in range(14):
        when = SEEDED_AT - timedelta(days=i)
        records.append(Record(BODY, "demo", f"demo:{i}", when, {
            "time_utc": iso_utc(when), "local_date": when.date().isoformat(), "weight_kg": 80.0 + i / 10}))
    store.upsert(records)
    app_env(monkeypatch, tmp_path / "s.db")
    shown = [m.value for m in logged_in_app().markdown]
    assert "Change since last week: **-0.7 kg**" in shown
    assert "Change since last month: **not enough data**" in shown
    assert "Change since last year: **not enough data**" in shown


def test_refresh_while_another_sync_runs_says_so(demo_store, monkeypatch):
    """A click while the scheduled sync holds the lease reports it instead of starting a second sync."""
    from datetime import UTC, datetime

    store, path = demo_store
    app_env(monkeypatch, path)
    before = store.get_sync_state("demo")
    assert store.acquire_lease("github-actions:123", datetime.now(UTC))
    at = logged_in_app()
    at.sidebar.button(key="refresh").click().run()
    assert not at.exception
    assert any("already running" in w.value for w in at.sidebar.warning)
    assert store.get_sync_state("demo") == before


def test_staleness_warning_follows_the_stored_last_success(demo_store, monkeypatch):
    """A last success older than twice the schedule shows the likely causes; a fresh one shows none."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    store, path = demo_store
    app_env(monkeypatch, path, sync_interval_hours="3")  # a schedule (a laptop without one: tests/test_page_data.py)
    state = store.get_sync_state("demo")
    store.put_sync_state(replace(state, last_success=datetime.now(UTC) - timedelta(hours=7)))
    warning = logged_in_app().sidebar.warning[0].value
    assert "older than 6 h" in warning and "60 days" in warning and "token expired" in warning
    store.put_sync_state(replace(state, last_success=datetime.now(UTC) - timedelta(hours=5)))
    import streamlit as st

    st.cache_data.clear()
    at = logged_in_app()
    assert not at.sidebar.warning and at.sidebar.caption[0].value == "Data synced 5 h ago"


def test_a_lagging_source_is_named_while_another_is_fresh(demo_store, monkeypatch):
    """A configured source stuck for days is named in the sidebar even though the demo source is fresh."""
    from dataclasses import replace
    from datetime import UTC, datetime, timedelta

    from core.store.base import SyncState
    from tests.apptest_helpers import with_test_admin

    store, path = demo_store
    app_env(monkeypatch, path, strava_client_id="1", demo_enabled="true")
    user, password = with_test_admin(monkeypatch)
    store.put_sync_state(replace(store.get_sync_state("demo"), last_success=datetime.now(UTC)))
    store.put_sync_state(SyncState("strava", last_success=datetime.now(UTC) - timedelta(days=2),
                                   last_attempt=datetime.now(UTC), last_error="token expired"))
    warnings = [w.value for w in logged_in_app(user, password).sidebar.warning]
    assert any(w.startswith("Strava: no successful sync") and "expired token" in w for w in warnings), warnings


def test_log_out_shows_the_form_and_forgets_the_login(demo_store, monkeypatch):
    """Log out: the next run shows the login form (deleting the remember-me cookie), not the page."""
    app_env(monkeypatch, demo_store[1])
    at = logged_in_app()
    assert at.metric
    at.sidebar.button(key="logout_button").click().run()
    assert not at.exception
    assert at.session_state["authentication_status"] is None and at.session_state["logout"] is True
    assert at.text_input and not at.metric and not at.title
    assert not at.sidebar.button, "no Refresh data or Log out for a logged-out session"
    login(at, "demo", "demo")
    assert at.metric, "logging in again in the same tab works"


def test_an_empty_submit_asks_for_both_fields_and_counts_nothing(demo_store, monkeypatch):
    """Pressing Login with a field left empty says what is missing and makes no later attempt wait."""
    store, path = demo_store
    app_env(monkeypatch, path, auth_login_delay_base_s="60")
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "")
    assert [w.value for w in at.warning] == ["Enter your username and your password."] and not at.error
    assert store.login_counters() == []
    assert login(at, "demo", "demo").session_state["authentication_status"] is True


def test_after_a_wrong_password_the_right_one_waits_for_the_delay_then_logs_in(demo_store, monkeypatch):
    """A wrong password sets a delay kept in the store: the right password is refused until it has passed (even
    with every Streamlit cache cleared), then accepted, which clears the username's and the address's counters."""
    import time

    import streamlit as st

    store, path = demo_store
    app_env(monkeypatch, path, auth_login_delay_base_s="3")  # long enough for a rerun on a loaded machine
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "wrong")
    assert [e.value for e in at.error] == ["Username or password is incorrect. The next attempt may start in 3 s."]
    st.cache_data.clear()
    st.cache_resource.clear()  # what Streamlit's clear-cache message does
    login(at, "demo", "demo")
    assert not at.exception and at.session_state["authentication_status"] is not True
    assert "try again in" in at.error[0].value and "The password was not checked" in at.error[0].value
    counter = store.get_login_counter("user:demo")
    assert counter.failures == 1, "a refused attempt is not counted"
    time.sleep(max(0.0, counter.not_before - time.time()) + 0.05)
    login(at, "demo", "demo")
    assert at.session_state["authentication_status"] is True and at.metric
    assert store.login_counters() == []


def test_a_corrected_record_shows_once_the_cached_read_expires(demo_store, monkeypatch):
    """A sync that corrects a record in place (same key and time, new values) shows on the page when the cached
    read expires, even though the page's view is cached by its data stamp."""
    from core.records import Record, iso_utc
    from ui import data

    store, path = demo_store
    app_env(monkeypatch, path)
    last = store.read(RUN).sort_values("start_time_utc").iloc[-1]
    at = logged_in_app()
    assert next(m for m in at.metric if m.label == "Distance").value == f"{last.distance_m / 1000:.2f} km"
    when = last.start_time_utc.to_pydatetime()
    fields = {"start_time_utc": iso_utc(when), "start_time_local": last.start_time_local.strftime("%Y-%m-%dT%H:%M:%S"),
              "timezone": last.timezone, "name": last["name"], "sport_type": last.sport_type,
              "distance_m": last.distance_m + 5_000, "moving_time_s": last.moving_time_s,
              "summary_polyline": last.summary_polyline}
    assert store.upsert([Record(RUN, last.source, last.key, when, fields, {"corrected": True})]).updated == 1
    data.load_kind.clear()  # what the cache's TTL does after a scheduled sync
    at.run()
    assert next(m for m in at.metric if m.label == "Distance").value == f"{(last.distance_m + 5_000) / 1000:.2f} km"


def test_a_store_that_cannot_count_the_attempt_lets_nobody_in_and_says_why(demo_store, monkeypatch):
    """When the store refuses the login counter's write, the right password is not let through unchecked: the
    form says the login cannot be checked and what to do, and shows no traceback."""
    from core.errors import StoreError
    from core.store.sqlite import SQLiteStore
    from ui import context

    class CountersDown(SQLiteStore):
        def put_login_counter(self, counter, expected):
            raise StoreError("the table refused the write")

    app_env(monkeypatch, demo_store[1])
    monkeypatch.setattr(context, "store", lambda: CountersDown(demo_store[1]))
    at = login(AppTest.from_file(APP, default_timeout=TIMEOUT_S).run(), "demo", "demo")
    assert not at.exception and at.session_state["authentication_status"] is not True
    assert at.error[0].value.startswith("The login cannot be checked right now: the table refused the write")
    assert StoreError.action in at.error[0].value


def test_overview_changes_need_two_weigh_ins_in_each_window(tmp_path, monkeypatch):
    """A change is shown only when both 7-day windows hold at least 2 weigh-ins, as an independent computation that
    applies that rule says: one weigh-in a week earlier is 'not enough data', two a month earlier give a number."""
    from core.store.sqlite import SQLiteStore
    from tests.apptest_helpers import with_test_admin
    from tests.builders import body

    days = {60: 80.0, 58: 81.0, 52: 83.0, 30: 84.0, 28: 85.5}  # day after T0 -> kg (even days: no fat ratio)
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([body(day, kg) for day, kg in days.items()])
    app_env(monkeypatch, tmp_path / "s.db", demo_enabled="false")
    at = logged_in_app(*with_test_admin(monkeypatch))
    frame = store.read(BODY)
    latest = frame.time_utc.max()

    def window_mean(end):  # the rule: the mean of the 7 days ending at `end`, only from 2 weigh-ins on
        shown = frame[(frame.time_utc > end - pd.Timedelta(days=7)) & (frame.time_utc <= end)].weight_kg
        return shown.mean() if len(shown) >= 2 else None

    expected = {}
    for period, days_back in {"last week": 7, "last month": 30, "last year": 365}.items():
        now, before = window_mean(latest), window_mean(latest - pd.Timedelta(days=days_back))
        expected[period] = "not enough data" if now is None or before is None else f"{signed(now - before)} kg"
    assert expected == {"last week": "not enough data", "last month": "-4.2 kg", "last year": "not enough data"}
    assert [m.value for m in at.markdown if m.value.startswith("Change since")] == [
        f"Change since {period}: **{text}**" for period, text in expected.items()]
