"""Read one activity file from its bytes: gunzip within a size cap, recognise the format, parse, derive.

Every file that cannot be read raises BadInput(file name, reason, action); nothing else escapes for bad bytes.
"""

from __future__ import annotations

import re
import zlib

from core.activity.derive import Decoded, build
from core.activity.model import MAX_SAMPLES, ActivityFile, unreadable

MB = 1024 * 1024
# 64 MB uncompressed per file: 54 hours of 1 Hz GPX with heart rate (a 24-hour one is 28 MB). Parsing takes
# about 14 times a GPX file's size in memory (7 times a TCX's), so this keeps the largest real activities
# readable while a bigger file, or a gzip inflating past it, is refused before it fills the memory.
MAX_BYTES = 64 * MB
GZIP_MAGIC = b"\x1f\x8b"
FORMATS = {".fit": "FIT", ".gpx": "GPX", ".tcx": "TCX"}
_ROOT = re.compile(rb"<(?:[\w.-]+:)?(gpx|TrainingCenterDatabase)[\s>/]")


def read_activity(data: bytes, name: str, *, max_bytes: int = MAX_BYTES,
                  max_samples: int = MAX_SAMPLES) -> ActivityFile:
    """The summary and stream of one FIT, GPX or TCX file (gzipped or not) given its bytes and file name."""
    raw = unpack(data, name, max_bytes)
    return build(parse(raw, name, max_samples), name)


def parse(raw: bytes, name: str, max_samples: int = MAX_SAMPLES) -> Decoded:
    """Decode uncompressed bytes with the parser of the format they hold."""
    from core.activity import fit, gpx, tcx

    parsers = {"FIT": fit.parse_fit, "GPX": gpx.parse_gpx, "TCX": tcx.parse_tcx}
    return parsers[detect_format(raw, name)](raw, name, max_samples)


def unpack(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The file's bytes, gunzipped when they start with the gzip magic (whatever the name says), at most max_bytes."""
    if len(data) > max_bytes:
        raise unreadable(name, f"larger than {max_bytes / MB:.0f} MB: too large for one activity")
    return gunzip(data, name, max_bytes) if data[:2] == GZIP_MAGIC else data


def gunzip(data: bytes, name: str, max_bytes: int = MAX_BYTES) -> bytes:
    """Decompress every gzip member, stopping as soon as the output would pass max_bytes."""
    out, rest = bytearray(), data
    while rest[:2] == GZIP_MAGIC:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            while rest and not inflater.eof:
                out += inflater.decompress(rest, max_bytes + 1 - len(out))
                rest = inflater.unconsumed_tail
                if len(out) > max_bytes:
                    raise unreadable(name, f"decompresses to more than {max_bytes / MB:.0f} MB: refused "
                                         "(a compression bomb, or not one activity)")
        except zlib.error as exc:
            raise unreadable(name, f"damaged gzip ({exc})") from exc
        if not inflater.eof:
            raise unreadable(name, "truncated gzip: the file ends before its compressed data does")
        rest = inflater.unused_data
    return bytes(out)


def detect_format(raw: bytes, name: str) -> str:
    """'FIT', 'GPX' or 'TCX' from the content; the name only words the error when the content is none of them."""
    if len(raw) >= 12 and raw[8:12] == b".FIT":
        return "FIT"
    found = _ROOT.search(raw[:4096])
    if found:
        return "GPX" if found.group(1) == b"gpx" else "TCX"
    expected = FORMATS.get(_suffix(name))
    what = "empty file" if not raw.strip() else f"not a {expected} file" if expected else "not a FIT, GPX or TCX file"
    raise unreadable(name, what)


def _suffix(name: str) -> str:
    lower = name.lower().removesuffix(".gz")
    return lower[lower.rfind("."):] if "." in lower else ""
