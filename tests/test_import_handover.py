"""After an import: the data counts as fresh, and the demo hands over to real data without surprises
(the page warns and asks first, the lock-out page gives the command, the demo's records can be purged)."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from core.analytics.freshness import freshness
from core.records import BODY, RUN, SET
from core.sources.files import import_file
from core.store.base import IMPORT_STATE, SyncState
from core.store.sqlite import SQLiteStore
from core.views.data import freshness_caption
from tests.apptest_helpers import APP, ROOT, TIMEOUT_S, app_env, logged_in_app, open_page, with_test_admin
from tests.builders import STATUS_NOW as NOW
from tests.builders import body, run
from tests.fixtures.provider_fakes import strava_csv

CREATE_ADMIN = "python -m core.users add NAME --role admin"


def test_an_import_is_fresh_data_but_not_a_sync():
    """The caption counts an import; staleness (about the scheduled syncs) does not."""
    imported = SyncState(IMPORT_STATE, last_success=NOW - timedelta(minutes=5))
    assert freshness_caption(freshness([imported], NOW, 3)) == "imported 5 min ago"
    old_sync = SyncState("strava", last_success=NOW - timedelta(days=3))
    fresh = freshness([imported, old_sync], NOW, 3, active=("strava",))
    assert freshness_caption(fresh) == "imported 5 min ago, synced 3 days ago" and fresh.stale
    assert freshness_caption(freshness([replace(imported, last_success=NOW - timedelta(days=5)), old_sync], NOW,
                                       3)) == "synced 3 days ago"
    only_import = freshness([imported], NOW, 3)
    assert only_import.last_success is None, "no stale-sync warning for someone who only imports"


def test_an_import_records_its_state_and_leaves_the_sources_alone(tmp_path):
    """The import leaves an `import` state (file, format, counts, unreadable rows); the Strava state is untouched."""
    store = SQLiteStore(tmp_path / "s.db")
    store.upsert([run(0)])  # what the Strava sync stored
    strava = SyncState("strava", watermark=NOW - timedelta(days=1), last_success=NOW - timedelta(days=1))
    store.put_sync_state(strava)
    import_file(store, strava_csv(), "activities.csv", now=lambda: NOW)
    state = store.get_sync_state(IMPORT_STATE)
    assert (state.last_success, state.counts["inserted"]) == (NOW, 1)
    assert {k: state.details[k] for k in ("file", "format", "rows_quarantined")} == {
        "file": "activities.csv", "format": "Strava activities", "rows_quarantined": 1}
    assert state.details["quarantine"] == [{"row": 4, "reason": "activity date 'not a date' not understood"}]
    assert store.get_sync_state("strava") == strava


def test_the_sidebar_says_imported_after_an_upload(tmp_path, monkeypatch):
    """A new store, a file imported on the Data page: the sidebar says 'imported just now', not 'never synced'."""
    app_env(monkeypatch, tmp_path / "s.db", demo_enabled="false")
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    assert at.sidebar.caption[0].value == "Data never synced"
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert at.sidebar.caption[0].value == "Data imported just now"
    assert any(c.value.startswith("Last import: activities.csv (Strava activities), just now, 1 new")
               for c in at.caption)
    assert "import" not in at.dataframe[0].value["source"].tolist(), "not a source of its own in the table"


def test_an_import_as_demo_warns_and_asks_before_ending_the_demo(demo_store, monkeypatch):
    """Logged in as demo: the page says the import ends the demo login and names the command to create an admin;
    the import waits for the confirmation; after it, visitors get the lock-out page with that exact command."""
    store, path = demo_store
    app_env(monkeypatch, path)
    before = store.counts()
    at = open_page(logged_in_app(), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    (warning,) = [w.value for w in at.warning if "ends the demo" in w.value]
    assert CREATE_ADMIN in warning and "python -m core.store purge --source demo" in warning
    assert at.button(key="data_import").disabled, "no import without the confirmation"
    assert store.counts() == before
    at.checkbox(key="data_import_end_demo").check().run()
    at.button(key="data_import").click().run()
    assert store.counts() == {**before, (RUN, "strava"): 1}
    visitor = AppTest.from_file(APP, default_timeout=TIMEOUT_S).run()
    assert not visitor.text_input, "the demo login has stopped"
    (locked,) = [e.value for e in visitor.error]
    assert "demo login has stopped" in locked and f"`{CREATE_ADMIN}`" in locked and "restart the app" in locked


def test_no_demo_warning_once_users_are_configured(demo_store, monkeypatch):
    """With a real admin configured, an import ends nothing: no warning, no confirmation."""
    app_env(monkeypatch, demo_store[1])
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    assert not any("ends the demo" in w.value for w in at.warning)
    assert not at.checkbox


def purge(db, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "PATH": "/usr/bin:/bin"}
    return subprocess.run([sys.executable, "-m", "core.store", "purge", *args], input=stdin, capture_output=True,
                          text=True, env=env, cwd=ROOT, timeout=120)


def test_purge_command_asks_then_removes_only_the_demo(demo_store):
    """`python -m core.store purge --source demo` says what it deletes, keeps everything on "n", and on "y"
    removes the demo's records and sync state while the real records stay."""
    store, path = demo_store
    store.upsert([body(0), body(1)])
    demo = {k: n for k, n in store.counts().items() if k[1] == "demo"}
    declined = purge(path, "--source", "demo", stdin="n\n")
    assert declined.returncode == 1 and "Nothing deleted" in declined.stdout
    assert f"delete {demo[(BODY, 'demo')]} body measurements, {demo[(RUN, 'demo')]} runs, " in declined.stdout
    assert "the demo stays gone" in declined.stdout, "beside real data the demo source no longer syncs"
    assert {k: n for k, n in store.counts().items() if k[1] == "demo"} == demo
    done = purge(path, "--source", "demo", stdin="y\n")
    assert done.returncode == 0 and f"Deleted {sum(demo.values())} records of demo" in done.stdout
    assert store.counts() == {(BODY, "withings"): 2}
    assert store.get_sync_state("demo") is None and store.lease() is None
    assert purge(path, "--source", "demo", "--yes").returncode == 0


def test_admins_may_remove_the_demo_data_from_the_page(demo_store, monkeypatch):
    """Real data next to the demo's: the Data page offers the purge, asks, then removes only the demo records."""
    store, path = demo_store
    store.upsert([body(0)])
    app_env(monkeypatch, path, demo_enabled="false")
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    (offer,) = [i.value for i in at.info if "Purge demo" in i.value]
    assert f"{store.counts()[(SET, 'demo')]} training sets" in offer
    assert at.button(key="data_purge_demo").disabled
    at.checkbox(key="data_purge_demo_sure").check().run()
    at.button(key="data_purge_demo").click().run()
    assert not at.exception
    assert store.counts() == {(BODY, "withings"): 1} and store.get_sync_state("demo") is None
    assert any("Removed" in s.value and "demo records" in s.value for s in at.success)
    assert not any("Purge demo" in i.value for i in at.info), "nothing left to offer"


def test_the_demo_source_stops_once_real_data_is_stored(demo_store):
    """After a real record lands, a sync builds no demo source, so a purged demo never comes back."""
    from core.config import build_settings
    from core.sources import build_sources

    store, _ = demo_store
    settings = build_settings({}, {})
    assert [s.name for s in build_sources(settings, store, lambda: datetime.now(UTC))] == ["demo"]
    store.upsert([body(0)])
    assert build_sources(settings, store, lambda: datetime.now(UTC)) == []
