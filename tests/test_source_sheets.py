"""The training-log sheet: messy rows stored or quarantined with a reason, counts that add up, mirroring."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.errors import BadInput
from core.records import SET
from core.sources.sheets import SheetsSource, build
from core.sources.sheets.parse import parse_date, parse_number, parse_rows
from core.store.sqlite import SQLiteStore
from core.sync import run_sync

clock = lambda: datetime(2026, 3, 6, tzinfo=UTC)  # noqa: E731
HEADER = ["Date", "Exercise", "Sets", "Reps", "Load", "Unit", "Notes"]
MESSY = [
    HEADER,
    ["2026-03-02", "Back squat", "3", "5", "100", "kg", ""],          # 2: ok, 3 sets
    ["", "", "", "", "", "", ""],                                     # 3: blank, ignored
    ["02/03/2026", "Deadlift", "1", "5", "72,3", "", "comma"],       # 4: day-first date, comma decimal
    ["03.03.2026", "Bench press", "2", "8", "135", "lb"],              # 5: German date, lb, ragged row
    ["2026-03-04", "Pull-up", "3", "10", "", "", "bodyweight"],      # 6: no load = bodyweight
    ["2026-03-04", "Strict press", "1", "five", "40", "kg", ""],     # 7: text in reps
    ["31/02/2026", "Snatch", "1", "3", "50", "kg", ""],               # 8: impossible date
    ["2026-03-05", "", "1", "3", "50", "kg", ""],                      # 9: no exercise
    ["2026-03-02", "Back squat", "3", "5", "100", "kg", ""],          # 10: duplicate of row 2
    ["2026-03-05", "Thruster", "1", "10", "40", "stone", ""],         # 11: unknown unit
    ["2026-03-05", "Thruster", "1", "10", "4000", "kg", ""],          # 12: absurd load
]


def test_messy_rows_are_stored_or_quarantined_with_reasons():
    """Each messy case is stored correctly or quarantined naming its row; read = stored + quarantined."""
    parsed = parse_rows(MESSY, "sheets")
    reasons = {q["row"]: q["reason"] for q in parsed.quarantine}
    assert sorted(reasons) == [7, 8, 9, 10, 11, 12]
    assert "reps 'five' is not a number" in reasons[7]
    assert "date '31/02/2026' not understood" in reasons[8]
    assert "exercise is empty" in reasons[9]
    assert "same as row 2" in reasons[10]
    assert "unit 'stone' unknown" in reasons[11] and "outside 0-1000 kg" in reasons[12]
    assert parsed.rows_read == 10 and parsed.rows_read == parsed.rows_stored + len(parsed.quarantine)
    by = {(r.fields["exercise"], r.fields["set_number"]): r.fields for r in parsed.records}
    assert len(parsed.records) == 3 + 1 + 2 + 3
    assert by[("Deadlift", 1)]["load_kg"] == 72.3 and by[("Deadlift", 1)]["session_date"] == "2026-03-02"
    assert by[("Bench press", 2)]["load_kg"] == pytest.approx(61.235, abs=1e-3)
    assert by[("Pull-up", 3)]["load_kg"] == 0.0 and by[("Pull-up", 3)]["notes"] == "bodyweight"


def test_header_aliases_units_in_headers_and_duplicates():
    """French headers with a unit in the load header; a repeated column warns; a blank header is ignored."""
    rows = [["Jour", "Exercice", "Répétitions", "Charge (lb)", "", "Charge"],
            ["2026-03-02", "Squat", "5", "225", "x", "1"]]
    parsed = parse_rows(rows, "sheets")
    assert parsed.records[0].fields["load_kg"] == pytest.approx(102.058, abs=1e-3)
    assert parsed.warnings == ["column 'Charge' appears twice; using the first one (column 4)"]


def test_missing_required_column_is_a_clear_error():
    """A sheet without a reps column is refused as a whole, naming what was found."""
    with pytest.raises(BadInput, match="no column for reps"):
        parse_rows([["Date", "Exercise", "Load"], ["2026-03-02", "Squat", "100"]], "sheets")


@pytest.mark.parametrize("text,expected", [("72,3", 72.3), ("72.3", 72.3), ("1.234,5", 1234.5), ("1,234.5", 1234.5),
                                           (" 100 ", 100.0)])
def test_numbers_in_local_formats(text, expected):
    """Comma decimals and thousands separators in either convention."""
    assert parse_number(text, "load") == expected


def test_month_first_dates_when_configured():
    """03/04/2026 is 3 April by default and 4 March when the sheet is month-first."""
    assert str(parse_date("03/04/2026")) == "2026-04-03"
    assert str(parse_date("03/04/2026", month_first=True)) == "2026-03-04"


def test_mirror_sync_deletes_removed_rows_but_an_empty_sheet_wipes_nothing(tmp_path):
    """Rows deleted from the sheet leave the store; an empty or failed read keeps everything."""
    store = SQLiteStore(tmp_path / "s.db")
    rows = {"now": MESSY}
    src = SheetsSource(lambda: rows["now"])
    report = run_sync(store, [src], now=clock)
    assert report.ok and len(store.read(SET)) == 9
    state = store.get_sync_state("sheets")
    assert state.details["rows_read"] == 10 and len(state.details["quarantine"]) == 6
    rows["now"] = MESSY[:2]
    report = run_sync(store, [src], now=clock)
    assert report.sources[0].deleted == 6 and len(store.read(SET)) == 3
    rows["now"] = [HEADER]
    run_sync(store, [src], now=clock)
    assert len(store.read(SET)) == 3
    rows["now"] = [["nonsense"], ["x"]]
    report = run_sync(store, [src], now=clock)
    assert not report.ok and "no column for date" in report.sources[0].error and len(store.read(SET)) == 3


def service_account() -> dict:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    return {"type": "service_account", "project_id": "fitdash-test", "private_key_id": "abc123",
            "private_key": pem, "client_email": "fitdash@fitdash-test.iam.gserviceaccount.com",
            "client_id": "1234567890", "token_uri": "https://oauth2.googleapis.com/token"}


SHEET = "https://sheets.googleapis.com/v4/spreadsheets/KEY123"


@responses.activate
def test_gspread_client_faked_at_the_transport(tmp_path):
    """Service-account token, sheet metadata and values over HTTP; a 403 names the account to share with."""
    from core.config import build_settings

    responses.post("https://oauth2.googleapis.com/token", json={"access_token": "ya29.x", "expires_in": 3600,
                                                                "token_type": "Bearer"})
    meta = {"spreadsheetId": "KEY123", "properties": {"title": "Log"},
            "sheets": [{"properties": {"sheetId": 0, "title": "Log", "index": 0, "sheetType": "GRID",
                                       "gridProperties": {"rowCount": 20, "columnCount": 7}}}]}
    responses.get(SHEET, json=meta)
    responses.get(f"{SHEET}/values/%27Log%27", json={"range": "Log!A1:G12", "majorDimension": "ROWS", "values": MESSY})
    info = service_account()
    settings = build_settings({"sheets": {"spreadsheet_key": "KEY123", "service_account_json": json.dumps(info),
                                          "worksheet": "Log"}}, {})
    store = SQLiteStore(tmp_path / "s.db")
    src = build(settings, store, lambda: None)
    assert len(list(src.fetch(None))) == 9
    responses.replace(responses.GET, SHEET, status=403, json={"error": {"code": 403, "message": "denied",
                                                                        "status": "PERMISSION_DENIED"}})
    with pytest.raises(BadInput) as err:
        list(src.fetch(None))
    assert info["client_email"] in err.value.action


def test_a_stored_row_that_becomes_unreadable_is_kept_until_fixed(tmp_path):
    """A row edited into a typo ("6O") is quarantined, not deleted; removals wait, are reported, then happen."""
    store = SQLiteStore(tmp_path / "s.db")
    squat = ["2026-03-02", "Back squat", "1", "5", "100", "kg", ""]
    rows = {"now": [HEADER, squat, ["2026-03-03", "Deadlift", "1", "6", "140", "kg", ""]]}
    src = SheetsSource(lambda: rows["now"])
    run_sync(store, [src], now=clock)
    rows["now"] = [HEADER, squat, ["2026-03-03", "Deadlift", "1", "6O", "140", "kg", ""]]
    report = run_sync(store, [src], now=clock).sources[0]
    assert (report.deleted, report.postponed, len(store.read(SET))) == (0, 1, 2)
    assert "1 removal postponed until the quarantined rows are fixed" in report.line()
    assert store.get_sync_state("sheets").details["postponed_removals"] == 1
    rows["now"] = [HEADER, squat, ["2026-03-03", "Deadlift", "1", "6", "150", "kg", ""]]
    report = run_sync(store, [src], now=clock).sources[0]
    assert (report.deleted, report.postponed) == (1, 0)
    assert sorted(store.read(SET).load_kg) == [100.0, 150.0]
    assert "postponed_removals" not in store.get_sync_state("sheets").details


@pytest.mark.parametrize("header,expected", [("lb", 45.359), ("LBS", 45.359), ("kg", 100.0), ("Load", 100.0)])
def test_a_load_column_headed_by_a_unit_word_sets_the_unit(header, expected):
    """A load column headed just "lb" or "lbs" holds pounds; "kg" or "Load" keeps kilograms."""
    parsed = parse_rows([["Date", "Exercise", "Reps", header], ["2026-03-02", "Squat", "5", "100"]], "sheets")
    assert parsed.records[0].fields["load_kg"] == pytest.approx(expected, abs=1e-3)
