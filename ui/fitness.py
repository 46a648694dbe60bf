"""The Fitness page's Streamlit side: the runs' heart-rate summaries from the store, the plan inputs it shares with
the Forecast sliders, the cached view, and the weekly heart-rate zones section (also on the Running page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from core.activity.hr_index import run_heart_rates
from core.analytics.hr_summary import HrSummary
from core.units import Units
from core.views.fitness import FitnessView, Loads, fitness_view, training_loads
from core.views.zones import zones_view
from ui import context, data, views
from ui import forecast as forecast_ui

PLAN_INPUTS = {"run_hours": ("Plan: running (h/week)", 0.0, 30.0, 0.25),
               "sessions": ("Plan: strength sessions / week", 0.0, 14.0, 1.0)}


def _heart_rates(runs: pd.DataFrame) -> dict[str, HrSummary]:
    return run_heart_rates(context.store(), runs)


def heart_rates(runs: pd.DataFrame) -> dict[str, HrSummary]:
    """The heart-rate summary of every run with an HR stream (a few kB each), once per version of the runs:
    read from their kept index, opening only the streams of new or changed runs, one at a time."""
    return data.last_good("heart_rates", lambda: views.cached(_heart_rates, (runs,)))


def plan_inputs(current: dict[str, float]) -> tuple[float, float]:
    """Running hours and sessions a week: the Forecast page's plan (the same session state), editable here."""
    values = []
    for feature, (label, low, high, step) in PLAN_INPUTS.items():
        key = f"fitness_plan_{feature}"
        planned = float(min(max(forecast_ui.planned(feature, current.get(feature, 0.0)), low), high))
        if st.session_state.get(key) != planned:
            st.session_state[key] = planned  # before the widget: it shows the shared plan
        values.append(st.number_input(label, low, high, step=step, key=key, on_change=_moved, args=(feature, key),
                                      help="The same plan as the Forecast page's sliders: a change here moves them."))
    return values[0], values[1]


def _moved(feature: str, key: str) -> None:
    forecast_ui.set_planned(feature, float(st.session_state[key]))


def _loads(hr: dict, runs: pd.DataFrame, sets: pd.DataFrame, **params) -> Loads:
    return training_loads(runs, sets, samples=hr, **params)


def _fitness(loads: Loads, current: dict, runs: pd.DataFrame, sets: pd.DataFrame, body: pd.DataFrame, *,
             today: pd.Timestamp, **params) -> FitnessView:
    return fitness_view(loads, runs, sets, body, current=current, **params)  # `today` keys the loads and current


def view(runs: pd.DataFrame, sets: pd.DataFrame, body: pd.DataFrame, *, current: dict[str, float],
         start: pd.Timestamp, end: pd.Timestamp, today: pd.Timestamp, period: str, plan: tuple[float, float],
         units: Units) -> FitnessView:
    """The page's view, built once per data version, range, period, plan and units. The loads are built once per
    data version and day (a new plan or range reuses them); the HR samples follow the runs' version and the
    current week the data and `today`, so neither needs a key of its own."""
    athlete = context.settings().athlete
    loads = views.cached(_loads, (runs, sets), given=(heart_rates(runs),), athlete=athlete, today=today)
    return views.cached(_fitness, (runs, sets, body), given=(loads, current), athlete=athlete, start=start, end=end,
                        today=today, period=period, plan=plan, units=units)


def _zones(hr: dict, runs: pd.DataFrame, **params):
    return zones_view(runs, samples=hr, **params)


def zones_section(runs: pd.DataFrame, start: pd.Timestamp, end: pd.Timestamp, key: str) -> None:
    """'Weekly time in heart-rate zones' for runs in [start, end]: chart, polarisation, what is estimated."""
    st.subheader("Weekly time in heart-rate zones")
    shown = views.cached(_zones, (runs,), given=(heart_rates(runs),), athlete=context.settings().athlete,
                         start=start, end=end)
    if shown.empty:
        st.info(shown.empty)
        return
    st.plotly_chart(shown.figure, key=key)
    st.write(shown.polarisation)
    st.caption(shown.caption)
