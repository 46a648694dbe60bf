"""What the run page shows for one run: its summary, the profile against distance, splits, laps, zones, the map.

A run without a stream (a summary from Strava's API or a CSV) shows its summary and, when it has one, the
summary polyline on the map; a route without timestamps (a planned GPX) shows its elevation and map only.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core.activity.model import Lap, Stream
from core.analytics.athlete import Athlete
from core.analytics.hr_zones import time_in_zones
from core.analytics.run_detail import map_route, pace_s, run_zones
from core.analytics.running import in_range
from core.analytics.splits import SPLIT_M, splits
from core.maps import MapSettings
from core.polyline import decode_polyline
from core.units import Units
from core.views.charts.maps import route_map_figure
from core.views.charts.run import profile_figure, splits_figure, zones_figure
from core.views.format import DASH, format_duration, format_moment, format_number, format_pace
from core.views.run_origins import origin_labels
from core.views.tables import Link

NO_STREAM = "No activity file is stored for this run, so there is no pace, heart rate or splits to show: import " \
            "its FIT, GPX or TCX file (Data page) to see them."
RECENT_RUNS = 10  # the Running page's list of runs to open
LISTED_RUNS = 100  # the run page's list: the latest runs matching the search (the browser builds every option)
NO_TIME = "This route has no timestamps (a planned route?): no pace, splits or heart-rate zones."


@dataclass(frozen=True)
class RunView:
    """Everything the run page draws for one run; a figure or table is None when the run has nothing for it."""

    title: str
    summary: dict[str, str]
    notes: tuple[str, ...] = ()
    profile: go.Figure | None = None
    splits_chart: go.Figure | None = None
    splits_table: pd.DataFrame | None = None
    laps_table: pd.DataFrame | None = None
    zones_chart: go.Figure | None = None
    zones_note: str = ""
    route: go.Figure | None = None
    route_note: str = ""


def run_label(run, units: Units) -> str:
    """'2 May 2026 06:30 · Morning run · 10.2 km · 0:52:10 · 5:07 min/km': what the run list shows."""
    pace = format_pace(units.pace_from_mps(run.average_speed_mps)) if pd.notna(run.average_speed_mps) else DASH
    distance = format_number(units.distance_from_m(run.distance_m), 2)
    return f"{format_moment(run.start_time_local)} · {run['name']} · {distance} {units.distance} · " \
           f"{format_duration(run.moving_time_s)} · {pace} {units.pace}"


def run_url(key: str) -> str:
    """The run page's link to one run, relative to the page it is on (so it works under a base URL path)."""
    return f"run?run={quote(key, safe='')}"


def run_choices(runs: pd.DataFrame, units: Units) -> dict[str, str]:
    """Run key -> label, the latest run first (the searchable list)."""
    ordered = runs.sort_values("start_time_utc", ascending=False)
    return {run.key: run_label(run, units) for _, run in ordered.iterrows()}


def listed_choices(choices: dict[str, str], search: str, keep: str | None,
                   limit: int = LISTED_RUNS) -> tuple[dict[str, str], int]:
    """The latest `limit` runs whose label has every word of `search` (any case), the run `keep` (the open one)
    added at the end when it is not among them; and how many runs matched in all."""
    words = search.casefold().split()
    matching = [k for k, label in choices.items() if all(w in label.casefold() for w in words)]
    listed = matching[:limit] + ([keep] if keep in choices and keep not in matching[:limit] else [])
    return {k: choices[k] for k in listed}, len(matching)


def run_summary(run, units: Units) -> dict[str, str]:
    """The headline numbers of the run's record."""
    hr = run.average_heartrate_bpm
    return {"Distance": f"{format_number(units.distance_from_m(run.distance_m), 2)} {units.distance}",
            "Moving time": format_duration(run.moving_time_s),
            f"Pace ({units.pace})": format_pace(units.pace_from_mps(run.average_speed_mps)),
            "Elevation gain": DASH if pd.isna(run.elevation_gain_m)
            else f"{format_number(units.elevation_from_m(run.elevation_gain_m), 0)} {units.elevation}",
            "Avg heart rate": DASH if pd.isna(hr) else f"{hr:.0f} bpm"}


def run_view(runs: pd.DataFrame, stream: Stream | None, laps: tuple[Lap, ...], *, key: str, units: Units,
             athlete: Athlete, maps: MapSettings) -> RunView:
    """The page for the run with this key, from its record and (when stored) its stream and laps."""
    run = runs[runs.key == key].iloc[0]
    title = f"{run['name']}, {run.start_time_local:%a} {format_moment(run.start_time_local)}"
    base = dict(title=title, summary=run_summary(run, units))
    if stream is None or not len(stream):
        return RunView(**base, notes=(NO_STREAM,), **_polyline_route(run, maps))
    if not stream.has_time:
        return RunView(**base, notes=(NO_TIME,), profile=_profile(stream, units), **_stream_route(stream, maps))
    table = splits(stream, SPLIT_M[units.distance])
    zones, zones_note = run_zones(athlete, pd.Timestamp(run.start_time_local))
    has_hr = stream.has("heart_rate_bpm")
    return RunView(**base, profile=_profile(stream, units),
                   splits_chart=splits_figure(table, units, f"Splits per {units.distance}"),
                   splits_table=splits_table(table, units), laps_table=laps_table(laps, units) if laps else None,
                   zones_chart=zones_figure(time_in_zones(stream, zones), "Time in heart-rate zones")
                   if zones is not None and has_hr else None,
                   zones_note=zones_note if has_hr else "No heart rate was recorded on this run.",
                   **_stream_route(stream, maps))


def _profile(stream: Stream, units: Units) -> go.Figure:
    series = {"heart rate": stream.heart_rate_bpm, "elevation": stream.altitude_m}
    if stream.has_time:
        series["pace"] = pace_s(stream, 1 / units.m_factor)
    return profile_figure(series, stream.distance_m, units, "Pace, heart rate and elevation")


def _stream_route(stream: Stream, maps: MapSettings) -> dict:
    if not stream.has("lat_deg"):
        return {"route_note": "No positions were recorded (an indoor or treadmill run): no map."}
    return _route(map_route(stream.lat_deg, stream.lon_deg, maps.privacy_zones), maps, "Route")


def _polyline_route(run, maps: MapSettings) -> dict:
    points = np.array(decode_polyline("" if pd.isna(run.summary_polyline) else run.summary_polyline), dtype=float)
    if len(points) < 2:
        return {"route_note": "This run has no route."}
    return _route(map_route(points[:, 0], points[:, 1], maps.privacy_zones), maps, "Route (summary polyline)")


def _route(route: np.ndarray, maps: MapSettings, title: str) -> dict:
    cut = " Start and end inside a privacy zone are not drawn." if maps.privacy_zones else ""
    if len(route) < 2:
        return {"route_note": "The whole route lies inside a privacy zone: not drawn."}
    tiles = "" if maps.tile_url else " Drawn without map tiles ([maps] tile_url is off)."
    return {"route": route_map_figure(route, title, maps), "route_note": (cut + tiles).strip()}


def splits_table(table: pd.DataFrame, units: Units) -> pd.DataFrame:
    """The splits as the page lists them, fastest and slowest marked."""
    mark = np.where(table.fastest, "fastest", np.where(table.slowest, "slowest", ""))
    return pd.DataFrame({units.distance: table.split, f"distance ({units.distance})":
                         (table.distance_m * units.m_factor).round(2),
                         "time": [format_duration(s) for s in table.moving_s],
                         f"pace ({units.pace})": [format_pace(p) for p in table.pace_s],
                         f"elevation ({units.elevation})": units.elevation_from_m(table.elevation_change_m).round(0),
                         "avg HR (bpm)": table.avg_hr_bpm.round(0),
                         "": mark})


def laps_table(laps: tuple[Lap, ...], units: Units) -> pd.DataFrame:
    """The laps the file recorded: distance, timer time (elapsed when the file has no timer) and pace."""
    time = [lap.timer_s if lap.timer_s is not None else lap.elapsed_s for lap in laps]
    dist = np.array([lap.distance_m for lap in laps], dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(dist > 0, np.array(time, dtype=float) / (dist * units.m_factor), np.nan)
    return pd.DataFrame({"lap": [lap.index + 1 for lap in laps], f"distance ({units.distance})":
                         (dist * units.m_factor).round(2), "time": [format_duration(t) for t in time],
                         f"pace ({units.pace})": [format_pace(p) for p in pace]})


def runs_table(runs: pd.DataFrame, *, units: Units, start: pd.Timestamp, end: pd.Timestamp,
               limit: int = RECENT_RUNS) -> pd.DataFrame:
    """The latest `limit` runs of [start, end]: date, name linking to the run page, distance, time, pace, origin."""
    latest = in_range(runs, start, end).sort_values("start_time_utc", ascending=False).head(limit)
    return pd.DataFrame({"date": latest.start_time_local,
                         "run": [Link(n, run_url(k)) for n, k in zip(latest["name"], latest.key, strict=True)],
                         f"distance ({units.distance})": units.distance_from_m(latest.distance_m).round(2),
                         "time": [format_duration(s) for s in latest.moving_time_s],
                         f"pace ({units.pace})": [format_pace(units.pace_from_mps(v))
                                                  for v in latest.average_speed_mps],
                         "from": origin_labels(latest)})
