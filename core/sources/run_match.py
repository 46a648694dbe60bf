"""Which stored run an arriving run is: the same natural key, else a start within MATCH_TOLERANCE.

One run can arrive three ways: a row of Strava's activities.csv, its activity file (FIT, GPX, TCX), and the API.
The rule (docs/activity-files.md, "One record per run"):
- the key is Strava's activity id (`strava:<id>`) whenever it is known (the export's CSV row names it, the API
  gives it); a file alone (a Garmin export, a folder) gets `file:<start UTC>`, stable across imports;
- an arriving run whose key is not stored yet is still a stored run that started within MATCH_TOLERANCE of it,
  and takes that run's key: one record, never a second one. A run with a Strava id matches by time only runs known
  from a file alone (two Strava activities are two activities, even when recorded at once by a watch and a phone);
  a file alone matches any stored run;
- a file's values replace the stored run's (the person's own, richer copy), an export row never replaces what is
  stored, and the API never replaces a run stored from a file (it corrects an export row's times, which stays the
  person's own: provenance `export`).
Manual entries (`manual:` keys) are left to core/store/overlay.py, which shows the provider's record instead.
"""

from __future__ import annotations

import bisect
import itertools
from datetime import datetime, timedelta

from core.records import RUN, iso_utc, parse_utc
from core.store.base import Store
from core.store.overlay import MANUAL_PREFIX

# The same recording starts at the same second wherever it is uploaded; a minute absorbs a service that drops the
# first samples before the GPS fix, and two different runs never start within a minute of each other.
MATCH_TOLERANCE = timedelta(seconds=60)


FILE_PREFIX = "file:"


def file_key(start_utc: datetime) -> str:
    """The natural key of a run known only from its file: its start, to the second, in UTC."""
    return f"{FILE_PREFIX}{iso_utc(start_utc)}"


class RunIndex:
    """Stored runs (not manual entries) by key and by start time, with each one's provenance."""

    def __init__(self, rows: list[dict]) -> None:
        self.provenance: dict[str, str | None] = {}
        self.starts: list[tuple[float, str]] = []
        for row in rows:
            if not row["key"].startswith(MANUAL_PREFIX):
                self.add(row["key"], parse_utc(row["_at"]), row.get("provenance"))

    @classmethod
    def of(cls, store: Store, start: datetime | None = None) -> RunIndex:
        """The stored runs (those starting after `start`, less the tolerance, when given)."""
        return cls(store.stored_rows(RUN, None if start is None else start - MATCH_TOLERANCE))

    def add(self, key: str, start_utc: datetime, provenance: str | None) -> None:
        """Remember a run (stored, or just imported)."""
        if key not in self.provenance:
            bisect.insort(self.starts, (start_utc.timestamp(), key))
        self.provenance[key] = provenance

    def match(self, key: str | None, start_utc: datetime) -> str | None:
        """The stored run this one is: the same key, else the nearest start within MATCH_TOLERANCE; None if new."""
        if key in self.provenance:
            return key
        at, tolerance = start_utc.timestamp(), MATCH_TOLERANCE.total_seconds()
        i = bisect.bisect_left(self.starts, (at - tolerance, ""))
        near = []
        for t, k in itertools.islice(self.starts, i, None):
            if t > at + tolerance:
                break
            if key is None or k.startswith(FILE_PREFIX):
                near.append((abs(t - at), k))
        return min(near)[1] if near else None
