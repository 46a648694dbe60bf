"""Deterministic demo data: a person who weighs in, runs and lifts, from ORIGIN to any day.

Every week is generated from its own random stream seeded by (seed, week number), so the data of
a given week never depends on when it is generated: the same seed always gives the same history,
and an incremental fetch sees exactly what a full one would.

The story: weight drifts down ~5 kg over the first two years with a seasonal wobble (fat ratio
follows the weight trend), running pace improves, lifts progress with a deload week every six.
Some weeks are travel weeks (runs abroad in New York time, no scale, no box) or sick weeks (nothing).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from core.polyline import encode_polyline
from core.records import BODY, DEMO_ORIGIN, RUN, SET, Record, iso_utc

ORIGIN = date(2024, 1, 1)  # a Monday; weeks are numbered from here
HOME = ("Europe/Paris", (48.8566, 2.3522))
AWAY = ("America/New_York", (40.7812, -73.9665))
SOURCE = "demo"
_WEEK_BASE = 100_000  # seeds must be non-negative; weeks before ORIGIN are negative
# (exercise, one-rep max at ORIGIN in kg; 0 = bodyweight, shown by reps)
EXERCISES = (
    ("Back squat", 100.0), ("Front squat", 85.0), ("Deadlift", 130.0), ("Bench press", 75.0),
    ("Strict press", 50.0), ("Push press", 65.0), ("Power clean", 70.0), ("Snatch", 50.0),
    ("Thruster", 55.0), ("Kettlebell swing", 0.0), ("Pull-up", 0.0), ("Burpee", 0.0),
)


def weight_trend_kg(days: float) -> float:
    """The underlying weight on a day: a slow loss plus a seasonal (holiday) wobble."""
    return 84.0 - 5.0 * (1 - math.exp(-max(days, 0) / 250)) + 0.9 * math.sin(2 * math.pi * (days - 330) / 365.25)


def fat_ratio_trend_pct(weight_kg: float) -> float:
    """Fat ratio consistent with the weight trend (most of what is lost is fat)."""
    return 14.0 + 0.55 * (weight_kg - 70.0)


def generate(seed: int, first: date, last: date) -> Iterator[Record]:
    """Every demo record whose local day lies in [first, last], in time order."""
    week = (first - ORIGIN).days // 7  # negative before ORIGIN: history reaches back as far as asked
    while ORIGIN + timedelta(weeks=week) <= last:
        records = sorted(_week(seed, week), key=lambda r: (r.time_utc, r.key))
        for record in records:
            day = _local_day(record)
            if first <= day <= last:
                yield record
        week += 1


def _local_day(record: Record) -> date:
    field = {"body": "local_date", "run": "start_time_local", "set": "session_date"}[record.kind]
    return date.fromisoformat(record.fields[field][:10])


def _week(seed: int, week: int) -> list[Record]:
    rng = np.random.default_rng([seed, 1, _WEEK_BASE + week])
    roll = rng.random()
    travel, sick = roll < 0.06, 0.06 <= roll < 0.09
    if sick:
        return []
    monday = ORIGIN + timedelta(weeks=week)
    out = _runs(seed, week, monday, AWAY if travel else HOME)
    if not travel:
        for offset in range(7):
            out += _weigh_ins(seed, monday + timedelta(days=offset))
        out += _sessions(seed, week, monday)
    return out


def _at(day: date, minutes: float, tz: str) -> datetime:
    local = datetime.combine(day, time()) + timedelta(minutes=round(minutes))
    return local.replace(tzinfo=ZoneInfo(tz))


def _weigh_ins(seed: int, day: date) -> list[Record]:
    rng = np.random.default_rng([seed, 2, day.toordinal()])
    days = (day - ORIGIN).days
    trend = weight_trend_kg(days)
    moments = []
    if rng.random() < 0.78:
        moments.append((_at(day, 375 + rng.uniform(0, 150), HOME[0]), 0.0))
    if rng.random() < 0.07:  # an evening weigh-in: same day, heavier after meals
        moments.append((_at(day, 1200 + rng.uniform(0, 120), HOME[0]), 0.9))
    out = []
    for when, offset in moments:
        weight = round(trend + offset + rng.normal(0, 0.3), 2)
        fat_pct = round(fat_ratio_trend_pct(trend) + rng.normal(0, 0.45), 1)
        fat = round(weight * fat_pct / 100, 2)
        lean = round(weight - fat, 2)
        bone = round(3.4 + rng.normal(0, 0.03), 2)
        fields = {
            "time_utc": iso_utc(when), "local_date": day.isoformat(), "weight_kg": weight,
            "fat_ratio_pct": fat_pct, "fat_mass_kg": fat, "lean_mass_kg": lean,
            "muscle_mass_kg": round(lean - bone, 2), "bone_mass_kg": bone,
            "hydration_kg": round(lean * 0.72, 2),
        }
        raw = {"grpid": int(when.timestamp()), "seed": seed}
        out.append(Record(BODY, SOURCE, f"{SOURCE}:body:{raw['grpid']}", when, fields, raw))
    return out


def _runs(seed: int, week: int, monday: date, place: tuple[str, tuple[float, float]]) -> list[Record]:
    rng = np.random.default_rng([seed, 3, _WEEK_BASE + week])
    count = int(rng.choice([2, 3, 3, 4]))
    out = []
    for i, weekday in enumerate(sorted(rng.choice(7, count, replace=False))):
        run_rng = np.random.default_rng([seed, 4, _WEEK_BASE + week, i])
        day = monday + timedelta(days=int(weekday))
        out.append(_run(run_rng, seed, 10_000_000 + week * 10 + i, day, int(weekday) == 6, place))
    return out


def _run(rng, seed: int, run_id: int, day: date, long: bool, place) -> Record:
    tz, (lat, lon) = place
    fitness = 1 - math.exp(-max((day - ORIGIN).days, 0) / 400)
    km = rng.uniform(14, 21) if long else rng.uniform(5, 12)
    pace_s = 345 - 25 * fitness + 1.5 * (km - 8) + rng.normal(0, 8)
    moving = round(km * pace_s)
    climb_per_km = rng.uniform(4, 24)
    avg_hr = round(150 - 8 * fitness + (345 - pace_s) * 0.3 + rng.normal(0, 3), 1)
    minutes = 570 if long else (420 if rng.random() < 0.5 else 1110)
    start = _at(day, minutes + rng.uniform(0, 30), tz)
    fields = {
        "start_time_utc": iso_utc(start), "start_time_local": start.strftime("%Y-%m-%dT%H:%M:%S"),
        "timezone": tz, "name": "Long Run" if long else ("Morning Run" if minutes < 720 else "Evening Run"),
        "sport_type": "TrailRun" if climb_per_km > 18 else "Run", "distance_m": round(km * 1000, 1),
        "moving_time_s": moving, "elapsed_time_s": round(moving * rng.uniform(1.02, 1.1)),
        "elevation_gain_m": round(km * climb_per_km, 1), "average_speed_mps": round(km * 1000 / moving, 3),
        "average_heartrate_bpm": avg_hr, "max_heartrate_bpm": round(avg_hr + rng.uniform(12, 25)),
        "summary_polyline": _loop(rng, lat, lon, km), "provenance": DEMO_ORIGIN,
    }
    raw = {"id": run_id, "seed": seed}
    return Record(RUN, SOURCE, f"{SOURCE}:run:{run_id}", start, fields, raw)


def _loop(rng, lat: float, lon: float, km: float, points: int = 40) -> str:
    """A closed, slightly wobbly loop of the run's length around a start point."""
    radius_deg = km / (2 * math.pi) / 111.0
    phase = rng.uniform(0, 2 * math.pi)
    coords = []
    for k in range(points + 1):
        angle = phase + 2 * math.pi * k / points
        r = radius_deg * (1 + 0.08 * math.sin(3 * angle))
        coords.append((lat + r * math.sin(angle), lon + r * math.cos(angle) / math.cos(math.radians(lat))))
    return encode_polyline(coords)


def _sessions(seed: int, week: int, monday: date) -> list[Record]:
    out = []
    for weekday in (0, 2, 4):  # Monday, Wednesday, Friday at the box
        rng = np.random.default_rng([seed, 5, _WEEK_BASE + week, weekday])
        if rng.random() < 0.08:
            continue
        day = monday + timedelta(days=weekday)
        start = _at(day, 1110, HOME[0])
        picks = rng.choice(len(EXERCISES), 3, replace=False)
        for index in picks:
            out += _sets(rng, seed, day, start, week, EXERCISES[int(index)])
    return out


def _sets(rng, seed: int, day: date, start: datetime, week: int, exercise) -> list[Record]:
    name, one_rm = exercise
    growth = 1 + 0.18 * (1 - math.exp(-max((day - ORIGIN).days, 0) / 350))
    deload = 0.93 if week % 6 == 5 else 1.0  # Python's % keeps this >= 0 for negative weeks
    reps = int(rng.choice([3, 5, 5, 8, 10]))
    out = []
    for number in range(1, int(rng.integers(3, 6)) + 1):
        if one_rm:
            load = one_rm * growth * deload / (1 + reps / 30) * rng.uniform(0.82, 0.92)
            load, set_reps = round(load / 2.5) * 2.5, reps
        elif name == "Kettlebell swing":
            load, set_reps = (24.0 if growth < 1.1 else 32.0), int(rng.integers(15, 21))
        else:
            load, set_reps = 0.0, int(rng.integers(6, 12) * (1.5 if name == "Burpee" else growth))
        fields = {
            "session_date": day.isoformat(), "exercise": name, "set_number": number,
            "reps": set_reps, "load_kg": load, "notes": "deload week" if deload < 1 else "",
        }
        key = f"{SOURCE}:set:{day.isoformat()}:{name}:{number}"
        out.append(Record(SET, SOURCE, key, start, fields, {"seed": seed}))
    return out
