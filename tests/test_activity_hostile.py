"""Hostile activity files: bombs, truncation, damage, garbage and oversize all end in BadInput with a reason."""

from __future__ import annotations

import gzip
import random
import struct
import zlib
from pathlib import Path

import pytest

from core.activity import MAX_BYTES, read_activity
from core.activity.fit import _crc
from core.errors import BadInput

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"
FIT = (FIXTURES / "run_paused.fit").read_bytes()
TCX = (FIXTURES / "run_blank_lines.tcx").read_bytes()
GPX = gzip.decompress((FIXTURES / "run.gpx.gz").read_bytes())
LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 or "")) * 10}">' for i in range(1, 10)) + "]>\n")
XXE = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>\n'
GPX_NS = 'xmlns="http://www.topografix.com/GPX/1/1" version="1.1"'
TCD_NS = 'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2"'


def with_crc(body: bytes) -> bytes:
    """A FIT file around `body` (header with the data size, trailing CRC)."""
    head = bytearray(FIT[:14])
    struct.pack_into("<I", head, 4, len(body))
    struct.pack_into("<H", head, 12, _crc(bytes(head), 0, 12))
    data = bytes(head) + body
    return data + struct.pack("<H", _crc(data, 0, len(data)))


def flipped(data: bytes, at: int) -> bytes:
    return data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]


HOSTILE = [
    ("billion laughs in a GPX", (LAUGHS + f"<gpx {GPX_NS}><trk><name>&lol9;</name></trk></gpx>").encode(), "x.gpx",
     "document type declaration"),
    ("billion laughs in a TCX", (LAUGHS + f"<TrainingCenterDatabase {TCD_NS}>&lol9;</TrainingCenterDatabase>")
     .encode(), "x.tcx", "document type declaration"),
    ("external entity in a TCX", (XXE + f"<TrainingCenterDatabase {TCD_NS}>&e;</TrainingCenterDatabase>").encode(),
     "x.tcx", "document type declaration"),
    ("truncated FIT", FIT[: len(FIT) // 2], "run.fit", "truncated FIT file"),
    ("FIT with a damaged byte", flipped(FIT, 3000), "run.fit", "checksum"),
    ("FIT with trailing garbage", FIT + b"\x00" * 20, "run.fit", "trailing bytes"),
    ("FIT without records", with_crc(b""), "settings.fit", "no records"),
    ("garbage named .fit", random.Random(1).randbytes(5000), "run.fit", "not a FIT file"),
    ("garbage named .gpx", b"PK\x03\x04" + bytes(200), "run.gpx", "not a GPX file"),
    ("garbage named .gz", gzip.compress(b"hello " * 100), "a.tcx.gz", "not a TCX file"),
    ("an unknown kind of file", b"%PDF-1.7\n", "notes.pdf", "not a FIT, GPX or TCX file"),
    ("an empty file", b"", "run.fit", "empty file"),
    ("a gzip damaged inside", flipped(gzip.compress(GPX), 500), "run.gpx.gz", "damaged gzip"),
    ("a truncated gzip", gzip.compress(GPX)[:-100], "run.gpx.gz", "truncated gzip"),
    ("GPX with waypoints only", f'<gpx {GPX_NS}><wpt lat="1" lon="2"/></gpx>'.encode(), "w.gpx",
     "GPX has no track points"),
    ("GPX that is not well formed", f"<gpx {GPX_NS}><trk><trkseg><trkpt lat=".encode(), "w.gpx", "not a readable"),
    ("TCX without trackpoints", f"<TrainingCenterDatabase {TCD_NS}><Activities><Activity Sport='Running'>"
     "<Lap StartTime='2026-01-01T00:00:00Z'/></Activity></Activities></TrainingCenterDatabase>".encode(),
     "e.tcx", "TCX has no track points"),
    ("TCX with a word for a number", TCX.replace(b"<AltitudeMeters>3", b"<AltitudeMeters>high3", 1), "a.tcx",
     "is not a number"),
    ("TCX with a broken time", TCX.replace(b"<Time>2026", b"<Time>yesterday", 1), "a.tcx", "ISO 8601"),
    ("XML in an unknown encoding", b'<?xml version="1.0" encoding="klingon"?><gpx/>', "k.gpx", "encoding"),
]


@pytest.mark.parametrize(("what", "data", "name", "reason"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_with_a_reason(what, data, name, reason):
    """Each hostile file raises BadInput naming the file, with the reason and what to do."""
    with pytest.raises(BadInput) as err:
        read_activity(data, name)
    assert (err.value.where, reason in err.value.reason) == (name, True), err.value.reason
    assert err.value.action


def test_gzip_bomb_is_stopped_at_the_size_cap():
    """64 MB of zeros in a 64 kB gzip is refused once the output passes the cap, before it is all inflated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = b"".join(packer.compress(bytes(1 << 20)) for _ in range(64)) + packer.flush()
    assert len(bomb) < 100_000
    with pytest.raises(BadInput, match="decompresses to more than 8 MB"):
        read_activity(bomb, "bomb.fit.gz", max_bytes=8 << 20)


def test_oversized_file_is_refused_before_it_is_read():
    """A file larger than the cap is refused at once; the default cap is 64 MB per uncompressed file."""
    with pytest.raises(BadInput, match="larger than 1 MB"):
        read_activity(b"\0" * ((1 << 20) + 1), "huge.fit", max_bytes=1 << 20)
    assert MAX_BYTES == 64 * 1024 * 1024


@pytest.mark.parametrize("name", ["run_paused.fit", "run_blank_lines.tcx", "run.gpx.gz", "treadmill.fit"])
def test_random_damage_never_escapes_as_another_error(name):
    """Cut or corrupt a fixture at 30 seeded places (FIT's CRC made right again): it reads, or raises BadInput."""
    raw = (FIXTURES / name).read_bytes()
    rng = random.Random(name)
    for _ in range(30):
        at = rng.randrange(len(raw))
        data = rng.choice([raw[:at], flipped(raw, at), raw[:at] + raw[at + rng.randrange(1, 50):]])
        if name.endswith(".fit") and data[8:12] == b".FIT" and at > 14:
            data = with_crc(data[14:-2])  # past the CRC: the damage reaches fitdecode itself
        try:
            read_activity(data, name)
        except BadInput as err:
            assert err.where == name


@pytest.mark.parametrize("name", ["run_paused.fit", "run.gpx.gz", "run_blank_lines.tcx"])
def test_an_activity_with_too_many_samples_is_refused(name):
    """Past max_samples (200,000 by default, 55 hours at 1 Hz) a file is refused as not one activity."""
    with pytest.raises(BadInput, match="more than 50 samples: not one activity"):
        read_activity((FIXTURES / name).read_bytes(), name, max_samples=50)
