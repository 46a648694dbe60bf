"""Goals on the pages (issue 20): the Weight page and the Overview say where the trend stands against the person's
goal; Running and CrossFit show their goals' progress; each person sets their own, kept in the store."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.analytics.activity_goals import WEEK, RunningGoal, StrengthGoal
from core.analytics.goals import WEIGHT, BodyGoal, body_goal_status
from core.preferences import load_preferences
from core.records import BODY, RUN, SET
from core.units import METRIC
from core.views.goal_panels import body_panel, running_panel, strength_panel
from core.views.goals import body_goal_lines
from tests.yourpages_helpers import ADMIN, VIEWER, errors, page_as, texts, today, two_users


@pytest.fixture
def app_store(demo_store, monkeypatch):
    store, path = demo_store
    two_users(monkeypatch, path)
    return store


def set_body_goal(at, prefix: str, target, target_date=None, rate=None):
    at.number_input(key=f"{prefix}_goal_target").set_value(target)
    if target_date is not None:
        at.date_input(key=f"{prefix}_goal_date").set_value(target_date)
    if rate is not None:
        at.number_input(key=f"{prefix}_goal_rate").set_value(rate)
    return at.button[[b.label for b in at.button].index("Save goal")].click().run()


def test_a_weight_goal_set_on_the_weight_page_shows_distance_date_rate_and_energy(app_store):
    """Saving 70 kg by a date stores it for ann and the page says the distance, projection, needed rate, energy."""
    at = page_as(ADMIN, "pages/weight.py")
    assert any("No goal set yet" in t for t in texts(at)), "without a goal the page says how to set one"
    target_date = today().date() + timedelta(weeks=20)
    set_body_goal(at, "weight", 70.0, target_date)
    assert not at.exception and "Goal saved." in texts(at)
    prefs, version = load_preferences(app_store, "ann")
    assert prefs.body_goal == BodyGoal(WEIGHT, 70.0, target_date) and version == 1
    progress = body_goal_status(app_store.read(BODY), prefs.body_goal, today().date())
    lines = body_goal_lines(progress, METRIC)
    assert any(line.startswith("To reach it by") for line in lines) and "kcal a day" in lines[-1]
    assert all(line in texts(at) for line in lines)


def test_a_goal_outside_the_allowed_range_is_refused_and_nothing_is_stored(app_store):
    """A 5 kg target, or a date and a rate together, is refused with the reason; the store holds no preferences."""
    at = page_as(ADMIN, "pages/weight.py")
    set_body_goal(at, "weight", 5.0)
    assert "goal 5.0 is outside 20-400 kg" in errors(at) and "nothing was stored" in errors(at)
    set_body_goal(at, "weight", 70.0, today().date() + timedelta(weeks=4), -0.5)
    assert "give a target date or a weekly rate, not both" in errors(at)
    at.number_input(key="weight_goal_target").set_value(None)
    at.button[[b.label for b in at.button].index("Save goal")].click().run()
    assert "enter the target" in errors(at)
    assert load_preferences(app_store, "ann") == (load_preferences(app_store, "nobody")[0], 0)


def test_the_goal_survives_a_new_session_and_shows_on_the_overview_in_pounds(app_store):
    """A goal and the units saved by ann are read again by a fresh session: the Overview says the same in lb."""
    at = page_as(ADMIN, "pages/weight.py")
    set_body_goal(at, "weight", 70.0, rate=-0.5)
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    fresh = page_as(ADMIN, "pages/overview.py")
    assert fresh.sidebar.radio(key="units_system").value == "imperial"
    from core.units import IMPERIAL

    expected = body_panel(app_store.read(BODY), BodyGoal(WEIGHT, 70.0, weekly_rate=-0.5), today().date(), IMPERIAL)
    assert any(" lb " in line for line in expected) and all(line in texts(fresh) for line in expected)


def test_a_viewer_sets_their_own_goal_and_the_admins_is_untouched(app_store):
    """vic (a viewer) may set a goal: it is vic's, and ann still sees hers."""
    set_body_goal(page_as(ADMIN, "pages/weight.py"), "weight", 70.0)
    at = page_as(VIEWER, "pages/overview.py")
    assert any("No goal set yet" in t for t in texts(at)), "the viewer does not see the admin's goal"
    set_body_goal(at, "overview", 75.0)
    assert not at.exception and "Goal saved." in texts(at)
    assert load_preferences(app_store, "vic")[0].body_goal.target == 75.0
    assert load_preferences(app_store, "ann")[0].body_goal.target == 70.0


def test_a_weekly_running_goal_shows_its_progress_on_the_running_page(app_store):
    """50 m a week is refused (nothing stored); a 30 km weekly goal is stored in metres and its progress bar says done
    of target this week."""
    at = page_as(ADMIN, "pages/running.py")
    at.number_input(key="running_goal_distance").set_value(0.05)
    at.button[[b.label for b in at.button].index("Save goal")].click().run()
    assert "running goal of 50.0 m is not allowed" in errors(at) and load_preferences(app_store, "ann")[1] == 0
    at.number_input(key="running_goal_distance").set_value(30.0)
    at.button[[b.label for b in at.button].index("Save goal")].click().run()
    assert not at.exception and load_preferences(app_store, "ann")[0].running_goals == (RunningGoal(WEEK, 30_000.0),)
    line = running_panel(app_store.read(RUN), (RunningGoal(WEEK, 30_000.0),), today().date(), METRIC)[0]
    assert "of 30 km this week" in line.text
    bars = at.get("progress")
    assert len(bars) == 1 and bars[0].proto.text == line.text


def test_a_strength_goal_for_the_selected_exercise_shows_on_the_crossfit_page(app_store):
    """A 5,000 kg e1RM is refused; a 150 kg goal for the selected exercise is stored, described with its current
    estimate, and cleared."""
    at = page_as(ADMIN, "pages/crossfit.py")
    exercise = at.selectbox(key="crossfit_exercise").value
    at.number_input(key="crossfit_goal_e1rm").set_value(5000.0)
    at.button[[b.label for b in at.button].index("Save goal")].click().run()
    assert "5000.0 kg is not allowed" in errors(at) and load_preferences(app_store, "ann")[1] == 0
    at.number_input(key="crossfit_goal_e1rm").set_value(150.0)
    at.button[[b.label for b in at.button].index("Save goal")].click().run()
    assert not at.exception
    assert load_preferences(app_store, "ann")[0].strength_goals == (StrengthGoal(exercise, 150.0),)
    line = strength_panel(app_store.read(SET), StrengthGoal(exercise, 150.0), today().date(), METRIC)
    assert line.startswith(f"{exercise}: ") and line in texts(at)
    at.button[[b.label for b in at.button].index("Clear goal")].click().run()
    assert load_preferences(app_store, "ann")[0].strength_goals == ()


def test_units_period_and_time_zone_are_kept_per_person_across_sessions(app_store):
    """ann's lb, 3-month default and Tokyo time survive a new session; vic (a viewer) keeps the deployment's."""
    at = page_as(ADMIN, "pages/overview.py")
    at.sidebar.radio(key="units_system").set_value("imperial").run()
    at.sidebar.selectbox(key="pref_date_range").set_value("3 months").run()
    at.sidebar.selectbox(key="pref_timezone").set_value("Asia/Tokyo").run()
    assert not at.exception and not at.error
    stored = load_preferences(app_store, "ann")[0]
    assert (stored.units, stored.date_range, stored.timezone) == ("imperial", "3 months", "Asia/Tokyo")
    fresh = page_as(ADMIN, "pages/weight.py")
    assert fresh.selectbox(key="weight_range_preset").value == "Last 3 months"
    assert fresh.metric[0].value.endswith(" lb")
    overview = page_as(ADMIN, "pages/overview.py")
    assert any("Times on this page are in Asia/Tokyo" in c for c in texts(overview)), "times in ann's time zone"
    viewer = page_as(VIEWER, "pages/weight.py")
    assert viewer.selectbox(key="weight_range_preset").value == "Last 12 months"
    assert viewer.metric[0].value.endswith(" kg")
    viewer.sidebar.radio(key="units_system").set_value("imperial").run()
    assert load_preferences(app_store, "vic")[0].units == "imperial", "a viewer saves their own preferences"
