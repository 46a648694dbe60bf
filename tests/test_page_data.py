"""The Data page: quarantined rows shown, imports by admins only, the export download."""

from __future__ import annotations

from core.records import RUN
from core.sources.sheets import SheetsSource
from core.sync import run_sync
from tests.apptest_helpers import SEEDED_AT, app_env, logged_in_app, open_page
from tests.fixtures.provider_fakes import strava_csv
from tests.test_source_sheets import MESSY


def test_quarantined_sheet_rows_are_listed_with_reasons(demo_store, monkeypatch):
    """After a sheet sync, the page lists each unreadable row and says the counts add up."""
    store, path = demo_store
    run_sync(store, [SheetsSource(lambda: MESSY)], now=lambda: SEEDED_AT)
    app_env(monkeypatch, path, demo_enabled="true")
    at = open_page(_admin(monkeypatch), "pages/data.py")
    assert not at.exception
    assert any("10 rows read = 4 stored + 6 not readable" in m.value for m in at.markdown)
    held = at.dataframe[1].value
    assert held["row"].tolist() == [7, 8, 9, 10, 11, 12]


def _admin(monkeypatch):
    from tests.apptest_helpers import with_test_admin

    return logged_in_app(*with_test_admin(monkeypatch))


def test_admin_imports_a_strava_export_and_the_runs_appear(demo_store, monkeypatch):
    """Upload, import, report; the new run is stored and a second import adds nothing."""
    store, path = demo_store
    app_env(monkeypatch, path)
    at = open_page(_admin(monkeypatch), "pages/data.py")
    before = len(store.read(RUN))
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert any("3 rows read = 1 stored + 0 already stored + 1 not readable + 1 skipped (not runs)" in s.value
               for s in at.success)
    assert len(store.read(RUN)) == before + 1
    at = open_page(_admin(monkeypatch), "pages/data.py")  # the same file again, in a new session
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert any("= 0 stored + 1 already stored" in s.value for s in at.success)
    assert len(store.read(RUN)) == before + 1


def test_a_damaged_upload_says_what_to_do(demo_store, monkeypatch):
    """A truncated ZIP gives an error naming the problem and the fix; nothing is stored."""
    store, path = demo_store
    app_env(monkeypatch, path)
    before = store.counts()
    at = open_page(logged_in_app(), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("export.zip", b"PK\x03\x04truncated", "application/zip"))
    at.checkbox(key="data_import_end_demo").check()  # logged in as demo: an import would end the demo
    at.run()
    at.button(key="data_import").click().run()
    assert "damaged or incomplete" in at.error[0].value and "Download the export again" in at.error[0].value
    assert store.counts() == before


def test_viewer_cannot_import_and_export_is_offered(demo_store, monkeypatch, tmp_path):
    """A viewer sees no uploader; anyone can prepare the export download."""
    import json

    import bcrypt

    app_env(monkeypatch, demo_store[1])
    hashed = bcrypt.hashpw(b"viewer-password", bcrypt.gensalt(4)).decode()
    monkeypatch.setenv("FITDASH_AUTH_USERS", json.dumps({"vic": {"password": hashed, "role": "viewer"}}))
    monkeypatch.setenv("FITDASH_AUTH_COOKIE_KEY", "k" * 64)
    at = open_page(logged_in_app("vic", "viewer-password"), "pages/data.py")
    assert not at.get("file_uploader") and "Only an admin can import files." in [c.value for c in at.caption]
    at.button(key="data_export_prepare").click().run()
    assert not at.exception and at.get("download_button")


def test_postponed_removals_and_next_sync_per_source_are_shown(demo_store, monkeypatch):
    """A sheet row turned unreadable: the page says the removal waits; the table has a next sync per source."""
    store, path = demo_store
    rows = {"now": MESSY[:2] + [["2026-03-03", "Deadlift", "1", "6", "140", "kg", ""]]}
    src = SheetsSource(lambda: rows["now"])
    run_sync(store, [src], now=lambda: SEEDED_AT)
    rows["now"] = MESSY[:2] + [["2026-03-03", "Deadlift", "1", "6O", "140", "kg", ""]]
    run_sync(store, [src], now=lambda: SEEDED_AT)
    app_env(monkeypatch, path, demo_enabled="true", sync_interval_hours="3")
    at = open_page(_admin(monkeypatch), "pages/data.py")
    assert not at.exception
    assert "1 removal postponed until the quarantined rows are fixed" in [i.value for i in at.info]
    status = at.dataframe[0].value.set_index("source")
    assert status.loc["sheets", "next sync"] == "not configured" and status.loc["demo", "next sync"].endswith("UTC")


def test_an_upload_while_a_sync_runs_says_to_try_again(demo_store, monkeypatch):
    """While a sync holds the lease, the Data page import says to try again in a minute and stores nothing."""
    from datetime import UTC, datetime

    store, path = demo_store
    app_env(monkeypatch, path)
    assert store.acquire_lease("cron-sync", datetime.now(UTC))
    before = store.counts()
    at = open_page(_admin(monkeypatch), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert not at.exception and "a sync is running, try again in a minute" in at.error[0].value
    assert store.counts() == before
    store.release_lease("cron-sync")


LB_LOG = b"Date,Exercise,Reps,Load\n11/18/2026,Back squat,5,225\n"


def test_the_uploader_offers_unit_date_order_and_time_zone(demo_store, monkeypatch):
    """Choosing lb and month-first reads a log the settings would refuse; the page says which unit it assumed."""
    store, path = demo_store
    app_env(monkeypatch, path, app_timezone="Europe/Paris")
    at = open_page(_admin(monkeypatch), "pages/data.py")
    assert at.selectbox(key="data_import_timezone").value == "Europe/Paris"
    at.file_uploader(key="data_import_file").set_value(("log.csv", LB_LOG, "text/csv")).run()
    at.button(key="data_import").click().run()
    assert not at.exception and "Nothing was stored: all 1 rows were refused" in at.error[0].value
    assert "MDY" in at.error[0].value and at.dataframe[-1].value["row"].tolist() == [2]
    at.selectbox(key="data_import_unit").set_value("lb")
    at.selectbox(key="data_import_order").set_value("MDY").run()
    at.button(key="data_import").click().run()
    assert any("1 rows read = 1 stored" in s.value for s in at.success)
    assert any("loads were read as lb" in i.value for i in at.info)
    stored = store.read("set")
    assert stored[stored.source == "csv"].load_kg.round(3).tolist() == [102.058]


def test_an_upload_over_the_limit_names_the_setting(demo_store, monkeypatch):
    """A file above [imports] max_upload_mb is refused before it is read, naming the setting; nothing is stored."""
    store, path = demo_store
    app_env(monkeypatch, path, imports_max_upload_mb="0.0001")
    before = store.counts()
    at = open_page(_admin(monkeypatch), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert "an upload may be" in at.error[0].value and "[imports] max_upload_mb" in at.error[0].value
    assert store.counts() == before


def test_the_last_imports_unreadable_rows_stay_listed_in_a_new_session(demo_store, monkeypatch):
    """A row an upload could not read is still listed, with its reason, when the page is opened again later."""
    _, path = demo_store
    app_env(monkeypatch, path)
    at = open_page(_admin(monkeypatch), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("activities.csv", strava_csv(), "text/csv")).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    later = open_page(_admin(monkeypatch), "pages/data.py")  # a new session: nothing kept in session state
    expanders = [e.label for e in later.expander]
    assert "Last import (activities.csv): 1 rows not stored" in expanders
    held = later.dataframe[1].value
    assert held.to_dict("list") == {"row": [4], "reason": ["activity date 'not a date' not understood"]}
    assert any("Fix them in the file and import it again" in m.value for m in later.markdown)


def test_a_laptop_without_a_schedule_says_what_syncs_and_the_upload_box_its_limits(demo_store, monkeypatch):
    """The embedded store without [sync] interval_hours promises no schedule; the upload box names its size limits."""
    _, path = demo_store
    app_env(monkeypatch, path, imports_max_upload_mb="5", imports_max_csv_mb="20")
    at = open_page(_admin(monkeypatch), "pages/data.py")
    captions = [c.value for c in at.caption]
    schedule = next(c for c in captions if "sync" in c.lower() and "store:" in c.lower())
    assert schedule.startswith("No scheduled sync on this machine") and "GitHub" not in schedule
    assert "Refresh data" in schedule and "`make sync`" in schedule
    assert at.dataframe[0].value.set_index("source").loc["demo", "next sync"] == "on Refresh data or `make sync`"
    limits = ".zip, .csv, .txt, .tsv, .fit, .gpx, .tcx, .gz, up to 5 MB an upload and 20 MB a CSV once unzipped"
    assert any(limits in c for c in captions)
    warnings = [w.value for w in at.sidebar.warning]
    assert warnings and "Nothing syncs on its own here" in warnings[0] and "GitHub" not in warnings[0]


def test_a_set_sync_interval_is_a_schedule_the_page_describes(demo_store, monkeypatch):
    """With [sync] interval_hours set (cron, or the hosted store's workflow), the page gives the schedule."""
    _, path = demo_store
    app_env(monkeypatch, path, sync_interval_hours="3")
    at = open_page(_admin(monkeypatch), "pages/data.py")
    assert any(c.value.startswith("Scheduled sync every 3 h") for c in at.caption)
    assert at.dataframe[0].value.set_index("source").loc["demo", "next sync"].endswith("UTC")
