"""Reading FIT, GPX and TCX activity files: every fixture's summary, the edge cases the issue names, laps."""

from __future__ import annotations

import gzip
import json
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import numpy as np
import pytest

from core.activity import read_activity
from core.errors import BadInput

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "activity"
EXPECTED = json.loads((FIXTURES / "expected.json").read_text())
READABLE = sorted(name for name, facts in EXPECTED.items() if "error" not in facts)


def read(name: str):
    return read_activity((FIXTURES / name).read_bytes(), name)


@pytest.mark.parametrize("name", READABLE)
def test_fixture_summary_matches_how_the_run_was_made(name):
    """Start, times, sample count, laps, sport, sensors and time zone are what the generator put in the file."""
    facts, activity = EXPECTED[name], read(name).activity
    start = facts["start_utc"] and datetime.fromisoformat(facts["start_utc"])
    found = {"start_utc": activity.start_utc, "elapsed_s": activity.elapsed_s, "timer_s": activity.timer_s,
             "moving_s": activity.moving_s, "samples": activity.samples, "laps": len(activity.laps),
             "file_format": activity.file_format, "sport": activity.sport, "sub_sport": activity.sub_sport,
             "has_positions": activity.has_positions, "has_heart_rate": activity.has_heart_rate,
             "utc_offset_s": activity.utc_offset_s}
    assert found == {k: facts[k] for k in found} | {"start_utc": start}


@pytest.mark.parametrize("name", READABLE)
def test_distance_is_the_runs_within_half_a_percent(name):
    """The file's own distance, or the haversine sum of positions where the file has none, matches the run."""
    assert read(name).activity.distance_m == pytest.approx(EXPECTED[name]["distance_m"], rel=0.005)


def test_fit_paused_mid_run_leaves_the_pause_out_of_moving_and_timer_time():
    """The 60 s between the timer's stop and start events count in elapsed time only; one interval is paused."""
    f = read("run_paused.fit")
    assert (f.activity.elapsed_s - f.activity.timer_s, f.activity.elapsed_s - f.activity.moving_s) == (60.0, 60.0)
    assert f.stream.paused.sum() == 1
    assert f.stream.t_s[np.flatnonzero(f.stream.paused)[0]] == 360.0


def test_standing_still_with_the_timer_running_is_not_moving_time():
    """A 40 s wait at a crossing (timer on, position drifting) is timer time but not moving time."""
    a = read("run.gpx.gz").activity
    assert a.timer_s - a.moving_s == 40.0


def test_fit_local_timestamp_gives_the_zone_of_a_run_crossing_midnight_in_paris():
    """23:50 in Paris (UTC+2) is the run's local start; it ends on the next local day, the same UTC day."""
    a = read("run_midnight_paris.fit").activity
    local_end = a.end_utc.astimezone(a.start_local.tzinfo)
    assert (a.start_local.isoformat(), local_end.date()) == ("2026-06-20T23:50:00+02:00", date(2026, 6, 21))
    assert a.end_utc.date() == date(2026, 6, 20)


def test_gpx_and_tcx_carry_no_time_zone():
    """GPX and TCX times are UTC with no zone: the local start stays unknown rather than guessed."""
    assert [read(n).activity.start_local for n in ("run.gpx.gz", "run_blank_lines.tcx")] == [None, None]


def test_tcx_with_blank_lines_before_its_declaration_is_read():
    """Strava's TCX files may start with blank lines, which a strict parser refuses; ours reads them."""
    raw = (FIXTURES / "run_blank_lines.tcx").read_bytes()
    with pytest.raises(ET.ParseError):
        ET.fromstring(raw)
    assert read("run_blank_lines.tcx").activity.samples == EXPECTED["run_blank_lines.tcx"]["samples"]


def test_gpx_without_time_is_a_route_without_moving_time_and_says_so():
    """A GPX of positions only has a distance but no start, elapsed or moving time, and a note telling why."""
    a = read("route_no_time.gpx").activity
    assert (a.start_utc, a.moving_s, a.elapsed_s) == (None, None, None)
    assert any("route" in note for note in a.notes)


def test_indoor_file_without_positions_keeps_its_own_distance():
    """A treadmill FIT has no positions: the distance comes from the file's records (foot pod), HR absent."""
    f = read("treadmill.fit")
    assert (f.activity.has_positions, f.stream.has("lat_deg"), f.activity.has_heart_rate) == (False, False, False)
    assert f.activity.distance_m == pytest.approx(EXPECTED["treadmill.fit"]["distance_m"], abs=0.01)


@pytest.mark.parametrize("name", ["run_paused.fit", "run_blank_lines.tcx", "run_midnight_paris.fit"])
def test_laps_follow_each_other_and_add_up_to_the_run(name):
    """Laps start where the previous one ended and their distances sum to the run's distance."""
    a = read(name).activity
    ends = [lap.start_s + lap.elapsed_s for lap in a.laps]
    assert [lap.start_s for lap in a.laps[1:]] == pytest.approx(ends[:-1])
    assert sum(lap.distance_m for lap in a.laps) == pytest.approx(a.distance_m, abs=0.5)
    assert ends[-1] == pytest.approx(a.elapsed_s)


def test_tcx_lap_with_a_pause_has_elapsed_longer_than_timer_time():
    """The TCX lap holding the pause lasts 60 s longer than its TotalTimeSeconds (the timer time)."""
    laps = read("run_blank_lines.tcx").activity.laps
    assert [lap.elapsed_s - lap.timer_s for lap in laps] == [0.0, 60.0, 0.0]


def test_gzip_is_recognised_by_its_magic_whatever_the_name():
    """A gzipped GPX named plain .gpx, and a file of two gzip members, read like the original."""
    raw = gzip.decompress((FIXTURES / "run.gpx.gz").read_bytes())
    half = raw.index(b"</trkseg>")
    two_members = gzip.compress(raw[:half]) + gzip.compress(raw[half:])
    samples = {read_activity(data, "run.gpx").activity.samples for data in (gzip.compress(raw), two_members)}
    assert samples == {EXPECTED["run.gpx.gz"]["samples"]}


def test_the_truncated_fixture_is_refused_with_its_reason():
    """A .fit.gz cut short names the file and says the gzip is truncated, with what to do."""
    with pytest.raises(BadInput) as err:
        read("run_truncated.fit.gz")
    assert (err.value.where, err.value.reason.split(":")[0]) == ("run_truncated.fit.gz", "truncated gzip")
    assert "Export the activity again" in err.value.action
