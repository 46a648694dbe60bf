"""The app shell in AppTest: login, roles, every page renders, refresh adds data."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from core.records import BODY
from tests.apptest_helpers import APP, ROOT, TIMEOUT_S, app_env, logged_in_app, login, open_page

PAGES = ["pages/overview.py", "pages/weight.py", "pages/running.py", "pages/crossfit.py",
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
    assert at.metric[0].value == f"{latest_kg:.1f} kg"
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    assert at.sidebar.button(key="refresh")
    assert at.metric[0].value == f"{latest_kg / 0.45359237:.1f} lb"
