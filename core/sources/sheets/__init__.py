"""The Google Sheet source (the CrossFit log): read whole each time, mirrored into the store.

gspread with a service account, `open_by_key` and `get_all_values` (never `get_all_records`, which
turns "72,3" into 723). Rows that cannot be read are quarantined with their row number and reason and
shown on the Data page; rows deleted from the sheet are deleted from the store; an empty sheet or a
failed read deletes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import gspread
from gspread.exceptions import APIError, SpreadsheetNotFound, WorksheetNotFound

from core.config import Settings
from core.errors import BadInput, ConfigError, RateLimited, SourceUnavailable
from core.records import SET, Record
from core.sources.sheets.parse import LogFormat, parse_rows
from core.store.base import Store

SOURCE = "sheets"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets.readonly"]  # open_by_key needs no Drive scope
QUOTA_PAUSE = timedelta(minutes=1)  # Sheets allows 60 reads a minute per user


def read_values(client: gspread.Client, key: str, worksheet: str | None, account: str,
                now: Callable[[], datetime]) -> list[list[str]]:
    """All cells as text, with Google's errors turned into sentences."""
    try:
        book = client.open_by_key(key)
        sheet = book.worksheet(worksheet) if worksheet else book.sheet1
        return sheet.get_all_values()
    except SpreadsheetNotFound as exc:
        raise BadInput("the training sheet", f"no spreadsheet with key {key!r}",
                       action="Copy the key from the sheet's URL into [sheets] spreadsheet_key.") from exc
    except PermissionError as exc:
        raise BadInput("the training sheet", "the service account may not read it",
                       action=f"Share the sheet (Viewer) with {account}.") from exc
    except WorksheetNotFound as exc:
        raise BadInput("the training sheet", f"no tab named {worksheet!r}",
                       action="Fix [sheets] worksheet (the tab's name) or remove it to use the first tab.") from exc
    except APIError as exc:
        if exc.code == 429:
            raise RateLimited(SOURCE, now().astimezone(UTC) + QUOTA_PAUSE, "Sheets read quota") from exc
        raise SourceUnavailable(f"Google Sheets: HTTP {exc.code}") from exc


class SheetsSource:
    """A mirror of the sheet: fetch returns every readable row."""

    name = SOURCE
    kinds = (SET,)
    overlap = timedelta(0)
    ascending = False
    mirror = True

    def __init__(self, read: Callable[[], list[list[str]]], unit: str = "kg", month_first: bool = False,
                 aliases: dict[str, list[str]] | None = None) -> None:
        self.read, self.unit, self.month_first, self.aliases = read, unit, month_first, aliases
        self.last = None

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        self.last = parse_rows(self.read(), SOURCE, self.unit, self.month_first, self.aliases)
        yield from self.last.records

    def report(self) -> dict:
        """Quarantined rows and counts for the Data page (read = stored + quarantined)."""
        if self.last is None:
            return {}
        return {"quarantine": self.last.quarantine, "warnings": self.last.warnings,
                "rows_read": self.last.rows_read, "rows_stored": self.last.rows_stored}


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
    client = gspread.service_account_from_dict(info, scopes=SCOPES)
    account = info.get("client_email", "the service account")
    fmt = log_format(settings)
    return SheetsSource(lambda: read_values(client, str(key), section.get("worksheet"), account, now),
                        unit=fmt.unit, month_first=fmt.month_first, aliases=fmt.aliases)
