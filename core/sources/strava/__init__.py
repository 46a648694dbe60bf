"""The Strava source: runs started after the watermark minus an overlap window, page by page.

A run already stored from the person's activity file is left as it is (core/sources/run_match.py): the API
would only replace richer values with its own. A run stored from the export's CSV takes the API's values (its
real time zone) and stays the person's own (provenance `export`), so api_retention_days never expires it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from core.config import Settings
from core.errors import ConfigError
from core.records import EXPORT_ORIGIN, FILE_ORIGIN, RUN, Record
from core.sources.run_match import RunIndex
from core.sources.strava.client import SOURCE, StravaClient
from core.sources.strava.parse import activity_record
from core.store.base import Store


class StravaSource:
    """Ascending pages: the sync checkpoints after each stored chunk, so a 429 loses no progress."""

    name = SOURCE
    kinds = (RUN,)
    overlap = timedelta(days=7)  # late uploads of older runs (a watch synced days later)
    ascending = True  # `after=` lists activities oldest first
    mirror = False

    def __init__(self, client: StravaClient) -> None:
        self.client = client

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        index = RunIndex.of(self.client.store, since)
        for page in self.client.activity_pages(since):
            records = [r for r in map(activity_record, page) if r is not None]
            yield from sorted(filter(None, (_beside(index, r) for r in records)), key=lambda r: r.time_utc)


def _beside(index: RunIndex, record: Record) -> Record | None:
    """The API's record as it may be stored next to the stored runs: None for a run stored from a file."""
    stored = index.match(record.key, record.time_utc)
    origin = index.provenance.get(stored) if stored else None
    if origin == FILE_ORIGIN:
        return None
    if origin == EXPORT_ORIGIN and stored == record.key:
        return Record(RUN, record.source, record.key, record.time_utc, {**record.fields, "provenance": EXPORT_ORIGIN},
                      record.raw)
    return record


def build(settings: Settings, store: Store, now: Callable[[], datetime]) -> StravaSource:
    """The source from [strava] client_id / client_secret."""
    section = settings.section(SOURCE)
    if not str(section.get("client_id", "")).isdigit() or not section.get("client_secret"):
        raise ConfigError("[strava] client_id (a number) and client_secret are required (FITDASH_STRAVA_*)")
    return StravaSource(StravaClient(str(section["client_id"]), str(section["client_secret"]), store, now))
