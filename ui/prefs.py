"""The logged-in person's preferences (core/preferences.py): read from the store once per session, saved on change.

Everyone, a viewer too, has their own. A reload is a new session, so what was saved (the units, the date range,
the time zone, the goals) is read again from the store; an unset value follows the deployment's [app] setting.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from functools import cache
from zoneinfo import available_timezones

import streamlit as st

from core.errors import FitDashError
from core.forecast.features import local_today
from core.preferences import Preferences, load_preferences, update_preferences
from core.units import SYSTEMS
from core.yourdata import Actor
from ui import context, gate

_KEY = "_preferences"  # (username, Preferences) of this session
_STARTED = "_preferences_started"  # whose stored values the widgets started from
UNITS_KEY, RANGE_KEY, ZONE_KEY = "units_system", "pref_date_range", "pref_timezone"
DEFAULT = "default"  # a choice meaning "not set: follow the deployment's setting"
RANGE_LABELS = {  # core.preferences.DATE_RANGES -> the pickers' presets (ui/widgets.py)
    "3 months": "Last 3 months", "12 months": "Last 12 months", "2 years": "Last 2 years", "all": "All"}


def actor() -> Actor:
    """Who is logged in, with their role, as the core's write functions check it."""
    return Actor(st.session_state.get("username") or "", gate.current_role() or "")


def current() -> Preferences:
    """This person's preferences, read from the store at the session's first use (their login)."""
    username = actor().username
    held = st.session_state.get(_KEY)
    if held is None or held[0] != username:
        held = (username, load_preferences(context.store(), username)[0] if username else Preferences())
        st.session_state[_KEY] = held
    return held[1]


def save_change(update: Callable[[Preferences], Preferences]) -> Preferences:
    """Apply one change to the stored preferences (re-read first, so another tab's change is kept); the typed error
    (a bad value: InvalidEntry; not logged in: NotAllowed) when refused, nothing stored."""
    prefs, _ = update_preferences(context.store(), actor(), actor().username, update)
    st.session_state[_KEY] = (actor().username, prefs)  # no cached read changes: views are keyed by units and zone
    return prefs


def change(update: Callable[[Preferences], Preferences]) -> bool:
    """save_change for a widget's callback: False, with the reason shown, when refused."""
    try:
        save_change(update)
    except FitDashError as exc:
        st.error(f"{exc}\n\n{exc.action}")
        return False
    return True


def timezone() -> str:
    """The person's time zone, else the deployment's."""
    return current().timezone or context.settings().timezone


def today() -> date:
    """Today's date in the person's time zone."""
    return local_today(context.now(), timezone()).date()


def range_label() -> str:
    """The preset the date-range pickers start on (the person's default range, else the last 12 months)."""
    return RANGE_LABELS.get(current().date_range or "12 months", "Last 12 months")



@cache
def zones() -> tuple[str, ...]:
    """Every IANA time zone name (reads the tz database's folder: once per process)."""
    return tuple(sorted(available_timezones()))


def _saved(name: str, key: str, empty: str | None = None) -> Callable[[], None]:
    """A widget's on_change: store its new value as the preference `name` (`empty` stands for 'not set')."""
    def save() -> None:
        value = st.session_state[key]
        change(lambda p: replace(p, **{name: None if value == empty else value}))
    return save


def _start_session() -> None:
    """At a person's first run (after the login): their stored values become the widgets' starting values."""
    username = actor().username
    if st.session_state.get(_STARTED) == username:
        return
    st.session_state.pop(_KEY, None)
    prefs, settings = current(), context.settings()
    st.session_state.update({UNITS_KEY: prefs.units or settings.units, RANGE_KEY: prefs.date_range or DEFAULT,
                             ZONE_KEY: prefs.timezone or DEFAULT, _STARTED: username})


def sidebar_preferences() -> None:
    """The units switch and the person's default period and time zone, each saved in the store when changed."""
    _start_session()
    st.sidebar.radio("Units", list(SYSTEMS), key=UNITS_KEY, horizontal=True, on_change=_saved("units", UNITS_KEY),
                     format_func=lambda s: "kg, km" if s == "metric" else "lb, mi")
    with st.sidebar.expander("Your preferences"):
        st.selectbox("Default period", [DEFAULT, *RANGE_LABELS], key=RANGE_KEY,
                     format_func=lambda r: f"Deployment's ({RANGE_LABELS['12 months']})" if r == DEFAULT
                     else RANGE_LABELS[r], on_change=_saved("date_range", RANGE_KEY, DEFAULT))
        deployment = context.settings().timezone
        st.selectbox("Time zone", [DEFAULT, *zones()], key=ZONE_KEY, on_change=_saved("timezone", ZONE_KEY, DEFAULT),
                     format_func=lambda z: f"Deployment's ({deployment})" if z == DEFAULT else z)
        st.caption("Kept for you in the store: the same after a reload and on every device.")
