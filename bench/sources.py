"""Source HTTP costs, faked with `responses` as the tests do: a first Strava import, nothing-new syncs.

Counts are what the providers' quotas charge (Strava: 100 reads / 15 min, 1,000 / day; Withings:
120 / minute; Sheets: 60 reads / minute per user), so "requests" matter more than seconds here.
"""

from __future__ import annotations

import json
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import responses

from bench.common import Row, timed
from core.store.sqlite import SQLiteStore
from core.sync import run_sync

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)
CLOCK = lambda: NOW  # noqa: E731
ACTIVITIES = 1000
RUNS = 3


def _activities(count: int) -> list[dict]:
    """`count` runs, one a day, in the documented summary shape (the tests' fixture)."""
    from tests.fixtures.provider_fakes import strava_activity

    return [strava_activity(i, start=NOW - timedelta(days=count + 10 - i)) for i in range(count)]


def _token(store: SQLiteStore, source: str) -> None:
    store.put_token(source, {"access_token": "a", "refresh_token": "r", "expires_at": (NOW + timedelta(hours=5))
                             .timestamp()})


def _strava(store: SQLiteStore):
    from core.sources.strava import StravaSource
    from core.sources.strava.client import StravaClient

    return StravaSource(StravaClient("1234", "secret", store, CLOCK, sleep=lambda s: None))


def strava_rows(tmp: Path) -> list[Row]:
    """A first import of 1,000 activities: list requests and time; then a sync with nothing new."""
    from tests.fixtures.provider_fakes import STRAVA_LIST, FakeStravaList

    fake, state, paths = FakeStravaList(_activities(ACTIVITIES)), {}, iter(tmp / f"strava{i}.db" for i in range(99))

    def fresh() -> None:
        state["store"] = SQLiteStore(next(paths))
        _token(state["store"], "strava")
        fake.requests.clear()

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add_callback(responses.GET, STRAVA_LIST, callback=fake)
        seconds = timed(lambda: run_sync(state["store"], [_strava(state["store"])], now=CLOCK), RUNS, setup=fresh)
        first = len(fake.requests)
        mock.calls.reset()
        run_sync(state["store"], [_strava(state["store"])], now=CLOCK)
        again = len(mock.calls)
    return [Row(f"Strava: first import of {ACTIVITIES:,} activities, list requests", [float(first)], "requests",
                "<= 6", "200 per page; the last, short or empty page ends the import"),
            Row(f"Strava: first import of {ACTIVITIES:,} activities into SQLite", seconds, "s", "",
                "HTTP faked in-process: parsing and storing only"),
            Row("Strava: sync with nothing new, HTTP requests", [float(again)], "requests", "<= 1",
                "token still valid; the 7-day overlap fits one page")]


def withings_rows(tmp: Path) -> list[Row]:
    """A sync with nothing new: one getmeas request (token still valid)."""
    from core.sources.withings import WithingsSource
    from core.sources.withings.client import API, WithingsClient

    store = SQLiteStore(tmp / "withings.db")
    _token(store, "withings")
    page = json.loads((FIXTURES / "withings_getmeas_page3.json").read_text())
    source = WithingsSource(WithingsClient("cid", "secret", store, CLOCK, sleep=lambda s: None))
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post(f"{API}/measure", json=page)
        run_sync(store, [source], now=CLOCK)
        mock.calls.reset()
        run_sync(store, [source], now=CLOCK)
        count = len(mock.calls)
    return [Row("Withings: sync with nothing new, HTTP requests", [float(count)], "requests", "<= 1",
                "token still valid; getmeas with lastupdate")]


def sheets_rows(tmp: Path) -> list[Row]:
    """Syncs of an unchanged sheet (first tab, no worksheet setting): Sheets API requests per sync."""
    from core.config import build_settings
    from core.sources.sheets import build
    from tests.test_source_sheets import MESSY, service_account

    sheet = "https://sheets.googleapis.com/v4/spreadsheets/KEY123"
    meta = {"spreadsheetId": "KEY123", "properties": {"title": "Log"}, "sheets": [{"properties": {
        "sheetId": 0, "title": "Log", "index": 0, "sheetType": "GRID",
        "gridProperties": {"rowCount": 20, "columnCount": 7}}}]}
    settings = build_settings({"sheets": {"spreadsheet_key": "KEY123",
                                          "service_account_json": json.dumps(service_account())}}, {})
    store = SQLiteStore(tmp / "sheets.db")
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.post("https://oauth2.googleapis.com/token", json={"access_token": "ya29.x", "expires_in": 3600,
                                                                "token_type": "Bearer"})
        mock.get(sheet, json=meta)
        mock.get(f"{sheet}/values/%27Log%27", json={"range": "Log!A1:G12", "majorDimension": "ROWS",
                                                     "values": MESSY})
        run_sync(store, [build(settings, store, CLOCK)], now=CLOCK)
        first = sum(c.request.url.startswith(sheet) for c in mock.calls)
        mock.calls.reset()
        run_sync(store, [build(settings, store, CLOCK)], now=CLOCK)  # a new process, as the cron runs it
        again = sum(c.request.url.startswith(sheet) for c in mock.calls)
    return [Row("Sheet: sync with nothing new, Sheets API requests", [float(again)], "requests", "<= 1",
                f"first tab's title remembered; the very first sync made {first}; plus Google's token when expired")]


def source_rows() -> list[Row]:
    """Every source figure, each measured against a fresh SQLite store."""
    tmp = Path(tempfile.mkdtemp(prefix="bench-sources-"))
    return strava_rows(tmp) + withings_rows(tmp) + sheets_rows(tmp)


if __name__ == "__main__":
    from bench.common import table

    print(table(source_rows()))
