"""The athlete behind the training load: sex, age, heart rates, and the fitness model's time constants.

Nothing is guessed silently (docs/analytics.md, "Training load"):
- Max HR is the configured `max_hr_bpm`; without it, 220 - age when a birth year is given (Fox et al.
  1971, labelled as an estimate: it is off by 10 bpm or more for many people); otherwise unknown.
- Threshold HR is the configured `threshold_hr_bpm`; without it, the bottom of Dreeve's default
  zone 5, THRESHOLD_SHARE_OF_MAX (91 %) of max HR, labelled as an estimate.
- Heart-rate zones: the dated `hr_zones` entries (core.analytics.hr_zones), else the undated threshold HR
  (Friel's zones), else max HR (configured or 220 - age): `run_zones` gives each run the zones of its date.
- Resting HR and sex have no default. Without them heart rate cannot become load (TRIMP needs the
  heart-rate reserve and the sex factor), and runs fall back to the pace estimate, which says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from core.analytics.hr_zones import Zones, ZoneSetting, setting_on, zones_from_max_hr, zones_from_threshold_hr
from core.errors import ConfigError

SEXES = {"male": "male", "m": "male", "man": "male", "female": "female", "f": "female", "woman": "female"}
# Banister's TRIMP weighting a * e^(b * HRr): b is the sex factor (Banister 1991; a and b per sex from
# Morton, Fitz-Clarke & Banister 1990). hrTSS divides by an hour at threshold, so `a` cancels there.
TRIMP_COEFFICIENTS = {"male": (0.64, 1.92), "female": (0.86, 1.67)}
THRESHOLD_SHARE_OF_MAX = 0.91  # Dreeve's default zone 5 starts at 91 % of max HR; its hrTSS threshold
CHRONIC_DAYS = 42.0  # fitness time constant: GoldenCheetah's and intervals.icu's default
ACUTE_DAYS = 7.0  # fatigue time constant: the same tools' default
HR_LIMITS_BPM = (25.0, 250.0)  # outside this a heart rate is a typing error, not a person


@dataclass(frozen=True)
class Athlete:
    """What turns heart rate into load; None means 'not configured' (never a made-up default)."""

    sex: str | None = None
    birth_year: int | None = None
    max_hr_bpm: float | None = None
    resting_hr_bpm: float | None = None
    threshold_hr_bpm: float | None = None
    chronic_days: float = CHRONIC_DAYS
    acute_days: float = ACUTE_DAYS
    hr_zones: tuple[ZoneSetting, ...] = ()  # sorted by start; empty: the undated settings define the zones

    def max_hr(self, years: np.ndarray) -> np.ndarray:
        """Max HR in the given calendar years: configured, else 220 - age, else NaN."""
        years = np.asarray(years, dtype="float64")
        if self.max_hr_bpm is not None:
            return np.full(years.shape, float(self.max_hr_bpm))
        if self.birth_year is not None:
            return 220.0 - (years - self.birth_year)
        return np.full(years.shape, np.nan)

    def threshold_hr(self, years: np.ndarray) -> np.ndarray:
        """Threshold HR: configured, else THRESHOLD_SHARE_OF_MAX of max HR (NaN when max HR is unknown)."""
        if self.threshold_hr_bpm is not None:
            return np.full(np.shape(years), float(self.threshold_hr_bpm))
        return THRESHOLD_SHARE_OF_MAX * self.max_hr(years)

    @property
    def uses_heart_rate(self) -> bool:
        """True when sex, resting HR and a max HR (configured or from age) are all known."""
        return self.sex is not None and self.resting_hr_bpm is not None and (
            self.max_hr_bpm is not None or self.birth_year is not None)


def run_zones(athlete: Athlete, days: pd.Series) -> list[Zones | None]:
    """The heart-rate zones that apply on each day (None when neither a max nor a threshold HR is known)."""
    if athlete.hr_zones:
        built = [setting.zones() for setting in athlete.hr_zones]
        return [built[i] for i in setting_on(athlete.hr_zones, days)]
    if athlete.threshold_hr_bpm is not None:
        return [zones_from_threshold_hr(athlete.threshold_hr_bpm)] * len(days)
    by_year: dict[int, Zones] = {}  # max HR from age changes once a year: build each year's zones once
    tops = athlete.max_hr(days.dt.year.to_numpy())
    for year, top in zip(days.dt.year, tops, strict=True):
        if year not in by_year and np.isfinite(top):
            by_year[year] = zones_from_max_hr(float(top))
    return [by_year.get(year) for year in days.dt.year]


def zone_notes(athlete: Athlete) -> list[str]:
    """Which settings define the heart-rate zones, as sentences for the page."""
    if athlete.hr_zones:
        entries = [f"from {s.start:%d %b %Y} " + (f"threshold HR {s.threshold_hr_bpm:g} bpm (Friel's zones)"
                   if s.threshold_hr_bpm is not None else f"max HR {s.max_hr_bpm:g} bpm") for s in athlete.hr_zones]
        return ["Heart-rate zones ([athlete] hr_zones): " + "; ".join(entries) + " (the first also before its date)."]
    if athlete.threshold_hr_bpm is not None:
        return [f"Heart-rate zones: Friel's, from threshold HR {athlete.threshold_hr_bpm:g} bpm."]
    if athlete.max_hr_bpm is not None:
        return [f"Heart-rate zones: 50/60/70/80/90 % of max HR {athlete.max_hr_bpm:g} bpm."]
    if athlete.birth_year is not None:
        return ["Heart-rate zones: from 220 - age, an estimate: set [athlete] max_hr_bpm or hr_zones."]
    return ["No heart-rate zones: set [athlete] max_hr_bpm, threshold_hr_bpm or hr_zones (with dates)."]


def athlete_notes(athlete: Athlete) -> list[str]:
    """One sentence per estimated or missing parameter, for the page (empty when everything is configured)."""
    if not athlete.uses_heart_rate:
        missing = [name for name, value in (("sex", athlete.sex), ("resting_hr_bpm", athlete.resting_hr_bpm),
                                            ("max_hr_bpm or birth_year", athlete.max_hr_bpm or athlete.birth_year))
                   if value is None]
        return [f"Run load is estimated from pace and duration: heart rate needs [athlete] {', '.join(missing)}."]
    notes = []
    if athlete.max_hr_bpm is None:
        notes.append("Max HR is 220 - age, an estimate that is often 10 bpm off: set [athlete] max_hr_bpm.")
    if athlete.threshold_hr_bpm is None:
        notes.append(f"Threshold HR is {THRESHOLD_SHARE_OF_MAX:.0%} of max HR, an estimate: set [athlete] "
                     "threshold_hr_bpm.")
    return notes


def athlete_from_section(section: Mapping[str, Any]) -> Athlete:
    """The [athlete] settings, validated (ConfigError names the key and what it must be)."""
    sex = section.get("sex")
    if sex is not None and str(sex).strip().lower() not in SEXES:
        raise ConfigError(f"[athlete] sex must be 'male' or 'female', not {sex!r}")
    hr = {key: _number(section, key, HR_LIMITS_BPM) for key in ("max_hr_bpm", "resting_hr_bpm", "threshold_hr_bpm")}
    year = _number(section, "birth_year", (1900.0, 2100.0))
    days = {key: _number(section, key, (1.0, 365.0)) for key in ("chronic_days", "acute_days")}
    athlete = Athlete(SEXES[str(sex).strip().lower()] if sex is not None else None,
                      None if year is None else int(year), **hr,
                      chronic_days=days["chronic_days"] or CHRONIC_DAYS, acute_days=days["acute_days"] or ACUTE_DAYS,
                      hr_zones=zone_settings(section.get("hr_zones")))
    _check_order(athlete)
    return athlete


def _check_order(athlete: Athlete) -> None:
    rest, top, threshold = athlete.resting_hr_bpm, athlete.max_hr_bpm, athlete.threshold_hr_bpm
    if rest is not None and top is not None and rest >= top:
        raise ConfigError(f"[athlete] resting_hr_bpm ({rest:g}) must be below max_hr_bpm ({top:g})")
    if threshold is not None and ((top is not None and threshold >= top) or (rest is not None and threshold <= rest)):
        raise ConfigError("[athlete] threshold_hr_bpm must lie between resting_hr_bpm and max_hr_bpm")
    if athlete.acute_days >= athlete.chronic_days:
        raise ConfigError(f"[athlete] acute_days ({athlete.acute_days:g}) must be shorter than chronic_days "
                          f"({athlete.chronic_days:g})")


def _number(section: Mapping[str, Any], key: str, limits: tuple[float, float]) -> float | None:
    raw = section.get(key)
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    try:
        value = float(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[athlete] {key} must be a number, not {raw!r}") from exc
    if not limits[0] <= value <= limits[1]:
        raise ConfigError(f"[athlete] {key} = {value:g} is outside {limits[0]:g}-{limits[1]:g}")
    return value


def zone_settings(raw: Any) -> tuple[ZoneSetting, ...]:
    """`[athlete] hr_zones`: a list of {from = date, max_hr_bpm or threshold_hr_bpm} (JSON text from the
    environment), sorted by date; ConfigError names the entry and what is wrong."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ()
    try:
        entries = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError as exc:
        raise ConfigError(f"[athlete] hr_zones must be a list of tables (JSON in the environment): {exc}") from exc
    if not isinstance(entries, list) or not all(isinstance(e, Mapping) for e in entries):
        raise ConfigError("[athlete] hr_zones must be a list like [{from = 2025-01-01, max_hr_bpm = 188}]")
    settings = sorted((_zone_setting(i, entry) for i, entry in enumerate(entries, 1)), key=lambda s: s.start)
    starts = [s.start for s in settings]
    if len(set(starts)) < len(starts):
        raise ConfigError("[athlete] hr_zones has two entries from the same date: keep one")
    return tuple(settings)


def _zone_setting(position: int, entry: Mapping[str, Any]) -> ZoneSetting:
    where = f"[athlete] hr_zones entry {position}"
    try:
        start = pd.Timestamp(str(entry.get("from", "")))
    except ValueError:
        start = pd.NaT
    if pd.isna(start):
        raise ConfigError(f"{where} needs `from`, the date it applies from (e.g. from = 2025-01-01)")
    values = {key: _number(entry, key, HR_LIMITS_BPM) for key in ("max_hr_bpm", "threshold_hr_bpm")}
    if sum(v is not None for v in values.values()) != 1:
        raise ConfigError(f"{where} needs exactly one of max_hr_bpm and threshold_hr_bpm")
    return ZoneSetting((start.tz_localize(None) if start.tzinfo else start).normalize(), **values)
