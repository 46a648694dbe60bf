"""Goal arithmetic (issue 20): body goals toward, away, flat, reached, past target dates; running and strength goals."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pandas as pd
import pytest

from core.analytics import weight as wa
from core.analytics.activity_goals import (
    WEEK,
    YEAR,
    RunningGoal,
    StrengthGoal,
    running_goal_progress,
    strength_goal_progress,
)
from core.analytics.goals import (
    AWAY,
    FAT_RATIO,
    FLAT,
    NO_RATE,
    REACHED,
    TOWARD,
    WEIGHT,
    BodyGoal,
    body_goal_status,
    body_progress,
    energy_balance,
    implied_energy,
)
from core.records import RUN, SET, frame_from_rows
from core.units import IMPERIAL, METRIC
from core.views.goals import body_goal_lines, energy_line, running_goal_line, strength_goal_line
from tests.builders import daily_weigh_ins

TODAY = date(2026, 3, 4)  # a Wednesday
AS_OF = date(2026, 3, 3)

# (case, goal, current trend, 14-day rate per week) -> expected state, projected date, distance
BODY_CASES = [
    ("toward: losing", BodyGoal(WEIGHT, 75.0), 80.0, -0.5, TOWARD, AS_OF + timedelta(weeks=10), -5.0),
    ("toward: gaining", BodyGoal(WEIGHT, 85.0), 80.0, 0.25, TOWARD, AS_OF + timedelta(weeks=20), 5.0),
    ("away: gaining while the goal is lower", BodyGoal(WEIGHT, 75.0), 80.0, 0.3, AWAY, None, -5.0),
    ("away: losing while the goal is higher", BodyGoal(WEIGHT, 85.0), 80.0, -0.2, AWAY, None, 5.0),
    ("flat: a slope below 0.05 kg a week", BodyGoal(WEIGHT, 75.0), 80.0, -0.04, FLAT, None, -5.0),
    ("no rate: too few weigh-ins", BodyGoal(WEIGHT, 75.0), 80.0, None, NO_RATE, None, -5.0),
    ("reached: within the default 1 kg band", BodyGoal(WEIGHT, 75.0), 75.6, 0.3, REACHED, None, -0.6),
    ("reached: at the band's edge", BodyGoal(WEIGHT, 75.0), 74.0, -0.3, REACHED, None, 1.0),
    ("not reached: outside a settable 0.5 kg band", BodyGoal(WEIGHT, 75.0, band=0.5), 75.6, -0.2, TOWARD,
     AS_OF + timedelta(weeks=3), -0.6),
    ("fat ratio toward", BodyGoal(FAT_RATIO, 18.0), 22.0, -0.2, TOWARD, AS_OF + timedelta(weeks=20), -4.0),
]


@pytest.mark.parametrize(("case", "goal", "current", "rate", "state", "projected", "distance"), BODY_CASES,
                         ids=[c[0] for c in BODY_CASES])
def test_body_goal_state_projection_and_distance(case, goal, current, rate, state, projected, distance):
    """Each case's state, projected date at the current rate, and signed distance to the goal."""
    p = body_progress(goal, current, rate, AS_OF, TODAY)
    assert (p.state, p.projected_date) == (state, projected)
    assert p.distance == pytest.approx(distance)
    assert (p.band_low, p.band_high) == (goal.target - goal.band, goal.target + goal.band)


# (case, goal, current) -> needed weekly rate, realistic, target date passed
DATE_CASES = [
    ("10 weeks to lose 5 kg: 0.5 kg a week, realistic", BodyGoal(WEIGHT, 75.0, TODAY + timedelta(weeks=10)),
     80.0, -0.5, True, False),
    ("2 weeks to lose 5 kg: beyond 1 % of 80 kg a week", BodyGoal(WEIGHT, 75.0, TODAY + timedelta(weeks=2)),
     80.0, -2.5, False, False),
    ("exactly 1 % a week is still realistic", BodyGoal(WEIGHT, 76.0, TODAY + timedelta(weeks=5)),
     80.0, -0.8, True, False),
    ("fat ratio: 2 points in 2 weeks is beyond 0.8 a week", BodyGoal(FAT_RATIO, 20.0, TODAY + timedelta(weeks=2)),
     22.0, -1.0, False, False),
    ("target date yesterday: passed, no needed rate", BodyGoal(WEIGHT, 75.0, TODAY - timedelta(days=1)),
     80.0, None, None, True),
    ("target date today: passed", BodyGoal(WEIGHT, 75.0, TODAY), 80.0, None, None, True),
    ("reached before the date: nothing needed", BodyGoal(WEIGHT, 75.0, TODAY + timedelta(weeks=4)),
     75.2, None, None, False),
]


@pytest.mark.parametrize(("case", "goal", "current", "needed", "realistic", "passed"), DATE_CASES,
                         ids=[c[0] for c in DATE_CASES])
def test_body_goal_rate_needed_for_its_target_date(case, goal, current, needed, realistic, passed):
    """The weekly rate a target date needs, whether it is realistic, and a date in the past."""
    p = body_progress(goal, current, -0.3, AS_OF, TODAY)
    assert p.needed_per_week == (pytest.approx(needed) if needed is not None else None)
    assert (p.needed_realistic, p.target_date_passed) == (realistic, passed)


@pytest.mark.parametrize(("rate", "on_plan"), [(-0.45, True), (-0.4, True), (-0.3, False), (0.2, False)])
def test_a_goal_with_a_planned_weekly_rate_says_when_and_whether_the_trend_keeps_it(rate, on_plan):
    """A planned -0.5 kg a week reaches 75 kg from 80 in 10 weeks from today; on plan from 80 % of that pace."""
    p = body_progress(BodyGoal(WEIGHT, 75.0, weekly_rate=-0.5), 80.0, rate, AS_OF, TODAY)
    assert (p.planned_per_week, p.planned_date, p.on_plan) == (-0.5, TODAY + timedelta(weeks=10), on_plan)


def test_energy_balance_is_the_rate_times_7700_kcal_per_kg_per_day():
    """-0.5 kg a week is a deficit of 550 kcal a day; fat-ratio goals carry no energy figure."""
    assert energy_balance(-0.5) == pytest.approx(-550.0)
    assert energy_balance(0.35) == pytest.approx(385.0) and energy_balance(None) is None
    assert body_progress(BodyGoal(WEIGHT, 75.0), 80.0, -0.5, AS_OF, TODAY).energy_kcal_per_day == pytest.approx(-550)
    assert body_progress(BodyGoal(FAT_RATIO, 18.0), 22.0, -0.2, AS_OF, TODAY).energy_kcal_per_day is None


def weigh_ins(days: int, start: float, per_day: float) -> pd.DataFrame:
    """One morning weigh-in a day ending on AS_OF, changing by per_day."""
    first = datetime.combine(AS_OF - timedelta(days=days - 1), time(6), UTC)
    return daily_weigh_ins(first, days, start, per_day, source="withings", fat_ratio_pct=22.0)


def test_status_from_weigh_ins_uses_the_weight_page_trend_and_rate():
    """The current value is weight.py's trend at the last weigh-in and the rate its 14-day weekly rate."""
    body = weigh_ins(30, 82.0, -0.1)
    p = body_goal_status(body, BodyGoal(WEIGHT, 75.0), TODAY)
    daily = wa.daily_first(body, WEIGHT)
    assert p.current == pytest.approx(float(wa.ewma_trend(daily).iloc[-1]))
    assert p.rate_per_week == pytest.approx(wa.weekly_rate(daily)) == pytest.approx(-0.7)
    assert p.as_of == AS_OF and p.state == TOWARD
    assert implied_energy(body) == pytest.approx(-770.0)
    assert body_goal_status(body.iloc[0:0], BodyGoal(WEIGHT, 75.0), TODAY) is None


def runs_frame(*runs: tuple[str, float]) -> pd.DataFrame:
    """Runs from (local start, distance m)."""
    return frame_from_rows(RUN, [{"start_time_utc": f"{local}Z", "start_time_local": local, "distance_m": d,
                                  "moving_time_s": 3000, "source": "strava", "key": str(i)}
                                 for i, (local, d) in enumerate(runs)])


def test_weekly_running_goal_counts_this_local_week_only_and_is_on_pace():
    """Monday to today counts (a Sunday-night run stays in the week before): 20 of 35 km on Wednesday is ahead."""
    runs = runs_frame(("2026-03-01T23:30:00", 9000.0), ("2026-03-02T07:00:00", 12000.0),
                      ("2026-03-04T18:00:00", 8000.0))
    p = running_goal_progress(runs, RunningGoal(WEEK, 35_000.0), TODAY)
    assert (p.period_start, p.period_end, p.done_m) == (date(2026, 3, 2), date(2026, 3, 8), 20_000.0)
    assert p.expected_m == pytest.approx(15_000.0) and p.ahead_m == pytest.approx(5_000.0) and p.on_pace
    assert (p.remaining_m, p.days_left, p.reached) == (15_000.0, 5, False)
    assert p.projected_m == pytest.approx(20_000 / 3 * 7)


def test_yearly_running_goal_behind_pace_needs_more_per_remaining_week():
    """400 of 1,000 km on 2 July (183 days gone): behind the 501 km pace; 600 km over 26.1 weeks left."""
    runs = runs_frame(("2025-12-31T10:00:00", 50_000.0), ("2026-02-01T10:00:00", 400_000.0))
    p = running_goal_progress(runs, RunningGoal(YEAR, 1_000_000.0), date(2026, 7, 2))
    assert p.done_m == 400_000.0 and not p.on_pace
    assert p.expected_m == pytest.approx(1_000_000 * 183 / 365)
    assert p.needed_per_week_m == pytest.approx(600_000 / (183 / 7))
    reached = running_goal_progress(runs, RunningGoal(YEAR, 300_000.0), date(2026, 7, 2))
    assert reached.reached and reached.needed_per_week_m is None and reached.remaining_m == 0.0


def squats(*sessions: tuple[str, float, int], exercise: str = "Back squat") -> pd.DataFrame:
    """One set per (date, load, reps)."""
    return frame_from_rows(SET, [{"session_date": d, "exercise": exercise, "set_number": 1, "reps": r,
                                  "load_kg": load, "source": "sheets", "key": str(i)}
                                 for i, (d, load, r) in enumerate(sessions)])


def test_strength_goal_current_best_trend_and_projected_date():
    """Session bests (Epley) rising 2.5 kg a week toward 130 kg: current = the best of the last 8 weeks."""
    sets = squats(*[((date(2026, 1, 7) + timedelta(weeks=w)).isoformat(), 100.0 + 2.5 * w, 1) for w in range(8)])
    p = strength_goal_progress(sets, StrengthGoal("back  SQUAT", 130.0), TODAY)
    assert (p.current_kg, p.current_date, p.best_kg) == (117.5, date(2026, 2, 25), 117.5)
    assert p.trend_kg_per_week == pytest.approx(2.5) and p.distance_kg == pytest.approx(12.5)
    assert p.projected_date == TODAY + timedelta(weeks=5) and not p.reached and not p.low_confidence


def test_strength_goal_reached_stale_and_low_confidence():
    """A 12-rep set's estimate is low confidence; a goal at or under it is reached; no recent set: no current."""
    sets = squats(("2026-02-20", 80.0, 12), ("2025-10-01", 150.0, 1))
    p = strength_goal_progress(sets, StrengthGoal("Back squat", 110.0, date(2026, 6, 1)), TODAY)
    assert p.current_kg == pytest.approx(80 * (1 + 12 / 30)) and p.low_confidence and p.reached
    assert (p.best_kg, p.best_date, p.needed_per_week_kg) == (150.0, date(2025, 10, 1), None)
    stale = strength_goal_progress(squats(("2025-10-01", 150.0, 1)), StrengthGoal("Back squat", 160.0), TODAY)
    assert (stale.current_kg, stale.best_kg, stale.trend_kg_per_week) == (None, 150.0, None)
    assert "no loaded set in the last 8 weeks" in strength_goal_line(stale, METRIC)


def test_sentences_say_the_projection_the_band_and_a_passed_date_in_the_persons_units():
    """The sentences name the date, the amount in lb for imperial, 'moving away', the band, a passed target date."""
    toward = body_progress(BodyGoal(WEIGHT, 75.0), 80.0, -0.5, AS_OF, TODAY)
    assert body_goal_lines(toward, METRIC)[0] == "5 kg to go; at the current -0.5 kg/week you get there around " \
                                                 "12 May 2026."
    assert body_goal_lines(toward, IMPERIAL)[0].startswith("11 lb to go; at the current -1.1 lb/week")
    assert body_goal_lines(toward, METRIC)[-1] == "The trend implies a deficit of about 550 kcal a day (an estimate)."
    away = body_progress(BodyGoal(WEIGHT, 75.0), 80.0, 0.3, AS_OF, TODAY)
    assert "moving away" in body_goal_lines(away, METRIC)[0]
    reached = body_progress(BodyGoal(FAT_RATIO, 18.0), 18.4, 0.0, AS_OF, TODAY)
    assert body_goal_lines(reached, METRIC) == ["Goal reached: the trend (18.4 %) is within your maintenance band of "
                                                "17 % to 19 %."]
    passed = body_progress(BodyGoal(WEIGHT, 75.0, TODAY - timedelta(days=3)), 80.0, -0.5, AS_OF, TODAY)
    assert "The target date (1 Mar 2026) has passed: set a new one." in body_goal_lines(passed, METRIC)
    hurry = body_progress(BodyGoal(WEIGHT, 75.0, TODAY + timedelta(weeks=2)), 80.0, -0.5, AS_OF, TODAY)
    assert "faster than 1 % of body weight a week" in body_goal_lines(hurry, METRIC)[1]
    assert energy_line(120.0) == "The trend implies a surplus of about 120 kcal a day (an estimate)."


def test_running_sentence_ahead_or_behind_pace():
    """The running line says done of target, the pace and what is needed, in km or mi."""
    runs = runs_frame(("2026-03-02T07:00:00", 20_000.0))
    line = running_goal_line(running_goal_progress(runs, RunningGoal(WEEK, 35_000.0), TODAY), METRIC)
    assert line == "20 of 35 km this week (57%): 5 km ahead of pace; 15 km to go, in 5 days."
    year = running_goal_line(running_goal_progress(runs, RunningGoal(YEAR, 1_609_344.0), TODAY), IMPERIAL)
    assert year.startswith("12.4 of 1,000 mi in 2026 (1%):") and "behind pace" in year
