"""Google's encoded polyline format (what Strava's `summary_polyline` uses), precision 5."""

from __future__ import annotations

from collections.abc import Iterable


def encode_polyline(coords: Iterable[tuple[float, float]]) -> str:
    """Encode (lat, lon) pairs."""
    out, prev_lat, prev_lon = [], 0, 0
    for lat, lon in coords:
        ilat, ilon = round(lat * 1e5), round(lon * 1e5)
        out += [_encode_value(ilat - prev_lat), _encode_value(ilon - prev_lon)]
        prev_lat, prev_lon = ilat, ilon
    return "".join(out)


def _encode_value(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    chunks = []
    while value >= 0x20:
        chunks.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    chunks.append(chr(value + 63))
    return "".join(chunks)


def decode_polyline(text: str) -> list[tuple[float, float]]:
    """Decode to (lat, lon) pairs; an empty or truncated string gives what could be read."""
    coords, index, lat, lon = [], 0, 0, 0
    while index < len(text):
        values = []
        for _ in range(2):
            shift = result = 0
            while index < len(text):
                byte = ord(text[index]) - 63
                index += 1
                result |= (byte & 0x1F) << shift
                shift += 5
                if byte < 0x20:
                    break
            else:
                return coords
            values.append(~(result >> 1) if result & 1 else result >> 1)
        lat, lon = lat + values[0], lon + values[1]
        coords.append((lat / 1e5, lon / 1e5))
    return coords
