"""Training load per session: TRIMP and hrTSS against hand-computed values, the fallbacks, session RPE."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from core.analytics.athlete import Athlete, athlete_from_section, athlete_notes
from core.analytics.hr_summary import summarise
from core.analytics.run_load import run_loads, trimp_from_stream
from core.analytics.strength_load import strength_loads
from core.config import build_settings
from core.errors import ConfigError
from core.records import frame_from_rows

MAN = Athlete("male", max_hr_bpm=190.0, resting_hr_bpm=60.0, threshold_hr_bpm=170.0)
WOMAN = Athlete("female", max_hr_bpm=190.0, resting_hr_bpm=60.0, threshold_hr_bpm=170.0)


def runs(*rows: dict) -> pd.DataFrame:
    """Run records with defaults: a Monday-morning start a week apart, 10 km."""
    base = pd.Timestamp("2026-03-02T07:00:00")
    return frame_from_rows("run", [
        {"start_time_utc": (base + pd.Timedelta(weeks=i)).isoformat() + "Z",
         "start_time_local": (base + pd.Timedelta(weeks=i, hours=1)).isoformat(), "key": f"r{i}",
         "distance_m": 10_000.0, **row} for i, row in enumerate(rows)])


@pytest.mark.parametrize("athlete,minutes,bpm,trimp,hrtss", [
    # HRr = (150 - 60) / (190 - 60) = 0.6923; 60 x 0.6923 x 0.64 x e^(1.92 x 0.6923) = 100.44
    (MAN, 60, 150.0, 100.44, 60.89),  # hrTSS: / (60 x 0.8462 x 0.64 x e^(1.92 x 0.8462) = 164.95) x 100
    (WOMAN, 60, 150.0, 113.52, None),  # 60 x 0.6923 x 0.86 x e^(1.67 x 0.6923)
    (MAN, 60, 170.0, 164.95, 100.0),  # an hour at threshold is 100 by definition
    (MAN, 30, 170.0, 82.47, 50.0),
    (MAN, 30, 200.0, 130.96, None),  # above max HR counts as max: 30 x 1 x 0.64 x e^1.92
    (MAN, 45, 55.0, 0.0, 0.0),  # below resting HR: no load
])
def test_trimp_and_hrtss_from_the_average_heart_rate(athlete, minutes, bpm, trimp, hrtss):
    """Banister TRIMP with the sex factor and hrTSS (an hour at threshold = 100), from the run's average HR."""
    loads = run_loads(runs({"moving_time_s": minutes * 60.0, "average_heartrate_bpm": bpm}), athlete)
    assert loads.method.tolist() == ["average HR"]
    assert loads.trimp.iloc[0] == pytest.approx(trimp, abs=0.01)
    if hrtss is not None:
        assert loads.load.iloc[0] == pytest.approx(hrtss, abs=0.01)


def test_trimp_from_a_stream_holds_each_sample_until_the_next_and_skips_pauses():
    """Samples at 0, 10, 20, 80, 90 s: the 60 s gap is a pause; each other 10 s counts at its first sample's HR."""
    weight = lambda bpm: (bpm - 60) / 130 * 0.64 * math.exp(1.92 * (bpm - 60) / 130)  # noqa: E731
    expected = 10 / 60 * (weight(120) + weight(150) + weight(160))
    stream = [(0, 120), (10, 150), (20, 150), (80, 160), (90, 100)]
    assert trimp_from_stream(stream, 60.0, 190.0, "male") == pytest.approx(expected)
    assert trimp_from_stream(np.array(stream[::-1]), 60.0, 190.0, "male") == pytest.approx(expected), "any order"
    assert trimp_from_stream([(0, 150)], 60.0, 190.0, "male") == 0.0
    assert trimp_from_stream([(0, 150), (5, float("nan")), (10, 150)], 60.0, 190.0, "male") == pytest.approx(
        10 / 60 * weight(150)), "a sample without HR is dropped"
    with pytest.raises(ValueError, match=r"\(seconds, bpm\) pairs"):
        trimp_from_stream(np.arange(6.0), 60.0, 190.0, "male")


def test_corrupt_durations_and_heart_rates_give_no_negative_or_infinite_load():
    """A negative moving time, a zero distance and an HR of 0 score 0 or a finite estimate, never below 0."""
    table = runs({"moving_time_s": -3600.0, "average_heartrate_bpm": 150.0},
                 {"moving_time_s": 3600.0, "distance_m": 0.0},
                 {"moving_time_s": 3600.0, "average_heartrate_bpm": 0.0})
    loads = run_loads(table, MAN)
    assert loads.load.tolist() == pytest.approx([0.0, 56.25, 0.0]) and np.isfinite(loads.load).all()
    assert loads.method.tolist() == ["average HR", "duration estimate", "average HR"]


def test_a_stream_wins_over_the_average_and_each_run_names_its_method():
    """Stream, then average HR, then pace: one run of each, each labelled."""
    table = runs({"moving_time_s": 3600.0, "average_heartrate_bpm": 150.0},
                 {"moving_time_s": 3600.0, "average_heartrate_bpm": 150.0},
                 {"moving_time_s": 3600.0})
    stream = [(s, 170.0) for s in range(0, 3601, 5)]  # one hour at threshold
    loads = run_loads(table, MAN, streams={"r0": summarise(np.array(stream, dtype=float))})
    assert loads.method.tolist() == ["HR stream", "average HR", "pace estimate"]
    assert loads.load.round(2).tolist() == [100.0, 60.89, 56.25]


def test_without_heart_rate_settings_runs_get_the_pace_estimate():
    """TSS = hours x IF^2 x 100 with IF 0.75 at the usual pace, scaled by speed against the runs before it."""
    table = runs({"moving_time_s": 3000.0, "average_heartrate_bpm": 150.0},  # first run: its own usual pace
                 {"moving_time_s": 2500.0},  # 4 m/s against a usual 3.33: IF 0.9
                 {"moving_time_s": 1800.0, "distance_m": float("nan")},  # no speed: IF 0.75
                 {"moving_time_s": 600.0, "distance_m": 10_000.0})  # absurdly fast: IF capped at 1.15
    loads = run_loads(table, Athlete())
    assert loads.method.tolist() == ["pace estimate", "pace estimate", "duration estimate", "pace estimate"]
    assert loads.load.tolist() == pytest.approx([50 / 60 * 56.25, 2500 / 3600 * 81.0, 0.5 * 56.25, 600 / 3600 * 132.25])
    assert loads.trimp.isna().all() and loads.date.tolist()[0] == pd.Timestamp("2026-03-02")


def test_max_hr_from_age_only_with_a_birth_year_and_threshold_from_max():
    """220 - age when no max HR is set (labelled), 91 % of it as threshold; no HR method without resting HR."""
    aged = Athlete("male", birth_year=1986, resting_hr_bpm=50.0)  # 40 in 2026: max 180, threshold 163.8
    loads = run_loads(runs({"moving_time_s": 2700.0, "average_heartrate_bpm": 140.0}), aged)
    assert loads.trimp.iloc[0] == pytest.approx(75.33, abs=0.01)
    assert loads.load.iloc[0] == pytest.approx(41.74, abs=0.01)
    assert "220 - age" in athlete_notes(aged)[0] and "91%" in athlete_notes(aged)[1]
    no_rest = Athlete("male", birth_year=1986)
    assert run_loads(runs({"moving_time_s": 2700.0, "average_heartrate_bpm": 140.0}), no_rest).method[0] == \
        "pace estimate"
    assert athlete_notes(no_rest) == ["Run load is estimated from pace and duration: heart rate needs [athlete] "
                                      "resting_hr_bpm."]
    assert np.isnan(Athlete().max_hr(np.array([2026.0]))[0]), "no made-up max HR"


def sets(*rows: dict) -> pd.DataFrame:
    return frame_from_rows("set", [{"exercise": "Back squat", "set_number": i + 1, **row}
                                   for i, row in enumerate(rows)])


def test_session_rpe_times_minutes_from_rpe_or_reps_in_reserve():
    """Foster: mean set RPE x minutes (logged duration, else 3 min a set); RIR counts as RPE 10 - RIR."""
    logged = sets({"session_date": "2026-03-02", "reps": 5, "load_kg": 100.0}, {"session_date": "2026-03-02",
                  "reps": 5, "load_kg": 100.0}).assign(rpe=[6.0, 8.0], session_duration_s=[2700.0, 2700.0])
    table = strength_loads(logged)
    assert table[["minutes", "rpe", "srpe_au", "load"]].iloc[0].tolist() == [45.0, 7.0, 315.0, 75.0]
    assert table.method.tolist() == ["session RPE x duration"]
    rir = sets({"session_date": "2026-03-02", "reps": 5, "load_kg": 100.0},
               {"session_date": "2026-03-02", "reps": 5, "load_kg": 100.0}).assign(rir=[2.0, 4.0])
    table = strength_loads(rir)
    assert table[["minutes", "rpe", "srpe_au"]].iloc[0].tolist() == [6.0, 7.0, 42.0]
    assert table.method.tolist() == ["session RPE x estimated duration"] and table.load.iloc[0] == pytest.approx(10.0)


def test_rpe_outside_the_scale_is_held_to_it():
    """An RPE of 50 (a typo) counts as 10 and a negative RIR as RPE 10; text in the column is no RPE."""
    log = sets(*({"session_date": day, "reps": 5, "load_kg": 100.0} for day in ("2026-03-02", "2026-03-03",
                                                                                "2026-03-04")))
    table = strength_loads(log.assign(rpe=[50.0, None, "hard"], rir=[None, -5.0, None]))
    assert table.rpe.tolist()[:2] == [10.0, 10.0] and table.method.tolist()[2] == "volume estimate"


def test_without_rpe_the_volume_estimate_uses_the_e1rm_known_so_far():
    """5 x 100 kg (e1RM 116.7): 5 x 0.857 relative reps x 5.25 AU; a later lighter day uses the earlier e1RM."""
    log = sets({"session_date": "2026-03-02", "reps": 5, "load_kg": 100.0},
               {"session_date": "2026-03-04", "reps": 5, "load_kg": 80.0},
               {"session_date": "2026-03-06", "reps": 1, "load_kg": 150.0},  # a later max never reaches back
               {"session_date": "2026-03-06", "exercise": "Pull-up", "reps": 10, "load_kg": 0.0})
    table = strength_loads(log.assign(rpe=float("nan")))  # an empty RPE column is no RPE
    assert table.method.unique().tolist() == ["volume estimate"]
    assert table.srpe_au.tolist() == pytest.approx([22.5, 18.0, 5.25 + 5.25 * 10 * 0.4])
    assert table.load.tolist() == pytest.approx([22.5 / 4.2, 18.0 / 4.2, 26.25 / 4.2])


def test_the_reference_session_scores_the_same_by_volume_as_by_session_rpe():
    """15 sets of 5 at 80 % of a known e1RM by the volume estimate = 45 min at RPE 7: 315 AU, 75 points."""
    log = sets({"session_date": "2026-03-02", "reps": 1, "load_kg": 125.0},
               *({"session_date": "2026-03-09", "reps": 5, "load_kg": 100.0} for _ in range(15)))
    reference = strength_loads(log).set_index("date").loc["2026-03-09"]
    assert (reference.srpe_au, reference.load) == pytest.approx((315.0, 75.0))


@pytest.mark.parametrize("section,message", [
    ({"sex": "x"}, "sex must be 'male' or 'female'"),
    ({"max_hr_bpm": "fast"}, "max_hr_bpm must be a number"),
    ({"max_hr_bpm": 400}, "outside 25-250"),
    ({"resting_hr_bpm": 60, "max_hr_bpm": 55}, "must be below max_hr_bpm"),
    ({"threshold_hr_bpm": 195, "max_hr_bpm": 190}, "between resting_hr_bpm and max_hr_bpm"),
    ({"acute_days": 50}, "acute_days (50) must be shorter than chronic_days"),
])
def test_bad_athlete_settings_are_refused_naming_the_key(section, message):
    """A typing error in [athlete] stops the app with the key and what it must be."""
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        athlete_from_section(section)


def test_athlete_settings_come_from_the_file_or_the_environment_with_no_invented_defaults():
    """[athlete] keys, or FITDASH_ATHLETE_*; unset keys stay unknown, time constants default to 42 and 7 days."""
    settings = build_settings({"athlete": {"sex": "F", "birth_year": 1990}}, {"FITDASH_ATHLETE_RESTING_HR_BPM": "48"})
    assert settings.athlete == Athlete("female", 1990, None, 48.0, None, 42.0, 7.0)
    assert build_settings({}, {}).athlete == Athlete() and not Athlete().uses_heart_rate
