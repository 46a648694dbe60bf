"""Per-user preferences in the store (issue 20): one versioned document per username, written by compare-and-set,
a viewer's own too, never someone else's; bad values refused; a damaged stored value falls back to its default."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from core.analytics.activity_goals import WEEK, YEAR, RunningGoal, StrengthGoal
from core.analytics.goals import FAT_RATIO, WEIGHT, BodyGoal
from core.errors import EditConflict, InvalidEntry, NotAllowed
from core.preferences import (
    COLLECTION,
    Preferences,
    load_preferences,
    save_preferences,
    update_preferences,
)
from core.store.sqlite import SQLiteStore
from tests.yourdata_helpers import ADMIN, VIEWER

FULL = Preferences(units="imperial", date_range="2 years", timezone="America/New_York",
                   body_goal=BodyGoal(WEIGHT, 75.0, target_date=date(2026, 9, 1), band=0.5),
                   running_goals=(RunningGoal(WEEK, 30_000.0), RunningGoal(YEAR, 1_500_000.0)),
                   strength_goals=(StrengthGoal("Back squat", 140.0, date(2026, 12, 31)), StrengthGoal("Deadlift",
                                                                                                       180.0)))


def test_preferences_round_trip_per_user_with_a_version(any_store):
    """Nothing stored: the defaults at version 0; saved: the same preferences at version 1, per username."""
    assert load_preferences(any_store, "ann") == (Preferences(), 0)
    assert save_preferences(any_store, ADMIN, "ann", FULL, 0) == 1
    assert load_preferences(any_store, "ann") == (FULL, 1)
    viewer_prefs = Preferences(units="metric", body_goal=BodyGoal(FAT_RATIO, 18.0, weekly_rate=-0.1))
    assert save_preferences(any_store, VIEWER, "vic", viewer_prefs, 0) == 1, "a viewer has their own preferences"
    assert load_preferences(any_store, "vic") == (viewer_prefs, 1) and load_preferences(any_store, "ann")[0] == FULL


def test_nobody_writes_someone_elses_preferences(any_store):
    """A viewer cannot change an admin's preferences, nor an admin a viewer's; nothing is stored."""
    with pytest.raises(NotAllowed, match="vic cannot change the preferences of ann"):
        save_preferences(any_store, VIEWER, "ann", FULL, 0)
    with pytest.raises(NotAllowed):
        update_preferences(any_store, ADMIN, "vic", lambda p: replace(p, units="imperial"))
    assert any_store.documents(COLLECTION) == []


def test_a_save_from_a_stale_tab_is_refused_and_a_single_change_is_reapplied(any_store):
    """Two tabs read version 0; the second full save raises EditConflict. A single change (the units switch)
    re-reads after losing the race, so both tabs' changes are kept."""
    save_preferences(any_store, ADMIN, "ann", Preferences(units="metric"), 0)
    with pytest.raises(EditConflict):
        save_preferences(any_store, ADMIN, "ann", Preferences(units="imperial"), 0)
    calls = []

    def switch_units(prefs):
        calls.append(prefs)
        if len(calls) == 1:  # another tab saves the time zone between this read and this write
            _, version = load_preferences(any_store, "ann")
            save_preferences(any_store, ADMIN, "ann", replace(prefs, timezone="Europe/Paris"), version)
        return replace(prefs, units="imperial")

    prefs, version = update_preferences(any_store, ADMIN, "ann", switch_units)
    assert (prefs.units, prefs.timezone, version, len(calls)) == ("imperial", "Europe/Paris", 3, 2)
    assert load_preferences(any_store, "ann") == (prefs, 3)


BAD = [
    (Preferences(units="furlongs"), "units"),
    (Preferences(date_range="forever"), "date_range"),
    (Preferences(timezone="Mars/Olympus"), "timezone"),
    (Preferences(body_goal=BodyGoal(WEIGHT, 500.0)), "body_goal.target"),
    (Preferences(body_goal=BodyGoal("height", 180.0)), "body_goal.metric"),
    (Preferences(body_goal=BodyGoal(WEIGHT, 75.0, date(2026, 9, 1), -0.5)), "body_goal.weekly_rate"),
    (Preferences(body_goal=BodyGoal(WEIGHT, 75.0, weekly_rate=-5.0)), "body_goal.weekly_rate"),
    (Preferences(body_goal=BodyGoal(WEIGHT, 75.0, band=0.0)), "body_goal.band"),
    (Preferences(running_goals=(RunningGoal(WEEK, 10_000.0), RunningGoal(WEEK, 20_000.0))), "running_goals"),
    (Preferences(running_goals=(RunningGoal("day", 10_000.0),)), "running_goals[0]"),
    (Preferences(running_goals=(RunningGoal(WEEK, -1.0),)), "running_goals[0]"),
    (Preferences(strength_goals=tuple(StrengthGoal(f"Lift {i}", 100.0) for i in range(21))), "strength_goals"),
    (Preferences(strength_goals=(StrengthGoal("Squat", 100.0), StrengthGoal(" squat", 120.0))), "strength_goals"),
    (Preferences(strength_goals=(StrengthGoal("", 100.0),)), "strength_goals[0]"),
    (Preferences(strength_goals=(StrengthGoal("Squat", float("nan")),)), "strength_goals[0]"),
]


@pytest.mark.parametrize(("prefs", "field"), BAD, ids=[f for _, f in BAD])
def test_preferences_that_cannot_be_used_are_refused_naming_the_field(tmp_path, prefs, field):
    """Each bad value raises InvalidEntry naming its field; nothing is stored."""
    store = SQLiteStore(tmp_path / "s.db")
    with pytest.raises(InvalidEntry) as caught:
        save_preferences(store, ADMIN, "ann", prefs, 0)
    assert field in [name for name, _ in caught.value.problems]
    assert store.documents(COLLECTION) == []


def test_a_stored_value_this_version_cannot_use_falls_back_to_its_default(tmp_path, caplog):
    """A hand-edited document (unknown units, a goal with a field from a newer version) is read without those
    values; the rest is kept and the page still opens."""
    store = SQLiteStore(tmp_path / "s.db")
    store.put_document(COLLECTION, "ann", {"units": "cubits", "timezone": "Europe/Paris", "date_range": ["x"],
                                           "body_goal": {"metric": WEIGHT, "target": 75.0, "colour": "red"},
                                           "strength_goals": [{"exercise": "Squat", "e1rm_kg": 120.0}]}, 0)
    prefs, version = load_preferences(store, "ann")
    assert prefs == Preferences(timezone="Europe/Paris", strength_goals=(StrengthGoal("Squat", 120.0),))
    assert version == 1 and "stored body_goal not readable" in caplog.text
