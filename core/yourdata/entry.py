"""Manual entry (admins only): a weigh-in, a run or a training session typed by a person, stored as source `manual`.

Each gets the natural key a sync or an import of the same item would get, stored as `manual:<natural key>`
beside (never over) the provider's record, and reads show the provider's once it arrives (core/store/overlay.py):
- a weigh-in: Withings' key, its local date and time (`withings:2026-03-02T07:30:00`);
- a run: Strava's key when its activity id (or URL) is given, else `run:<local start>`; a provider's run starting
  within 10 minutes is the same run;
- sets: the training log's content key, made by the log's own parser from the same cells, so a sheet row or a
  CSV row of the same sets has the same keys. Numbering continues after the sets of that exercise that day.
Entries are written under the sync lease (as imports: DynamoDB's new months must have one writer) and refused,
with what to do, when the same item is already stored. Times are local wall-clock times in the given zone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.errors import InvalidEntry
from core.records import BODY, MANUAL_ORIGIN, RUN, Record, iso_utc
from core.sources.strava.parse import run_key
from core.sources.withings.parse import local_key
from core.store.base import Store
from core.store.overlay import MANUAL, MANUAL_PREFIX
from core.yourdata.access import Actor, require_admin
from core.yourdata.rules import clean_text, validate
from core.yourdata.saving import save_manual
from core.yourdata.sets import set_records

FUTURE_SLACK = timedelta(minutes=5)  # a clock a little ahead of the server's is not an error
STRAVA_ID = re.compile(r"(?:(?:https?://)?(?:www\.)?strava\.com/activities/)?(\d{1,20})(?:[/?#]\S*)?")
EARLIEST_YEAR = 1900  # older dates are typos (and years below 1000 would not sort as text)


def zone_of(name: str, where: str) -> ZoneInfo:
    """The IANA time zone, or InvalidEntry naming it."""
    try:
        return ZoneInfo(str(name))
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError) as exc:  # OSError: a name too long for a file
        raise InvalidEntry(where, [("timezone", f"time zone {str(name)[:60]!r} is unknown (e.g. Europe/Paris)")]) \
            from exc


def utc_of(local: datetime, zone: ZoneInfo, where: str, now: datetime) -> datetime:
    """A local wall-clock time as UTC; InvalidEntry for a time the clocks skip, or one in the future."""
    if not isinstance(local, datetime) or local.year < EARLIEST_YEAR:
        raise InvalidEntry(where, [("time", f"{str(local)[:40]!r} is not a date and time after {EARLIEST_YEAR}")])
    local = local.replace(tzinfo=None, microsecond=0)
    when = local.replace(tzinfo=zone)
    if when.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise InvalidEntry(where, [("time", f"{local:%Y-%m-%d %H:%M} does not exist in {zone.key} (the clocks "
                                            "jump forward that night): enter the time the clock showed")])
    if when > now + FUTURE_SLACK:
        raise InvalidEntry(where, [("time", f"{local:%Y-%m-%d %H:%M} is in the future")])
    return when.astimezone(UTC)


def _provenance(actor: Actor, now: datetime, form: dict) -> dict:
    return {"entered_by": actor.username, "entered_at": iso_utc(now), "form": form}


def enter_weigh_in(store: Store, actor: Actor, *, local_time: datetime, timezone: str, weight_kg: float,
                   fat_ratio_pct: float | None = None, now: Callable[[], datetime]) -> Record:
    """Store a weigh-in taken at a local date and time (weight, optional fat ratio); the stored record."""
    require_admin(actor, "enter a weigh-in")
    where, moment = "the weigh-in", now()
    when = utc_of(local_time, zone_of(timezone, where), where, moment)
    values = {"weight_kg": weight_kg, "fat_ratio_pct": fat_ratio_pct}
    if problems := validate(BODY, values):
        raise InvalidEntry(where, problems)
    local = local_time.replace(tzinfo=None, microsecond=0)
    fields = {"time_utc": iso_utc(when), "local_date": local.date().isoformat(), "weight_kg": float(weight_kg),
              "fat_ratio_pct": None if fat_ratio_pct is None else float(fat_ratio_pct)}
    form = {"local_time": local.isoformat(), "timezone": timezone, **values}
    record = Record(BODY, MANUAL, MANUAL_PREFIX + local_key(local), when, fields, _provenance(actor, moment, form))
    return save_manual(store, actor, lambda: [record], now)[0]


def strava_id(text: str | int | None) -> str | None:
    """The activity id from an id or an activity URL (None when empty); InvalidEntry otherwise."""
    value = str(text or "").strip()
    if not value:
        return None
    found = STRAVA_ID.fullmatch(value)
    if not found or not found.group(1).strip("0"):
        raise InvalidEntry("the run", [("strava_id", f"{value!r} is not a Strava activity id or URL")])
    return found.group(1)


def enter_run(store: Store, actor: Actor, *, local_start: datetime, timezone: str, distance_m: float,
              moving_time_s: float, elevation_gain_m: float | None = None, name: str = "", sport_type: str = "Run",
              activity_id: str | int | None = None, now: Callable[[], datetime]) -> Record:
    """Store a run (local start, distance, moving time, optional elevation, name, Strava id); the stored record."""
    require_admin(actor, "enter a run")
    where, moment = "the run", now()
    when = utc_of(local_start, zone_of(timezone, where), where, moment)
    values = {"distance_m": distance_m, "moving_time_s": moving_time_s, "elevation_gain_m": elevation_gain_m,
              "name": name, "sport_type": sport_type}
    if problems := validate(RUN, values):
        raise InvalidEntry(where, problems)
    local = local_start.replace(tzinfo=None, microsecond=0)
    ident = strava_id(activity_id)
    natural = run_key(ident) if ident else f"run:{local.isoformat()}"
    fields = {"start_time_utc": iso_utc(when), "start_time_local": local.isoformat(), "timezone": timezone,
              "name": clean_text(name), "sport_type": sport_type, "distance_m": float(distance_m),
              "moving_time_s": float(moving_time_s), "elapsed_time_s": float(moving_time_s),
              "elevation_gain_m": None if elevation_gain_m is None else float(elevation_gain_m),
              "average_speed_mps": float(distance_m) / float(moving_time_s), "provenance": MANUAL_ORIGIN}
    form = {"local_start": local.isoformat(), "timezone": timezone, **values, "activity_id": ident}
    record = Record(RUN, MANUAL, MANUAL_PREFIX + natural, when, fields, _provenance(actor, moment, form))
    return save_manual(store, actor, lambda: [record], now)[0]


def enter_sets(store: Store, actor: Actor, *, session_date: date, exercise: str, sets: int, reps: int,
               load: float = 0.0, unit: str = "kg", rpe: float | None = None, notes: str = "",
               now: Callable[[], datetime]) -> list[Record]:
    """Store `sets` sets of `reps` at `load` (kg or lb) of one exercise on a local date; the stored records."""
    require_admin(actor, "enter training sets")
    moment = now()
    session_date = session_date.date() if isinstance(session_date, datetime) else session_date
    form = {"day": session_date, "exercise": exercise, "sets": sets, "reps": reps, "load": load, "unit": unit,
            "rpe": rpe, "notes": notes}
    typed = {**form, "day": str(session_date)}
    return save_manual(store, actor, lambda: set_records(store, form, _provenance(actor, moment, typed), moment), now)
