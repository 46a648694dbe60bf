"""Strava activity JSON -> run records (pure). Only runs (Run, TrailRun, VirtualRun) are kept.

`start_date_local` is the local wall-clock time (Strava writes it with a Z although it is not UTC);
the key is the activity id, shared by the API and the bulk export.
"""

from __future__ import annotations

from datetime import datetime

from core.records import API_ORIGIN, RUN, Record, iso_utc, parse_utc

SOURCE = "strava"
RUN_TYPES = {"Run", "TrailRun", "VirtualRun"}


def run_key(activity_id: int | str) -> str:
    """Natural key of an activity (API and export agree on the id)."""
    return f"{SOURCE}:{int(activity_id)}"


def timezone_name(value: str | None) -> str:
    """'(GMT+01:00) Europe/Paris' -> 'Europe/Paris'."""
    return (value or "").split(") ")[-1] or "UTC"


def activity_record(item: dict) -> Record | None:
    """A run record, or None for other sports."""
    sport = item.get("sport_type") or item.get("type")
    if sport not in RUN_TYPES:
        return None
    start = parse_utc(item["start_date"])
    local = datetime.fromisoformat(str(item.get("start_date_local", item["start_date"])).replace("Z", ""))
    summary = (item.get("map") or {}).get("summary_polyline") or None  # "" (no GPS) is no route, like a missing map
    fields = {
        "start_time_utc": iso_utc(start), "start_time_local": local.replace(tzinfo=None).isoformat(timespec="seconds"),
        "timezone": timezone_name(item.get("timezone")), "name": item.get("name") or "",
        "sport_type": sport, "distance_m": item.get("distance"), "moving_time_s": item.get("moving_time"),
        "elapsed_time_s": item.get("elapsed_time"), "elevation_gain_m": item.get("total_elevation_gain"),
        "average_speed_mps": item.get("average_speed"), "average_heartrate_bpm": item.get("average_heartrate"),
        "max_heartrate_bpm": item.get("max_heartrate"), "summary_polyline": summary, "provenance": API_ORIGIN,
    }
    return Record(RUN, SOURCE, run_key(item["id"]), start, fields, item)
