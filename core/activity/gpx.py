"""GPX tracks (phones, Strava's export, most apps) through gpxpy: points, segments as pauses, HR and cadence."""

from __future__ import annotations

from itertools import pairwise

import gpxpy
import gpxpy.gpx
import numpy as np

from core.activity.derive import Decoded
from core.activity.model import MAX_SAMPLES, too_many, unreadable
from core.activity.xmltext import utc_seconds, xml_text

# Garmin's TrackPointExtension (hr, cad) and the other names exporters use for the same values.
EXTENSIONS = {"hr": "heart_rate_bpm", "heartrate": "heart_rate_bpm", "cad": "cadence_rpm",
              "cadence": "cadence_rpm", "speed": "speed_mps"}


def parse_gpx(raw: bytes, where: str, max_samples: int = MAX_SAMPLES) -> Decoded:
    """Decode a GPX file's tracks (or, without tracks, its routes); raise BadInput when there is nothing to read."""
    try:
        gpx = gpxpy.parse(xml_text(raw, where))
    except gpxpy.gpx.GPXException as exc:
        raise unreadable(where, f"not a readable GPX file ({exc})") from exc
    segments = [s.points for t in gpx.tracks for s in t.segments if s.points] or \
               [r.points for r in gpx.routes if r.points]
    if not segments:
        raise unreadable(where, "GPX has no track points")
    points = [p for seg in segments for p in seg]
    too_many(where, len(points), max_samples)
    epoch = np.array([utc_seconds(p.time) for p in points])
    notes, keep = [], np.isfinite(epoch)
    if keep.any() and not keep.all():  # a few untimed points in a recording: drop them, say so
        notes.append(f"{(~keep).sum()} points without a timestamp left out")
        points, epoch = [p for p, k in zip(points, keep, strict=True) if k], epoch[keep]
    columns = {"lat_deg": np.array([p.latitude for p in points], dtype=float),
               "lon_deg": np.array([p.longitude for p in points], dtype=float),
               "altitude_m": np.array([p.elevation for p in points], dtype=float)}
    columns |= _extensions(points)
    sport = next((t.type.lower() for t in gpx.tracks if t.type), None)
    return Decoded("gpx", epoch, columns, _segment_pauses(segments), sport=sport, notes=notes)


def _extensions(points: list) -> dict[str, np.ndarray]:
    values = {name: np.full(len(points), np.nan) for name in set(EXTENSIONS.values())}
    for i, point in enumerate(points):
        for ext in point.extensions:
            for el in ext.iter():
                name = EXTENSIONS.get(el.tag.rpartition("}")[2].lower())
                if name and el.text:
                    values[name][i] = _number(el.text)
    return values


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return float("nan")  # an unreadable sensor value is a missing sample, not an unreadable file


def _segment_pauses(segments: list[list]) -> list[tuple[float, float]]:
    """A new segment starts after the recording was paused: the gap between segments is a pause."""
    ends = [(utc_seconds(a[-1].time), utc_seconds(b[0].time)) for a, b in pairwise(segments)]
    return [(stop, start) for stop, start in ends if np.isfinite(stop) and np.isfinite(start) and start >= stop]
