"""Strava's API policy, for those who follow it: API-only runs kept out of the forecast and expired after N days.

"API-only" is a run whose provenance is `api`: what only the API delivered. A run imported from the person's
own bulk export or activity file (provenance `export` or `file`) is theirs and is never expired, even when the
API also delivered it. Runs stored before provenance was kept are told apart by their raw payload (an export
row says so) and given their provenance the first time the expiry looks at them.

A run cannot be fetched before it happened, so expiring runs that *started* more than N days ago never keeps
API data longer than N days after it was fetched (the policy caps caching at 7 days).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

import pandas as pd

from core.activity.storage import delete_detail
from core.records import API_ORIGIN, EXPORT_ORIGIN, RUN, Record
from core.sources.strava.parse import SOURCE
from core.store.base import Store


def model_runs(runs: pd.DataFrame, api_in_forecast: bool) -> pd.DataFrame:
    """The runs the forecast may use: all of them, or without the API-only ones."""
    return runs if api_in_forecast or runs.empty else runs[runs.provenance.fillna("") != API_ORIGIN]


def expire_api_runs(store: Store, now: datetime, days: float) -> int:
    """Delete API-only runs (records, streams and laps) that started more than `days` ago; how many. 0 days: none."""
    if days <= 0:
        return 0
    rows = store.stored_rows(RUN, None, now - timedelta(days=days))
    gone: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if _origin(store, row) == API_ORIGIN:
            gone[row["source"]].append(row["key"])
    for keys in gone.values():
        for key in keys:
            delete_detail(store, key)  # the detail first: a record is never left pointing at nothing it had
    return sum(store.delete(RUN, source, keys) for source, keys in gone.items())


def _origin(store: Store, row: dict) -> str | None:
    """A run's provenance; for one stored before it was kept, read from its raw payload and stored with it."""
    if row.get("provenance") or row["source"] != SOURCE:
        return row.get("provenance")
    record = store.get_record(RUN, row["key"])
    if record is None:
        return None
    origin = EXPORT_ORIGIN if isinstance(record.raw, dict) and "export" in record.raw else API_ORIGIN
    store.upsert([Record(RUN, record.source, record.key, record.time_utc, {**record.fields, "provenance": origin},
                         record.raw, record.schema_version)])
    return origin



