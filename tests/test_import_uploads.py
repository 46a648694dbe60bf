"""Several files uploaded at once (core/sources/files/uploads.py): a watch's activity files, or a Strava export's
activity files picked with its activities.csv, imported as the ZIP would be; any other mix refused untouched."""

from __future__ import annotations

import pytest

from core.activity.storage import detail_keys
from core.errors import BadInput
from core.records import RUN
from core.sources.files import Limits
from core.sources.files.uploads import import_uploads
from tests.activity_exports import Activity, T, activities, csv_row, run_file
from tests.apptest_helpers import app_env, logged_in_app, open_page, with_test_admin
from tests.builders import EDIT_NOW
from tests.fixtures.provider_fakes import STRAVA_HEADER


def clock():
    return EDIT_NOW


def strava_csv(items: list[Activity]) -> bytes:
    return (STRAVA_HEADER + "\n" + "\n".join(csv_row(a) for a in items) + "\n").encode()


def picked(items: list[Activity]) -> list[tuple[str, bytes]]:
    """The export's files as a browser uploads them: base names only."""
    return [(a.filename.rsplit("/", 1)[-1], a.data) for a in items if a.filename and a.data]


def test_several_activity_files_import_at_once_and_again_add_nothing(store):
    """A FIT, a gzipped GPX and a TCX chosen together are three runs with their streams; choosing them again
    stores nothing new."""
    uploads = [("a.fit", run_file("fit", T)), ("b.gpx.gz", run_file("gpx.gz", T.replace(day=11))),
               ("c.tcx", run_file("tcx", T.replace(day=12)))]
    report = import_uploads(store, uploads, now=clock)
    assert report.line().endswith("3 activity files = 3 stored + 0 already stored + 0 not readable")
    assert len(detail_keys(store)) == 3 and len(store.read(RUN)) == 3
    again = import_uploads(store, uploads, now=clock)
    assert (again.files_stored, again.files_already) == (0, 3) and len(store.read(RUN)) == 3
    same_name = import_uploads(store, [("run.fit", run_file("fit", T.replace(day=20))),
                                       ("run.fit", run_file("fit", T.replace(day=21)))], now=clock)
    assert same_name.files_stored == 2 and len(store.read(RUN)) == 5, "two folders' files of one name are both runs"


def test_activities_csv_with_its_files_picked_separately_joins_them_like_the_zip(store):
    """activities.csv and two of its three files: the two runs are the files' (with streams, under the CSV's
    Strava keys), the third is the CSV row's summary; a second part with the third file completes it."""
    items = activities(["fit", "gpx", "tcx"])
    csv = ("activities.csv", strava_csv(items))
    first = import_uploads(store, [csv, *picked(items[:2])], now=clock)
    assert not first.unreadable and first.files_stored == 2
    assert detail_keys(store) == {"strava:7001", "strava:7002"}
    assert set(store.read(RUN).key) == {"strava:7001", "strava:7002", "strava:7003"}
    second = import_uploads(store, [csv, *picked(items[2:])], now=clock)
    assert second.files_stored == 1 and detail_keys(store) == {"strava:7001", "strava:7002", "strava:7003"}
    assert len(store.read(RUN)) == 3, "the second part adds the stream, not a second run"


@pytest.mark.parametrize(("uploads", "named"), [
    ([("weight.csv", b"Date,Weight (kg)\n"), ("a.fit", b"")], "weight.csv"),
    ([("activities.csv", b""), ("log.csv", b""), ("a.fit", b"")], "activities.csv, log.csv"),
    ([("export.zip", b"PK"), ("a.fit", b"")], "export.zip"),
], ids=["another CSV", "two CSVs", "a ZIP"])
def test_a_mix_that_is_not_activity_files_is_refused_before_anything_is_read(store, uploads, named):
    """The refusal names the files that cannot go together and says to import them one at a time; nothing
    is stored."""
    with pytest.raises(BadInput, match="cannot be imported together") as raised:
        import_uploads(store, [(n, c or run_file("fit", T)) for n, c in uploads], now=clock)
    assert named in str(raised.value) and "on its own" in raised.value.action
    assert not store.counts()


def test_files_together_larger_than_one_upload_are_refused_and_say_to_go_in_parts(store):
    """Three files that are each small but together above [imports] max_upload_mb are refused with the limit;
    nothing is stored."""
    uploads = [(f"{i}.fit", run_file("fit", T.replace(day=10 + i))) for i in range(3)]
    limit = sum(len(c) for _, c in uploads) / 2**20 * 0.9  # each file is under it, together they are not
    with pytest.raises(BadInput, match="is more than the") as raised:
        import_uploads(store, uploads, limits=Limits(max_upload_mb=limit), now=clock)
    assert "3 files" in str(raised.value) and not store.counts()


def test_the_data_page_takes_several_files_at_once(demo_store, monkeypatch):
    """An admin chooses two FIT files in the uploader: both are stored, and the page says so."""
    store, path = demo_store
    app_env(monkeypatch, path)
    at = open_page(logged_in_app(*with_test_admin(monkeypatch)), "pages/data.py")
    at.file_uploader(key="data_import_file").set_value(
        [("a.fit", run_file("fit", T), "application/octet-stream"),
         ("b.fit", run_file("fit", T.replace(day=11)), "application/octet-stream")]).run()
    at.button(key="data_import").click().run()
    assert not at.exception
    assert any("2 activity files: activity files; 2 activity files = 2 stored" in s.value for s in at.success), \
        [s.value for s in at.success]
    assert detail_keys(store) == {"file:2026-01-10T07:00:00Z", "file:2026-01-11T07:00:00Z"}
