"""What a value read from a file may be: one allowed range per field, each with the reason for it.

Every file path (training log, Withings weight.csv, Strava activities.csv) and the sheet checks its
values here; a value outside its range quarantines the row with a message naming the value and the
range. NaN and infinity are never plausible. The app's own export is not range-checked on re-import:
it holds what the store already accepted (API values included), and a backup must come back whole.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

FIRST_DATE = date(1990, 1, 1)  # before any of the supported devices and apps existed: a typo


@dataclass(frozen=True)
class Bound:
    """low < value < high (or <= where inclusive), shown in `unit` (value in SI / `scale`)."""

    low: float
    high: float
    unit: str
    reason: str
    low_inclusive: bool = False
    high_inclusive: bool = False
    scale: float = 1.0

    def text(self) -> str:
        low, high = ("<=" if self.low_inclusive else "<"), ("<=" if self.high_inclusive else "<")
        return f"{self.low:g} {low} {self.unit} {high} {self.high:g}"

    def holds(self, shown: float) -> bool:
        above = shown >= self.low if self.low_inclusive else shown > self.low
        below = shown <= self.high if self.high_inclusive else shown < self.high
        return above and below


MASS = Bound(0, 400, "kg", "a body (or part of one) weighing 0, or 400 kg and more, is a typo or a unit mix-up")
BOUNDS: dict[str, Bound] = {
    "weight_kg": MASS, "fat_mass_kg": MASS, "lean_mass_kg": MASS, "muscle_mass_kg": MASS, "bone_mass_kg": MASS,
    "hydration_kg": MASS,
    "fat_ratio_pct": Bound(2, 75, "%", "below essential fat or above any measured body: a failed measurement",
                           True, True),
    "distance_m": Bound(0, 400, "km", "a run of 0 km records nothing; the longest races stay under 400 km",
                        scale=1000),
    "moving_time_s": Bound(0, 168, "h", "a run lasts more than 0 s and less than a week", high_inclusive=True,
                           scale=3600),
    "elapsed_time_s": Bound(0, 168, "h", "a run lasts more than 0 s and less than a week", high_inclusive=True,
                            scale=3600),
    "average_speed_mps": Bound(0, 45, "km/h", "faster than 45 km/h is a vehicle, not a run", scale=1 / 3.6),
    "elevation_gain_m": Bound(0, 20_000, "m", "no run climbs 20 km", low_inclusive=True),
    "average_heartrate_bpm": Bound(25, 250, "bpm", "outside what a heart beats while running", True, True),
    "max_heartrate_bpm": Bound(25, 250, "bpm", "outside what a heart beats while running", True, True),
    "load_kg": Bound(0, 600, "kg", "0 is no added load (bodyweight); the deadlift record is about 500 kg",
                     True, True),
    "reps": Bound(1, 1000, "reps", "a set has at least one rep; more than 1000 is a typo", True, True),
    "sets": Bound(1, 50, "sets", "a row logs at least one set; more than 50 is a typo", True, True),
    "rpe": Bound(0, 10, "RPE", "the rate of perceived exertion is on a 0-10 scale", True, True),
    "rir": Bound(0, 10, "RIR", "reps in reserve beyond 10 means the set was not near effort", True, True),
}
WHOLE = frozenset({"reps", "sets"})  # counted, never fractional
COUNTS = frozenset({"reps", "sets", "RPE", "RIR"})  # scales without a unit: "reps 0", not "reps 0 reps"


def finite(value: float, what: str, text: str | None = None) -> float:
    """The value, or ValueError naming it when it is NaN or infinite."""
    if not math.isfinite(value):
        shown = text if text is not None else repr(value)
        raise ValueError(f"{what} {shown} is not a finite number")
    return value


def check(field: str, value: float, what: str | None = None) -> float:
    """The value (SI), or ValueError naming the value and the allowed range of `field`."""
    name = what or field.split("_")[0]
    finite(value, name)
    bound = BOUNDS[field]
    shown = value / bound.scale
    if field in WHOLE and shown != int(shown):
        raise ValueError(f"{name} {shown:g} is not a whole number (allowed: {bound.text()})")
    if not bound.holds(shown):
        value_text = f"{round(shown, 3):g}" + ("" if bound.unit in COUNTS else f" {bound.unit}")
        raise ValueError(f"{name} {value_text} is outside the allowed range {bound.text()}")
    return value


def check_date(day: date, latest: date | None, what: str = "date") -> date:
    """The date, or ValueError when it is before 1990 or after `latest` (tomorrow where the athlete lives)."""
    if day < FIRST_DATE or (latest is not None and day > latest):
        upper = f"{latest:%Y-%m-%d}" if latest is not None else "today"
        raise ValueError(f"{what} {day:%Y-%m-%d} is outside the allowed range {FIRST_DATE:%Y-%m-%d} to {upper}")
    return day


def latest_date(today: date) -> date:
    """The last plausible date of a record: tomorrow (a time zone ahead of the clock may already be there)."""
    return today + timedelta(days=1)
