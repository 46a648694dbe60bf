"""CrossFit-page figures (the strength log)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.units import Units
from core.views.charts.base import DATE_AXIS, RIGHT_AXIS_MARGIN, base_layout, count_axis, empty_figure, hover
from core.views.format import d3_number

PR_COLOUR = "goldenrod"


def reps_load_figure(sets: pd.DataFrame, exercise: str, units: Units, bodyweight: bool = False) -> go.Figure:
    """Reps against load, one dot per (load, reps) sized by how many sets were done so; bodyweight: added load only."""
    load = "added load" if bodyweight else "load"
    title = f"{exercise}: reps vs {load} ({units.mass})"
    if sets.empty:
        return empty_figure(title, "No sets in this range")
    counted = (sets.assign(load=(sets.load_kg * units.kg_factor).round(2)).groupby(["load", "reps"]).size()
               .rename("sets").reset_index())
    fig = go.Figure(go.Scatter(
        x=counted["load"], y=counted.reps, mode="markers", customdata=counted.sets,
        name="sets at this load and reps (bigger: more sets)", showlegend=True,
        marker=dict(size=6 + 14 * (counted.sets / counted.sets.max()) ** 0.5, color="#636efa"),
        hovertemplate=f"%{{customdata}} set(s) of %{{y}} reps at %{{x:{d3_number(2)}}} {units.mass}<extra></extra>"),
        layout=base_layout(title, hovermode="closest"))
    fig.update_xaxes(title_text=f"{load} ({units.mass})" + (" - 0: body weight alone" if bodyweight else ""))
    fig.update_yaxes(title_text="reps")
    return fig


def e1rm_figure(e1rm: pd.DataFrame, exercise: str, units: Units, records: pd.Series | None = None) -> go.Figure:
    """Estimated one-rep max per session (Epley and Brzycki); high-rep estimates hollow; PRs (`records`) starred."""
    title = f"{exercise}: estimated one-rep max ({units.mass})"
    if e1rm.empty:
        return empty_figure(title, "No loaded sets in this range")
    fig = go.Figure(layout=base_layout(title, xaxis=DATE_AXIS))
    symbols = ["circle-open" if low else "circle" for low in e1rm.low_confidence]
    for column, name in (("epley_kg", "Epley"), ("brzycki_kg", "Brzycki")):
        fig.add_trace(go.Scatter(x=e1rm.session_date, y=e1rm[column] * units.kg_factor, mode="lines+markers",
                                 name=name, marker=dict(symbol=symbols, size=7), hovertemplate=hover(units.mass)))
    prs = e1rm[records.reindex(e1rm.index, fill_value=False).astype(bool)] if records is not None else e1rm.iloc[:0]
    if not prs.empty:
        fig.add_trace(go.Scatter(x=prs.session_date, y=prs.epley_kg * units.kg_factor, mode="markers",
                                 name="PR (best Epley estimate so far)",
                                 marker=dict(symbol="star", size=15, color=PR_COLOUR,
                                             line=dict(width=1, color="black")),
                                 hovertemplate=hover(units.mass)))
    fig.update_yaxes(title_text=units.mass)
    fig.update_xaxes(title_text="session date (hollow: estimated from more than 10 reps)")
    return fig


def volume_figure(volume: pd.DataFrame, units: Units) -> go.Figure:
    """Weekly volume (reps x load) as bars and sessions per week as a line."""
    title = f"Weekly volume ({units.mass} / week) and sessions"
    if volume.empty:
        return empty_figure(title, "No sets in this range")
    per_week = f"{units.mass} / week"
    fig = go.Figure(layout=base_layout(
        title, right=RIGHT_AXIS_MARGIN, xaxis=dict(hoverformat="week of " + DATE_AXIS["hoverformat"]),
        yaxis=dict(title=f"volume ({per_week})"),
        yaxis2=count_axis(volume.sessions.max(), title="sessions / week", overlaying="y", side="right")))
    fig.add_trace(go.Bar(x=volume.index, y=volume.volume_kg * units.kg_factor, name="volume",
                         hovertemplate=hover(per_week, 0)))
    fig.add_trace(go.Scatter(x=volume.index, y=volume.sessions, mode="lines+markers", name="sessions", yaxis="y2",
                             hovertemplate=hover("/ week", 0)))
    fig.update_xaxes(title_text="week (Monday)")
    return fig


def reps_session_figure(sessions: pd.DataFrame, exercise: str) -> go.Figure:
    """Total reps per session as bars and the most reps in one set as a line (bodyweight exercises)."""
    title = f"{exercise}: reps per session"
    if sessions.empty:
        return empty_figure(title, "No sets in this range")
    fig = go.Figure(layout=base_layout(title, xaxis=DATE_AXIS, yaxis=count_axis(sessions.reps.max(), title="reps")))
    fig.add_trace(go.Bar(x=sessions.index, y=sessions.reps, name="reps in the session", hovertemplate=hover("", 0)))
    fig.add_trace(go.Scatter(x=sessions.index, y=sessions.max_set_reps, mode="lines+markers",
                             name="most reps in one set", hovertemplate=hover("", 0)))
    fig.update_xaxes(title_text="session date")
    return fig
