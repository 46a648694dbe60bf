"""Values that must never get in unchecked, duplicates within a file, counts in one unit, units and time zones."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta

import pytest

from core.records import BODY, RUN, SET
from core.sources.files import import_file
from core.sources.sheets.parse import LogFormat
from core.sources.strava.parse import activity_record
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.apptest_helpers import ROOT
from tests.builders import PROVIDER_NOW as NOW
from tests.builders import clock_at
from tests.fixtures.provider_fakes import strava_activity

clock = clock_at(NOW)
STRAVA_HEADER = "Activity ID,Activity Date,Activity Name,Activity Type,Elapsed Time,Distance,Moving Time,Max Heart Rate"
GOOD_RUN = '1001,"Mar 2, 2026, 7:00:00 AM",Easy,Run,3000,10000.0,2900,170'
WEIGHT_HEADER = "Date,Weight (kg),Fat mass (kg)"


def strava(*rows: str) -> bytes:
    return "\n".join([STRAVA_HEADER, GOOD_RUN, *rows]).encode()


@pytest.mark.parametrize("row,reason", [
    ('1002,"Mar 3, 2026, 7:00:00 AM",Zero,Run,3000,0,2900,', "distance 0 km is outside the allowed range 0 < km < 400"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",Far,Run,300000,450000,290000,', "distance 450 km is outside the allowed range"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",Still,Run,0,1000,0,',
     "elapsed time 0 h is outside the allowed range 0 < h <= 168"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",Car,Run,300,10000,300,', "average speed 120 km/h is outside the allowed range"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",Heart,Run,3000,10000,2900,300', "max heart rate 300 bpm is outside the allowed "
                                                                       "range 25 <= bpm <= 250"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",NaN,Run,3000,nan,2900,', "distance 'nan' is not a finite number"),
    ('1002,"Mar 3, 2026, 7:00:00 AM",Inf,Run,3000,10000,inf,', "moving time 'inf' is not a finite number"),
    ('1002,"Mar 3, 1985, 7:00:00 AM",Old,Run,3000,10000,2900,', "activity date 1985-03-03 is outside the allowed "
                                                               "range 1990-01-01 to 2026-03-07"),
    ('1002,"Mar 9, 2026, 7:00:00 AM",Future,Run,3000,10000,2900,', "activity date 2026-03-09 is outside"),
    (GOOD_RUN, "same as row 2 (a duplicate?)"),
    ('1001,"Mar 2, 2026, 7:00:00 AM",Easy,Run,3000,10000.0,2900,171', "the same activity id as row 2 with other "
                                                                      "values"),
])
def test_strava_rows_out_of_range_or_duplicated_are_quarantined(store, row, reason):
    """Each implausible or repeated Strava row is quarantined naming row, value and range; the good run is stored."""
    report = import_file(store, strava(row), "activities.csv", now=clock)
    assert report.quarantine[0]["row"] == 3 and reason in report.quarantine[0]["reason"]
    assert len(store.read(RUN)) == 1 and report.rows_read == report.rows_stored + report.rows_quarantined == 2


@pytest.mark.parametrize("row,reason", [
    ("2026-03-04 08:00:00,0,15", "weight 0 kg is outside the allowed range 0 < kg < 400"),  # not a ZeroDivisionError
    ("2026-03-04 08:00:00,450,15", "weight 450 kg is outside the allowed range 0 < kg < 400"),
    ("2026-03-04 08:00:00,80,64", "fat ratio 80 % is outside the allowed range 2 <= % <= 75"),
    ("2026-03-04 08:00:00,80,0.8", "fat ratio 1 % is outside the allowed range 2 <= % <= 75"),
    ("2026-03-04 08:00:00,80,-3", "fat mass -3 kg is outside the allowed range 0 < kg < 400"),
    ("2026-03-04 08:00:00,nan,", "weight 'nan' is not a finite number"),
    ("2026-03-04 08:00:00,80,inf", "fat mass 'inf' is not a finite number"),
    ("1989-03-04 08:00:00,80,15", "date 1989-03-04 is outside the allowed range 1990-01-01 to 2026-03-07"),
    ("2026-03-03 08:00:00,80.45,15.7", "same as row 2 (a duplicate?)"),
    ("2026-03-03 08:00:00,81,15.7", "a weigh-in at the same time as row 2 with other values"),
])
def test_withings_rows_out_of_range_or_duplicated_are_quarantined(store, row, reason):
    """Each implausible or repeated weigh-in is quarantined naming row, value and range; counts add up."""
    data = "\n".join([WEIGHT_HEADER, "2026-03-03 08:00:00,80.45,15.7", row]).encode()
    report = import_file(store, data, "weight.csv", now=clock)
    assert report.quarantine == [{"row": 3, "reason": report.quarantine[0]["reason"]}]
    assert reason in report.quarantine[0]["reason"] and len(store.read(BODY)) == 1


def test_counts_add_up_in_rows_then_sets(store):
    """rows read = stored + already stored + not readable; the sets those rows gave come after, in their own unit."""
    first = "Date,Exercise,Sets,Reps,Load\n2026-03-02,Squat,3,5,100\n"
    import_file(store, first.encode(), "log.csv", now=clock)
    data = first + "2026-03-03,Squat,5,5,100\n2026-03-03,Squat,5,5,100\n2026-03-04,Squat,2,x,100\n"
    report = import_file(store, data.encode(), "log.csv", now=clock)
    assert report.line() == ("log.csv: training log, 4 rows read = 1 stored + 1 already stored + 2 not readable; "
                             "they gave 5 new sets (3 already stored)")
    assert report.rows_read == report.rows_stored + report.rows_already + report.rows_quarantined
    assert len(store.read(SET)) == 8


def test_a_strava_export_is_read_in_the_chosen_time_zone_and_an_api_sync_corrects_it(store):
    """Local times in the import's time zone, said in the report; the API's record of the same run then replaces it."""
    report = import_file(store, strava(), "activities.csv", "Europe/Paris", now=clock)
    run = store.read(RUN).iloc[0]
    assert str(run.start_time_local) == "2026-03-02 08:00:00" and run.timezone == "Europe/Paris"
    assert any("local times were read in Europe/Paris" in n for n in report.notes)

    class Api:  # what StravaSource yields: the API's record of the same activity (same key)
        name, kinds, overlap, ascending, mirror = "strava", (RUN,), timedelta(0), True, False

        def fetch(self, since):
            yield activity_record({**strava_activity(1, start=datetime(2026, 3, 2, 7, tzinfo=UTC)), "id": 1001,
                                   "timezone": "(GMT-05:00) America/New_York",
                                   "start_date_local": "2026-03-02T02:00:00Z"})

    assert run_sync(store, [Api()], now=clock).sources[0].counts.updated == 1
    run = store.read(RUN).iloc[0]
    assert (run.timezone, str(run.start_time_local)) == ("America/New_York", "2026-03-02 02:00:00")
    again = import_file(store, strava(), "activities.csv", "Europe/Paris", now=clock)
    assert (again.rows_already, store.read(RUN).iloc[0].timezone) == (1, "America/New_York")


def test_a_log_in_pounds_is_read_in_the_unit_given_and_the_report_says_which(store):
    """No unit in the file: the chosen unit (lb) is used and named; without a choice kg is, and named too."""
    data = b"Date,Exercise,Reps,Load\n2026-03-02,Squat,5,225\n"
    report = import_file(store, data, "log.csv", log_format=LogFormat(unit="lb"), now=clock)
    assert store.read(SET).load_kg.iloc[0] == pytest.approx(102.058, abs=1e-3)
    assert any("the file names no unit: loads were read as lb" in n for n in report.notes)
    other = SQLiteStore(store.path.with_name("kg.db"))
    assert any("loads were read as kg" in n for n in import_file(other, data, "log.csv", now=clock).notes)
    named = import_file(other, b"Date,Exercise,Reps,Load (kg)\n2026-03-03,Squat,5,100\n", "log.csv", now=clock)
    assert not any("names no unit" in n for n in named.notes)


def test_an_import_that_refuses_every_row_names_the_setting_to_change(store):
    """Month-first dates read day-first: nothing stored, and the problem names the date order setting."""
    data = b"Date,Exercise,Reps\n12/25/2025,Squat,5\n12/26/2025,Squat,5\n"
    report = import_file(store, data, "log.csv", now=clock)
    assert report.rows_stored == 0 and "Nothing was stored: all 2 rows were refused" in report.problem()
    assert "--date-order MDY" in report.problem() and "set the date order to MDY" in report.problem()
    assert import_file(store, data, "log.csv", log_format=LogFormat(month_first=True), now=clock).problem() is None


def run_cli(tmp_path, *args: str) -> subprocess.CompletedProcess:
    env = {"FITDASH_STORE_SQLITE_PATH": str(tmp_path / "cli.db"), "PATH": "/usr/bin:/bin",
           "FITDASH_APP_TIMEZONE": "Europe/Paris"}
    return subprocess.run([sys.executable, "-m", "core.sync", *args], capture_output=True, text=True, env=env,
                          cwd=ROOT, timeout=120)


def test_cli_import_options_and_a_non_zero_exit_when_nothing_is_stored(tmp_path):
    """--date-order and --unit read the log; refusing every row exits 1 saying what to set; a bad option exits 2."""
    path = tmp_path / "log.csv"
    path.write_bytes(b"Date,Exercise,Reps,Load\n12/25/2025,Squat,5,225\n")
    refused = run_cli(tmp_path, "import", str(path))
    assert refused.returncode == 1 and "error: Nothing was stored" in refused.stdout and "MDY" in refused.stdout
    out = run_cli(tmp_path, "import", str(path), "--date-order", "MDY", "--unit", "lb", "--timezone", "UTC")
    assert out.returncode == 0 and "1 rows read = 1 stored" in out.stdout and "loads were read as lb" in out.stdout
    bad = run_cli(tmp_path, "import", str(path), "--timezone", "Mars/Olympus")
    assert bad.returncode == 2 and "'Mars/Olympus' is not a known time zone" in bad.stdout
