"""Manual entry forms (a weigh-in, a run, training sets), each saved by core/yourdata/entry.py.

The core function checks the role: a viewer's form is drawn with its button disabled, and a click forged past the
disabled button is refused by the core (NotAllowed) with nothing stored. Bad values are refused with each field
and what is wrong; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

import streamlit as st

from core.errors import FitDashError
from core.records import BODY, RUN, SET
from core.units import Units
from core.views.records import duration_s, required
from core.yourdata import enter_run, enter_sets, enter_weigh_in
from ui import context, data, prefs

FLASH = "_records_saved"
WRITES = "_records_writes"  # this session's writes: a cache key of what they change (ui/conflicts.py)


def attempt(save: Callable[[], object], message: str | None = None, flash: str = FLASH, records: bool = True) -> None:
    """Run one write; its typed error is shown with what to do, or (records written: the cached reads cleared) the
    page is rerun with the success notice (`message`, else what `save` returns) for show_saved(flash)."""
    try:
        result = save()
        message = message or str(result)
    except FitDashError as exc:
        st.error(f"{exc}\n\n{exc.action}")
        return
    if records:
        data.clear_all()
    st.session_state[WRITES] = st.session_state.get(WRITES, 0) + 1
    st.session_state[flash] = message
    st.rerun()


def show_saved(flash: str = FLASH) -> None:
    """The notice of the last write, once (where the form that made it is)."""
    if message := st.session_state.pop(flash, None):
        st.success(message)


def _when(prefix: str) -> datetime:
    day, clock = st.columns(2)
    picked = day.date_input("Date", value=prefs.today(), key=f"{prefix}_date")
    at = clock.time_input("Local time", value=time(7, 0), key=f"{prefix}_time", step=60)
    return datetime.combine(picked, at)


def weigh_in_form(units: Units, disabled: bool) -> None:
    """A weigh-in at a local date and time in the person's time zone: weight, optional fat ratio."""
    with st.form("entry_body"):
        local = _when("entry_body")
        weight = st.number_input(f"Weight ({units.mass})", value=None, step=0.1, key="entry_body_weight")
        fat = st.number_input("Fat ratio (%, optional)", value=None, step=0.1, key="entry_body_fat")
        st.caption(f"Time zone: {prefs.timezone()} (your preferences, in the sidebar).")
        if st.form_submit_button("Save weigh-in", type="primary", disabled=disabled):
            def save() -> str:
                required("the weigh-in", {"weight_kg": weight}, ("weight_kg",))
                enter_weigh_in(context.store(), prefs.actor(), local_time=local, timezone=prefs.timezone(),
                               weight_kg=weight / units.kg_factor, fat_ratio_pct=fat, now=context.now)
                return f"Weigh-in of {weight:g} {units.mass} at {local:%Y-%m-%d %H:%M} saved."
            attempt(save)


def run_form(units: Units, disabled: bool) -> None:
    """A run: local start, distance, moving time, optional elevation gain, name and Strava id."""
    with st.form("entry_run"):
        local = _when("entry_run")
        distance = st.number_input(f"Distance ({units.distance})", value=None, step=0.1, key="entry_run_distance")
        moving = st.text_input("Moving time (h:mm:ss or mm:ss)", key="entry_run_moving")
        climb = st.number_input("Elevation gain (m, optional)", value=None, step=1.0, key="entry_run_elevation")
        name = st.text_input("Name (optional)", key="entry_run_name")
        strava = st.text_input("Strava activity id or URL (optional)", key="entry_run_strava")
        if st.form_submit_button("Save run", type="primary", disabled=disabled):
            def save() -> str:
                seconds = duration_s(moving)
                required("the run", {"distance_m": distance, "moving_time_s": seconds}, ("distance_m", "moving_time_s"))
                enter_run(context.store(), prefs.actor(), local_start=local, timezone=prefs.timezone(),
                          distance_m=distance / units.m_factor, moving_time_s=seconds, elevation_gain_m=climb,
                          name=name, activity_id=strava or None, now=context.now)
                return f"Run of {distance:g} {units.distance} at {local:%Y-%m-%d %H:%M} saved."
            attempt(save)


def sets_form(units: Units, disabled: bool) -> None:
    """Training sets: date, exercise, sets x reps at a load (kg or lb), optional RPE and notes."""
    with st.form("entry_set"):
        day = st.date_input("Date", value=prefs.today(), key="entry_set_date")
        exercise = st.text_input("Exercise", key="entry_set_exercise")
        count, reps = st.columns(2)
        sets = count.number_input("Sets", value=1, step=1, key="entry_set_sets")
        repetitions = reps.number_input("Reps per set", value=None, step=1, key="entry_set_reps")
        load, unit = st.columns(2)
        weight = load.number_input("Load (0 for bodyweight)", value=0.0, step=2.5, key="entry_set_load")
        unit_choice = unit.radio("Unit", ["kg", "lb"], index=0 if units.mass == "kg" else 1, horizontal=True,
                                 key="entry_set_unit")
        rpe = st.number_input("RPE (0-10, optional)", value=None, step=0.5, key="entry_set_rpe")
        notes = st.text_input("Notes (optional)", key="entry_set_notes")
        if st.form_submit_button("Save sets", type="primary", disabled=disabled):
            def save() -> str:
                required("the training sets", {"reps": repetitions, "sets": sets}, ("reps", "sets"))
                saved = enter_sets(context.store(), prefs.actor(), session_date=day, exercise=exercise, sets=sets,
                                   reps=repetitions, load=weight, unit=unit_choice, rpe=rpe, notes=notes,
                                   now=context.now)
                return f"{len(saved)} set(s) of {exercise.strip()} on {day:%Y-%m-%d} saved."
            attempt(save)


FORMS = {BODY: weigh_in_form, RUN: run_form, SET: sets_form}
