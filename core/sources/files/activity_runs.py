"""An activity file's run record (pure): the file's values, over its export CSV row's when it has one.

The file corrects the CSV summary's start time (to the second), local time and time zone (FIT's local timestamp;
the CSV has none), moving and elapsed time, distance and elevation gain (core.activity.derive's rules, the same
for every file), and heart rate; the CSV row keeps its name, sport type and activity id. `corrected` names the
fields whose values the file changed, for the import's report.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import numpy as np

from core.activity import Activity, Stream
from core.polyline import encode_polyline
from core.records import FILE_ORIGIN, RUN, Record, iso_utc

# How far apart a CSV value and the file's may be and still be the same: the CSV rounds to these.
SAME = {"start_time_utc": 0, "timezone": 0, "moving_time_s": 1.0, "elapsed_time_s": 1.0, "distance_m": 1.0,
        "elevation_gain_m": 0.5}
LABELS = {"start_time_utc": "start time", "timezone": "time zone", "moving_time_s": "moving time",
          "elapsed_time_s": "elapsed time", "distance_m": "distance", "elevation_gain_m": "elevation gain"}
# The file's sports that are runs (FIT sport / sub-sport, GPX type, TCX Sport, lower-cased) and their sport_type.
RUN_SPORTS = {"running": "Run", "run": "Run", "trail_running": "TrailRun", "trailrun": "TrailRun", "9": "Run"}
SUB_SPORTS = {"trail": "TrailRun", "virtual_activity": "VirtualRun", "treadmill": "Run", "track": "Run"}
POLYLINE_POINTS = 250  # the route line on the Running page: Strava's summary polylines are about this coarse


def run_sport(activity: Activity) -> str | None:
    """The run's sport_type, "Run" when the file names no sport, None when it names another sport (a ride)."""
    if activity.sport is None:
        return "Run"
    sport = RUN_SPORTS.get(activity.sport.lower().replace(" ", "_"))
    return sport and SUB_SPORTS.get((activity.sub_sport or "").lower(), sport)


def zone_name(start_utc: datetime, offset_s: int | None, assumed: str) -> tuple[datetime, str]:
    """(local start, time zone name): the file's offset, named by the assumed zone when that zone agrees."""
    zone = ZoneInfo(assumed)
    if offset_s is None or start_utc.astimezone(zone).utcoffset() == timedelta(seconds=offset_s):
        return start_utc.astimezone(zone), assumed
    local = start_utc.astimezone(timezone(timedelta(seconds=offset_s)))
    sign, minutes = "+" if offset_s >= 0 else "-", abs(offset_s) // 60
    return local, f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _heart_rate(stream: Stream) -> tuple[float | None, float | None]:
    hr = stream.heart_rate_bpm[np.isfinite(stream.heart_rate_bpm) & ~stream.paused]
    return (round(float(hr.mean()), 1), float(hr.max())) if len(hr) else (None, None)


def _polyline(stream: Stream) -> str | None:
    ok = np.flatnonzero(np.isfinite(stream.lat_deg) & np.isfinite(stream.lon_deg))
    if len(ok) < 2:
        return None
    pick = ok[np.unique(np.linspace(0, len(ok) - 1, min(len(ok), POLYLINE_POINTS)).round().astype(int))]
    return encode_polyline(zip(stream.lat_deg[pick].tolist(), stream.lon_deg[pick].tolist(), strict=True))


def file_run(activity: Activity, stream: Stream, key: str, row: Record | None, assumed: str, raw: dict) -> Record:
    """The run record of a file, under `key`, from its values over the CSV row's (`row`, None for a file alone)."""
    base = dict(row.fields) if row else {"name": _name(activity, assumed), "sport_type": run_sport(activity) or "Run"}
    local, zone = zone_name(activity.start_utc, activity.utc_offset_s, assumed)
    moving = activity.moving_s or activity.timer_s or activity.elapsed_s
    distance = activity.distance_m if activity.distance_m > 0 else base.get("distance_m")
    avg_hr, max_hr = _heart_rate(stream)
    fields = {**base, "start_time_utc": iso_utc(activity.start_utc),
              "start_time_local": local.replace(tzinfo=None).isoformat(timespec="seconds"), "timezone": zone,
              "moving_time_s": round(moving, 1), "elapsed_time_s": round(activity.elapsed_s, 1),
              "distance_m": distance, "average_speed_mps": round(distance / moving, 3) if distance and moving else None,
              "provenance": FILE_ORIGIN}
    if activity.elevation_gain_m is not None:
        fields["elevation_gain_m"] = round(activity.elevation_gain_m, 1)
    if avg_hr is not None:
        fields["average_heartrate_bpm"], fields["max_heartrate_bpm"] = avg_hr, max_hr
    fields["summary_polyline"] = _polyline(stream) or base.get("summary_polyline")
    return Record(RUN, row.source if row else "file", key, activity.start_utc, fields, raw)


def _name(activity: Activity, assumed: str) -> str:
    local, _ = zone_name(activity.start_utc, activity.utc_offset_s, assumed)
    part = "Morning" if local.hour < 12 else "Afternoon" if local.hour < 18 else "Evening"
    return f"{part} Run"


def corrected(row: Record, record: Record) -> list[str]:
    """The fields (their labels) whose CSV value the file's value replaced."""
    out = []
    for name, tolerance in SAME.items():
        was, now = row.fields.get(name), record.fields.get(name)
        if was is None or now is None:
            continue
        differs = abs(was - now) > tolerance if isinstance(was, int | float) else was != now
        if differs:
            out.append(LABELS[name])
    return out
