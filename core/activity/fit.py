"""FIT activity files (Garmin and most watches) through fitdecode: records, timer pauses, laps, sport, time zone."""

from __future__ import annotations

import io
import struct

import fitdecode
import numpy as np

from core.activity.derive import Decoded
from core.activity.model import MAX_SAMPLES, too_many, unreadable

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


# Stream columns from record fields, the first field present winning (enhanced_* carry more range and precision).
RECORD_FIELDS = {"epoch": ("timestamp",), "lat_deg": ("position_lat",), "lon_deg": ("position_long",),
                 "distance_m": ("distance",), "altitude_m": ("enhanced_altitude", "altitude"),
                 "heart_rate_bpm": ("heart_rate",), "cadence_rpm": ("cadence",),
                 "speed_mps": ("enhanced_speed", "speed")}


class _Reading:
    """What the messages of one FIT file say, gathered while fitdecode reads them."""

    def __init__(self, where: str, max_samples: int) -> None:
        self.where, self.max_samples = where, max_samples
        self.rows: dict[str, list] = {name: [] for name in RECORD_FIELDS}
        self.plans: dict[tuple, list[tuple[list, int | None]]] = {}
        self.pauses: list[tuple[float, float]] = []
        self.stopped_at: float | None = None
        self.laps: list[tuple[float, float, float | None, float]] = []
        self.sport: tuple[str | None, str | None] = (None, None)
        self.offset: int | None = None

    def record(self, frame) -> None:
        """Append a record's values; where each column's field sits is worked out once per definition."""
        fields = frame.fields
        key = (frame.def_mesg, len(fields))  # a compressed-timestamp header adds a field to the same definition
        plan = self.plans.get(key) or self.plans.setdefault(key, self._plan([f.name for f in fields]))
        time_index = plan[0][1]  # RECORD_FIELDS starts with the time
        if time_index is None or fields[time_index].value is None:
            return  # a record without a time has no place in the stream
        too_many(self.where, len(plan[0][0]) + 1, self.max_samples)  # early, before the lists fill the memory
        for column, index in plan:
            column.append(None if index is None else fields[index].value)

    def _plan(self, names: list[str]) -> list[tuple[list, int | None]]:
        where: dict[str, int] = {}
        for i, name in enumerate(names):
            where.setdefault(name, i)  # a developer field of the same name comes later: the standard one wins
        return [(self.rows[column], next((where[f] for f in choices if f in where), None))
                for column, choices in RECORD_FIELDS.items()]

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
            distance = v.get("total_distance")
            self.laps.append((v["start_time"] + FIT_EPOCH_S, v["total_elapsed_time"], v.get("total_timer_time"),
                              float("nan") if distance is None else distance))

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
        columns = {name: np.array(values, dtype=float) for name, values in self.rows.items()}
        columns["lat_deg"] *= SEMICIRCLE_DEG
        columns["lon_deg"] *= SEMICIRCLE_DEG
        epoch = columns.pop("epoch") + FIT_EPOCH_S
        return Decoded("fit", epoch, columns, self.pauses, self.laps, *self.sport, utc_offset_s=self.offset)


def _name(value) -> str | None:
    return None if value is None else str(value)


def parse_fit(raw: bytes, where: str, max_samples: int = MAX_SAMPLES) -> Decoded:
    """Decode a FIT activity; raise BadInput for anything that is not a whole, readable FIT file."""
    check_fit(raw, where)
    reading = _Reading(where, max_samples)
    handlers = {"event": reading.event, "lap": reading.lap,
                "session": reading.session, "activity": reading.activity}
    try:
        with fitdecode.FitReader(io.BytesIO(raw), processor=None, check_crc=fitdecode.CrcCheck.DISABLED,
                                 error_handling=fitdecode.ErrorHandling.RAISE) as fit:
            for frame in fit:
                if frame.frame_type != fitdecode.FIT_FRAME_DATA:
                    continue
                name = frame.name
                if name == "record":
                    reading.record(frame)
                elif name in handlers:
                    handlers[name]({f.name: f.value for f in frame.fields})
        return reading.decoded(where)
    # fitdecode's own errors, what it raises on damaged fields (it checks structure with assert), and ours
    # when a damaged definition turns a number into text or an array
    except (fitdecode.FitError, ValueError, TypeError, KeyError, IndexError, struct.error, AssertionError) as exc:
        raise unreadable(where, f"FIT file could not be decoded ({type(exc).__name__}: {exc})") from exc
