"""The training-log sheet: messy rows stored or quarantined with a reason, counts that add up, mirroring."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import responses
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from core.errors import BadInput, SourceUnavailable
from core.records import SET
from core.sources.sheets import SheetsSource, build
from core.sources.sheets.parse import parse_date, parse_number, parse_rows
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.builders import clock_at

clock = clock_at(datetime(2026, 3, 6, tzinfo=UTC))  # midnight: the sheet's dates are bounded by tomorrow
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
    assert "unit 'stone' unknown" in reasons[11]
    assert "load 4000 kg is outside the allowed range 0 <= kg <= 600" in reasons[12]
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


META = {"spreadsheetId": "KEY123", "properties": {"title": "Log"},
        "sheets": [{"properties": {"sheetId": 0, "title": "Log", "index": 0, "sheetType": "GRID",
                                   "gridProperties": {"rowCount": 20, "columnCount": 7}}}]}
VALUES = f"{SHEET}/values/%27Log%27"
GOOGLE_TOKEN = "https://oauth2.googleapis.com/token"


def sheet_settings(info, worksheet=None):
    from core.config import build_settings

    section = {"spreadsheet_key": "KEY123", "service_account_json": json.dumps(info)}
    return build_settings({"sheets": {**section, **({"worksheet": worksheet} if worksheet else {})}}, {})


def sheets_api_calls():
    return [c for c in responses.calls if c.request.url.startswith("https://sheets.googleapis.com/")]


def fake_google(values=MESSY):
    """The service-account token, the sheet's metadata and its values, shaped like Google's replies."""
    responses.post(GOOGLE_TOKEN, json={"access_token": "ya29.x", "expires_in": 3600, "token_type": "Bearer"})
    responses.get(SHEET, json=META)
    responses.get(VALUES, json={"range": "Log!A1:G12", "majorDimension": "ROWS", "values": values})


@responses.activate
def test_gspread_client_faked_at_the_transport(tmp_path):
    """With [sheets] worksheet set, one Sheets request reads the values; a 403 names the account to share with."""
    fake_google()
    info = service_account()
    store = SQLiteStore(tmp_path / "s.db")
    src = build(sheet_settings(info, "Log"), store, clock)
    assert len(list(src.fetch(None))) == 9
    assert [c.request.url.split("?")[0] for c in sheets_api_calls()] == [VALUES]
    responses.replace(responses.GET, VALUES, status=403, json={"error": {"code": 403, "message": "denied",
                                                                         "status": "PERMISSION_DENIED"}})
    with pytest.raises(BadInput) as err:
        list(src.fetch(None))
    assert info["client_email"] in err.value.action


@responses.activate
def test_a_sync_with_nothing_new_makes_one_sheets_request(tmp_path):
    """Without a worksheet setting the first tab's title is looked up once; every later sync is one request."""
    fake_google()
    store, info = SQLiteStore(tmp_path / "s.db"), service_account()
    assert run_sync(store, [build(sheet_settings(info), store, clock)], now=clock).ok
    assert len(sheets_api_calls()) == 2, "the first sync also reads the tab's title"
    responses.calls.reset()
    report = run_sync(store, [build(sheet_settings(info), store, clock)], now=clock)  # a new process (cron)
    assert report.ok and report.sources[0].counts.unchanged == 9
    assert [c.request.url.split("?")[0] for c in sheets_api_calls()] == [VALUES]


@responses.activate
def test_sheets_5xx_is_retried_with_backoff():
    """Two 503s then the values: retried after 1 s and 2 s; three 503s: a retryable error."""
    import gspread
    import requests

    from core.sources.sheets import SheetReader

    sleeps = []
    responses.get(VALUES, status=503, json={"error": {"code": 503, "message": "unavailable", "status": "UNAVAILABLE"}})
    responses.get(VALUES, status=503, json={"error": {"code": 503, "message": "unavailable", "status": "UNAVAILABLE"}})
    responses.get(VALUES, json={"range": "Log!A1:G2", "majorDimension": "ROWS", "values": MESSY[:2]})
    reader = SheetReader(gspread.Client(auth=None, session=requests.Session()), "KEY123", "Log", "acct", clock,
                         sleep=sleeps.append)
    assert reader() == MESSY[:2] and sleeps == [1.0, 2.0]
    responses.replace(responses.GET, VALUES, status=503, json={"error": {"code": 503, "message": "x"}})
    with pytest.raises(SourceUnavailable, match="HTTP 503 after 3 attempts"):
        reader()


@pytest.mark.parametrize("status,message,expected", [
    (404, "Requested entity was not found.", "no spreadsheet with key 'KEY123'"),
    (400, "Unable to parse range: 'Log'", "no tab named 'Log'"),
])
@responses.activate
def test_a_wrong_key_or_tab_name_says_which_setting_to_fix(status, message, expected):
    """A 404 names the spreadsheet key, a 400 on the configured tab names the tab."""
    import gspread
    import requests

    from core.sources.sheets import SheetReader

    responses.get(VALUES, status=status, json={"error": {"code": status, "message": message}})
    reader = SheetReader(gspread.Client(auth=None, session=requests.Session()), "KEY123", "Log", "acct", clock)
    with pytest.raises(BadInput, match=expected):
        reader()


class CrashAtDelete(SQLiteStore):
    """Dies in the middle of the mirror's deletion, after the upsert of the rows still in the sheet."""

    def delete(self, kind, source, keys):
        raise SystemExit("killed at the sheet's delete")


def test_a_crash_at_the_sheets_delete_converges_on_rerun(tmp_path):
    """Killed while deleting rows removed from the sheet: the rerun deletes them; nothing lost or doubled."""
    path = tmp_path / "s.db"
    rows = {"now": [HEADER] + MESSY[1:2] + MESSY[4:7]}
    run_sync(SQLiteStore(path), [SheetsSource(lambda: rows["now"])], now=clock)
    rows["now"] = [HEADER] + MESSY[1:2] + MESSY[4:5]
    with pytest.raises(SystemExit):
        run_sync(CrashAtDelete(path), [SheetsSource(lambda: rows["now"])], now=clock, owner="dead")
    store = SQLiteStore(path)
    store.release_lease("dead")
    assert run_sync(store, [SheetsSource(lambda: rows["now"])], now=clock).ok
    reference = SQLiteStore(tmp_path / "ref.db")
    run_sync(reference, [SheetsSource(lambda: rows["now"])], now=clock)
    assert store.keys(SET, "sheets") == reference.keys(SET, "sheets") and len(store.read(SET)) == 5


def test_a_set_of_zero_reps_is_quarantined_and_a_single_is_kept(tmp_path):
    """'0' reps is no set (a typo or a failed lift): quarantined with the rule it breaks; 1 rep is a set, in the
    sheet's parser and in a CSV import of the same log."""
    from core.sources.files import import_file
    from core.sources.sheets.parse import parse_rows
    from core.store.sqlite import SQLiteStore

    rows = [["Date", "Exercise", "Set", "Reps", "Load (kg)"], ["2026-03-02", "Deadlift", "1", "0", "100"],
            ["2026-03-02", "Deadlift", "2", "1", "100"]]
    parsed = parse_rows(rows, "t")
    assert [r.fields["reps"] for r in parsed.records] == [1]
    assert parsed.quarantine == [{"row": 2, "reason": "reps 0 is outside the allowed range 1 <= reps <= 1000"}]
    store = SQLiteStore(tmp_path / "s.db")
    report = import_file(store, "\n".join(",".join(r) for r in rows).encode(), "log.csv")
    assert store.read(SET).reps.tolist() == [1] and report.rows_quarantined == 1
