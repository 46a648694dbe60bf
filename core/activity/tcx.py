"""TCX (Garmin's TrainingCenterDatabase v2) through defusedxml's ElementTree: laps, tracks, HR, cadence, speed.

tcxreader (0.4.11) reads only from a path, with the stdlib parser (no XML bomb defence), refuses blank lines
before the declaration, and merges a lap's tracks, losing the pauses between them; hence ElementTree here.
"""

from __future__ import annotations

from datetime import datetime

import defusedxml
import defusedxml.ElementTree as SafeET
import numpy as np

from core.activity.derive import Decoded
from core.activity.model import unreadable
from core.activity.xmltext import utc_seconds, xml_text

FIELDS = {"AltitudeMeters": "altitude_m", "DistanceMeters": "distance_m", "HeartRateBpm/Value": "heart_rate_bpm",
          "Cadence": "cadence_rpm", "Position/LatitudeDegrees": "lat_deg", "Position/LongitudeDegrees": "lon_deg"}
EXTENSIONS = {"Speed": "speed_mps", "RunCadence": "cadence_rpm"}  # ActivityExtension v2 TPX children


def parse_tcx(raw: bytes, where: str) -> Decoded:
    """Decode the first activity of a TCX file; raise BadInput when it is not readable or holds no trackpoints."""
    try:
        root = SafeET.fromstring(xml_text(raw, where), forbid_dtd=True)
    except (SafeET.ParseError, defusedxml.DefusedXmlException) as exc:
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
    rows = [r for r in rows if np.isfinite(r["epoch"])]
    if not rows:
        raise unreadable(where, "TCX has no track points")
    columns = {name: np.array([r.get(name, np.nan) for r in rows]) for name in {*FIELDS.values(), *EXTENSIONS.values()}}
    return Decoded("tcx", np.array([r["epoch"] for r in rows]), columns, pauses, laps,
                   sport=(activity.get("Sport") or "").lower() or None)


def _point(point, ns: str, where: str) -> dict[str, float]:
    row = {"epoch": _time(point.findtext(f"{ns}Time"), where)}
    for path, name in FIELDS.items():
        text = point.findtext("/".join(ns + part for part in path.split("/")))
        if text is not None:
            row[name] = _number(text, path, where)
    for ext in point.iterfind(f"{ns}Extensions/*"):
        for el in ext:
            name = EXTENSIONS.get(el.tag.rpartition("}")[2])
            if name and el.text:
                row[name] = _number(el.text, name, where)
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
