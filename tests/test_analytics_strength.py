"""Training analytics: one-rep max estimates, rep maxes, volume, bodyweight and pounds input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from core.analytics import strength as sa
from tests.builders import sets, weigh_ins

D = pd.Timestamp


@pytest.mark.parametrize("load,reps,epley,brzycki", [(100, 1, 100, 100), (100, 5, 116.667, 112.5),
                                                     (100, 10, 133.333, 133.333), (60, 12, 84.0, 86.4)])
def test_epley_and_brzycki(load, reps, epley, brzycki):
    """Hand-computed: 100x5 -> Epley 116.7, Brzycki 112.5; a single is its own max."""
    assert float(sa.epley(load, reps)) == pytest.approx(epley, abs=1e-3)
    assert float(sa.brzycki(load, reps)) == pytest.approx(brzycki, abs=1e-3)


@pytest.mark.parametrize("rows,epley,low", [
    # Session 1: 100x5 (116.67) beats 105x3 (115.5); session 2: 70x12 is 98.0, from more than 10 reps.
    ([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Squat", 3, 105), ("2026-03-04", "Squat", 12, 70)],
     [116.67, 98.0], [False, True]),
    ([("2026-03-02", "Squat", 10, 90)], [120.0], [False]),  # a single set; 10 reps is still confident
    ([("2026-03-02", "Pull-up", 8, 0.0)], [], []),  # no load, no estimate
])
def test_e1rm_per_session_flags_high_rep_estimates(rows, epley, low):
    """The best set per session gives the estimate; from more than 10 reps it is low-confidence."""
    e1rm = sa.e1rm_by_session(sets(rows))
    assert e1rm.epley_kg.round(2).tolist() == epley and e1rm.low_confidence.tolist() == low


@pytest.mark.parametrize("rows,expected", [
    ([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Squat", 3, 110), ("2026-03-09", "Squat", 1, 120)],
     {"heaviest_load_kg": 120, "total_reps": 9, "sets": 3, "sessions": 2, "max_set_reps": 5,
      "average_load_per_rep_kg": (500 + 330 + 120) / 9}),
    ([("2026-03-02", "Pull-up", 8, 0.0), ("2026-03-02", "Pull-up", 6, 0.0), ("2026-03-04", "Pull-up", 9, 0.0)],
     {"heaviest_load_kg": 0, "total_reps": 23, "sets": 3, "sessions": 2, "max_set_reps": 9,
      "average_load_per_rep_kg": 0}),
    ([("2026-03-02", "Squat", 5, 100)], {"heaviest_load_kg": 100, "total_reps": 5, "sets": 1, "sessions": 1,
                                         "max_set_reps": 5, "average_load_per_rep_kg": 100}),
])
def test_exercise_summary(rows, expected):
    """Heaviest load, total reps, sets, sessions, most reps in one set and load per rep."""
    assert sa.exercise_summary(sets(rows)) == pytest.approx(expected)


def test_summary_of_no_sets_has_no_maximum():
    """No sets: zero reps and sets, unknown (NaN) heaviest load and most reps."""
    summary = sa.exercise_summary(sets([]))
    assert summary["total_reps"] == 0 and summary["sets"] == 0 and summary["sessions"] == 0
    assert math.isnan(summary["heaviest_load_kg"]) and math.isnan(summary["max_set_reps"])


@pytest.mark.parametrize("rows,expected", [
    ([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Squat", 3, 110), ("2026-03-09", "Squat", 1, 120)],
     {1: 120, 3: 110, 5: 100, 10: None}),
    ([("2026-03-02", "Squat", 10, 80), ("2026-03-02", "Squat", 12, 70)], {1: 80, 3: 80, 5: 80, 10: 80}),
    ([], {1: None, 3: None, 5: None, 10: None}),
])
def test_rep_max_is_the_heaviest_load_for_at_least_n_reps(rows, expected):
    """3RM is the heaviest set of 3 reps or more; never done gives no value."""
    maxes = sa.rep_maxes(sets(rows)).set_index("reps").load_kg
    assert {n: (None if pd.isna(v) else v) for n, v in maxes.items()} == expected


@pytest.mark.parametrize("rows,weeks,volume,sessions", [
    # Sunday 8 March belongs to the week of 2 March; Monday 9 March starts the next.
    ([("2026-03-02", "Squat", 5, 100), ("2026-03-08", "Squat", 3, 110), ("2026-03-09", "Squat", 1, 120)],
     ["2026-03-02", "2026-03-09"], [830.0, 120.0], [2.0, 1.0]),
    # Two exercises in one session count as one session; a gap week has no row.
    ([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Deadlift", 5, 120), ("2026-03-16", "Squat", 2, 50)],
     ["2026-03-02", "2026-03-16"], [1100.0, 100.0], [1.0, 1.0]),
    ([], [], [], []),
])
def test_weekly_volume_and_sessions_per_local_week(rows, weeks, volume, sessions):
    """Volume is the sum of reps x load per Monday-Sunday week; sessions are distinct dates."""
    out = sa.weekly_volume(sets(rows))
    assert out.index.tolist() == [D(w) for w in weeks]
    assert out.volume_kg.tolist() == volume and out.sessions.tolist() == sessions


@pytest.mark.parametrize("start,end,kept", [("2026-03-03", "2026-03-04", ["k1", "k2"]), (None, "2026-03-02", ["k0"]),
                                            ("2026-03-04", None, ["k2"]), ("2026-04-01", "2026-04-30", [])])
def test_in_range_is_inclusive_on_session_dates(start, end, kept):
    """A custom range keeps the sets of its first and last days, and none outside it."""
    frame = sets([("2026-03-02", "Squat", 5, 100), ("2026-03-03", "Squat", 5, 100), ("2026-03-04", "Squat", 5, 100)])
    bound = (None if start is None else D(start), None if end is None else D(end))
    assert sa.in_range(frame, *bound).key.tolist() == kept


def test_reps_by_session():
    """Per session: all reps of the sets, and the most in one set."""
    frame = sets([("2026-03-02", "Pull-up", 8, 0.0), ("2026-03-02", "Pull-up", 6, 0.0),
                  ("2026-03-04", "Pull-up", 9, 0.0)])
    out = sa.reps_by_session(frame)
    assert out.index.tolist() == [D("2026-03-02"), D("2026-03-04")]
    assert out.reps.tolist() == [14.0, 9.0] and out.max_set_reps.tolist() == [8.0, 9.0]
    assert sa.reps_by_session(sets([])).empty


def test_pounds_logged_are_converted_before_analysis():
    """A set logged as 225 lb x 5, read as the sheet and CSV imports read it, is 102.06 kg; its Epley estimate in kg."""
    from core.records import SET, frame_from_rows
    from core.sources.sheets.parse import parse_rows

    parsed = parse_rows([["Date", "Exercise", "Set", "Reps", "Load (lb)"], ["2026-03-02", "Deadlift", "1", "5", "225"]],
                        "t")
    frame = frame_from_rows(SET, [{**r.fields, "source": r.source, "key": r.key} for r in parsed.records])
    assert float(sa.e1rm_by_session(frame).epley_kg.iloc[0]) == pytest.approx(102.058 * (1 + 5 / 30), abs=1e-3)


@pytest.mark.parametrize("row,effective", [
    (("2026-03-02", "Pull-up", 8, 10.0), 90.0),  # first weigh-in of the day (80.0) + 10 kg added
    (("2026-03-03", "Pull-up", 10, 0.0), 79.0),  # 07:00 in Sydney: weighed on the 3rd, UTC says the 2nd
    (("2026-03-04", "Pull-up", 10, 0.0), None),  # no weigh-in that day: load unknown, the set is kept
    (("2026-03-02", "Back squat", 5, 100.0), 100.0),  # not a bodyweight exercise: its load as logged
])
def test_bodyweight_exercise_uses_that_days_first_weigh_in(row, effective):
    """Bodyweight sets weigh body + added load on a local day with a weigh-in, and stay (unknown load) otherwise."""
    body = weigh_ins([("2026-03-02T06:00:00Z", "2026-03-02", 80.0), ("2026-03-02T19:00:00Z", "2026-03-02", 81.0),
                      ("2026-03-02T20:00:00Z", "2026-03-03", 79.0)])
    out = sa.with_bodyweight(sets([row]), body)
    assert len(out) == 1
    value = out.effective_load_kg.iloc[0]
    assert (None if pd.isna(value) else value) == effective


@pytest.mark.parametrize("name,bodyweight", [
    ("Pull-up", True), (" pull-ups ", True), ("pull up", True), ("PU", True), ("Strict pull-up", True),
    ("Kipping Pull-Ups", True), ("Weighted pull-up", True), ("Chin-ups", True), ("C2B", True), ("chest to bar", True),
    ("HSPU", True), ("strict hspu", True), ("TTB", True), ("T2B", True), ("Toes to bar", True), ("K2E", True),
    ("Dips", True), ("ring dips", True), ("Burpee", True), ("Bar muscle-ups", True), ("MU", True), ("Pistols", True),
    ("Air squats", True), ("Back squat", False), ("Kettlebell swing", False), ("Push press", False),
    ("Press", False), ("Deadlift", False)])
def test_bodyweight_exercises_by_name_and_abbreviation(name, bodyweight):
    """Bodyweight exercises are recognised whatever the case, spacing, plural, modifier or whiteboard abbreviation."""
    assert sa.is_bodyweight(name) is bodyweight


def test_the_bodyweight_setting_adds_names_and_changes_the_effective_load():
    """A name added by [strength] bodyweight_exercises counts as bodyweight: body weight + added load."""
    rows = sets([("2026-03-02", "Hanging L-sit", 10, 0.0), ("2026-03-02", "Pull-up", 8, 0.0)])
    body = weigh_ins([("2026-03-02T06:00:00Z", "2026-03-02", 80.0)])
    assert sa.with_bodyweight(rows, body).effective_load_kg.tolist() == [0.0, 80.0]
    assert sa.with_bodyweight(rows, body, ["hanging L-sits"]).effective_load_kg.tolist() == [80.0, 80.0]
    assert sa.bodyweight_names(rows.exercise, ["hanging l-sit"]) == ["Hanging L-sit", "Pull-up"]


def test_empty_inputs():
    """No sets: empty estimates and volume, rep maxes all unknown."""
    empty = sets([])
    assert sa.e1rm_by_session(empty).empty and sa.weekly_volume(empty).empty
    assert sa.rep_maxes(empty).load_kg.isna().all()
