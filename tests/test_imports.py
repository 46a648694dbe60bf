"""File imports: each format, localised Withings headers, a truncated ZIP, twice adds nothing, overlap with a sync."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import UTC, datetime

import pytest

from core.errors import BadInput, SyncBusy
from core.export import FILE_NAMES, export_zip
from core.records import BODY, RUN, SET
from core.sources.files import import_file
from core.sources.strava.parse import activity_record
from tests.apptest_helpers import ROOT
from tests.fixtures.provider_fakes import strava_activity as activity
from tests.fixtures.provider_fakes import strava_csv


def zipped(name: str, data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
        archive.writestr("activities/1001.fit.gz", b"\x1f\x8b binary")
    return buffer.getvalue()


def test_strava_export_zip_uses_canonical_columns_runs_only(store):
    """Metres and seconds from the later columns; the ride skipped; the bad date quarantined; BOM and quotes OK."""
    report = import_file(store, zipped("activities.csv", strava_csv()), "export_123.zip")
    assert (report.format, report.rows_read, report.records_new, report.records_already) == (
        "Strava activities", 3, 1, 0)
    assert report.quarantine == [{"row": 4, "reason": "activity date 'not a date' not understood"}]
    run = store.read(RUN).iloc[0]
    assert run.key == "strava:1001" and run.distance_m == 10020.5 and run.moving_time_s == 2900
    assert run["name"] == 'Lunch Run, with "friends" 🏃'
    assert str(run.start_time_utc) == "2024-05-20 13:05:32+00:00"


def test_importing_twice_adds_nothing_and_never_overwrites_an_api_sync(store):
    """A second import adds nothing; an activity already synced from the API is left as the API stored it."""
    api = activity_record({**activity(1), "id": 1001, "name": "From the API"})
    store.upsert([api])
    first = import_file(store, strava_csv(), "activities.csv")
    again = import_file(store, strava_csv(), "activities.csv")
    assert (first.records_new, first.records_already, again.records_new, again.records_already) == (0, 1, 0, 1)
    assert store.read(RUN)["name"].tolist() == ["From the API"]


WITHINGS = {
    "en": "Date,Weight (kg),Fat mass (kg),Bone mass (kg),Muscle mass (kg),Hydration (kg),Comments",
    "fr": "Date,Poids (kg),Masse grasse (kg),Masse osseuse (kg),Masse musculaire (kg),Hydratation (kg),Commentaires",
    "de": "Datum,Gewicht (kg),Fettmasse (kg),Knochenmasse (kg),Muskelmasse (kg),Wasseranteil (kg),Kommentare",
}


@pytest.mark.parametrize("language", list(WITHINGS))
def test_withings_export_in_several_languages(store, language):
    """weight.csv in English, French or German gives the same weigh-ins, keyed like the API's."""
    rows = ['"2026-03-03 08:00:00",80.45,15.728,3.34,61.28,45.1,', '"2026-03-04 07:30:00",80.1,,,,,']
    data = "\n".join([WITHINGS[language], *rows]) + "\n"
    report = import_file(store, zipped("weight.csv", data.encode()), "data_MEAS.zip", timezone="Europe/Paris")
    assert report.records_new == 2 and report.format == "Withings weights"
    body = store.read(BODY)
    assert body.key.tolist() == ["withings:2026-03-03T08:00:00", "withings:2026-03-04T07:30:00"]
    assert body.fat_ratio_pct.iloc[0] == pytest.approx(19.55, abs=0.01)
    assert str(body.time_utc.iloc[0]) == "2026-03-03 07:00:00+00:00"


def test_withings_export_in_pounds_converts_to_kg(store):
    """A weight.csv with (lb) columns is stored in kilograms."""
    import_file(store, b"Date,Weight (lb),Fat mass (lb)\n2026-03-03 08:00:00,180,36\n", "weight.csv")
    row = store.read(BODY).iloc[0]
    assert row.weight_kg == pytest.approx(81.647, abs=1e-3) and row.fat_ratio_pct == pytest.approx(20.0)


def test_unknown_language_lists_the_columns_it_did_not_recognise(store):
    """An export in an unmapped language is refused naming the columns and the known languages."""
    with pytest.raises(BadInput) as err:
        import_file(store, "Päivämäärä,Paino (kg),Rasvamassa (kg)\n2026-03-03 08:00:00,80,16\n".encode(), "weight.csv")
    assert "'Paino (kg)'" in str(err.value) and "French" in err.value.action
    assert store.counts() == {}


def test_truncated_zip_is_refused_and_nothing_is_stored(store):
    """A cut-off download says so and stores nothing."""
    data = zipped("activities.csv", strava_csv() * 50)
    with pytest.raises(BadInput, match="damaged or incomplete"):
        import_file(store, data[: len(data) // 2], "export.zip")
    assert store.counts() == {}


def test_training_log_csv_shares_keys_with_the_sheet(store):
    """A CSV in the sheet's layout imports with the same content keys (so the sheet and the CSV never double)."""
    from core.sources.sheets.parse import parse_rows

    csv_text = "Date,Exercise,Sets,Reps,Load\n2026-03-02,Back squat,3,5,\"100,5\"\n2026-03-02,Back squat,x,5,100\n"
    report = import_file(store, csv_text.encode(), "log.csv")
    assert (report.format, report.records_new, len(report.quarantine)) == ("training log", 3, 1)
    sheet_keys = {r.key for r in parse_rows([["Date", "Exercise", "Sets", "Reps", "Load"],
                                             ["2026-03-02", "Back squat", "3", "5", "100,5"]], "sheets").records}
    assert sheet_keys == set(store.read(SET).key)


def test_cli_import_and_export(tmp_path):
    """`python -m core.sync import PATH` then `export PATH`: the ZIP holds one CSV per kind with the rows."""
    path = tmp_path / "activities.csv"
    path.write_bytes(strava_csv())
    env = {"FITDASH_STORE_SQLITE_PATH": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-m", "core.sync", "import", str(path)], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0 and "= 1 stored" in out.stdout and "row 4: activity date" in out.stdout
    target = tmp_path / "backup.zip"
    out = subprocess.run([sys.executable, "-m", "core.sync", "export", str(target)], capture_output=True,
                         text=True, env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0
    with zipfile.ZipFile(target) as archive:
        assert sorted(archive.namelist()) == sorted(FILE_NAMES.values())
        assert "strava:1001" in archive.read("runs.csv").decode()
    bad = subprocess.run([sys.executable, "-m", "core.sync", "import", str(tmp_path / "nope.zip")],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert bad.returncode == 2 and "is not a file" in bad.stdout


def test_export_zip_has_every_kind(store):
    """The export holds one CSV per kind, even for kinds with no data yet."""
    store.upsert([activity_record(activity(1))])
    with zipfile.ZipFile(io.BytesIO(export_zip(store))) as archive:
        assert archive.read("runs.csv").decode().count("\n") == 2
        assert archive.read("body_measurements.csv").decode().startswith("time_utc,local_date,weight_kg")


def test_import_overlapping_an_api_sync_of_withings(store):
    """A weight.csv row and the API group of the same weigh-in are one record."""
    from core.sources.withings.parse import group_record

    moment = datetime(2026, 3, 3, 7, 0, tzinfo=UTC)
    group = {"grpid": 1, "attrib": 0, "date": int(moment.timestamp()),
             "measures": [{"value": 80450, "type": 1, "unit": -3}]}
    store.upsert([group_record(group, "Europe/Paris")])
    report = import_file(store, b"Date,Weight (kg)\n2026-03-03 08:00:00,80.45\n2026-03-05 08:00:00,80.2\n",
                         "weight.csv", timezone="Europe/Paris")
    assert (report.records_new, report.records_already) == (1, 1) and len(store.read(BODY)) == 2


def test_import_while_a_sync_runs_is_refused_and_stores_nothing(store):
    """An import while a sync holds the lease says to try again in a minute and writes nothing."""
    assert store.acquire_lease("cron-sync", datetime.now(UTC))
    with pytest.raises(SyncBusy, match="a sync is running, try again in a minute"):
        import_file(store, strava_csv(), "activities.csv")
    assert store.counts() == {} and store.lease_holder(datetime.now(UTC)) == "cron-sync"
    store.release_lease("cron-sync")
    assert import_file(store, strava_csv(), "activities.csv").records_new == 1
    assert store.lease_holder(datetime.now(UTC)) is None, "the import gives the lease back"


def test_withings_export_zip_with_its_own_activities_csv_imports_the_weights(store):
    """A real Withings export ZIP holds activities.csv (steps) next to weight.csv: the weights are imported."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("activities.csv", "from,to,Activity type,Data,GPS\n2026-03-03T08:00:00+01:00,"
                                           "2026-03-03T09:00:00+01:00,Walking,{},\n")
        archive.writestr("weight.csv", WITHINGS["en"] + '\n"2026-03-03 08:00:00",80.45,15.728,3.34,61.28,45.1,\n')
        archive.writestr("sleep.csv", "from,to,light (s)\n")
    report = import_file(store, buffer.getvalue(), "data_USR_123.zip", timezone="Europe/Paris")
    assert (report.format, report.records_new) == ("Withings weights", 1)
    assert store.read(BODY).key.tolist() == ["withings:2026-03-03T08:00:00"]


def test_training_log_csv_uses_the_sheet_settings(store):
    """With [sheets] date_order MDY, unit lb and an alias, a CSV gives the same keys as those rows in the sheet."""
    from core.sources.sheets.parse import LogFormat, parse_rows

    fmt = LogFormat(unit="lb", month_first=True, aliases={"exercise": ["wod move"]})
    rows = [["Date", "WOD move", "Reps", "Load"], ["03/04/2026", "Clean", "3", "135"]]
    report = import_file(store, b"Date,WOD move,Reps,Load\n03/04/2026,Clean,3,135\n", "log.csv", log_format=fmt)
    assert (report.format, report.records_new) == ("training log", 1)
    stored = store.read(SET).iloc[0]
    assert str(stored.session_date.date()) == "2026-03-04" and stored.load_kg == pytest.approx(61.235, abs=1e-3)
    assert set(store.read(SET).key) == {r.key for r in parse_rows(rows, "sheets", "lb", True, fmt.aliases).records}
