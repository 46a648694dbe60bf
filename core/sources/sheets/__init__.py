"""The Google Sheet source (the CrossFit log): read whole each time, mirrored into the store.

gspread with a service account. A sync reads the tab's values with ONE `values_get` request (the
same formatted strings as `get_all_values`, never `get_all_records`, which turns "72,3" into 723).
The tab is [sheets] worksheet, or the first tab, whose title is looked up once (one metadata
request) and remembered in the sync state. 5xx replies are retried with backoff. Rows that cannot
be read are quarantined with their row number and reason and shown on the Data page; rows deleted
from the sheet are deleted from the store; an empty sheet or a failed read deletes nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import requests

from core.config import Settings
from core.errors import BadInput, ConfigError, RateLimited, SourceUnavailable
from core.plausible import latest_date
from core.records import SET, Record
from core.sources.http import BACKOFF_S, RETRIES
from core.sources.sheets.parse import LogFormat, parse_rows
from core.store.base import Store

if TYPE_CHECKING:  # gspread is imported by a sync only: a process serving pages never loads it (~18 MB)
    import gspread

SOURCE = "sheets"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets.readonly"]  # open_by_key needs no Drive scope
QUOTA_PAUSE = timedelta(minutes=1)  # Sheets allows 60 reads a minute per user
WHERE = "the training sheet"


class SheetReader:
    """All cells of one tab as text, in one request once the tab's title is known; errors as sentences."""

    def __init__(self, client: gspread.Client, key: str, worksheet: str | None, account: str,
                 now: Callable[[], datetime], sleep: Callable[[float], None] = time.sleep,
                 title: str | None = None) -> None:
        self.client, self.key, self.worksheet, self.account = client, key, worksheet, account
        self.now, self.sleep = now, sleep
        self.title = worksheet or title  # the first tab's title, remembered from an earlier sync

    def __call__(self) -> list[list[str]]:
        from gspread.exceptions import APIError

        last = ""
        for attempt in range(RETRIES):
            if attempt:
                self.sleep(BACKOFF_S * 2 ** (attempt - 1))
            try:
                return self._values()
            except APIError as exc:
                if exc.code < 500:
                    raise self._error(exc.code) from exc
                last = f"HTTP {exc.code}"
            except requests.RequestException as exc:
                last = f"network error: {type(exc).__name__}"
        raise SourceUnavailable(f"Google Sheets: {last} after {RETRIES} attempts")

    def _values(self) -> list[list[str]]:
        from gspread.exceptions import APIError
        from gspread.utils import absolute_range_name, fill_gaps

        if self.title is None:
            self.title = self._first_title()
        try:
            reply = self.client.http_client.values_get(self.key, absolute_range_name(self.title))
        except APIError as exc:
            if exc.code != 400 or self.worksheet:
                raise
            self.title = self._first_title()  # the remembered first tab was renamed: look it up again
            reply = self.client.http_client.values_get(self.key, absolute_range_name(self.title))
        try:
            return fill_gaps(reply.get("values", [[]]))  # a rectangle, like get_all_values
        except KeyError:
            return [[]]

    def _first_title(self) -> str:
        meta = self.client.http_client.fetch_sheet_metadata(self.key)  # one request: the tabs' properties
        return str(meta["sheets"][0]["properties"]["title"])

    def _error(self, code: int) -> Exception:
        if code == 404:
            return BadInput(WHERE, f"no spreadsheet with key {self.key!r}",
                            action="Copy the key from the sheet's URL into [sheets] spreadsheet_key.")
        if code == 403:
            return BadInput(WHERE, "the service account may not read it",
                            action=f"Share the sheet (Viewer) with {self.account}.")
        if code == 400 and self.worksheet:
            return BadInput(WHERE, f"no tab named {self.worksheet!r}",
                            action="Fix [sheets] worksheet (the tab's name) or remove it to use the first tab.")
        if code == 429:
            return RateLimited(SOURCE, self.now().astimezone(UTC) + QUOTA_PAUSE, "Sheets read quota")
        return SourceUnavailable(f"Google Sheets: HTTP {code}")


class SheetsSource:
    """A mirror of the sheet: fetch returns every readable row."""

    name = SOURCE
    kinds = (SET,)
    overlap = timedelta(0)
    ascending = False
    mirror = True

    def __init__(self, read: Callable[[], list[list[str]]], unit: str = "kg", month_first: bool = False,
                 aliases: dict[str, list[str]] | None = None, now: Callable[[], datetime] | None = None,
                 timezone: str = "UTC") -> None:
        # read: a SheetReader (or, in tests, any callable returning the rows); now and timezone bound the dates
        self.read, self.unit, self.month_first, self.aliases = read, unit, month_first, aliases
        self.now, self.zone = now, ZoneInfo(timezone)
        self.last = None

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        latest = latest_date(self.now().astimezone(self.zone).date()) if self.now else None
        self.last = parse_rows(self.read(), SOURCE, self.unit, self.month_first, self.aliases, latest)
        yield from self.last.records

    def report(self) -> dict:
        """Quarantined rows and counts for the Data page (read = stored + quarantined)."""
        if self.last is None:
            return {}
        title = getattr(self.read, "title", None)
        return {"quarantine": self.last.quarantine, "warnings": self.last.warnings,
                "rows_read": self.last.rows_read, "rows_stored": self.last.rows_stored,
                **({"worksheet_title": title} if title else {})}


def log_format(settings: Settings) -> LogFormat:
    """The training log's unit, date order and header aliases from [sheets] (also used by CSV imports)."""
    section = settings.section(SOURCE)
    return LogFormat(unit=str(section.get("unit", "kg")).lower(),
                     month_first=str(section.get("date_order", "DMY")).upper() == "MDY",
                     aliases={k: list(v) for k, v in dict(section.get("aliases", {})).items()})


def build(settings: Settings, store: Store, now: Callable[[], datetime]) -> SheetsSource:
    """The source from [sheets] spreadsheet_key, service_account_json, worksheet, unit, date_order, aliases."""
    section = settings.section(SOURCE)
    key, info = section.get("spreadsheet_key"), section.get("service_account_json")
    if not key or not info:
        raise ConfigError("[sheets] spreadsheet_key and service_account_json are required (FITDASH_SHEETS_*)")
    info = json.loads(info) if isinstance(info, str) else dict(info)
    import gspread

    client = gspread.service_account_from_dict(info, scopes=SCOPES)
    account = info.get("client_email", "the service account")
    fmt, state = log_format(settings), store.get_sync_state(SOURCE)
    remembered = state.details.get("worksheet_title") if state else None
    reader = SheetReader(client, str(key), section.get("worksheet"), account, now, title=remembered)
    return SheetsSource(reader, unit=fmt.unit, month_first=fmt.month_first, aliases=fmt.aliases, now=now,
                        timezone=settings.timezone)
