"""The Withings source: body measurements since the watermark, ambiguous weigh-ins held back."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta

from core.config import Settings
from core.errors import ConfigError
from core.records import BODY, Record
from core.sources.withings.client import WithingsClient
from core.sources.withings.parse import SOURCE, group_record, is_ambiguous
from core.store.base import Store


class WithingsSource:
    """fetch(since) over `getmeas?lastupdate=`; groups of uncertain attribution are quarantined."""

    name = SOURCE
    kinds = (BODY,)
    overlap = timedelta(days=3)  # re-read edits and late uploads
    ascending = False  # groups are not guaranteed in time order
    mirror = False

    def __init__(self, client: WithingsClient) -> None:
        self.client = client
        self.quarantine: list[dict] = []

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        self.quarantine = []
        for group, timezone in self.client.measure_groups(since):
            record = group_record(group, timezone)
            if record is None:
                continue
            if is_ambiguous(group):
                self.quarantine.append({"row": record.key, "reason": "the scale could not tell who weighed in "
                                        "(ambiguous attribution): assign it to yourself in the Withings app"})
                continue
            yield record

    def report(self) -> dict:
        """Details for the Data page."""
        return {"quarantine": self.quarantine}


def build(settings: Settings, store: Store, now: Callable[[], datetime]) -> WithingsSource:
    """The source from [withings] client_id / client_secret."""
    section = settings.section(SOURCE)
    if not section.get("client_id") or not section.get("client_secret"):
        raise ConfigError("[withings] client_id and client_secret are required (FITDASH_WITHINGS_*)")
    return WithingsSource(WithingsClient(str(section["client_id"]), str(section["client_secret"]), store, now))
