"""The demo source: realistic, deterministic data so the dashboard works before any account exists."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from core.records import BODY, RUN, SET, Record
from core.sources.demo.generate import ORIGIN, SOURCE, generate

# A first sync stops a week short of today, as if the watch and scale had not uploaded yet, so the
# first "Refresh data" visibly brings the last week in.
FIRST_IMPORT_HOLDBACK = timedelta(days=7)
MIN_HISTORY = timedelta(days=2 * 365 + 1)


class DemoSource:
    """A source like the real ones: returns only records newer than its watermark, up to now."""

    name = SOURCE
    kinds = (BODY, RUN, SET)
    overlap = timedelta(days=2)
    ascending = True
    mirror = False

    def __init__(self, seed: int, now: Callable[[], datetime], history: timedelta = MIN_HISTORY) -> None:
        self.seed = seed
        self.now = now
        self.history = max(history, MIN_HISTORY)

    def fetch(self, since: datetime | None) -> Iterator[Record]:
        """Records with since < time <= until (a week before now on the first import)."""
        now = self.now().astimezone(UTC)
        until = now - FIRST_IMPORT_HOLDBACK if since is None else now
        first = min(ORIGIN, (now - self.history).date())
        if since is not None:
            first = max(first, since.date() - timedelta(days=1))  # local days straddle UTC ones
        for record in generate(self.seed, first, until.date() + timedelta(days=1)):
            if record.time_utc > until:
                return
            if since is None or record.time_utc > since:
                yield record
