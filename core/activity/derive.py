"""From what a parser read (Decoded) to a clean Stream and its Activity summary: one set of rules for every format."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np

from core.activity.geo import cumulative_distance_m, forward_fill
from core.activity.model import FLOAT_COLUMNS, Activity, ActivityFile, Lap, Stream

# An interval counts as moving when the timer runs and the distance grows at least this fast: 0.5 m/s
# (1.8 km/h, 33 min/km) is slower than any walk yet above the drift of a watch standing still.
MOVING_SPEED_MPS = 0.5
# Elevation gain counts a climb only once it rises this far above the last low (hysteresis); 3 m is
# GoldenCheetah's default "elevation hysteresis" and hides barometric and GPS altitude noise.
ELEVATION_HYSTERESIS_M = 3.0
# Values outside these bounds are sensor faults (a strap losing contact reads 0 bpm), kept as missing.
VALID = {"lat_deg": (-90.0, 90.0), "lon_deg": (-180.0, 180.0), "heart_rate_bpm": (25.0, 250.0),
         "cadence_rpm": (0.0, 255.0), "speed_mps": (0.0, 100.0), "altitude_m": (-500.0, 9000.0)}


@dataclass
class Decoded:
    """What a format parser read, before anything is derived. Times are UTC seconds since 1970."""

    file_format: str
    epoch_s: np.ndarray
    columns: dict[str, np.ndarray]
    pauses: list[tuple[float, float]] = field(default_factory=list)  # (timer stopped, restarted)
    # (start, elapsed or None, timer or None, distance m) per lap
    laps: list[tuple[float, float | None, float | None, float]] = field(default_factory=list)
    sport: str | None = None
    sub_sport: str | None = None
    utc_offset_s: int | None = None
    notes: list[str] = field(default_factory=list)


def build(decoded: Decoded, name: str) -> ActivityFile:
    """The stream and summary of one decoded file."""
    stream = make_stream(decoded)
    return ActivityFile(name, summarise(stream, decoded), stream)


def make_stream(decoded: Decoded) -> Stream:
    """Sort by time, clean sensor faults, fill distance (from positions when absent), flag pauses and moving."""
    epoch = np.asarray(decoded.epoch_s, dtype=float)
    order = np.argsort(epoch, kind="stable") if np.isfinite(epoch).all() else np.arange(len(epoch))
    cols = {name: _clean(name, decoded.columns.get(name), order, len(epoch)) for name in FLOAT_COLUMNS[1:]}
    null_island = (cols["lat_deg"] == 0) & (cols["lon_deg"] == 0)  # what some apps write before the first fix
    cols["lat_deg"][null_island] = cols["lon_deg"][null_island] = np.nan
    timed = bool(len(epoch)) and np.isfinite(epoch).all()
    start = float(epoch[order[0]]) if timed else None
    t = epoch[order] - start if timed else np.full(len(epoch), np.nan)
    cols["distance_m"] = _distance(cols)
    paused = _paused(t, [(a - start, b - start) for a, b in decoded.pauses]) if timed else np.zeros(len(t), bool)
    if not np.isfinite(cols["speed_mps"]).any() and timed:
        cols["speed_mps"] = _speed(t, cols["distance_m"], paused)
    start_utc = datetime.fromtimestamp(start, UTC) if timed else None
    return Stream(start_utc, t, paused=paused, moving=_moving(t, cols["distance_m"], paused), **cols)


def _clean(name: str, values, order: np.ndarray, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    out = np.asarray(values, dtype=float)[order]
    low, high = VALID.get(name, (-np.inf, np.inf))
    return np.where((out >= low) & (out <= high), out, np.nan)


def _distance(cols: dict[str, np.ndarray]) -> np.ndarray:
    """The file's cumulative distance, else the positions' haversine sum; from 0 and never decreasing."""
    d = cols["distance_m"]
    if not np.isfinite(d).any():
        d = cumulative_distance_m(cols["lat_deg"], cols["lon_deg"])
    if not np.isfinite(d).any():
        return d
    d = forward_fill(d, first=d[np.isfinite(d)][0])
    return np.maximum.accumulate(d - d[0])


def _paused(t: np.ndarray, pauses: list[tuple[float, float]]) -> np.ndarray:
    """True where the interval ending at a sample overlaps a timer pause."""
    out = np.zeros(len(t), bool)
    for stop, restart in pauses:
        out[1:] |= (t[:-1] < restart) & (t[1:] > stop)
    return out


def _speed(t: np.ndarray, d: np.ndarray, paused: np.ndarray) -> np.ndarray:
    dt = np.diff(t)
    with np.errstate(invalid="ignore", divide="ignore"):
        v = np.where((dt > 0) & ~paused[1:], np.diff(d) / dt, np.nan)
    return np.concatenate((v[:1], v)) if len(v) else np.full(len(t), np.nan)


def _moving(t: np.ndarray, d: np.ndarray, paused: np.ndarray) -> np.ndarray:
    """An interval moves when the timer runs and distance grows >= MOVING_SPEED_MPS (any, without distance)."""
    dt, out = np.diff(t), np.zeros(len(t), bool)
    if not np.isfinite(d).any():
        out[1:] = (dt > 0) & ~paused[1:]
        return out
    with np.errstate(invalid="ignore"):
        out[1:] = (dt > 0) & ~paused[1:] & (np.diff(d) >= MOVING_SPEED_MPS * dt)
    return out


def elevation_gain_m(altitude: np.ndarray, hysteresis_m: float = ELEVATION_HYSTERESIS_M) -> float:
    """Total climb: each rise counted from its low once it exceeds the hysteresis, up to the next high."""
    alt = altitude[np.isfinite(altitude)]
    if len(alt) < 2:
        return 0.0
    gain, low, high, up = 0.0, alt[0], alt[0], False
    for a in alt.tolist():
        if up:
            if a > high:
                high = a
            elif high - a >= hysteresis_m:  # the climb ended at `high`
                gain, up, low = gain + high - low, False, a
        elif a < low:
            low = a
        elif a - low >= hysteresis_m:  # a climb from `low` has begun
            up, high = True, a
    return float(gain + (high - low if up else 0.0))


def _laps(raw: list[tuple[float, float | None, float | None, float]], stream: Stream) -> tuple[Lap, ...]:
    """Laps from the stream's start; a lap without an elapsed time (TCX) lasts until the next lap or the end."""
    origin, end = stream.start_utc.timestamp(), float(stream.t_s[-1])
    starts = [start - origin for start, *_ in raw]
    return tuple(Lap(i, starts[i], elapsed if elapsed is not None else (starts[i + 1:] or [end])[0] - starts[i],
                     timer, m) for i, (_, elapsed, timer, m) in enumerate(raw))


def summarise(stream: Stream, decoded: Decoded) -> Activity:
    """The Activity summary of a stream: times, distance, climb, laps, and what the file could not tell."""
    timed, notes = stream.has_time, list(decoded.notes)
    dt = np.diff(stream.t_s)
    if not timed:
        notes.append("no timestamps (a route, not a recorded activity): no elapsed or moving time")
    distance = float(stream.distance_m[-1]) if stream.has("distance_m") else 0.0
    laps = _laps(decoded.laps, stream) if timed else ()
    return Activity(
        file_format=decoded.file_format, sport=decoded.sport, sub_sport=decoded.sub_sport, start_utc=stream.start_utc,
        utc_offset_s=decoded.utc_offset_s if timed else None,
        elapsed_s=float(stream.t_s[-1]) if timed else None,
        timer_s=float(dt[~stream.paused[1:]].sum()) if timed else None,
        moving_s=float(dt[stream.moving[1:]].sum()) if timed else None,
        distance_m=distance,
        elevation_gain_m=elevation_gain_m(stream.altitude_m) if stream.has("altitude_m") else None,
        samples=len(stream), has_positions=stream.has("lat_deg"), has_heart_rate=stream.has("heart_rate_bpm"),
        laps=laps, notes=tuple(notes))
