"""Headless Chromium: charts visible per page against a bare one-chart page, the slider, peak memory.

Timings of the slider are taken inside the page (performance.now()), not around Playwright calls: a
wrapped WebSocket stamps every frame, so "server time" is the span from the slider's rerun request
leaving the browser to Streamlit's `script_finished` arriving (the fragment run plus loopback), and
"shown" is the span from the key press to the first animation frame showing the new prediction.
"""

from __future__ import annotations

import base64
import os
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import Row
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, log_in, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
TAB_PAIRS = 8  # bare tab + page tab pairs per page: the VM's CPU speed drifts by up to 1.5x; with 5, medians moved ±0.1
SLIDER_MOVES = 12
VIEWPORT = {"width": 1400, "height": 1000}  # every tab of a comparison, bare or not, in the same window
CHARTS_DRAWN = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')];"
                " return p.length > 0 && p.every(e => e._fullLayout && e.querySelector('.main-svg')); }")
NAV = {"overview": "Overview", "weight": "Weight", "running": "Running", "crossfit": "CrossFit",
       "forecast": "Forecast"}
# Stamps every WebSocket frame (small frames kept as base64 so Python can decode Streamlit's protobuf).
WS_SPY = """(() => {
  const Native = window.WebSocket; window.__ws = [];
  const b64 = d => { const u = new Uint8Array(d instanceof ArrayBuffer ? d : d.buffer || d);
    return u.length < 512 ? btoa(String.fromCharCode(...u)) : null; };
  window.WebSocket = function (...args) {
    const ws = new Native(...args); const send = ws.send.bind(ws);
    ws.send = d => { window.__ws.push(['s', performance.now(), b64(d)]); return send(d); };
    ws.addEventListener('message', e => window.__ws.push(['r', performance.now(),
      e.data instanceof ArrayBuffer ? b64(e.data) : null]));
    return ws; };
  window.WebSocket.prototype = Native.prototype;
  Object.assign(window.WebSocket, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.addEventListener('keydown', () => { window.__key = performance.now(); }, true);
})();"""
# When the page's connection to the server was ready: the end of the last host-config request, which the
# frontend makes (with a health check) just before opening the WebSocket. On a page URL such as /weight,
# Streamlit first probes /weight/_stcore/..., which fails, and retries at / after a fixed 100 ms.
CONNECTED = ("() => Math.max(...performance.getEntriesByType('resource')"
             ".filter(r => r.name.endsWith('_stcore/host-config')).map(r => r.responseEnd))")
PROBES = "() => performance.getEntriesByType('resource').filter(r => r.name.endsWith('_stcore/health')).length"
# The predictions at the horizon ("After 8 weeks: ..."), which every horizon step changes.
PLAN_VALUE = ("() => { const t = [...document.querySelectorAll('[data-testid=\"stMarkdown\"]')]"
              ".map(e => e.innerText).filter(x => x.startsWith('After ')); return t.length ? t.join('|') : null; }")


@contextmanager
def server(script: str, env: dict[str, str], runlog: Path | None = None):
    port = free_port()
    launcher = ["-m", "bench.serve", str(runlog)] if runlog else ["-m", "streamlit"]
    proc = subprocess.Popen([sys.executable, *launcher, "run", script, f"--server.port={port}",
                             "--server.address=127.0.0.1", "--server.headless=true"], cwd=ROOT,
                            env={**os.environ, **env}, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        yield f"http://127.0.0.1:{port}", proc
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def peak_rss_mb(pid: int) -> float:
    """VmHWM: the process's peak resident memory."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def browser_rows(db: Path, model_key: str) -> list[Row]:
    """Bare page vs each page, in alternation with fresh browser contexts; the slider; memory."""
    from playwright.sync_api import sync_playwright

    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01",
           "FITDASH_MODEL_HMAC_KEY": model_key}
    runlog = Path(tempfile.mkdtemp()) / "runs.log"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with server("bench/bare_app.py", env) as (bare_url, _), \
                server("streamlit_app.py", env, runlog) as (url, proc):
            bare = []
            for _ in range(RUNS):
                context = browser.new_context()
                bare.append(_load(context.new_page(), bare_url, None))
                context.close()
            rows = [Row("bare page, 1 chart: goto -> chart visible", bare, "s", "", "the floor, fresh browser")]
            rows += _page_rows(browser, url, bare_url)
            rows += _slider_rows(browser, url, runlog)
            rows.append(Row("peak memory of the app process (10 years of data, all pages)", [peak_rss_mb(proc.pid)],
                            "MB", "< 400 MB", "VmHWM"))
        browser.close()
    return rows


def _load(page, url: str, title: str | None) -> float:
    """Seconds from goto to the page's heading (if any) and every chart drawn."""
    start = time.perf_counter()
    page.goto(url)
    if title:
        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    return time.perf_counter() - start


def _page_rows(browser, url: str, bare_url: str) -> list[Row]:
    """Per page: a new tab opened on it with the login remembered, each right after a new tab of the bare page
    (the machine's load drifts over a run: pairs see the same conditions); then a sidebar click."""
    tab: dict[str, list[float]] = {slug: [] for slug in NAV}
    paired: dict[str, list[float]] = {slug: [] for slug in NAV}
    nav: dict[str, list[float]] = {slug: [] for slug in NAV if slug != "overview"}
    bare_tab: list[float] = []
    connected: dict[str, list[float]] = {"bare": [], "/": [], "page URL": []}
    probes: list[int] = []
    bare_context = browser.new_context(viewport=VIEWPORT)  # the same window as the app's tabs
    bare_context.new_page().goto(bare_url)  # HTTP cache warm, as for the app's tabs
    for run in range(TAB_PAIRS):
        context = browser.new_context(viewport=VIEWPORT)
        page = context.new_page()
        log_in(page, url, "demo", "demo")
        page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
        page.wait_for_function("() => document.cookie.includes('fitdash_auth=')", timeout=60_000)
        for slug, title in NAV.items():
            floor = bare_context.new_page()
            bare_tab.append(_load(floor, bare_url, None))
            connected["bare"].append(floor.evaluate(CONNECTED))
            floor.close()
            fresh = context.new_page()
            tab[slug].append(_load(fresh, url if slug == "overview" else f"{url}/{slug}", title))  # default page: /
            connected["/" if slug == "overview" else "page URL"].append(fresh.evaluate(CONNECTED))
            if slug != "overview":
                probes.append(fresh.evaluate(PROBES))
            fresh.close()
            paired[slug].append(tab[slug][-1] / bare_tab[-1])
        for slug, title in NAV.items():
            if slug in nav and run < RUNS:
                start = time.perf_counter()
                page.get_by_role("link", name=title).first.click()
                page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
                page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                nav[slug].append(time.perf_counter() - start)
        context.close()
    bare_context.close()
    rows = [Row("bare page, 1 chart, new tab: goto -> chart visible", bare_tab, "s", "",
                "the floor for the pages below: one before each page's tab")]
    rows += [Row(f"{NAV[s]}: new tab -> all charts visible, / bare tab just before", paired[s], "x", "<= 1.2",
                 f"page median {statistics.median(tab[s]):.2f} s; login remembered by cookie; plotly.js parsed again")
             for s in NAV]
    rows += [Row(f"{NAV[s]}: sidebar click -> all charts visible", nav[s], "s", "", "plotly.js already loaded")
             for s in nav]
    rows += [Row(f"new tab, connection to the server ready: {where}", ms, "ms", "",
                 {"bare": "navigation start -> last _stcore/host-config response; bare page at /",
                  "/": "the app at / (Overview, the default page)",
                  "page URL": f"/weight, /running, ...: {statistics.median(probes):.0f} health check(s) per tab "
                              "(1: the page's hint names the server root; 2: Streamlit probed /<page>/_stcore, "
                              "then retried at / after 100 ms)"}[where])
             for where, ms in connected.items()]
    return rows


def _slider_rows(browser, url: str, runlog: Path) -> list[Row]:
    """The horizon slider: fragment server time and time to the new predictions on screen."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(WS_SPY)
    page = context.new_page()
    log_in(page, url, "demo", "demo")
    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
    page.get_by_role("link", name="Forecast").first.click()
    try:
        page.wait_for_function(PLAN_VALUE, timeout=60_000)
    except Exception as exc:  # the page shows no prediction: say so in the table rather than crash
        context.close()
        return [Row("forecast slider -> prediction shown", [], "ms", "<= 200 ms median, 300 max",
                    f"no prediction on the page: {type(exc).__name__}")]
    slider = page.get_by_role("slider").first  # the horizon: each step changes every prediction shown
    shown, server_ms = [], []
    runlog.write_text("")  # from here on, only the slider's runs
    for moves in range(SLIDER_MOVES):
        before = page.evaluate(PLAN_VALUE)
        slider.focus()
        page.evaluate("() => { window.__ws = []; }")
        page.keyboard.press("ArrowRight" if moves % 2 == 0 else "ArrowLeft")
        done = page.wait_for_function(
            f"b => {{ const v = ({PLAN_VALUE})(); return v !== null && v !== b ? performance.now() : false; }}",
            arg=before, timeout=10_000, polling="raf").json_value()
        time.sleep(0.3)  # let the run's last frames arrive
        frames, key = page.evaluate("() => [window.__ws, window.__key]")
        shown.append(done - key)
        sent = next((t for d, t, _ in frames if d == "s" and t >= key), None)
        finished = next((t for d, t, data in frames if d == "r" and data and sent is not None and t >= sent
                         and _kind(ForwardMsg, data) == "script_finished"), None)
        if sent is not None and finished is not None:
            server_ms.append(finished - sent)
    context.close()
    fragment_ms = [float(ms) for kind, ms in (line.split() for line in runlog.read_text().splitlines())
                   if kind == "fragment"]
    return [Row("forecast slider: fragment run, server time", fragment_ms, "ms", "<= 30 ms",
                "the script thread's time per fragment run (bench.serve)"),
            Row("forecast slider: request sent -> script_finished in the page", server_ms, "ms", "",
                "WebSocket frames as the page sees them: includes the browser's busy main thread"),
            Row("forecast slider -> prediction shown", shown, "ms", "<= 200 ms median, 300 max",
                "key press -> new plan value painted (in-page clock)")]


def _kind(message_type, data: str) -> str | None:
    msg = message_type()
    try:
        msg.ParseFromString(base64.b64decode(data))
    except Exception:  # not a ForwardMsg we can read (e.g. a cached-message reference)
        return None
    return msg.WhichOneof("type")
