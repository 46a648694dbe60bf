"""Record kinds, their columns (SI units, unit in every name) and the Record envelope.

A Record is what every source yields and every store keeps: the derived fields of one kind, the
natural key that makes upserts idempotent, the raw payload it came from and a schema version, so a
schema bump can re-derive fields without downloading again.

Field values are JSON-native (times as ISO-8601 strings) so every store can keep them as they are;
`frame_from_rows` turns stored rows into a typed DataFrame.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

SCHEMA_VERSION = 1

BODY = "body"
RUN = "run"
SET = "set"
KINDS = (BODY, RUN, SET)

# Body measurements: any value may be missing (a scale without impedance gives weight only).
BODY_COLUMNS = (
    "time_utc",
    "local_date",
    "weight_kg",
    "fat_ratio_pct",
    "fat_mass_kg",
    "lean_mass_kg",
    "muscle_mass_kg",
    "bone_mass_kg",
    "hydration_kg",
)
RUN_COLUMNS = (
    "start_time_utc",
    "start_time_local",
    "timezone",
    "name",
    "sport_type",
    "distance_m",
    "moving_time_s",
    "elapsed_time_s",
    "elevation_gain_m",
    "average_speed_mps",
    "average_heartrate_bpm",
    "max_heartrate_bpm",
    "summary_polyline",
    "provenance",
)
# Where a run came from (the `provenance` field): an activity file (with its export's CSV row or alone), a row of
# a service's export without a file, Strava's API, the demo, a person's entry. Runs stored before the field
# existed have none. Strava's API policy covers only API_ORIGIN (README: Strava's API and your data).
FILE_ORIGIN, EXPORT_ORIGIN, API_ORIGIN, DEMO_ORIGIN, MANUAL_ORIGIN = "file", "export", "api", "demo", "manual"
OWN_ORIGINS = frozenset({FILE_ORIGIN, EXPORT_ORIGIN})  # the person's own copy: never expired, never replaced by API
# rpe (0-10) and rir (reps in reserve) came later: a set without them simply has none (NaN), so records
# written before keep SCHEMA_VERSION 1 and their digest (a bump would mark every stored record updated).
SET_COLUMNS = ("session_date", "exercise", "set_number", "reps", "load_kg", "notes", "rpe", "rir")

COLUMNS: dict[str, tuple[str, ...]] = {BODY: BODY_COLUMNS, RUN: RUN_COLUMNS, SET: SET_COLUMNS}
META_COLUMNS = ("source", "key")

# Columns parsed as timezone-aware UTC timestamps, naive local timestamps, and calendar dates.
_UTC_COLUMNS = {"time_utc", "start_time_utc"}
_LOCAL_COLUMNS = {"start_time_local"}
_DATE_COLUMNS = {"local_date", "session_date"}
_TEXT_COLUMNS = {"timezone", "name", "sport_type", "summary_polyline", "provenance", "exercise", "notes"}


def column_type(column: str) -> str:
    """How a column is written and read as text: 'utc', 'local', 'date', 'text' or 'number'."""
    for name, columns in (("utc", _UTC_COLUMNS), ("local", _LOCAL_COLUMNS), ("date", _DATE_COLUMNS),
                          ("text", _TEXT_COLUMNS | set(META_COLUMNS))):
        if column in columns:
            return name
    return "number"


@dataclass(frozen=True)
class Record:
    """One stored item: kind, natural key, time for range reads, fields, raw payload."""

    kind: str
    source: str
    key: str
    time_utc: datetime
    fields: Mapping[str, Any]
    raw: Any = None
    schema_version: int = SCHEMA_VERSION
    digest: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if self.kind not in COLUMNS:
            raise ValueError(f"unknown record kind {self.kind!r}")
        if self.time_utc.tzinfo is None:
            raise ValueError("Record.time_utc must be timezone-aware")
        unknown = set(self.fields) - set(COLUMNS[self.kind])
        if unknown:
            raise ValueError(f"unknown {self.kind} fields: {sorted(unknown)}")
        object.__setattr__(self, "time_utc", self.time_utc.astimezone(UTC))
        object.__setattr__(self, "digest", content_digest(self.fields, self.raw, self.schema_version))


def content_digest(fields: Mapping[str, Any], raw: Any, schema_version: int) -> str:
    """Hash of what a record says, so an upsert can tell 'updated' from 'unchanged'."""
    blob = json.dumps([fields, raw, schema_version], sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def iso_utc(moment: datetime) -> str:
    """ISO-8601 UTC text with a Z, the one way times are written into fields."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(text: str) -> datetime:
    """Inverse of iso_utc (also accepts +00:00 offsets)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def day_start_utc(day: date) -> datetime:
    """Midnight UTC of a calendar date: the sort time of records that only have a date."""
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def empty_frame(kind: str) -> pd.DataFrame:
    """A typed, empty frame of one kind (what a read of an empty range returns)."""
    return frame_from_rows(kind, [])


def frame_from_rows(kind: str, rows: Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    """Typed DataFrame of one kind from field dicts (plus `source` and `key`), sorted by time."""
    columns = list(COLUMNS[kind]) + list(META_COLUMNS)
    frame = pd.DataFrame.from_records(list(rows), columns=columns)
    for col in frame.columns:
        if col in _UTC_COLUMNS:
            frame[col] = pd.to_datetime(frame[col], utc=True, format="ISO8601")
        elif col in _LOCAL_COLUMNS:
            frame[col] = pd.to_datetime(frame[col], format="ISO8601")
        elif col in _DATE_COLUMNS:
            frame[col] = pd.to_datetime(frame[col], format="ISO8601").dt.normalize()
        elif col in _TEXT_COLUMNS or col in META_COLUMNS:
            frame[col] = frame[col].astype("string")
        else:
            frame[col] = pd.to_numeric(frame[col], errors="coerce").astype("float64")
    time_col = COLUMNS[kind][0]
    return frame.sort_values([time_col, "key"], kind="stable").reset_index(drop=True)
