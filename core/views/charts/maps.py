"""Maps drawn by plotly's MapLibre traces (scattermap, densitymap), inside Streamlit's own plotly.js.

The style is ours, never one of plotly's named styles (those fetch fonts or tiles from third parties): a raster
source with the configured tile URL, loaded by the browser as the person pans, with its attribution; or, with
tiles off, a plain background layer and nothing fetched at all. Markers are circles (a symbol marker would make
MapLibre fetch glyphs and sprites).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go

from core.maps import MapSettings

MAP_HEIGHT_PX = 460
BACKGROUND = "#eef0ea"  # the plain background with tiles off: a pale land colour, so a route reads as on a map
TILE_MAX_ZOOM = 19  # OpenStreetMap's standard tiles stop at zoom 19
WORLD_PX = 512  # MapLibre's zoom 0 draws the world 512 pixels wide
FIT_WIDTH_PX, FIT_HEIGHT_PX = 640, MAP_HEIGHT_PX - 60  # the map's usual size on a wide page, margins off


def map_style(maps: MapSettings) -> dict:
    """A MapLibre style: the configured raster tiles with their attribution, or a plain background."""
    background = {"id": "background", "type": "background", "paint": {"background-color": BACKGROUND}}
    if not maps.tile_url:
        return {"version": 8, "sources": {}, "layers": [background]}
    source = {"type": "raster", "tiles": [maps.tile_url], "tileSize": 256, "maxzoom": TILE_MAX_ZOOM,
              "attribution": maps.tile_attribution}
    return {"version": 8, "sources": {"tiles": source},
            "layers": [background, {"id": "tiles", "type": "raster", "source": "tiles"}]}


def fit_view(lat: np.ndarray, lon: np.ndarray) -> dict:
    """Centre and zoom that show every point (web-Mercator zoom from the larger of the two spans)."""
    lat, lon = lat[np.isfinite(lat)], lon[np.isfinite(lon)]
    south, north, west, east = lat.min(), lat.max(), lon.min(), lon.max()
    y = lambda deg: math.log(math.tan(math.pi / 4 + math.radians(deg) / 2))  # noqa: E731  Mercator y
    span_x = max((east - west) / 360, 1e-9)
    span_y = max((y(north) - y(south)) / (2 * math.pi), 1e-9)
    zoom = min(math.log2(FIT_WIDTH_PX / WORLD_PX / span_x), math.log2(FIT_HEIGHT_PX / WORLD_PX / span_y))
    return {"center": {"lat": float((south + north) / 2), "lon": float((west + east) / 2)},
            "zoom": float(np.clip(zoom - 0.2, 1, 17))}


def map_layout(title: str, maps: MapSettings, lat: np.ndarray, lon: np.ndarray) -> dict:
    """The layout of a map figure fitted to these points."""
    return dict(title=dict(text=title), height=MAP_HEIGHT_PX, margin=dict(l=8, r=8, t=56, b=8), showlegend=True,
                legend=dict(orientation="h", x=1, xanchor="right", y=1.02, yanchor="bottom"),
                map=dict(style=map_style(maps), **fit_view(lat, lon)))


def route_map_figure(route: np.ndarray, title: str, maps: MapSettings) -> go.Figure:
    """A route, (n, 2) latitude and longitude, as a line with its (drawn) start and finish."""
    lat, lon = route[:, 0], route[:, 1]
    fig = go.Figure(go.Scattermap(lat=lat, lon=lon, mode="lines", name="route", line=dict(width=4, color="#1f6fd1"),
                                  hoverinfo="skip"), layout=map_layout(title, maps, lat, lon))
    for name, i, color in (("start", 0, "seagreen"), ("finish", -1, "crimson")):
        fig.add_trace(go.Scattermap(lat=[lat[i]], lon=[lon[i]], mode="markers", name=name,
                                    marker=dict(size=14, color=color), hovertemplate=f"{name}<extra></extra>"))
    return fig


def heatmap_figure(cells, title: str, maps: MapSettings, cell_m: float) -> go.Figure:
    """Grid cells (lat_deg, lon_deg, count) as a density map: the more runs crossed a cell, the hotter."""
    lat, lon = cells.lat_deg.to_numpy(float), cells.lon_deg.to_numpy(float)
    fig = go.Figure(go.Densitymap(lat=lat, lon=lon, z=np.log1p(cells["count"].to_numpy(float)), radius=6,
                                  colorscale="Hot", reversescale=True, showscale=False, name="runs",
                                  customdata=cells["count"], hovertemplate="%{customdata} runs<extra></extra>"),
                    layout=map_layout(title, maps, lat, lon))
    fig.update_layout(showlegend=False)
    fig.add_annotation(text=f"cells of about {cell_m:.0f} m", showarrow=False, x=0, y=1.0, xref="paper",
                       yref="paper", xanchor="left", yanchor="bottom")
    return fig
