"""The app's export re-imports losslessly, integers stay integers, and formulas are neutralised both ways."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from core.export import FILE_NAMES, export_zip, neutralise
from core.records import BODY, KINDS, RUN, SET, Record, iso_utc
from core.sources.demo import DemoSource
from core.sources.files import import_file
from core.sources.sheets import SheetsSource
from core.sources.strava.parse import activity_record
from core.sources.withings.parse import group_record
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.apptest_helpers import ROOT, copy_store
from tests.builders import PROVIDER_NOW as NOW
from tests.builders import clock_at
from tests.fixtures.provider_fakes import strava_activity, strava_csv

clock = clock_at(NOW)
HOSTILE = ["=HYPERLINK(\"http://x\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "\tTab", "\rReturn", "'quoted",
           "ok, with comma", "line one\nline two", ""]
SHEET = [["Date", "Exercise", "Sets", "Reps", "Load", "RPE", "RIR", "Notes"]] + [
    ["2026-03-02", f"Squat {i}", "2", "5", "100,5", "8" if i % 2 else "", "2" if i % 3 else "", text]
    for i, text in enumerate(HOSTILE)]


def filled_store(path: Path) -> SQLiteStore:
    """A store as real use leaves it: demo data, API records, the sheet (RPE, RIR), an import, hostile text."""
    store = SQLiteStore(path)
    run_sync(store, [DemoSource(3, clock, history=timedelta(days=70))], now=clock)
    run_sync(store, [SheetsSource(lambda: SHEET, now=clock)], now=clock)
    withings = json.loads((ROOT / "tests/fixtures/withings_getmeas_page3.json").read_text())["body"]["measuregrps"]
    store.upsert([r for g in withings if (r := group_record(g, "Europe/Paris"))])
    api = [activity_record({**strava_activity(i), "name": text, "total_elevation_gain": -3.5 if i == 1 else 12.0,
                            "map": {"summary_polyline": {2: "@x~iF", 3: ""}.get(i, "_p~iF~ps|U")}})
           for i, text in enumerate(HOSTILE)]
    store.upsert(api)
    import_file(store, strava_csv(), "activities.csv", "Europe/Paris", now=clock)
    when = NOW - timedelta(days=1)
    store.upsert([Record(BODY, "withings", "withings:odd", when, {"time_utc": iso_utc(when),
                                                                 "local_date": when.date().isoformat(),
                                                                 "weight_kg": 80.123456789012345})])
    return store


@pytest.fixture(scope="module")
def filled(tmp_path_factory) -> Path:
    """The filled store's file, built once for this module (tests that change it work on a copy)."""
    path = tmp_path_factory.mktemp("filled") / "a.db"
    filled_store(path)
    return path


def assert_same_frames(a: SQLiteStore, b: SQLiteStore) -> None:
    for kind in KINDS:
        pd.testing.assert_frame_equal(a.read(kind), b.read(kind), check_exact=True)


def test_every_kind_round_trips_into_an_empty_store(tmp_path, filled):
    """Export, import into an empty store: body, runs and sets read back as the same frames, sources and keys kept."""
    original = SQLiteStore(filled)
    copy = SQLiteStore(tmp_path / "b.db")
    report = import_file(copy, export_zip(original), "fitdash-export.zip", now=clock)
    assert report.format == "this app's export" and report.rows_quarantined == 0
    assert report.rows_read == report.rows_stored == sum(original.counts().values())
    assert_same_frames(original, copy)
    assert {src for _, src in copy.counts()} == {"demo", "sheets", "withings", "strava"}
    assert export_zip(copy) != b"" and _csvs(export_zip(copy)) == _csvs(export_zip(original))
    again = import_file(copy, export_zip(original), "fitdash-export.zip", now=clock)
    assert (again.rows_stored, again.rows_already) == (0, report.rows_read), "a second restore adds nothing"


def _csvs(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_the_export_writes_integers_and_neutralises_formulas(filled):
    """Set numbers and reps are integers; formula-like text starts with an apostrophe; numbers are never prefixed."""
    csvs = _csvs(export_zip(SQLiteStore(filled)))
    sets = pd.read_csv(io.StringIO(csvs[FILE_NAMES[SET]]), dtype=str, keep_default_na=False)
    assert sets.set_number.str.fullmatch(r"\d+").all() and sets.reps.str.fullmatch(r"\d+").all()
    runs = pd.read_csv(io.StringIO(csvs[FILE_NAMES[RUN]]), dtype=str, keep_default_na=False)
    names = set(runs["name"])
    assert {"'=HYPERLINK(\"http://x\",\"click\")", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tTab", "'\rReturn", "''quoted",
            "ok, with comma", "line one\nline two"} <= names
    assert not any(text[:1] in "=+-@\t\r" for column in ("name", "summary_polyline") for text in runs[column] if text)
    assert "-3.5" in set(runs.elevation_gain_m) and "'@x~iF" in set(runs.summary_polyline)
    assert "'=HYPERLINK(\"http://x\",\"click\")" in set(sets.notes)


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralised_text_reads_back_as_written(text):
    """Every hostile cell is written safe and read back exactly (one apostrophe stripped)."""
    from core.sources.files.backup import typed

    assert typed("notes", neutralise(text)) == text


def test_an_export_from_an_older_version_is_read_too(tmp_path, filled):
    """The old export (pandas' to_csv: "3.0" reps, "+00:00" times, no RPE or RIR columns) restores its records."""
    original = copy_store(filled, tmp_path / "a.db")
    runs = original.read(RUN)
    original.delete(RUN, "strava", set(runs.key[runs["name"] == "\rReturn"]))  # the old writer did not quote a CR
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for kind in KINDS:
            frame = original.read(kind)
            archive.writestr(FILE_NAMES[kind], frame.drop(columns=[c for c in ("rpe", "rir") if c in frame]
                                                          ).to_csv(index=False))
    copy = SQLiteStore(tmp_path / "b.db")
    report = import_file(copy, buffer.getvalue(), "old-export.zip", now=clock)
    assert report.rows_stored == sum(original.counts().values()) and report.rows_quarantined == 0
    for kind in (BODY, RUN):
        pd.testing.assert_frame_equal(original.read(kind), copy.read(kind))


def test_cli_export_then_import_into_an_empty_store(tmp_path, filled):
    """`python -m core.sync export` writes a ZIP that `python -m core.sync import` restores into an empty store."""
    copy_store(filled, tmp_path / "a.db")
    target = tmp_path / "backup.zip"
    for db, args in (("a.db", ["export", str(target)]), ("b.db", ["import", str(target)])):
        env = {"FITDASH_STORE_SQLITE_PATH": str(tmp_path / db), "PATH": "/usr/bin:/bin"}
        out = subprocess.run([sys.executable, "-m", "core.sync", *args], capture_output=True, text=True, env=env,
                             cwd=ROOT, timeout=120)
        assert out.returncode == 0, out.stdout + out.stderr
    assert "this app's export" in out.stdout and "0 not readable" in out.stdout
    assert_same_frames(SQLiteStore(tmp_path / "a.db"), SQLiteStore(tmp_path / "b.db"))
