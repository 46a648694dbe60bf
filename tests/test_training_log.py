"""The training log's parser (sheet and CSV): every date format, RPE and RIR, extra fields, duplicates, ranges."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import pytest

from core.records import SET, Record, day_start_utc
from core.sources.sheets import SheetsSource
from core.sources.sheets.parse import parse_date, parse_rows
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.builders import PROVIDER_NOW, clock_at

clock = clock_at(PROVIDER_NOW)


@pytest.mark.parametrize("text,month_first,expected", [
    ("2026-03-02", False, "2026-03-02"),           # ISO
    ("20171221", False, "2017-12-21"),             # ISO basic (YYYYMMDD)
    ("2026-03-02T08:15:00Z", False, "2026-03-02"),  # ISO with a time and a zone
    ("2026-03-02 18:30", False, "2026-03-02"),      # ISO with a time
    ("02/03/2026", False, "2026-03-02"),            # day first
    ("02/03/2026", True, "2026-02-03"),             # month first when configured
    ("02.03.2026", False, "2026-03-02"),            # German
    ("2.3.26", False, "2026-03-02"),                # short year
    ("02/03/2026 18:30:00", False, "2026-03-02"),  # a Sheets date-time cell
    ("46083", False, "2026-03-02"),                 # Excel / Sheets serial number
    ("46083.75", True, "2026-03-02"),               # a serial with a time of day
    ("Mar 2, 2026", False, "2026-03-02"),           # English month name
    ("March 2, 2026", True, "2026-03-02"),
    ("Monday 2nd March 2026", False, "2026-03-02"),
    ("2 mars 2026", False, "2026-03-02"),           # French
    ("1er mars 2026", False, "2026-03-01"),
    ("mar. 3 mars 2026", False, "2026-03-03"),      # "mar." is Tuesday here, "mars" the month
    ("3 déc. 2025", False, "2025-12-03"),
    ("2. März 2026", False, "2026-03-02"),          # German
    ("14. Dezember 2025", False, "2025-12-14"),
    ("Jänner 5, 2026", False, "2026-01-05"),        # Austrian January
    ("2026 Mar 02", False, "2026-03-02"),
])
def test_every_accepted_date_format(text, month_first, expected):
    """Each way a person or a spreadsheet writes a session date reads as that date."""
    assert parse_date(text, month_first).isoformat() == expected


@pytest.mark.parametrize("text,month_first,message", [
    ("12/25/2026", False, "reads as month-first: set the date order to MDY"),
    ("25/12/2026", True, "reads as day-first: set the date order to DMY"),
    ("31/02/2026", False, "date '31/02/2026' not understood (write e.g. 2026-03-02, 20260302"),
    ("Mar 2026", False, "not understood"),
    ("99999", False, "not understood"),  # a serial beyond 2100: not a date of this log
    ("2 mars", False, "not understood"),
])
def test_dates_that_cannot_be_read_say_what_to_write_or_set(text, month_first, message):
    """A date that fails names the text, and the setting when the other order would read it."""
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_date(text, month_first)


HEADER = ["Date", "Exercise", "Reps", "Load", "RPE", "RIR", "Notes"]


def test_rpe_and_rir_are_stored_and_two_sets_differing_only_in_rpe_are_two_sets():
    """RPE and RIR columns are read ("@8", "8,5"); sets equal but for RPE are both stored, with distinct keys."""
    rows = [HEADER, ["2026-03-02", "Back squat", "5", "100", "@8", "2", ""],
            ["2026-03-02", "Back squat", "5", "100", "8,5", "", ""],
            ["2026-03-02", "Back squat", "5", "100", "", "", ""]]
    parsed = parse_rows(rows, "sheets")
    assert parsed.quarantine == [] and parsed.rows_stored == 3
    assert [(r.fields.get("rpe"), r.fields.get("rir")) for r in parsed.records] == [(8.0, 2.0), (8.5, None),
                                                                                     (None, None)]
    assert len({r.key for r in parsed.records}) == 3


@pytest.mark.parametrize("header", [["Datum", "Übung", "Wdh", "Gewicht", "Anstrengung", "Wiederholungen in Reserve"],
                                    ["Jour", "Exercice", "Répétitions", "Charge", "Effort perçu", "Reps en réserve"],
                                    ["date", "exercise", "reps", "load", "rpe (1-10)", "reps in reserve"]])
def test_rpe_and_rir_headers_in_several_languages(header):
    """German, French and English names of the RPE and RIR columns are recognised."""
    parsed = parse_rows([header, ["2026-03-02", "Squat", "5", "100", "7", "3"]], "sheets")
    assert (parsed.records[0].fields["rpe"], parsed.records[0].fields["rir"]) == (7.0, 3.0)


def test_a_row_equal_on_everything_is_a_duplicate_but_an_unmapped_column_tells_rows_apart():
    """Equal rows are quarantined as "same as row N"; rows differing only in a column the log does not read are two."""
    rows = [["Date", "Exercise", "Reps", "Load", "Tempo"], ["2026-03-02", "Squat", "5", "100", "3-1-1"],
            ["2026-03-02", "Squat", "5", "100", "3-1-1"], ["2026-03-02", "Squat", "5", "100", "2-0-2"]]
    parsed = parse_rows(rows, "sheets")
    assert parsed.quarantine == [{"row": 3, "reason": "same as row 2 (a duplicate? to log it twice, use the sets "
                                                      "column)"}]
    assert parsed.rows_stored == 2 and len({r.key for r in parsed.records}) == 2
    assert parsed.rows_read == parsed.rows_stored + parsed.rows_quarantined


def test_sets_that_overlap_a_set_column_are_not_lost_to_one_key():
    """A "3 sets" row and a "set 2" row of the same values give four sets with four keys (before: three)."""
    rows = [["Date", "Exercise", "Sets", "Set", "Reps", "Load"], ["2026-03-02", "Squat", "3", "", "5", "100"],
            ["2026-03-02", "Squat", "", "2", "5", "100"]]
    parsed = parse_rows(rows, "sheets")
    assert len(parsed.records) == 4 and len({r.key for r in parsed.records}) == 4


def test_extra_fields_join_the_notes_when_notes_are_last():
    """An unquoted comma in the last column's comment keeps the whole comment; trailing empty fields carry nothing."""
    rows = [["Date", "Exercise", "Reps", "Load", "Notes"],
            ["2026-03-02", "Squat", "5", "100", "struggled", " need break", "", ""]]
    parsed = parse_rows(rows, "csv")
    assert parsed.records[0].fields["notes"] == "struggled,  need break"
    assert any("keep the extra text in their notes" in n for n in parsed.notes)


def test_extra_fields_quarantine_the_row_when_notes_are_not_last():
    """Text beyond the last column, which is not the notes, quarantines the row saying why."""
    rows = [["Date", "Exercise", "Notes", "Reps"], ["2026-03-02", "Squat", "struggled", " need break", "5"]]
    parsed = parse_rows(rows, "csv")
    assert parsed.records == [] and "5 fields but the header has 4 columns" in parsed.quarantine[0]["reason"]


@pytest.mark.parametrize("cells,reason", [
    (["2026-03-02", "Squat", "0", "100", ""], "reps 0 is outside the allowed range 1 <= reps <= 1000"),
    (["2026-03-02", "Squat", "1500", "100", ""], "reps 1500 is outside the allowed range 1 <= reps <= 1000"),
    (["2026-03-02", "Squat", "2.5", "100", ""], "reps 2.5 is not a whole number (allowed: 1 <= reps <= 1000)"),
    (["2026-03-02", "Squat", "5", "700", ""], "load 700 kg is outside the allowed range 0 <= kg <= 600"),
    (["2026-03-02", "Squat", "5", "-20", ""], "load -20 kg is outside the allowed range 0 <= kg <= 600"),
    (["2026-03-02", "Squat", "5", "inf", ""], "load 'inf' is not a finite number"),
    (["2026-03-02", "Squat", "nan", "100", ""], "reps 'nan' is not a finite number"),
    (["2026-03-02", "Squat", "5", "100", "11"], "RPE 11 is outside the allowed range 0 <= RPE <= 10"),
    (["1989-12-31", "Squat", "5", "100", ""], "date 1989-12-31 is outside the allowed range 1990-01-01 to 2026-03-07"),
    (["2026-03-08", "Squat", "5", "100", ""], "date 2026-03-08 is outside the allowed range 1990-01-01 to 2026-03-07"),
])
def test_implausible_values_are_quarantined_naming_value_and_range(cells, reason):
    """Each out-of-range value quarantines its row naming the value and the allowed range; an empty load is 0."""
    parsed = parse_rows([["Date", "Exercise", "Reps", "Load", "RPE"], cells], "csv", latest=date(2026, 3, 7))
    assert parsed.quarantine == [{"row": 2, "reason": reason}]
    ok = parse_rows([["Date", "Exercise", "Reps", "Load"], ["2026-03-07", "Pull-up", "5", ""]], "csv",
                    latest=date(2026, 3, 7))
    assert ok.records[0].fields["load_kg"] == 0.0


def test_the_sheet_source_refuses_dates_after_tomorrow_in_the_athletes_time_zone():
    """At 12:00 UTC on 6 March it is already the 7th in Auckland: the 7th and 8th are allowed there, the 9th is not."""
    rows = [["Date", "Exercise", "Reps"], ["2026-03-08", "Squat", "5"], ["2026-03-09", "Squat", "5"]]
    source = SheetsSource(lambda: rows, now=clock, timezone="Pacific/Auckland")
    assert [r.fields["session_date"] for r in source.fetch(None)] == ["2026-03-08"]
    assert "2026-03-09 is outside the allowed range 1990-01-01 to 2026-03-08" in source.report()["quarantine"][0][
        "reason"]


def old_records(rows: list[list[str]], source: str) -> list[Record]:
    """Records as the parser wrote them before RPE and RIR were read (its key, fields and raw payload)."""
    out = []
    for cells in rows[1:]:
        day, exercise, reps, load = date.fromisoformat(cells[0]), cells[1], int(cells[2]), float(cells[3])
        row = (day, exercise, 1, None, reps, round(load, 3), cells[-1])
        content = f"{day}|{exercise.lower()}|1|{reps}|{load:.3f}|{cells[-1]}"
        fields = {"session_date": day.isoformat(), "exercise": exercise, "set_number": 1, "reps": reps,
                  "load_kg": round(load, 3), "notes": cells[-1]}
        out.append(Record(SET, source, "log:" + hashlib.sha256(content.encode()).hexdigest()[:20], day_start_utc(day),
                          fields, {"row": list(map(str, row))}))
    return out


def test_a_store_filled_before_rpe_was_read_gets_updates_not_copies(tmp_path):
    """Syncing a sheet with an RPE column into an old-shape store updates the sets with RPE and duplicates none."""
    rows = [["Date", "Exercise", "Reps", "Load", "RPE", "Notes"], ["2026-03-02", "Squat", "5", "100", "8", ""],
            ["2026-03-03", "Deadlift", "3", "140", "", "easy"]]
    store = SQLiteStore(tmp_path / "old.db")
    store.upsert(old_records([[c for i, c in enumerate(r) if i != 4] for r in rows], "sheets"))
    report = run_sync(store, [SheetsSource(lambda: rows, now=clock)], now=clock)
    counts = report.sources[0].counts
    assert (counts.inserted, counts.updated, counts.unchanged, report.sources[0].deleted) == (0, 1, 1, 0)
    stored = store.read(SET)
    assert len(stored) == 2 and stored.rpe.tolist()[0] == 8.0 and stored.rpe.isna().tolist() == [False, True]
