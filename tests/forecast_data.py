"""Synthetic histories for the forecast (weight change a known function of training, or pure noise), the test
signing key, a plan completed as the page does it, and a pickle that must never run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from core.forecast.features import FEATURES
from core.forecast.load_features import complete_plan
from core.records import BODY, RUN, SET, Record, iso_utc

START = datetime(2024, 1, 1, 7, 0, tzinfo=UTC)  # a Monday
KEY = b"k" * 32  # the model signing key of the forecast tests


def synthetic_records(weeks: int = 80, seed: int = 1, signal: bool = True, fat: bool = True,
                      start: datetime = START) -> list[Record]:
    """Daily weigh-ins (fat ratio only with `fat`); weekly runs; with `signal`, each km run takes 0.03 kg off.

    `start` is the first Monday (07:00 UTC); by default a fixed one."""
    rng = np.random.default_rng(seed)
    out, weight, fat_pct = [], 85.0, 22.0
    for w in range(weeks):
        km = float(rng.choice([0, 10, 20, 30, 40, 50]))
        monday = start + timedelta(weeks=w)
        for i in range(int(km // 10)):
            when = monday + timedelta(days=i, hours=10)
            out.append(Record(RUN, "syn", f"syn:run:{w}:{i}", when, {
                "start_time_utc": iso_utc(when), "start_time_local": when.strftime("%Y-%m-%dT%H:%M:%S"),
                "distance_m": 10_000.0, "moving_time_s": 3000.0, "name": "r", "elevation_gain_m": 0.0}))
        when = monday + timedelta(days=1, hours=11)
        out.append(Record(SET, "syn", f"syn:set:{w}", when, {
            "session_date": when.date().isoformat(), "exercise": "Squat", "set_number": 1, "reps": 5,
            "load_kg": 100.0}))
        weekly = (0.6 - 0.03 * km) if signal else rng.normal(0, 0.5)
        for d in range(7):
            weight += weekly / 7
            fat_pct += weekly / 14
            when = monday + timedelta(days=d)
            noise = rng.normal(0, 0.02) if signal else 0.0
            out.append(Record(BODY, "syn", f"syn:body:{w}:{d}", when, {
                "time_utc": iso_utc(when), "local_date": when.date().isoformat(),
                "weight_kg": round(weight + noise, 3), **({"fat_ratio_pct": round(fat_pct, 3)} if fat else {})}))
    return out


def plan_of(table: pd.DataFrame, **plan: float) -> dict[str, float]:
    """A slider plan completed like the page does it, from the history's last 8 weeks as the current week."""
    current = {c: float(table[c].iloc[-8:].mean()) for c in table.columns}
    return complete_plan({**dict.fromkeys(FEATURES, 0.0), **plan}, current)


class Exploit:
    """A pickle that would create a file when unpickled."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return (open, (self.marker, "w"))
