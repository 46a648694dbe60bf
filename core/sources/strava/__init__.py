"""The Strava source: runs started after the watermark minus an overlap window, page by page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from core.config import Settings
from core.errors import ConfigError
from core.records import RUN, Record
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
        for page in self.client.activity_pages(since):
            records = [r for r in map(activity_record, page) if r is not None]
            yield from sorted(records, key=lambda r: r.time_utc)


def build(settings: Settings, store: Store, now: Callable[[], datetime]) -> StravaSource:
    """The source from [strava] client_id / client_secret."""
    section = settings.section(SOURCE)
    if not str(section.get("client_id", "")).isdigit() or not section.get("client_secret"):
        raise ConfigError("[strava] client_id (a number) and client_secret are required (FITDASH_STRAVA_*)")
    return StravaSource(StravaClient(str(section["client_id"]), str(section["client_secret"]), store, now))
