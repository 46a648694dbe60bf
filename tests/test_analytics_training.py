"""Training analytics: one-rep max estimates, rep maxes, volume, bodyweight and pounds input."""

from __future__ import annotations

import pandas as pd
import pytest

from core.analytics import training as ta
from core.records import frame_from_rows
from core.units import lb_to_kg


def sets(rows):
    """Sets from (date, exercise, reps, load kg) tuples."""
    return frame_from_rows("set", [{"session_date": d, "exercise": e, "set_number": i, "reps": r, "load_kg": w,
                                    "source": "t", "key": f"k{i}"} for i, (d, e, r, w) in enumerate(rows)])


@pytest.mark.parametrize("load,reps,epley,brzycki", [(100, 1, 100, 100), (100, 5, 116.667, 112.5),
                                                     (100, 10, 133.333, 133.333), (60, 12, 84.0, 86.4)])
def test_epley_and_brzycki(load, reps, epley, brzycki):
    """Hand-computed: 100x5 -> Epley 116.7, Brzycki 112.5; a single is its own max."""
    assert float(ta.epley(load, reps)) == pytest.approx(epley, abs=1e-3)
    assert float(ta.brzycki(load, reps)) == pytest.approx(brzycki, abs=1e-3)


def test_e1rm_per_session_flags_high_rep_estimates():
    """The best set per session gives the estimate; from more than 10 reps it is low-confidence."""
    frame = sets([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Squat", 3, 105), ("2026-03-04", "Squat", 12, 70)])
    e1rm = ta.e1rm_by_session(frame)
    assert e1rm.epley_kg.round(2).tolist() == [116.67, 98.0]
    assert e1rm.low_confidence.tolist() == [False, True]


def test_summary_rep_maxes_and_volume():
    """Heaviest, total reps, per-rep average; 3RM/5RM as 'at least N reps'; volume per Monday week."""
    frame = sets([("2026-03-02", "Squat", 5, 100), ("2026-03-02", "Squat", 3, 110), ("2026-03-09", "Squat", 1, 120)])
    summary = ta.exercise_summary(frame)
    assert summary == {"heaviest_load_kg": 120, "total_reps": 9, "sets": 3,
                       "average_load_per_rep_kg": pytest.approx((500 + 330 + 120) / 9)}
    maxes = ta.rep_maxes(frame).set_index("reps").load_kg
    assert maxes[1] == 120 and maxes[3] == 110 and maxes[5] == 100 and pd.isna(maxes[10])
    volume = ta.weekly_volume(frame)
    assert volume.volume_kg.tolist() == [830.0, 120.0] and volume.sessions.tolist() == [1.0, 1.0]


def test_pounds_logged_are_converted_before_analysis():
    """A set logged as 225 lb x 5 is 102.06 kg, and its Epley estimate is in kg."""
    frame = sets([("2026-03-02", "Deadlift", 5, lb_to_kg(225))])
    assert float(ta.e1rm_by_session(frame).epley_kg.iloc[0]) == pytest.approx(102.058 * (1 + 5 / 30), abs=1e-3)


def test_bodyweight_exercise_uses_that_days_first_weigh_in():
    """Pull-ups with +10 kg on a day weighing 80 kg count as 90 kg; without a weigh-in, unknown."""
    frame = sets([("2026-03-02", "Pull-up", 8, 10.0), ("2026-03-03", "Pull-up", 10, 0.0)])
    body = frame_from_rows("body", [
        {"time_utc": "2026-03-02T06:00:00Z", "local_date": "2026-03-02", "weight_kg": 80.0, "source": "t", "key": "a"},
        {"time_utc": "2026-03-02T19:00:00Z", "local_date": "2026-03-02", "weight_kg": 81.0, "source": "t", "key": "b"}])
    out = ta.with_bodyweight(frame, body)
    assert out.effective_load_kg.iloc[0] == 90.0 and pd.isna(out.effective_load_kg.iloc[1])
    assert ta.is_bodyweight("Pull-up") and not ta.is_bodyweight("Back squat")


def test_empty_inputs():
    """No sets: empty estimates and volume, rep maxes all unknown."""
    empty = sets([])
    assert ta.e1rm_by_session(empty).empty and ta.weekly_volume(empty).empty
    assert ta.rep_maxes(empty).load_kg.isna().all()
