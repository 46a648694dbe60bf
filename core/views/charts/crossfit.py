"""CrossFit-page figures (the strength log)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.units import Units
from core.views.charts.base import RIGHT_AXIS_MARGIN, base_layout, empty_figure


def reps_load_figure(sets: pd.DataFrame, exercise: str, units: Units, load_column: str = "load_kg") -> go.Figure:
    """Reps against load for every set (the original's scatter); bodyweight sets by body weight + added load."""
    load = "body weight + added load" if load_column == "effective_load_kg" else "load"
    title = f"{exercise}: reps vs {load} ({units.mass})"
    if sets.empty:
        return empty_figure(title, "No set on a day with a weigh-in" if load_column == "effective_load_kg"
                            else "No sets in this range")
    fig = go.Figure(go.Scatter(x=sets[load_column] * units.kg_factor, y=sets.reps, mode="markers", name="sets",
                               marker=dict(size=7, opacity=0.6)), layout=base_layout(title))
    fig.update_xaxes(title_text=f"{load} ({units.mass})")
    fig.update_yaxes(title_text="reps")
    return fig


def e1rm_figure(e1rm: pd.DataFrame, exercise: str, units: Units) -> go.Figure:
    """Estimated one-rep max per session (Epley and Brzycki); high-rep estimates drawn hollow."""
    title = f"{exercise}: estimated one-rep max ({units.mass})"
    if e1rm.empty:
        return empty_figure(title, "No loaded sets in this range")
    fig = go.Figure(layout=base_layout(title))
    symbols = ["circle-open" if low else "circle" for low in e1rm.low_confidence]
    for column, name in (("epley_kg", "Epley"), ("brzycki_kg", "Brzycki")):
        fig.add_trace(go.Scatter(x=e1rm.session_date, y=e1rm[column] * units.kg_factor, mode="lines+markers",
                                 name=name, marker=dict(symbol=symbols, size=7)))
    fig.update_yaxes(title_text=units.mass)
    fig.update_xaxes(title_text="session date (hollow: estimated from more than 10 reps)")
    return fig


def volume_figure(volume: pd.DataFrame, units: Units) -> go.Figure:
    """Weekly volume (reps x load) as bars and sessions per week as a line."""
    title = f"Weekly volume ({units.mass}) and sessions"
    if volume.empty:
        return empty_figure(title, "No sets in this range")
    fig = go.Figure(layout=base_layout(title, right=RIGHT_AXIS_MARGIN, yaxis=dict(title=f"volume ({units.mass})"),
                                       yaxis2=dict(title="sessions", overlaying="y", side="right", rangemode="tozero",
                                                   automargin=False)))
    fig.add_trace(go.Bar(x=volume.index, y=volume.volume_kg * units.kg_factor, name=f"volume ({units.mass})"))
    fig.add_trace(go.Scatter(x=volume.index, y=volume.sessions, mode="lines+markers", name="sessions", yaxis="y2"))
    fig.update_xaxes(title_text="week (Monday)")
    return fig


def reps_session_figure(sessions: pd.DataFrame, exercise: str) -> go.Figure:
    """Total reps per session as bars and the most reps in one set as a line (bodyweight exercises)."""
    title = f"{exercise}: reps per session"
    if sessions.empty:
        return empty_figure(title, "No sets in this range")
    fig = go.Figure(layout=base_layout(title))
    fig.add_trace(go.Bar(x=sessions.index, y=sessions.reps, name="reps in the session"))
    fig.add_trace(go.Scatter(x=sessions.index, y=sessions.max_set_reps, mode="lines+markers",
                             name="most reps in one set"))
    fig.update_yaxes(title_text="reps", rangemode="tozero")
    fig.update_xaxes(title_text="session date")
    return fig
