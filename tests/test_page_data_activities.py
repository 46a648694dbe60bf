"""The Data page's uploader takes activity files: a Strava export with its files, or one FIT file, and lists the
files it could not read."""

from __future__ import annotations

from core.activity.storage import detail_keys
from core.records import RUN
from tests.activity_exports import Activity, T, activities, export_zip, run_file
from tests.apptest_helpers import app_env, logged_in_app, open_page, with_test_admin


def test_an_admin_uploads_a_strava_export_with_its_files(demo_store, monkeypatch):
    """The export's runs are stored with their streams; the broken file is listed with its reason."""
    store, path = demo_store
    app_env(monkeypatch, path)
    items = activities(["fit.gz", "gpx"]) + [Activity(7003, T.replace(day=20), "activities/7003.tcx", b"junk")]
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("export_1.zip", export_zip(items), "application/zip")).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert any("3 activity files = 2 stored + 0 already stored + 1 not readable" in s.value for s in at.success)
    assert {"strava:7001", "strava:7002"} <= detail_keys(store) and "strava:7003" in set(store.read(RUN).key)
    listed = at.dataframe[-1].value
    assert listed["file"].dropna().tolist() == ["activities/7003.tcx"]


def test_an_admin_uploads_one_fit_file(demo_store, monkeypatch):
    """A single FIT file is accepted by the uploader and stored as a run of its own, with its stream."""
    store, path = demo_store
    app_env(monkeypatch, path)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(("morning.fit", run_file("fit", T), "application/octet-stream"))
    at.run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert any("morning.fit: activity files; 1 activity file = 1 stored" in s.value for s in at.success)
    assert detail_keys(store) == {"file:2026-01-10T07:00:00Z"}
