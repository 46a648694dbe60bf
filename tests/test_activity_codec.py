"""The stream blob: lossless to each column's documented step, compact, versioned, and refusing damage."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from core.activity import blob_name, decode_stream, encode_stream, read_activity
from core.activity.codec import STEP
from core.activity.model import FLAG_COLUMNS, FLOAT_COLUMNS, Stream
from core.errors import BadInput

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"
TOLERANCE = {name: step / 2 + 1e-9 for name, step in STEP.items()}  # half a step, plus float rounding at 1e6


def random_stream(rng: random.Random, n: int) -> Stream:
    """A stream of n samples with random values, scales and missing samples, some columns absent."""
    gen = np.random.default_rng(rng.randrange(1 << 32))
    cols = {}
    for name in FLOAT_COLUMNS:
        kind = rng.choice(["walk", "walk", "absent", "wild"])
        values = np.cumsum(gen.normal(0, rng.choice([1e-6, 1.0, 1e3]), n)) if kind == "walk" else \
            gen.uniform(-1e6, 1e6, n) if kind == "wild" else np.full(n, np.nan)
        values[gen.random(n) < rng.choice([0, 0.1, 0.9])] = np.nan
        cols[name] = values
    start = None if rng.random() < 0.2 else datetime.fromtimestamp(rng.randrange(0, 2_000_000_000), UTC)
    flags = {name: gen.random(n) < 0.3 for name in FLAG_COLUMNS}
    return Stream(start, **cols, **flags)


@pytest.mark.parametrize("n", [0, 1, 2, 7, 8, 9, 1000])
def test_random_streams_round_trip_within_half_a_step(n):
    """Seeded random streams (NaN, absent columns, wide ranges, no start) decode to what was encoded."""
    rng = random.Random(n)
    for _ in range(20):
        stream = random_stream(rng, n)
        assert decode_stream(encode_stream(stream)).same_as(stream, TOLERANCE)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.iterdir()
                                        if p.name not in ("expected.json", "run_truncated.fit.gz")))
def test_every_fixture_stream_round_trips(name):
    """A parsed file's stream survives the blob to its precision: 1e-7 deg, 1 cm, 0.1 m, 1 bpm, 1 ms, 1 mm/s."""
    stream = read_activity((FIXTURES / name).read_bytes(), name).stream
    back = decode_stream(encode_stream(stream))
    assert back.same_as(stream, TOLERANCE)
    assert not back.same_as(stream)  # the tolerance is needed: the blob really is quantised


def test_an_hour_at_one_hertz_takes_under_24_kb():
    """A one-hour 1 Hz run with every column fits in about 6 bytes a sample (the bench reports the figure)."""
    gen, n = np.random.default_rng(3), 3600
    speed = 3 + 0.3 * np.sin(np.arange(n) / 97) + gen.normal(0, 0.05, n)
    heading = np.cumsum(gen.normal(0, 0.05, n))
    stream = Stream(datetime(2026, 1, 1, tzinfo=UTC), np.arange(n, dtype=float), np.cumsum(speed),
                    48.85 + np.cumsum(speed * np.cos(heading)) / 111_195,
                    2.35 + np.cumsum(speed * np.sin(heading)) / 73_000,
                    np.round(35 + 8 * np.sin(np.arange(n) / 600), 1),
                    np.round(150 + gen.normal(0, 2, n)), np.round(85 + gen.normal(0, 1, n)), np.round(speed, 3),
                    np.zeros(n, bool), np.ones(n, bool))
    assert len(encode_stream(stream)) < 24_000


@pytest.mark.parametrize(("what", "damage"), [
    ("truncated", lambda b: b[: len(b) // 2]),
    ("header only", lambda b: b[:20]),
    ("empty", lambda b: b""),
    ("another format", lambda b: b"PK" + b[2:]),
    ("a newer version", lambda b: b[:4] + bytes([2]) + b[5:]),
    ("a flipped byte in the body", lambda b: b[:-30] + bytes([b[-30] ^ 0xFF]) + b[-29:]),
    ("more samples than the body holds", lambda b: b[:5] + (10**6).to_bytes(4, "little") + b[9:]),
])
def test_a_damaged_blob_is_refused(what, damage):
    """A blob that is cut, foreign, from a newer version or corrupted raises BadInput, never garbage."""
    blob = encode_stream(read_activity((FIXTURES / "run_paused.fit").read_bytes(), "run_paused.fit").stream)
    with pytest.raises(BadInput, match="stream blob"):
        decode_stream(damage(blob))


@pytest.mark.parametrize(("key", "name"), [("12345", "streams/12345.v1"),
                                           ("run/2026 05 02", "streams/run%2F2026%2005%2002.v1")])
def test_blob_name_keeps_one_flat_name_per_run(key, name):
    """A run's stream blob is streams/<key>.v1, the key percent-encoded so no key makes a folder."""
    assert blob_name(key) == name


def test_random_damage_to_a_blob_is_refused_or_decodes_to_a_stream():
    """500 seeded corruptions of a blob (header or body) give BadInput or a stream, never another error or a
    huge allocation (the header's sample count is checked against the body before anything is allocated)."""
    blob = encode_stream(read_activity((FIXTURES / "run_paused.fit").read_bytes(), "run_paused.fit").stream)
    rng, refused = random.Random(11), 0
    for _ in range(500):
        damaged = bytearray(blob)
        for _ in range(rng.randint(1, 3)):
            damaged[rng.randrange(min(len(blob), 120))] = rng.randrange(256)
        try:
            assert len(decode_stream(bytes(damaged))) <= 200_000
        except BadInput:
            refused += 1
    assert refused > 250
