"""Withings measure groups -> body records (pure). Values are exact: value x 10^unit.

Natural key: "withings:<local date-time of the measurement>", the one thing both the API and the
Withings export (weight.csv, local times) know, so an import and a sync never duplicate a weigh-in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.records import BODY, Record, iso_utc

SOURCE = "withings"
FIELDS = {1: "weight_kg", 5: "lean_mass_kg", 6: "fat_ratio_pct", 8: "fat_mass_kg", 76: "muscle_mass_kg",
          77: "hydration_kg", 88: "bone_mass_kg"}
AMBIGUOUS = 1  # attrib 1: the scale could not tell who stepped on it


def local_key(local: datetime) -> str:
    """The natural key of a weigh-in taken at a local wall-clock time."""
    return f"{SOURCE}:{local.replace(tzinfo=None).isoformat(timespec='seconds')}"


def exact(value: int, unit: int) -> float:
    """value x 10^unit without float rounding surprises (72345, -3 -> 72.345)."""
    return float(Decimal(int(value)).scaleb(int(unit)))


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def group_record(group: dict, timezone: str) -> Record | None:
    """One weigh-in, or None when the group holds none of the measures we record."""
    fields = {FIELDS[m["type"]]: exact(m["value"], m["unit"]) for m in group.get("measures", [])
              if m.get("type") in FIELDS}
    if not fields:
        return None
    when = datetime.fromtimestamp(int(group["date"]), tz=UTC)
    local = when.astimezone(zone(timezone))
    fields = {"time_utc": iso_utc(when), "local_date": local.date().isoformat(), **fields}
    return Record(BODY, SOURCE, local_key(local), when, fields, group)


def is_ambiguous(group: dict) -> bool:
    """True for groups Withings could not attribute to this user."""
    return group.get("attrib") == AMBIGUOUS
