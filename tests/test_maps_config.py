"""[maps]: where the browser may load map tiles from (and the policy that lets it), and the privacy zones."""

from __future__ import annotations

import re

import pytest

from core.config import build_settings, read_secrets_file
from core.errors import ConfigError
from core.maps import OSM_ATTRIBUTION, OSM_TILES
from tests.test_guard import policy
from tests.test_serving import request
from ui.guard import Guard
from ui.serving import FrontendHints


def test_maps_default_to_openstreetmap_tiles_with_their_credit_and_no_privacy_zone():
    """Without a [maps] section the browser loads OpenStreetMap's tiles, credited, and nothing is cut."""
    maps = build_settings({}, {}).maps
    assert (maps.tile_url, maps.tile_attribution, maps.privacy_zones) == (OSM_TILES, OSM_ATTRIBUTION, ())
    assert maps.tile_origin == "https://tile.openstreetmap.org"


@pytest.mark.parametrize("off", ["", "off", "none"])
def test_tiles_can_be_switched_off_in_the_file_or_with_an_environment_variable(off):
    """tile_url = "" in secrets.toml, or FITDASH_MAPS_TILE_URL=off (an empty variable configures nothing), means
    no tiles and no host to call."""
    from_file = build_settings({"maps": {"tile_url": off}}, {}).maps
    from_env = build_settings({}, {"FITDASH_MAPS_TILE_URL": off or "off"}).maps
    assert from_file.tile_url == from_env.tile_url == "" and from_file.tile_origin is None


def test_privacy_zones_from_toml_or_json_in_the_environment(tmp_path):
    """Zones written as a TOML list of tables, or the same as JSON in FITDASH_MAPS_PRIVACY_ZONES, give (lat, lon, m)."""
    path = tmp_path / "secrets.toml"
    path.write_text('[maps]\nprivacy_zones = [{lat = 48.85, lon = 2.35, radius_m = 400}, '
                    '{lat = -33.9, lon = 151.2, radius_m = 250.5}]\n')
    assert build_settings(read_secrets_file(path), {}).maps.privacy_zones == ((48.85, 2.35, 400.0),
                                                                             (-33.9, 151.2, 250.5))
    env = {"FITDASH_MAPS_PRIVACY_ZONES": '[{"lat": 1, "lon": 2, "radius_m": 3}]'}
    assert build_settings({}, env).maps.privacy_zones == ((1.0, 2.0, 3.0),)


@pytest.mark.parametrize(("maps", "message"), [
    ({"tile_url": "tile.example.org/{z}/{x}/{y}.png"}, "tile_url must be an http(s) URL"),
    ({"tile_url": "https://tiles.example.org/{z}/{x}.png"}, "tile_url must be an http(s) URL"),
    ({"tile_url": "https://tiles.example.org/{z}/{x}/{y}.png"}, "tile_attribution is required"),
    ({"privacy_zones": {"lat": 1, "lon": 2, "radius_m": 3}}, "privacy_zones must be a list"),
    ({"privacy_zones": [{"lat": 48.8, "lon": 2.3}]}, "privacy_zones[0] needs lat, lon and radius_m"),
    ({"privacy_zones": [{"lat": "north", "lon": 2.3, "radius_m": 100}]}, "must be numbers"),
    ({"privacy_zones": [{"lat": 95, "lon": 2.3, "radius_m": 100}]}, "is not a place on Earth"),
    ({"privacy_zones": [{"lat": 48.8, "lon": 2.3, "radius_m": 400_000}]}, "radius between 0 and 50,000 m"),
])
def test_bad_map_settings_name_the_key_and_what_it_must_be(maps, message):
    """A tile URL without {z}/{x}/{y} or scheme, another host without its credit, or a zone that is not a circle
    on Earth stops the start with a ConfigError saying so."""
    with pytest.raises(ConfigError, match=re.escape(message)) as caught:
        build_settings({"maps": maps}, {})
    assert "[maps]" in str(caught.value) and caught.value.action


def _headers(tile_origin):
    from tests.test_serving import CHART_PAGES, COOKIE, PAGES, streamlit_files

    app = Guard(FrontendHints(streamlit_files(), page_paths=PAGES, chart_pages=CHART_PAGES, cookie_name=COOKIE),
                tile_origin=tile_origin)
    return request(app, "/run")[1]


def test_with_tiles_the_page_may_fetch_from_the_tile_host_only_and_tells_it_the_origin_alone():
    """With a tile URL the policy lets the browser fetch and show images from that one host, and the Referer it
    sends there is the dashboard's origin (OpenStreetMap's policy asks for one), never a page's path or query."""
    headers = _headers("https://tile.openstreetmap.org")
    csp = policy(headers)
    assert csp["connect-src"].split() == ["'self'", "https://tile.openstreetmap.org"]
    assert csp["img-src"].split() == ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"]
    assert headers[b"referrer-policy"] == b"strict-origin-when-cross-origin"


def test_without_tiles_the_page_connects_to_its_own_server_only():
    """With tiles off the policy stays as strict as before: connections and images from the server alone."""
    headers = _headers(None)
    csp = policy(headers)
    assert csp["connect-src"] == "'self'" and csp["img-src"].split() == ["'self'", "data:", "blob:"]
    assert headers[b"referrer-policy"] == b"same-origin"
