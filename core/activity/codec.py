"""A Stream as one compact, versioned blob: columns quantised to a fixed step, delta-coded, byte-shuffled, zlib'd.

Layout (little-endian), version 1:
  header   "FDST" | u8 version | u32 samples | f64 start (UTC seconds since 1970, NaN without time) | u8 columns
  columns  per column: u8 column index (model.FLOAT_COLUMNS) | u8 width (bytes per delta; 0 = no values)
           | u8 flags (1 = some samples missing) | i64 first quantised value
  body     zlib of, per column in that order: [missing-sample bitmap] + the deltas' byte planes (all low bytes,
           then the next ...), then the bitmaps of `paused` and `moving`
A quantised value is round(value / STEP); deltas of consecutive values are small, and shuffling their bytes into
planes leaves long runs of zeros for zlib. Lossless to STEP / 2 (the precision below); NaN stays NaN.
"""

from __future__ import annotations

import struct
import zlib
from datetime import UTC, datetime
from urllib.parse import quote

import numpy as np

from core.activity.model import FLAG_COLUMNS, FLOAT_COLUMNS, MAX_SAMPLES, Stream
from core.errors import BadInput

VERSION = 1
MAGIC = b"FDST"
HEADER = struct.Struct("<4sBIdB")
COLUMN = struct.Struct("<BBBq")
# The stored precision of each column: finer than what the devices record (FIT: 1 ms is finer than its 1 s,
# 1 cm distance, 1e-7 deg ~ 1 cm against its 8.4e-8 deg semicircles, 0.2 m altitude, 1 mm/s speed).
STEP = {"t_s": 1e-3, "distance_m": 1e-2, "lat_deg": 1e-7, "lon_deg": 1e-7, "altitude_m": 0.1,
        "heart_rate_bpm": 1.0, "cadence_rpm": 1.0, "speed_mps": 1e-3}
WIDTHS = {1: np.int8, 2: np.int16, 4: np.int32, 8: np.int64}
ZLIB_LEVEL = 6  # level 9 saves under 1 % here and costs twice the time
DAMAGED = "Import the run's activity file again: its stored stream cannot be read."


def blob_name(run_key: str) -> str:
    """Where a run's stream lives in the store's blobs: streams/<run key>.v1 (the key percent-encoded)."""
    return f"streams/{quote(run_key, safe='')}.v{VERSION}"


def encode_stream(stream: Stream) -> bytes:
    """The stream as a version-1 blob."""
    n, table, body = len(stream), [], []
    for index, name in enumerate(FLOAT_COLUMNS):
        width, flags, first, parts = _encode_column(getattr(stream, name), STEP[name])
        table.append(COLUMN.pack(index, width, flags, first))
        body += parts
    body += [np.packbits(getattr(stream, name)).tobytes() for name in FLAG_COLUMNS]
    start = stream.start_utc.timestamp() if stream.start_utc else float("nan")
    head = HEADER.pack(MAGIC, VERSION, n, start, len(table))
    return head + b"".join(table) + zlib.compress(b"".join(body), ZLIB_LEVEL)


def _encode_column(values: np.ndarray, step: float) -> tuple[int, int, int, list[bytes]]:
    missing = ~np.isfinite(values)
    if missing.all():
        return 0, 0, 0, []
    q = np.round(np.where(missing, np.nan, values) / step)
    index = np.where(~missing, np.arange(len(q)), -1)  # a missing sample repeats the last value: delta 0
    np.maximum.accumulate(index, out=index)
    q = q[np.where(index >= 0, index, np.flatnonzero(~missing)[0])].astype(np.int64)
    deltas = np.diff(q)
    width = next(w for w, t in WIDTHS.items() if not len(deltas) or
                 (np.iinfo(t).min <= deltas.min() and deltas.max() <= np.iinfo(t).max))
    planes = deltas.astype(WIDTHS[width]).view(np.uint8).reshape(-1, width).T.tobytes()
    mask = [np.packbits(missing).tobytes()] if missing.any() else []
    return width, int(missing.any()), int(q[0]), [*mask, planes]


def decode_stream(blob: bytes) -> Stream:
    """The stream a blob holds; BadInput when the blob is damaged or of an unknown version."""
    try:
        n, start, table = _header(blob)
        body = _inflate(blob[HEADER.size + len(table) * COLUMN.size:], _body_size(n, table))
        columns, offset = {name: np.full(n, np.nan) for name in FLOAT_COLUMNS}, 0
        for index, width, flags, first in table:
            name = FLOAT_COLUMNS[index]
            columns[name], offset = _decode_column(body, offset, n, width, flags, first, STEP[name])
        marks = {}
        for name in FLAG_COLUMNS:
            marks[name] = _bits(body, offset, n)
            offset += (n + 7) // 8
        start_utc = None if np.isnan(start) else datetime.fromtimestamp(start, UTC)
    except (struct.error, zlib.error, ValueError, IndexError, OverflowError, OSError) as exc:
        raise BadInput("stream blob", f"damaged stream blob ({exc})", DAMAGED) from exc
    return Stream(start_utc, **columns, **marks)


def _header(blob: bytes) -> tuple[int, float, list[tuple[int, int, int, int]]]:
    magic, version, n, start, ncols = HEADER.unpack_from(blob)
    if magic != MAGIC or version != VERSION:
        raise ValueError(f"not a version-{VERSION} stream blob ({magic!r}, version {version})")
    if n > MAX_SAMPLES:
        raise ValueError(f"{n:,} samples, more than an activity has")
    table = [COLUMN.unpack_from(blob, HEADER.size + i * COLUMN.size) for i in range(ncols)]
    if len({c[0] for c in table}) != ncols or any(c[0] >= len(FLOAT_COLUMNS) or c[1] not in (0, *WIDTHS)
                                                   for c in table):
        raise ValueError("the column table is not one this version writes")
    return n, start, table


def _body_size(n: int, table: list[tuple[int, int, int, int]]) -> int:
    """How many bytes the body of these columns must hold, from the header alone."""
    bitmap = (n + 7) // 8
    return sum((bitmap if flags & 1 else 0) + max(n - 1, 0) * width for _, width, flags, _ in table if width) \
        + 2 * bitmap


def _inflate(data: bytes, size: int) -> memoryview:
    """The body, exactly `size` bytes or refused (a damaged blob must not fill the memory)."""
    inflater = zlib.decompressobj()
    body = inflater.decompress(data, size + 1)
    if len(body) != size or not inflater.eof:
        raise ValueError("the body does not match the header")
    return memoryview(body)


def _bits(body: memoryview, offset: int, n: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(body[offset:offset + (n + 7) // 8], np.uint8), count=n).astype(bool)


def _decode_column(body: memoryview, offset: int, n: int, width: int, flags: int, first: int,
                   step: float) -> tuple[np.ndarray, int]:
    if width == 0:
        return np.full(n, np.nan), offset
    missing = None
    if flags & 1:
        missing = _bits(body, offset, n)
        offset += (n + 7) // 8
    size = (n - 1) * width
    planes = np.frombuffer(body[offset:offset + size], np.uint8)
    if len(planes) != size:
        raise ValueError("a column is shorter than the header says")
    deltas = planes.reshape(width, n - 1).T.copy().view(WIDTHS[width]).ravel().astype(np.int64)
    values = np.concatenate(([first], first + np.cumsum(deltas))) * step
    if missing is not None:
        values[missing] = np.nan
    return values, offset + size
