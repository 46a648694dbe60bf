"""TCX (Garmin's TrainingCenterDatabase v2) through ElementTree: laps, tracks, HR, cadence, speed.

tcxreader (0.4.11) reads only from a path, refuses blank lines before the declaration and merges a lap's
tracks, losing the pauses between them; hence ElementTree here. The XML bomb defence is xml_text's refusal
of any DTD (entities cannot be declared without one), which lets the C parser run: defusedxml gets the same
refusal by switching ElementTree to its pure-Python parser, 2.6 times slower on a one-hour file.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime

import numpy as np

from core.activity.derive import Decoded
from core.activity.model import MAX_SAMPLES, too_many, unreadable
from core.activity.xmltext import utc_seconds, xml_text

FIELDS = {"AltitudeMeters": "altitude_m", "DistanceMeters": "distance_m", "Cadence": "cadence_rpm"}
# Inside Position, HeartRateBpm and Extensions (ActivityExtension v2's TPX: Speed, RunCadence)
NESTED = {"LatitudeDegrees": "lat_deg", "LongitudeDegrees": "lon_deg", "Value": "heart_rate_bpm",
          "Speed": "speed_mps", "RunCadence": "cadence_rpm"}


def parse_tcx(raw: bytes, where: str, max_samples: int = MAX_SAMPLES) -> Decoded:
    """Decode the first activity of a TCX file; raise BadInput when it is not readable or holds no trackpoints."""
    try:
        root = ET.fromstring(xml_text(raw, where))
    except ET.ParseError as exc:
        raise unreadable(where, f"not a readable TCX file ({exc})") from exc
    ns = root.tag[:root.tag.index("}") + 1] if root.tag.startswith("{") else ""
    activity = root.find(f"{ns}Activities/{ns}Activity")
    if activity is None:
        raise unreadable(where, "TCX has no activity")
    rows, pauses, laps = [], [], []
    for lap in activity.iter(f"{ns}Lap"):
        laps.append(_lap(lap, ns, where))
        for k, track in enumerate(lap.iter(f"{ns}Track")):
            points = [_point(p, ns, where) for p in track.iter(f"{ns}Trackpoint")]
            if k and rows and points:  # Garmin starts a new Track inside a lap when the timer restarts
                pauses.append((rows[-1]["epoch"], points[0]["epoch"]))
            rows += points
            too_many(where, len(rows), max_samples)
    rows = [r for r in rows if np.isfinite(r["epoch"])]
    if not rows:
        raise unreadable(where, "TCX has no track points")
    columns = {name: np.array([r.get(name, np.nan) for r in rows]) for name in {*FIELDS.values(), *NESTED.values()}}
    return Decoded("tcx", np.array([r["epoch"] for r in rows]), columns, pauses, laps,
                   sport=(activity.get("Sport") or "").lower() or None)


def _point(point: ET.Element, ns: str, where: str) -> dict[str, float]:
    """One Trackpoint's values, its children read in one pass (a one-hour file has 3,600 of them)."""
    row = {"epoch": float("nan")}
    for child in point:
        tag = child.tag[len(ns):]
        if tag == "Time":
            row["epoch"] = _time(child.text, where)
        elif tag in FIELDS and child.text:
            row[FIELDS[tag]] = _number(child.text, tag, where)
        elif tag in ("Position", "HeartRateBpm", "Extensions"):
            for inner in child.iter():
                name = NESTED.get(inner.tag.rpartition("}")[2])
                if name and inner.text and inner is not child:
                    row[name] = _number(inner.text, name, where)
    return row


def _lap(lap, ns: str, where: str) -> tuple[float, None, float, float]:
    """(start, elapsed, timer, distance): TCX gives the timer time only; the elapsed time comes from the stream."""
    start = _time(lap.get("StartTime"), where)
    timer = _number(lap.findtext(f"{ns}TotalTimeSeconds") or "nan", "TotalTimeSeconds", where)
    return start, None, timer, _number(lap.findtext(f"{ns}DistanceMeters") or "nan", "DistanceMeters", where)


def _time(text: str | None, where: str) -> float:
    if not text:
        return float("nan")
    try:
        return utc_seconds(datetime.fromisoformat(text.strip()))
    except ValueError as exc:
        raise unreadable(where, f"TCX time {text[:40]!r} is not an ISO 8601 date") from exc


def _number(text: str, what: str, where: str) -> float:
    try:
        return float(text)
    except ValueError as exc:
        raise unreadable(where, f"TCX {what} {text[:40]!r} is not a number") from exc
