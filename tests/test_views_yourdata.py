"""The pure parts of the goal and record forms (issue 20): what a person types, in their units, becomes stored
values in kg and metres; a field left as shown is not an edit; durations are read or refused with the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from core.analytics.activity_goals import WEEK, YEAR, RunningGoal, StrengthGoal
from core.analytics.goals import FAT_RATIO, WEIGHT, BodyGoal
from core.errors import InvalidEntry
from core.records import RUN, SET
from core.store.ledger import Change
from core.units import IMPERIAL, KG_PER_LB, METRIC
from core.views import goal_panels as gp
from core.views.records import changes_of, duration_s, form_fields, history_table, record_choices, required
from core.yourdata import Provenance
from tests.builders import daily_weigh_ins, sets

DURATIONS = [("52:30", 3150.0), ("1:02:03", 3723.0), ("50", 3000.0), (" 45:00 ", 2700.0), ("", None)]


@pytest.mark.parametrize(("text", "seconds"), DURATIONS)
def test_a_moving_time_is_read_as_h_mm_ss_mm_ss_or_minutes(text, seconds):
    """'52:30' is 3,150 s, '1:02:03' 3,723 s, '50' fifty minutes; empty is no time."""
    assert duration_s(text) == seconds


@pytest.mark.parametrize("text", ["fifty", "1:75", "-5:00", "1:2:3:4", "nan", "::"])
def test_a_moving_time_that_is_not_one_is_refused_with_the_field(text):
    """Text, 75 seconds, a negative time or four parts are refused, naming the moving time."""
    with pytest.raises(InvalidEntry) as refused:
        duration_s(text)
    assert refused.value.problems[0][0] == "moving_time_s" and "is not h:mm:ss" in str(refused.value)


def test_required_fields_left_empty_are_named():
    """An empty weight or reps is named; a zero is a value."""
    with pytest.raises(InvalidEntry, match="enter the weight; enter the reps"):
        required("the entry", {"weight_kg": None, "reps": ""}, ("weight_kg", "reps"))
    required("the entry", {"load_kg": 0.0}, ("load_kg",))


def test_an_edit_in_pounds_sends_only_the_changed_fields_in_kg():
    """Shown in lb, a set's reps left alone are not sent; its new load of 225 lb is stored as 102.06 kg; every
    editable field of a set is offered (exercise and notes as text)."""
    fields = form_fields(SET, {"exercise": "Back squat", "reps": 5, "load_kg": 100.0}, IMPERIAL)
    shown = {f.name: f for f in fields}
    assert [f.name for f in fields] == ["exercise", "reps", "load_kg", "rpe", "rir", "notes"]
    assert (shown["load_kg"].label, shown["load_kg"].value) == ("Load (lb)", round(100 / KG_PER_LB, 2))
    assert shown["exercise"].text and shown["notes"].text and shown["notes"].value == ""
    same = {f.name: f.value for f in fields}
    assert changes_of(fields, same, IMPERIAL) == {}, "nothing changed"
    assert changes_of(fields, {**same, "reps": 6, "load_kg": 225.0, "exercise": "Front squat"}, IMPERIAL) == {
        "reps": 6, "load_kg": pytest.approx(225 * KG_PER_LB), "exercise": "Front squat"}


def test_a_runs_time_climb_and_sport_are_edited_in_the_persons_units():
    """A run's moving time is shown and typed as h:mm:ss and stored in seconds, its climb in feet stored in
    metres, its sport picked from the run types; a time that is not one is refused with the reason."""
    fields = form_fields(RUN, {"name": "Easy", "sport_type": "Run", "distance_m": 10_000.0, "moving_time_s": 3150.0,
                               "elevation_gain_m": 100.0}, IMPERIAL)
    shown = {f.name: f for f in fields}
    assert (shown["moving_time_s"].label, shown["moving_time_s"].value) == ("Moving time (h:mm:ss)", "0:52:30")
    assert (shown["elevation_gain_m"].label, shown["elevation_gain_m"].value) == ("Elevation gain (ft)", 328.1)
    assert shown["sport_type"].choices == ("Run", "TrailRun", "VirtualRun")
    same = {f.name: f.value for f in fields}
    assert changes_of(fields, same, IMPERIAL) == {}
    changed = changes_of(fields, {**same, "moving_time_s": "1:02:03", "elevation_gain_m": 500.0,
                                  "sport_type": "TrailRun"}, IMPERIAL)
    assert changed == {"moving_time_s": 3723.0, "elevation_gain_m": pytest.approx(152.4), "sport_type": "TrailRun"}
    with pytest.raises(InvalidEntry, match="is not h:mm:ss"):
        changes_of(fields, {**same, "moving_time_s": "fifty"}, IMPERIAL)
    assert changes_of(fields, {**same, "name": "  "}, IMPERIAL) == {"name": None}, "an emptied name: not recorded"


def test_an_emptied_fat_ratio_is_sent_as_not_recorded():
    """Clearing a weigh-in's fat ratio sends None (not recorded); the weight left alone is not sent."""
    fields = form_fields("body", {"weight_kg": 80.4, "fat_ratio_pct": 21.0}, METRIC)
    assert changes_of(fields, {"weight_kg": 80.4, "fat_ratio_pct": None}, METRIC) == {"fat_ratio_pct": None}


def test_records_are_offered_newest_first_with_a_label_in_the_persons_units():
    """The newest set first; its label says date, exercise, set, reps and load in lb, and its source."""
    frame = sets([("2026-03-03", "Deadlift", 3, 140.0), ("2026-03-01", "Back squat", 5, 100.0)])
    choices = record_choices(frame, kind=SET, units=IMPERIAL)
    assert list(choices) == ["k0", "k1"]
    assert choices["k0"] == f"2026-03-03 · Deadlift set 0 · 3 reps × {140 / KG_PER_LB:.1f} lb · t"


def test_the_history_table_is_newest_first_one_row_per_field():
    """Two changes: the deletion first, then the edit's two fields with before and after, units named."""
    edit = Change("2026-03-20T12:00:00Z", "ann", "edited", {"weight_kg": (80.4, 80.1), "fat_ratio_pct": (21.0, 20.5)})
    gone = Change("2026-03-21T08:30:00Z", "bob", "deleted", {})
    p = Provenance("body", "k", "k", "withings", datetime(2026, 3, 20, tzinfo=UTC), {}, None, (), gone,
                   (edit, gone), 2, None, ())
    table = history_table(p)
    assert table.values.tolist() == [
        ["2026-03-21 08:30", "bob", "deleted", "", "", ""],
        ["2026-03-20 12:00", "ann", "edited", "weight (kg)", 80.4, 80.1],
        ["2026-03-20 12:00", "ann", "edited", "fat ratio (%)", 21.0, 20.5]]


def test_a_body_goal_typed_in_pounds_is_stored_in_kg_and_shown_back_in_pounds():
    """154.3 lb at -1 lb a week with a 2.2 lb band is 70 kg, -0.45 kg a week, 1 kg; the form shows it back in lb."""
    goal = gp.body_goal_of(WEIGHT, 154.3, None, -1.0, 2.2, IMPERIAL)
    assert goal.target == pytest.approx(154.3 * KG_PER_LB) and goal.weekly_rate == pytest.approx(-KG_PER_LB)
    assert goal.band == pytest.approx(2.2 * KG_PER_LB)
    assert gp.body_form_values(goal, IMPERIAL) == {"metric": WEIGHT, "target": 154.3, "target_date": None,
                                                   "weekly_rate": -1.0, "band": 2.2}
    ratio = gp.body_goal_of(FAT_RATIO, 18.0, date(2026, 9, 1), None, 1.0, IMPERIAL)
    assert ratio == BodyGoal(FAT_RATIO, 18.0, date(2026, 9, 1), None, 1.0), "a fat ratio is in % whatever the units"
    with pytest.raises(InvalidEntry, match="enter the target"):
        gp.body_goal_of(WEIGHT, None, None, None, 1.0, METRIC)


def test_the_body_panel_without_a_goal_says_so_and_gives_the_energy_balance():
    """No goal: how to set one, and the implied daily balance; a fat-ratio goal still gets the energy line."""
    body = daily_weigh_ins(datetime.combine(date(2026, 3, 1), time(6), UTC), 30, 82.0, -0.1, fat_ratio_pct=22.0)
    today = date(2026, 3, 31)
    assert gp.body_panel(body, None, today, METRIC) == [
        gp.NO_GOAL, "The trend implies a deficit of about 770 kcal a day (an estimate)."]
    lines = gp.body_panel(body, BodyGoal(FAT_RATIO, 18.0), today, METRIC)
    assert lines[0].startswith("4 pt to go") and lines[-1].startswith("The trend implies a deficit")
    assert gp.body_panel(body.iloc[0:0], BodyGoal(WEIGHT, 70.0), today, METRIC) == [
        "No weight measurement yet to compare with your goal."]


def test_goals_are_replaced_per_period_and_per_exercise():
    """A new weekly goal replaces the weekly one and keeps the yearly; a strength goal matches the exercise's
    name whatever the case or spacing; None removes it."""
    goals = (RunningGoal(WEEK, 30_000.0), RunningGoal(YEAR, 1_500_000.0))
    assert gp.with_running_goal(goals, RunningGoal(WEEK, 40_000.0), WEEK) == (RunningGoal(YEAR, 1_500_000.0),
                                                                             RunningGoal(WEEK, 40_000.0))
    assert gp.with_running_goal(goals, None, YEAR) == (RunningGoal(WEEK, 30_000.0),)
    assert gp.running_goal_of(WEEK, 20.0, IMPERIAL) == RunningGoal(WEEK, pytest.approx(32_186.88))
    lifts = (StrengthGoal("Back squat", 140.0), StrengthGoal("Deadlift", 180.0))
    assert gp.strength_goal_for(lifts, "back  SQUAT") == lifts[0]
    assert gp.with_strength_goal(lifts, StrengthGoal("back squat", 150.0), "back squat") == (
        lifts[1], StrengthGoal("back squat", 150.0))
    assert gp.with_strength_goal(lifts, None, "Deadlift") == (lifts[0],)
    assert gp.strength_goal_of("Bench", 225.0, None, IMPERIAL).e1rm_kg == pytest.approx(225 * KG_PER_LB)
