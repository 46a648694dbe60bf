"""Goal panels: what the goal says now, and a form to set or clear it (per person: a viewer sets their own).

One call per page: `body_goal` (Weight, Overview), `running_goals` (Running), `strength_goal` (CrossFit).
Saved goals go through core/preferences.py, which refuses a bad value with what is wrong (nothing stored).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import pandas as pd
import streamlit as st

from core.analytics.activity_goals import WEEK
from core.analytics.goals import FAT_RATIO, WEIGHT
from core.preferences import Preferences
from core.units import Units
from core.views import goal_panels as gp
from ui import prefs
from ui.entry import attempt, show_saved

FLASH = "_goal_saved"


def _buttons(build: Callable[[], object], put: Callable[[Preferences, object], Preferences], saved: str,
             clear_label: str = "Clear goal") -> None:
    """A goal form's Save (the goal built from the form, refused with the reason: nothing stored) and Clear."""
    save, clear = st.columns(2)
    if save.form_submit_button("Save goal", type="primary"):
        def store() -> None:
            new = build()  # InvalidEntry for an empty field, before anything is written
            prefs.save_change(lambda p: put(p, new))
        attempt(store, saved, FLASH, records=False)
    if clear.form_submit_button(clear_label):
        attempt(lambda: prefs.save_change(lambda p: put(p, None)), "Goal cleared.", FLASH, records=False)


def body_goal(body: pd.DataFrame, units: Units, key: str) -> None:
    """The body goal's progress (distance, projected date, needed rate, band, energy) and its form."""
    goal = prefs.current().body_goal
    st.subheader("Goal")
    show_saved(FLASH)
    for line in gp.body_panel(body, goal, prefs.today(), units):
        st.write(line)
    with st.expander("Set or clear your weight goal", expanded=False), st.form(f"{key}_goal_form"):
        shown = gp.body_form_values(goal, units)
        metric = st.radio("Goal for", [WEIGHT, FAT_RATIO], index=[WEIGHT, FAT_RATIO].index(shown["metric"]),
                          format_func=gp.METRIC_WORDS.get, horizontal=True, key=f"{key}_goal_metric")
        target = st.number_input(f"Target ({units.mass}, or % for a fat ratio)", value=shown["target"], step=0.1,
                                 key=f"{key}_goal_target")
        target_date = st.date_input("Target date (optional)", value=shown["target_date"], key=f"{key}_goal_date")
        rate = st.number_input(f"Or a weekly rate ({units.mass} or points a week, negative to lose; optional)",
                               value=shown["weekly_rate"], step=0.05, key=f"{key}_goal_rate")
        band = st.number_input(f"Maintenance band once reached (+/- {units.mass} or points)", value=shown["band"],
                               step=0.1, key=f"{key}_goal_band")
        _buttons(lambda: gp.body_goal_of(metric, target, target_date, rate, band, units),
                 lambda p, goal: replace(p, body_goal=goal), "Goal saved.")


def running_goals(runs: pd.DataFrame, units: Units) -> None:
    """Weekly and yearly distance goals with progress bars, and their form."""
    goals = prefs.current().running_goals
    st.subheader("Goals")
    show_saved(FLASH)
    for line in gp.running_panel(runs, goals, prefs.today(), units):
        st.progress(min(line.fraction, 1.0), text=line.text)
    if not goals:
        st.write("No running goal set yet: set a distance a week or a year below.")
    with st.expander("Set or clear a running goal", expanded=False), st.form("running_goal_form"):
        period = st.radio("Per", list(gp.PERIOD_WORDS), format_func=gp.PERIOD_WORDS.get, horizontal=True,
                          key="running_goal_period")
        distance = st.number_input(f"Distance ({units.distance})", value=None, min_value=0.0, step=1.0,
                                   key="running_goal_distance")
        _buttons(lambda: gp.running_goal_of(period, distance, units),
                 lambda p, goal: replace(p, running_goals=gp.with_running_goal(p.running_goals, goal, period)),
                 f"Goal for {'the week' if period == WEEK else 'the year'} saved.", "Clear this period's goal")


def strength_goal(sets: pd.DataFrame, exercise: str, units: Units) -> None:
    """The selected exercise's e1RM goal and its form."""
    goal = gp.strength_goal_for(prefs.current().strength_goals, exercise)
    st.subheader(f"Goal: {exercise}")
    show_saved(FLASH)
    st.write(gp.strength_panel(sets, goal, prefs.today(), units)
             or f"No goal set for {exercise} yet: set a target estimated one-rep max below.")
    with st.expander(f"Set or clear a goal for {exercise}", expanded=False), st.form("crossfit_goal_form"):
        e1rm = st.number_input(f"Target estimated one-rep max ({units.mass})", value=None, min_value=0.0, step=2.5,
                               key="crossfit_goal_e1rm")
        target_date = st.date_input("By (optional)", value=None, key="crossfit_goal_date")
        _buttons(lambda: gp.strength_goal_of(exercise, e1rm, target_date, units),
                 lambda p, goal: replace(p, strength_goals=gp.with_strength_goal(p.strength_goals, goal, exercise)),
                 f"Goal for {exercise} saved.")
