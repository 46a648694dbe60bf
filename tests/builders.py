"""What tests put in a store or hand to analytics: the clocks they run at, records, frames and a fake source.

Fixtures (the stores themselves) are in conftest.py; providers' payloads in tests/fixtures/.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

import pandas as pd

from core.records import BODY, KINDS, RUN, SET, Record, frame_from_rows, iso_utc

# The instants tests run at, each named for what it anchors (a test aliases one as its NOW).
SYNC_NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)  # a Tuesday noon: the sync, the demo source, the DynamoDB store
STATUS_NOW = datetime(2026, 11, 24, 13, 20, tzinfo=UTC)  # between two 3-hourly syncs: the next one is at 15:00
PROVIDER_NOW = datetime(2026, 3, 6, 12, tzinfo=UTC)  # after every item of the provider fixtures and import files
EDIT_NOW = datetime(2026, 3, 20, 12, tzinfo=UTC)  # manual entry and edits: Paris is still UTC+1 (DST on 29 March)
LOGIN_NOW = 1_800_000_000.0  # Unix seconds (January 2027) of the login and remember-me cookie tests
T0 = datetime(2025, 3, 30, 6, 30, tzinfo=UTC)  # the store contract's first record: the day Europe's clocks go forward


def clock_at(moment: datetime) -> Callable[[], datetime]:
    """A clock that always says `moment` (what core code is given instead of the wall clock)."""
    return lambda: moment


def body(i: int, weight: float = 80.0, source: str = "withings") -> Record:
    """A weigh-in i days after T0."""
    when = T0 + timedelta(days=i)
    fields = {"time_utc": iso_utc(when), "local_date": when.date().isoformat(), "weight_kg": weight,
              "fat_ratio_pct": 20.0 if i % 2 else None}
    return Record(BODY, source, f"{source}:body:{i}", when, fields, {"grpid": i, "v": weight})


def run(i: int, distance: float = 10_000.0) -> Record:
    """A run i days after T0."""
    when = T0 + timedelta(days=i, hours=1)
    fields = {"start_time_utc": iso_utc(when), "start_time_local": when.strftime("%Y-%m-%dT%H:%M:%S"),
              "timezone": "Europe/Paris", "name": f"Run {i}", "sport_type": "Run", "distance_m": distance,
              "moving_time_s": 3000, "summary_polyline": "_p~iF~ps|U_ulLnnqC"}
    return Record(RUN, "strava", f"strava:run:{i}", when, fields, {"id": i})


def set_row(i: int, load: float = 100.0) -> Record:
    """A strength set on day i after T0."""
    day = (T0 + timedelta(days=i)).date()
    fields = {"session_date": day.isoformat(), "exercise": "Back squat", "set_number": 1, "reps": 5,
              "load_kg": load, "notes": "72,3 felt easy"}
    return Record(SET, "sheets", f"sheets:{i}", T0 + timedelta(days=i), fields, ["row", i])


class FakeSource:
    """An in-memory source: a list of records, optionally failing after some of them."""

    kinds = (BODY,)
    overlap = timedelta(days=2)
    mirror = False

    def __init__(self, name, records, fail_after=None, error=None, ascending=True):
        self.name, self.records, self.fail_after, self.error = name, records, fail_after, error
        self.ascending = ascending
        self.calls = []

    def fetch(self, since):
        self.calls.append(since)
        for n, r in enumerate(x for x in self.records if since is None or x.time_utc > since):
            if self.fail_after is not None and n == self.fail_after:
                raise self.error
            yield r


def frames(records: Iterable[Record]) -> dict[str, pd.DataFrame]:
    """Records as the store reads them back: one typed frame per kind (empty for a kind with none)."""
    by_kind: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for r in records:
        by_kind[r.kind].append({**r.fields, "source": r.source, "key": r.key})
    return {kind: frame_from_rows(kind, rows) for kind, rows in by_kind.items()}


def weigh_ins(rows: Iterable[tuple[str, str, float]], column: str = "weight_kg") -> pd.DataFrame:
    """Weigh-ins from (utc time, local date, value) tuples; keys k0, k1, ..."""
    return frame_from_rows(BODY, [{"time_utc": t, "local_date": d, column: v, "source": "t", "key": f"k{i}"}
                                  for i, (t, d, v) in enumerate(rows)])


def daily_weigh_ins(start: datetime, days: int, kg: float = 80.0, per_day: float = -0.1, source: str = "t",
                    **columns: object) -> pd.DataFrame:
    """One weigh-in a day at the time of `start` (UTC), from `kg` changing by `per_day`; keys k0, k1, ..."""
    return frame_from_rows(BODY, [
        {"time_utc": iso_utc(start + timedelta(days=i)), "local_date": (start + timedelta(days=i)).date().isoformat(),
         "weight_kg": kg + per_day * i, "source": source, "key": f"k{i}", **columns} for i in range(days)])


def sets(rows: Iterable[tuple[str, str, int, float]]) -> pd.DataFrame:
    """Strength sets from (session date, exercise, reps, load kg) tuples, numbered and keyed k0, k1, ... in order."""
    return frame_from_rows(SET, [{"session_date": d, "exercise": e, "set_number": i, "reps": r, "load_kg": w,
                                  "source": "t", "key": f"k{i}"} for i, (d, e, r, w) in enumerate(rows)])
