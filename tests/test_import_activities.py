"""Activity files as a source: Strava's bulk export joined to its files, folders and single files, one record per
run whichever way it arrives, file values over the CSV's, unreadable files listed, streams beside the records."""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
from datetime import timedelta

import pytest

from core.activity import read_activity
from core.activity.codec import STEP
from core.activity.storage import detail_keys, load_laps, load_stream
from core.errors import BadInput
from core.records import RUN
from core.sources.files import import_file, import_folder
from core.sources.files.activity_import import MARKERS
from core.sources.strava import StravaSource
from core.sources.strava.parse import activity_record
from core.sync import run_sync
from tests.activity_exports import Activity, T, activities, export_zip, run_file
from tests.apptest_helpers import ROOT
from tests.builders import EDIT_NOW as NOW
from tests.fixtures.provider_fakes import strava_activity

TOLERANCE = {name: step / 2 + 1e-9 for name, step in STEP.items()}
MIXED = ["fit.gz", "gpx", "tcx.gz"]


def clock():
    return NOW


class PagedClient:
    """Stands in for StravaClient: the store it was built with, and one page of the API's activities."""

    def __init__(self, store, page: list[dict]) -> None:
        self.store, self.page = store, page

    def activity_pages(self, since):
        yield self.page


def runs(store):
    """The stored runs by key: (source, provenance, local start, time zone)."""
    frame = store.read(RUN)
    return {r.key: (r.source, r.provenance, str(r.start_time_local), r.timezone) for r in frame.itertuples()}


def test_a_strava_export_imports_each_run_from_its_file_and_twice_adds_nothing(store):
    """FIT, GPX and TCX files (gzipped or not) are joined to their rows by Filename: each run's stream and laps are
    stored beside it; a row without a file and a ride are read as before; a second import stores nothing again."""
    items = activities(MIXED) + [Activity(7100, T + timedelta(days=9), None),
                                 Activity(7200, T + timedelta(days=8), "activities/7200.gpx", run_file("gpx", T),
                                          sport="Ride")]
    first = import_file(store, export_zip(items), "export.zip", "Europe/Paris", now=clock)
    assert first.line() == ("export.zip: Strava activities, 5 rows read = 4 stored + 0 already stored + 0 not "
                            "readable + 1 skipped (not runs); 3 activity files = 3 stored + 0 already stored + 0 not "
                            "readable")
    assert {k: v[1] for k, v in runs(store).items()} == {"strava:7001": "file", "strava:7002": "file",
                                                          "strava:7003": "file", "strava:7100": "export"}
    assert detail_keys(store) == {"strava:7001", "strava:7002", "strava:7003"}
    for a in items[:3]:
        parsed = read_activity(a.data, a.filename)
        assert load_stream(store, f"strava:{a.ident}").same_as(parsed.stream, TOLERANCE)
        assert load_laps(store, f"strava:{a.ident}") == parsed.activity.laps
    again = import_file(store, export_zip(items), "export.zip", "Europe/Paris", now=clock)
    assert (again.rows_stored, again.rows_already, again.files_stored, again.files_already) == (0, 4, 0, 3)
    assert len(store.read(RUN)) == 4 and sum(len(d.body["files"]) for d in store.documents(MARKERS)) == 3


def test_file_values_correct_the_csv_summary_and_the_fit_local_time_gives_the_zone(store):
    """The CSV's (UTC, no zone) summary is corrected by the file: moving time, distance, climb, and the local time
    from FIT's local timestamp (UTC+1 although the import assumed UTC); the report says which values changed."""
    fit = Activity(7001, T, "activities/7001.fit.gz", run_file("fit.gz", T), csv_distance_m=5000, csv_moving_s=1500)
    report = import_file(store, export_zip([fit]), "export.zip", "UTC", now=clock)
    run = store.read(RUN).iloc[0]
    parsed = read_activity(fit.data, fit.filename).activity
    assert (str(run.start_time_local), run.timezone) == ("2026-01-10 08:00:00", "UTC+01:00")
    assert (run.distance_m, run.moving_time_s) == (pytest.approx(parsed.distance_m), pytest.approx(parsed.moving_s))
    assert run.elevation_gain_m == pytest.approx(parsed.elevation_gain_m, abs=0.05) and run["name"] == "Run 7001"
    assert any("replaced the CSV summary's: " in n and "moving time of 1 run" in n and "time zone of 1 run" in n
               for n in report.notes)
    paris = import_file(store, export_zip([fit]), "export.zip", "Europe/Paris", now=clock)  # the zone agrees: named
    assert paris.files_already == 1 and store.read(RUN).iloc[0].timezone == "UTC+01:00"


def test_a_fit_in_paris_names_the_import_zone_when_it_agrees(store):
    """When the chosen time zone has the FIT file's offset at that moment, the run is in that zone by name."""
    fit = Activity(7001, T, "activities/7001.fit", run_file("fit", T))
    import_file(store, export_zip([fit]), "export.zip", "Europe/Paris", now=clock)
    assert runs(store)["strava:7001"][2:] == ("2026-01-10 08:00:00", "Europe/Paris")


def test_unreadable_files_are_listed_with_their_reason_and_the_rest_import(store):
    """A truncated gzip, bytes that are no activity and a route without time are each listed with why; their rows
    keep the CSV's summary; the readable file imports."""
    good = activities(["fit.gz"])[0]
    broken = [Activity(7002, T + timedelta(days=1), "activities/7002.fit.gz", run_file("fit.gz", T)[:-300]),
              Activity(7003, T + timedelta(days=2), "activities/7003.tcx", b"<html>not an activity</html>"),
              Activity(7004, T + timedelta(days=3), "activities/7004.gpx",
                       (ROOT / "tests/fixtures/activity/route_no_time.gpx").read_bytes())]
    report = import_file(store, export_zip([good, *broken]), "export.zip", now=clock)
    assert report.unreadable == [
        {"file": "activities/7002.fit.gz", "reason": "truncated gzip: the file ends before its compressed data does"},
        {"file": "activities/7003.tcx", "reason": "not a TCX file"},
        {"file": "activities/7004.gpx", "reason": "no timestamps (a planned route, not a recorded run)"}]
    assert {k: v[1] for k, v in runs(store).items()} == {"strava:7001": "file", "strava:7002": "export",
                                                          "strava:7003": "export", "strava:7004": "export"}
    assert report.line().endswith("4 activity files = 1 stored + 0 already stored + 3 not readable")


def test_the_time_zone_note_counts_only_the_gpx_and_tcx_files_stored(store, tmp_path):
    """A folder of one good FIT and a GPX that is random bytes says nothing about GPX time zones (no GPX was
    read); a readable GPX next to them is counted in the note; the same folder again stores nothing new and
    assumes no time zone, so it says nothing either."""
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "a.fit").write_bytes(run_file("fit", T))
    (folder / "noise.gpx").write_bytes(random.Random(3).randbytes(900))
    report = import_folder(store, folder, now=clock)
    assert report.files_stored == 1 and len(report.unreadable) == 1
    assert not any("time zone" in n for n in report.notes), report.notes
    (folder / "b.gpx").write_bytes(run_file("gpx", T + timedelta(days=1)))
    report = import_folder(store, folder, now=clock)
    assert report.files_stored == 1 and any("the local times of 1 file were read in" in n for n in report.notes)
    assert not any("time zone" in n for n in import_folder(store, folder, now=clock).notes)


def test_a_folder_and_a_single_file_import_under_a_stable_key(store, tmp_path):
    """A folder of files (Garmin's export) gets `file:<start>` keys; the same file alone, or the folder again, adds
    nothing; a ride's file is skipped; the report names the time zone assumed for GPX."""
    folder = tmp_path / "garmin"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.fit").write_bytes(run_file("fit", T))
    (folder / "sub" / "b.gpx.gz").write_bytes(run_file("gpx.gz", T + timedelta(days=1)))
    (folder / "notes.txt").write_text("not an activity")
    report = import_folder(store, folder, now=clock)
    assert report.line() == "garmin: activity files; 2 activity files = 2 stored + 0 already stored + 0 not readable"
    assert any("GPX and TCX files have no time zone" in n for n in report.notes)
    assert set(runs(store)) == {"file:2026-01-10T07:00:00Z", "file:2026-01-11T07:00:00Z"}
    single = import_file(store, folder / "a.fit", "a.fit", now=clock)
    assert (single.files_stored, single.files_already) == (0, 1)
    assert import_folder(store, folder, now=clock).files_already == 2 and len(store.read(RUN)) == 2
    (tmp_path / "empty").mkdir()
    with pytest.raises(BadInput, match="holds no FIT, GPX or TCX file"):
        import_folder(store, tmp_path / "empty", now=clock)


def test_the_same_run_by_file_by_csv_row_and_by_api_is_one_record(store):
    """A file alone first, then Strava's export of the same run (the same start), then the API: one record, the
    file's, under its first key, with one stream."""
    import_file(store, run_file("fit", T), "garmin.fit", now=clock)
    export = Activity(7001, T + timedelta(seconds=20), "activities/7001.gpx", run_file("gpx", T))
    import_file(store, export_zip([export]), "export.zip", now=clock)
    csv_only = Activity(7001, T + timedelta(seconds=20), None)
    import_file(store, export_zip([csv_only]), "activities-only.zip", now=clock)

    source = StravaSource(PagedClient(store, [{**strava_activity(1, start=T + timedelta(seconds=20)), "id": 7001}]))
    assert list(source.fetch(None)) == []  # stored from a file: the API adds nothing
    assert list(runs(store)) == ["file:2026-01-10T07:00:00Z"] and detail_keys(store) == {"file:2026-01-10T07:00:00Z"}
    assert runs(store)["file:2026-01-10T07:00:00Z"][1] == "file"


def test_a_file_import_makes_an_api_run_the_persons_own(store):
    """A run first synced from the API (provenance api) takes the file's values and provenance once its file is
    imported, under the same key; the next API sync leaves it so."""
    api = activity_record({**strava_activity(1, start=T), "id": 7001})
    store.upsert([api])
    assert runs(store)["strava:7001"][1] == "api"
    import_file(store, export_zip(activities(["fit.gz"])), "export.zip", now=clock)
    assert runs(store)["strava:7001"][1] == "file" and detail_keys(store) == {"strava:7001"}

    report = run_sync(store, [StravaSource(PagedClient(store, [{**strava_activity(1, start=T), "id": 7001}]))],
                      now=clock)
    assert report.ok and runs(store)["strava:7001"][1] == "file"


def test_progress_counts_files_done_out_of_the_total(store):
    """The callback hears 0 of N first, then every file once, in order, up to N of N."""
    heard = []
    import_file(store, export_zip(activities(MIXED)), "export.zip", now=clock,
                progress=lambda done, total: heard.append((done, total)))
    assert heard == [(0, 3), (1, 3), (2, 3), (3, 3)]


def test_two_worker_processes_store_what_one_process_does(tmp_path):
    """Parsing in two processes gives the same records, streams and report as parsing here."""
    from core.store.sqlite import SQLiteStore

    data = export_zip(activities(MIXED + ["fit"]))
    one, two = SQLiteStore(tmp_path / "one.db"), SQLiteStore(tmp_path / "two.db")
    a = import_file(one, data, "export.zip", now=clock)
    b = import_file(two, data, "export.zip", now=clock, workers=2)
    assert a.line() == b.line() and runs(one) == runs(two)
    assert all(load_stream(one, k).same_as(load_stream(two, k)) for k in detail_keys(one))


def test_streams_of_an_export_on_every_backend(any_store):
    """The imported streams are in the store's blobs on SQLite, moto (S3) and dynalite, never in the month items."""
    items = activities(["fit.gz", "tcx"])
    import_file(any_store, export_zip(items), "export.zip", now=clock)
    assert detail_keys(any_store) == {"strava:7001", "strava:7002"}
    assert load_stream(any_store, "strava:7002").same_as(read_activity(items[1].data, "x.tcx").stream, TOLERANCE)
    record = any_store.get_record(RUN, "strava:7001")
    assert len(str(record.raw)) < 2000 and "lat_deg" not in str(record.fields)


def zip_with(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize("name", ["../outside.fit", "activities/../../etc/x.gpx", "/abs/x.fit", "C:\\x.tcx"])
def test_a_zip_naming_members_outside_itself_is_refused_whole(store, name):
    """A traversal name (never written by an exporter) refuses the ZIP with its message; nothing is stored."""
    data = zip_with({"activities/1.fit": run_file("fit", T), name: b"x"})
    with pytest.raises(BadInput, match="names a member outside itself"):
        import_file(store, data, "evil.zip", now=clock)
    assert store.counts() == {}


def test_a_bomb_and_a_huge_member_are_refused_with_their_reason_and_the_rest_import(store, monkeypatch):
    """A member inflating past the ZIP ratio, and one past the size of any activity, are listed as not readable."""
    monkeypatch.setattr("core.sources.files.activity_entries.MAX_BYTES", 12_000_000)
    members = {"garmin/ok.fit": run_file("fit", T), "garmin/bomb.gpx": b"<gpx>" + b" " * 30_000_000,
               "garmin/huge.tcx": random.Random(5).randbytes(13_000_000)}  # incompressible: no ratio problem
    report = import_file(store, zip_with(members), "garmin.zip", now=clock)
    reasons = {u["file"]: u["reason"] for u in report.unreadable}
    assert reasons["garmin/bomb.gpx"].startswith("expands more than 100 times its compressed size")
    assert reasons["garmin/huge.tcx"] == "expands to more than 12 MB: too large for one activity"
    assert report.files_stored == 1 and len(store.read(RUN)) == 1


def test_the_cli_imports_a_folder_with_progress_lines(tmp_path):
    """`python -m core.sync import FOLDER` prints a progress line and the report, listing the unreadable file."""
    folder = tmp_path / "watch"
    folder.mkdir()
    (folder / "a.fit").write_bytes(run_file("fit", T))
    (folder / "b.tcx").write_bytes(b"nonsense")
    env = {"FITDASH_STORE_SQLITE_PATH": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "core.sync", "import", str(folder)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr
    assert "  2 of 2 activity files" in out.stdout and "file b.tcx: not a TCX file" in out.stdout
    assert "2 activity files = 1 stored + 0 already stored + 1 not readable" in out.stdout


def test_strava_export_extracted_into_a_folder_or_zipped_again_is_still_joined(store, tmp_path):
    """The export unzipped into a folder (activities.csv on top) is joined by Filename as the ZIP is; so is the
    export zipped again inside a folder of its own."""
    items = activities(["fit.gz", "gpx"])
    folder = tmp_path / "export_123"
    (folder / "activities").mkdir(parents=True)
    with zipfile.ZipFile(io.BytesIO(export_zip(items))) as archive:
        archive.extractall(folder)
    report = import_folder(store, folder, now=clock)
    assert (report.format, report.files_stored, sorted(detail_keys(store))) == (
        "Strava activities", 2, ["strava:7001", "strava:7002"])
    nested = zip_with({f"export_123/{p.relative_to(folder)}": p.read_bytes() for p in folder.rglob("*") if p.is_file()})
    again = import_file(store, nested, "again.zip", now=clock)
    assert (again.files_already, len(store.read(RUN))) == (2, 2)
