"""A run's stream and laps kept in the store's blobs on every backend, looked up by the run's key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.activity import read_activity
from core.activity.codec import STEP
from core.activity.storage import delete_detail, detail_keys, laps_blob_name, load_laps, load_stream, save_detail
from core.errors import BadInput

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"
TOLERANCE = {name: step / 2 + 1e-9 for name, step in STEP.items()}


def _a_fit_file():
    """The first FIT fixture with laps, parsed."""
    for path in sorted(FIXTURES.glob("*.fit*")):
        if "truncated" in path.name:
            continue
        parsed = read_activity(path.read_bytes(), path.name)
        if parsed.activity.laps:
            return parsed
    raise AssertionError("no FIT fixture with laps")


def test_detail_round_trips_on_every_backend(any_store):
    """What save_detail keeps, load_stream and load_laps give back, for a key with odd characters."""
    parsed, key = _a_fit_file(), "strava:123/45 ü"
    save_detail(any_store, key, parsed.stream, parsed.activity.laps)
    assert load_stream(any_store, key).same_as(parsed.stream, TOLERANCE)
    assert load_laps(any_store, key) == parsed.activity.laps


def test_a_run_without_detail_has_no_stream_and_no_laps(store):
    """A summary-only run (no file imported) reads as None and no laps, not as an error."""
    assert load_stream(store, "strava:1") is None
    assert load_laps(store, "strava:1") == ()


def test_damaged_laps_are_refused_with_what_to_do(store):
    """Laps that are not the stored JSON raise BadInput naming the run and saying to import the file again."""
    store.put_blob(laps_blob_name("strava:9"), b"{not json")
    with pytest.raises(BadInput) as caught:
        load_laps(store, "strava:9")
    assert "strava:9" in str(caught.value) and "Import the run's activity file again" in caught.value.action


def test_deleted_detail_is_gone_and_other_runs_keep_theirs(any_store):
    """delete_detail removes one run's stream and laps on every backend; detail_keys lists the runs left."""
    parsed = _a_fit_file()
    for key in ("strava:1", "file:2026-03-01T07:00:00Z"):
        save_detail(any_store, key, parsed.stream, parsed.activity.laps)
    assert detail_keys(any_store) == {"strava:1", "file:2026-03-01T07:00:00Z"}
    delete_detail(any_store, "strava:1")
    delete_detail(any_store, "strava:404")  # nothing stored: no error
    assert (load_stream(any_store, "strava:1"), load_laps(any_store, "strava:1")) == (None, ())
    assert detail_keys(any_store) == {"file:2026-03-01T07:00:00Z"}
    assert load_laps(any_store, "file:2026-03-01T07:00:00Z") == parsed.activity.laps
