"""FIT activity files (Garmin and most watches) through fitdecode: records, timer pauses, laps, sport, time zone."""

from __future__ import annotations

import io
import struct
from typing import ClassVar

import fitdecode
import numpy as np

from core.activity.derive import Decoded
from core.activity.model import unreadable

FIT_EPOCH_S = 631_065_600  # FIT counts seconds from 1989-12-31T00:00:00Z
SEMICIRCLE_DEG = 180 / 2**31  # FIT stores latitude and longitude as signed 32-bit semicircles
STOPS = {"stop", "stop_all", "stop_disable", "stop_disable_all"}
MAX_OFFSET_S = 14 * 3600  # UTC-12 to UTC+14: a larger local_timestamp difference is a device clock fault


def _crc_table() -> list[int]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
        table.append(crc)
    return table


CRC_TABLE = _crc_table()  # FIT's CRC-16 (reflected 0x8005), byte-wise: fitdecode's own check doubles the decode time


def check_fit(raw: bytes, where: str) -> None:
    """Refuse bytes that are not whole FIT files: header, declared size and CRC of each chained file."""
    offset = 0
    while offset < len(raw):
        head = raw[offset:offset + 14]
        if len(head) < 12 or head[8:12] != b".FIT" or head[0] not in (12, 14):
            raise unreadable(where, "not a FIT file" if offset == 0 else "trailing bytes after the FIT data")
        end = offset + head[0] + struct.unpack_from("<I", head, 4)[0] + 2
        if end > len(raw):
            raise unreadable(where, f"truncated FIT file: {len(raw) - offset:,} of {end - offset:,} bytes")
        if _crc(raw, offset, end) != 0:
            raise unreadable(where, "FIT file damaged: its checksum does not match its content")
        offset = end


def _crc(raw: bytes, start: int, end: int) -> int:
    crc, table = 0, CRC_TABLE
    for byte in raw[start:end]:
        crc = (crc >> 8) ^ table[(crc ^ byte) & 0xFF]
    return crc


class _Reading:
    """What the messages of one FIT file say, gathered while fitdecode reads them."""

    COLUMNS: ClassVar[dict[str, str]] = {"distance": "distance_m", "heart_rate": "heart_rate_bpm",
                                         "cadence": "cadence_rpm"}

    def __init__(self) -> None:
        self.rows: dict[str, list] = {n: [] for n in ("epoch", "lat", "lon", "alt", "speed", *self.COLUMNS)}
        self.pauses: list[tuple[float, float]] = []
        self.stopped_at: float | None = None
        self.laps: list[tuple[float, float, float | None, float]] = []
        self.sport: tuple[str | None, str | None] = (None, None)
        self.offset: int | None = None

    def record(self, v: dict) -> None:
        if v.get("timestamp") is None:
            return
        rows = self.rows
        rows["epoch"].append(v["timestamp"] + FIT_EPOCH_S)
        for name in self.COLUMNS:
            rows[name].append(v.get(name))
        lat, lon = v.get("position_lat"), v.get("position_long")
        rows["lat"].append(None if lat is None else lat * SEMICIRCLE_DEG)
        rows["lon"].append(None if lon is None else lon * SEMICIRCLE_DEG)
        rows["alt"].append(v.get("enhanced_altitude", v.get("altitude")))
        rows["speed"].append(v.get("enhanced_speed", v.get("speed")))

    def event(self, v: dict) -> None:
        if v.get("event") != "timer" or v.get("timestamp") is None:
            return
        at = v["timestamp"] + FIT_EPOCH_S
        if v.get("event_type") in STOPS and self.stopped_at is None:
            self.stopped_at = at
        elif v.get("event_type") == "start" and self.stopped_at is not None:
            self.pauses.append((self.stopped_at, at))
            self.stopped_at = None

    def lap(self, v: dict) -> None:
        if v.get("start_time") is not None and v.get("total_elapsed_time") is not None:
            self.laps.append((v["start_time"] + FIT_EPOCH_S, v["total_elapsed_time"], v.get("total_timer_time"),
                              v.get("total_distance") or float("nan")))

    def session(self, v: dict) -> None:
        if self.sport == (None, None):
            self.sport = (_name(v.get("sport")), _name(v.get("sub_sport")))

    def activity(self, v: dict) -> None:
        local, utc = v.get("local_timestamp"), v.get("timestamp")
        if local is not None and utc is not None and abs(local - utc) <= MAX_OFFSET_S:
            self.offset = round((local - utc) / 900) * 900  # zones are whole quarter hours; the clocks are not

    def decoded(self, where: str) -> Decoded:
        if not self.rows["epoch"]:
            raise unreadable(where, "FIT file has no records (not an activity recording)")
        col = {k: np.array(v, dtype=float) for k, v in self.rows.items()}
        columns = {"lat_deg": col["lat"], "lon_deg": col["lon"], "altitude_m": col["alt"], "speed_mps": col["speed"]}
        columns |= {target: col[name] for name, target in self.COLUMNS.items()}
        return Decoded("fit", col["epoch"], columns, self.pauses, self.laps, *self.sport, utc_offset_s=self.offset)


def _name(value) -> str | None:
    return None if value is None else str(value)


def parse_fit(raw: bytes, where: str) -> Decoded:
    """Decode a FIT activity; raise BadInput for anything that is not a whole, readable FIT file."""
    check_fit(raw, where)
    reading = _Reading()
    handlers = {"record": reading.record, "event": reading.event, "lap": reading.lap,
                "session": reading.session, "activity": reading.activity}
    try:
        with fitdecode.FitReader(io.BytesIO(raw), processor=None, check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.RAISE) as fit:
            for frame in fit:
                if frame.frame_type == fitdecode.FIT_FRAME_DATA and frame.name in handlers:
                    handlers[frame.name]({f.name: f.value for f in frame.fields})
        return reading.decoded(where)
    # fitdecode's own errors, what it raises on damaged fields (it checks structure with assert), and ours
    # when a damaged definition turns a number into text or an array
    except (fitdecode.FitError, ValueError, TypeError, KeyError, IndexError, struct.error, AssertionError) as exc:
        raise unreadable(where, f"FIT file could not be decoded ({type(exc).__name__}: {exc})") from exc
