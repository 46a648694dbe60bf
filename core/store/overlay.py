"""What a read shows: the records as stored, with the people's ledgers and manual entries applied (pure, one place).

Every backend's `read` is `overlaid_read`, so the rule holds whoever wrote the records (a sync, a file import, a
manual entry) and whenever: nothing a writer does can undo an edit or a deletion, because the writers never touch
the ledgers and the ledgers are applied at every read.

1. A record whose ledger says deleted is left out (whatever its source later sends).
2. An edited field shows the person's value while the source still says what it said at the edit (`was`);
   editing a run's distance or moving time recomputes its average speed.
3. A manual record is stored under `manual:<natural key>`, beside (never over) a provider's record of the same
   item. It is left out while a provider's record (not deleted) shows the same item: the same natural key, or
   for weigh-ins and runs, whose key cannot be typed (a Strava id, a time to the second), a provider's record
   within MATCH_WINDOW of its time. The provider measured it; the manual one stays stored, in `hidden`, so the
   person can compare (core/yourdata/history.py conflicts) and keep their values as an edit.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from core.records import BODY, RUN, frame_from_rows, iso_utc, parse_utc
from core.store.base import Store
from core.store.ledger import FieldEdit, Ledger, read_ledgers

MANUAL = "manual"
MANUAL_PREFIX = "manual:"
MATCH_WINDOW = timedelta(minutes=10)  # a typed start or weigh-in time is to the minute and often a few off
WINDOW_KINDS = frozenset({BODY, RUN})  # sets have content keys: the sheet's row and a typed set share theirs
SPEED_INPUTS = frozenset({"distance_m", "moving_time_s"})


@dataclass(frozen=True)
class Resolution:
    """The rows a read shows, and each manual record left out -> the provider record shown instead."""

    rows: list[dict]
    hidden: dict[str, str] = field(default_factory=dict)


def natural_key(key: str) -> str:
    """The natural key of a stored key (a manual record's without its `manual:` prefix)."""
    return key[len(MANUAL_PREFIX):] if key.startswith(MANUAL_PREFIX) else key


def applied_edits(row: Mapping, edits: Mapping[str, FieldEdit]) -> set[str]:
    """The edited fields that still apply: the source says what it said when the person edited them."""
    return {name for name, edit in edits.items() if row.get(name) == edit.was}


def apply_edits(kind: str, row: dict, edits: Mapping[str, FieldEdit]) -> dict:
    """The row as people see it: every edit that still applies, and what follows from it."""
    applied = applied_edits(row, edits)
    if not applied:
        return row
    shown = {**row, **{name: edits[name].value for name in applied}}
    if kind == RUN and applied & SPEED_INPUTS:
        distance, moving = shown.get("distance_m"), shown.get("moving_time_s")
        shown["average_speed_mps"] = distance / moving if distance and moving else None
    return shown


def resolve(kind: str, rows: list[dict], ledgers: Mapping[str, Ledger]) -> Resolution:
    """Rules 1-3 over stored rows (fields + source, key, _at) of one kind."""
    if not ledgers and not any(row["source"] == MANUAL for row in rows):
        return Resolution(rows)
    live = []
    for row in rows:
        ledger = ledgers.get(row["key"])
        if ledger is None:
            live.append(row)
        elif ledger.deleted is None:
            live.append(apply_edits(kind, row, ledger.edits))
    hidden = replaced_manual(kind, live)
    return Resolution([row for row in live if row["key"] not in hidden] if hidden else live, hidden)


def replaced_manual(kind: str, live: list[dict]) -> dict[str, str]:
    """Manual records a provider's record shows instead (rule 3): manual key -> provider key."""
    manual = [row for row in live if row["source"] == MANUAL]
    if not manual:
        return {}
    providers = [row for row in live if row["source"] != MANUAL]
    keys = {row["key"] for row in providers}
    times = sorted((row["_at"], row["key"]) for row in providers) if kind in WINDOW_KINDS else []
    hidden = {}
    for row in manual:
        natural = natural_key(row["key"])
        found = natural if natural in keys else _nearest(times, parse_utc(row["_at"]))
        if found:
            hidden[row["key"]] = found
    return hidden


def _nearest(times: list[tuple[str, str]], moment: datetime) -> str | None:
    """The key of the provider record nearest `moment` within MATCH_WINDOW (times: sorted ISO UTC text, key)."""
    low, high = iso_utc(moment - MATCH_WINDOW), iso_utc(moment + MATCH_WINDOW)
    best, gap = None, None
    for when, key in times[bisect.bisect_left(times, (low,)):]:
        if when > high:
            break
        distance = abs(parse_utc(when) - moment)
        if gap is None or distance < gap:
            best, gap = key, distance
    return best


def overlaid_read(store: Store, kind: str, start: datetime | None, end: datetime | None) -> pd.DataFrame:
    """Store.read for every backend: stored rows (a window wider, for rule 3 at the edges), resolved, then cut."""
    wide = kind in WINDOW_KINDS
    rows = store.stored_rows(kind, start - MATCH_WINDOW if start and wide else start,
                             end + MATCH_WINDOW if end and wide else end)
    shown = resolve(kind, rows, read_ledgers(store, kind)).rows
    if wide and (start or end):
        low, high = iso_utc(start) if start else "", iso_utc(end) if end else "~"
        shown = [row for row in shown if low <= row["_at"] < high]
    return frame_from_rows(kind, shown)
