"""The run page in a real browser with map tiles off: the map (MapLibre's canvas) and every chart drawn, and
nothing fetched from any other host."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import urlsplit

import pytest

from core.records import RUN
from core.views.format import format_moment
from tests.browser import chromium_page, log_in, require_chromium, streamlit_server
from tests.run_page_helpers import attach, demo_run_keys, synthetic_stream
from tests.test_browser import CHART_TIMEOUT_MS, demo_env

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
ALL_DRAWN = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')]; return p.length >= 4 && "
             "p.every(e => e._fullLayout && e.querySelector('.main-svg')) && "
             "!!document.querySelector('.js-plotly-plot canvas.maplibregl-canvas'); }")


# Installed before the page's scripts: at every frame, how many loading placeholders there are and how many of
# them are animated (Streamlit's shimmer, which ui/serving.py stops: drawn in software it slows the new tab).
PLACEHOLDER_SPY = """(() => { window.__placeholders = {seen: 0, moving: 0};
  const look = () => { const s = [...document.querySelectorAll('[data-testid*="Skeleton"]')];
    const moving = s.flatMap(e => e.getAnimations({subtree: true})).filter(a => a.playState === 'running').length;
    window.__placeholders.seen = Math.max(window.__placeholders.seen, s.length);
    window.__placeholders.moving = Math.max(window.__placeholders.moving, moving);
    requestAnimationFrame(look); };
  requestAnimationFrame(look); })();"""


def test_a_linked_run_page_draws_its_charts_and_its_map_without_tiles(demo_store, tmp_path):
    """/run?run=<key> after the login shows the run's profile, splits, zones and a MapLibre map with the route;
    with tiles off no request leaves the dashboard's server and the page's policy blocks nothing; in a new tab
    the placeholders shown while it loads stay still, and its h:mm:ss moving time shows as it is without making
    the browser fetch Streamlit's emoji plugin."""
    require_chromium()
    store, path = demo_store
    key = demo_run_keys(store, 3)[2]  # not the latest run, which the page would show without the link
    run = store.read(RUN).set_index("key").loc[key]
    attach(store, key, synthetic_stream(datetime(2026, 11, 1, 7, tzinfo=UTC), 1800))
    env = {**demo_env(path), "FITDASH_MAPS_TILE_URL": "off", "FITDASH_ATHLETE_MAX_HR_BPM": "190"}
    with streamlit_server(env) as url, chromium_page() as page:
        hosts, blocked = set(), []
        page.on("request", lambda r: hosts.add(urlsplit(r.url).netloc) if r.url.startswith("http") else None)
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(url)  # someone has visited since the server started (as in test_browser's bookmark test)
        page.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        log_in(page, f"{url}/run?run={key.replace(':', '%3A')}", "demo", "demo")
        page.get_by_role("heading", name="Run", exact=True).wait_for(timeout=CHART_TIMEOUT_MS)
        page.wait_for_function(ALL_DRAWN, timeout=CHART_TIMEOUT_MS)
        heading = f"{run['name']}, {run.start_time_local:%a} {format_moment(run.start_time_local)}"
        page.get_by_role("heading", name=heading).wait_for()
        kinds = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')].map("
                              "p => p.data.map(d => d.type).join(','))")
        page.locator(".js-plotly-plot").nth(3).screenshot(path=str(tmp_path / "map.png"))
        assert kinds == ["scatter,scatter,scatter", "bar", "bar", "scattermap,scattermap,scattermap"]
        assert "run=" in page.url and hosts == {urlsplit(url).netloc}
        assert blocked == []
        fresh, emoji = page.context.new_page(), []
        fresh.add_init_script(PLACEHOLDER_SPY)
        fresh.on("request", lambda r: emoji.append(r.url) if "emoji" in r.url else None)
        fresh.goto(f"{url}/run?run={key.replace(':', '%3A')}")
        fresh.wait_for_function(ALL_DRAWN, timeout=CHART_TIMEOUT_MS)
        placeholders = fresh.evaluate("() => window.__placeholders")
        assert placeholders["seen"] > 0 and placeholders["moving"] == 0, placeholders
        values = fresh.eval_on_selector_all('[data-testid="stMetricValue"]', "els => els.map(e => e.innerText)")
        moving = [v for v in values if re.fullmatch(r"\d+:\d{2}:\d{2}", v)]  # shown without its Markdown escapes
        assert len(moving) == 1 and emoji == [], (values, emoji)  # a duration is not an emoji shortcode
