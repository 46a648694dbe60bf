"""The [maps] settings: where map tiles come from (loaded by the visitor's browser) and the privacy zones.

- `tile_url`: an XYZ raster tile URL with {z}, {x} and {y}; OpenStreetMap's standard tiles by default, which
  its tile policy lets a browser load as a person views (never bulk-downloaded, attribution shown). "" draws
  routes on a plain background and the browser calls nobody (hosts that must not call out, the tests);
  "none" or "off" say the same where an empty value cannot be given (an environment variable).
- `tile_attribution`: the credit shown on every map (required by OpenStreetMap and most tile hosts).
- `privacy_zones`: circles (lat, lon, radius_m) around home: the start and end of a route inside one are cut
  from every map and from the heatmap (core/analytics/routes.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from core.errors import ConfigError

PrivacyZone = tuple[float, float, float]  # as core.analytics.routes takes it (not imported: config stays light)

OSM_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
OSM_ATTRIBUTION = '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'
NO_TILES = ("", "none", "off")
MAX_ZONE_RADIUS_M = 50_000.0  # a zone wider than a city is a typing error (metres, not km)
ZONE_HELP = 'Write e.g. privacy_zones = [{lat = 48.85, lon = 2.35, radius_m = 400}].'


@dataclass(frozen=True)
class MapSettings:
    """Tiles and privacy zones; `tile_url` "" means no tiles (a plain background)."""

    tile_url: str = OSM_TILES
    tile_attribution: str = OSM_ATTRIBUTION
    privacy_zones: tuple[PrivacyZone, ...] = ()

    @property
    def tile_origin(self) -> str | None:
        """scheme://host[:port] of the tiles (what the browser's Content-Security-Policy must allow), or None."""
        if not self.tile_url:
            return None
        parts = urlsplit(self.tile_url)
        return f"{parts.scheme}://{parts.netloc}"


def maps_from_section(section: Mapping[str, Any]) -> MapSettings:
    """The [maps] settings, validated (ConfigError names the key and what it must be)."""
    url = str(section.get("tile_url", OSM_TILES)).strip()
    url = "" if url.lower() in NO_TILES else url
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("https", "http") or not parts.netloc or not all(f"{{{c}}}" in url for c in "zxy"):
            raise ConfigError(f"[maps] tile_url must be an http(s) URL with {{z}}, {{x}} and {{y}}, not {url!r}",
                              action='Set e.g. tile_url = "https://tile.openstreetmap.org/{z}/{x}/{y}.png", '
                                     'or tile_url = "" for no tiles.')
    default_credit = OSM_ATTRIBUTION if url == OSM_TILES else ""
    attribution = str(section.get("tile_attribution", default_credit)).strip()
    if url and not attribution:
        raise ConfigError("[maps] tile_attribution is required with a tile_url other than OpenStreetMap's",
                          action="Set tile_attribution to the credit your tile host asks for.")
    return MapSettings(url, attribution, _zones(section.get("privacy_zones", [])))


def _zones(raw: Any) -> tuple[PrivacyZone, ...]:
    if not isinstance(raw, list | tuple):
        raise ConfigError(f"[maps] privacy_zones must be a list of zones, not {raw!r}", action=ZONE_HELP)
    return tuple(_zone(i, item) for i, item in enumerate(raw))


def _zone(i: int, item: Any) -> PrivacyZone:
    if not isinstance(item, Mapping) or not {"lat", "lon", "radius_m"} <= set(item):
        raise ConfigError(f"[maps] privacy_zones[{i}] needs lat, lon and radius_m, not {item!r}", action=ZONE_HELP)
    try:
        lat, lon, radius = float(item["lat"]), float(item["lon"]), float(item["radius_m"])
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[maps] privacy_zones[{i}]: lat, lon and radius_m must be numbers ({item!r})",
                          action=ZONE_HELP) from exc
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 < radius <= MAX_ZONE_RADIUS_M):
        raise ConfigError(f"[maps] privacy_zones[{i}] = ({lat}, {lon}, {radius} m) is not a place on Earth with a "
                          f"radius between 0 and {MAX_ZONE_RADIUS_M:,.0f} m", action=ZONE_HELP)
    return (lat, lon, radius)
