"""The run page, the best efforts and the heatmap on ten years of runs that all have a stream.

`python -m bench run_page` runs these rows alone and rewrites only their section of bench/RESULTS.md. Every one
of the ~1,500 demo runs gets a synthetic 1 Hz stream as long as its moving time (tests/run_page_helpers.py),
from one of 20 starting points around a home; the latest run gets a 3-hour one (10,800 samples).
"""

from __future__ import annotations

import os
import secrets
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from bench.browser import CHARTS_DRAWN
from bench.common import NOW, Row, table, ten_year_store, timed
from bench.imports import SECTION as IMPORTS
from core.activity.codec import blob_name

SECTION = "## Run page, best efforts, heatmap"
LONG_RUN_S = 3 * 3600
STARTS = 20  # starting points around home: the heatmap gets a city's worth of streets, not one line
RUNS = 10
TAB_PAIRS = 8
ALL_DRAWN = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')]; return p.length >= 4 && "
             "p.every(e => e._fullLayout && e.querySelector('.main-svg')) && "
             "!!document.querySelector('.js-plotly-plot canvas.maplibregl-canvas'); }")
PAGES = {"overview": "Overview", "weight": "Weight", "running": "Running", "run": "Run", "heatmap": "Heatmap",
         "crossfit": "CrossFit", "fitness": "Fitness", "forecast": "Forecast", "data": "Data"}


def stream_store(path: Path) -> tuple[object, str, list[Row]]:
    """Ten years of demo data with a stream on every run; the latest run's is three hours long. Each run takes
    the first `moving_time_s` seconds of one of STARTS long synthetic runs (generating 1,400 hours sample by
    sample would take minutes), moved to its own start time."""
    from core.records import RUN
    from tests.run_page_helpers import attach, synthetic_stream

    store = ten_year_store(path)
    runs = store.read(RUN).sort_values("start_time_utc")
    start = time.perf_counter()
    longest = int(max(runs.moving_time_s.max(), LONG_RUN_S))
    bases = [synthetic_stream(NOW, longest, seed=i, origin=(48.85 + 0.01 * (i // 5), 2.33 + 0.012 * (i % 5)))
             for i in range(STARTS)]
    for i, run in enumerate(runs.itertuples()):
        seconds = LONG_RUN_S if i == len(runs) - 1 else int(run.moving_time_s)
        part = bases[i % STARTS].take(np.arange(min(seconds + 1, longest + 1)))
        attach(store, run.key, replace(part, start_utc=run.start_time_utc.to_pydatetime()))
    took = time.perf_counter() - start
    size = sum(len(store.get_blob(blob_name(k)) or b"") for k in runs.key)
    rows = [Row(f"generate and store {len(runs)} streams (1 Hz, {runs.moving_time_s.sum() / 3600:.0f} h)", [took],
                "s", "", f"{size / 1e6:.1f} MB of stream blobs in SQLite")]
    return store, runs.key.iloc[-1], rows


def apptest_rows(db: Path, key: str, model_key: str) -> list[Row]:
    """Server time of the run page (3-hour run), the Running page's best efforts and the heatmap, in AppTest."""
    import tests.conftest  # noqa: F401  (the same AppTest set-up as the tests)
    from tests.apptest_helpers import logged_in_app, open_page

    os.environ.update({"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01",
                       "FITDASH_MODEL_HMAC_KEY": model_key, "FITDASH_MAPS_TILE_URL": "off",
                       "FITDASH_ATHLETE_MAX_HR_BPM": "190"})
    at = logged_in_app()
    at.query_params["run"] = key
    rows = []
    for page, what in (("pages/run.py", "run page, 3-hour run (10,800 points)"),
                       ("pages/running.py", "Running page with the best efforts of every stream"),
                       ("pages/heatmap.py", "heatmap page, every route")):
        first = timed(lambda p=page: open_page(at, p), 1)
        assert not at.exception, at.exception
        rows.append(Row(f"first open, {what}", [t * 1000 for t in first], "ms", "",
                        "cold: streams read and decoded one at a time (efforts: once, then kept in the store)"))
        rows.append(Row(f"warm rerun, {what}", [t * 1000 for t in timed(at.run, RUNS)], "ms", "<= 100 ms",
                        "AppTest run() (server script time)"))
    return rows


def browser_rows(db: Path, key: str, model_key: str) -> list[Row]:
    """A new tab on the run page against a bare one-chart tab just before it; then every page; peak memory."""
    from playwright.sync_api import sync_playwright

    from bench.browser import VIEWPORT, _load, peak_rss_mb, server
    from tests.browser import CHROMIUM, CHROMIUM_ARGS, log_in

    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01",
           "FITDASH_MODEL_HMAC_KEY": model_key, "FITDASH_MAPS_TILE_URL": "off", "FITDASH_ATHLETE_MAX_HR_BPM": "190"}
    link = f"/run?run={key.replace(':', '%3A')}"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with server("bench/bare_app.py", env) as (bare_url, _), server("streamlit_app.py", env) as (url, proc):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            log_in(page, url, "demo", "demo")
            page.wait_for_function("() => document.cookie.includes('fitdash_auth=')", timeout=60_000)
            visits = {}
            for slug, title in PAGES.items():  # every page once: the server's caches as a person's tour leaves them
                visits[slug] = _visit(page, url + (link if slug == "run" else f"/{slug}"), title)
            bare_context = browser.new_context(viewport=VIEWPORT)  # the same window as the run page's tabs
            bare_context.new_page().goto(bare_url)  # HTTP cache warm, as for the app's tabs
            bare, tab, ratio = [], [], []
            for _ in range(TAB_PAIRS):
                floor = bare_context.new_page()
                bare.append(_load(floor, bare_url, None))
                floor.close()
                fresh = context.new_page()
                tab.append(_run_tab(fresh, url + link))
                fresh.close()
                ratio.append(tab[-1] / bare[-1])
            memory = peak_rss_mb(proc.pid)
        browser.close()
    tour = ", ".join(f"{PAGES[s]} {v:.1f}" for s, v in visits.items())
    return [Row("bare page, 1 chart, new tab: goto -> chart visible", bare, "s", "", "one before each run-page tab"),
            Row("Run page (3-hour run): new tab -> 4 charts and the map visible, / bare tab just before", ratio,
                "x", "<= 1.3", f"page median {statistics.median(tab):.2f} s; tiles off; login remembered by cookie"),
            Row("peak memory of the app process (10 years of runs with streams, all pages)", [memory], "MB",
                "< 400 MB", f"VmHWM after visiting every page (first visit, s: {tour})")]


def _visit(page, url: str, title: str) -> float:
    """Seconds until the page's heading and (on a chart page) its charts are drawn: the script has run through."""
    start = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name=title, exact=True).first.wait_for(timeout=180_000)
    if title != "Data":
        page.wait_for_function(CHARTS_DRAWN, timeout=180_000)
    return time.perf_counter() - start


def _run_tab(page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url)
    page.get_by_role("heading", name="Run", exact=True).wait_for(timeout=60_000)
    page.wait_for_function(ALL_DRAWN, timeout=60_000)
    return time.perf_counter() - start


def run_page_rows() -> list[Row]:
    """All rows of this section, on a fresh ten-year store with streams."""
    from core.config import build_settings
    from core.forecast.training import train_and_save

    db = Path(tempfile.mkdtemp()) / "ten_years_streams.db"
    store, key, rows = stream_store(db)
    model_key = secrets.token_hex(32)
    train_and_save(store, build_settings({"model": {"hmac_key": model_key}}, {}),
                   pd.Timestamp(NOW).tz_localize(None))
    rows += apptest_rows(db, key, model_key)
    try:
        rows += browser_rows(db, key, model_key)
    except Exception as exc:  # the table says what was not measured and why, instead of losing the other rows
        rows.append(Row("browser figures", [], "", "", f"not measured: {type(exc).__name__}: {exc}"[:200]))
    return rows


def section(rows: list[Row], commit: str) -> str:
    """This section of bench/RESULTS.md."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{SECTION}\n\nCommit: {commit}. Load average of the shared machine when written: {load} (2 cores; other "
            "jobs' tests ran alongside, so the times spread wider than in the table above).\n\n" + table(rows) + "\n")


def write_section(path: Path, text: str) -> None:
    """Replace (or add) this section of the results file, keeping every other section; a new one goes before
    the Imports section (bench/imports.py rewrites everything from its heading on)."""
    current = path.read_text() if path.exists() else "# Benchmark results\n"
    if SECTION not in current:
        head, mark, rest = current.partition(IMPORTS)
        path.write_text(head.rstrip("\n") + "\n\n" + text + ("\n" + mark + rest if mark else ""))
        return
    head, _, rest = current.partition(SECTION)
    tail = rest[rest.find("\n## "):] if "\n## " in rest else ""
    path.write_text(head.rstrip("\n") + "\n\n" + text + tail)


def main(out: Path, commit: str) -> int:
    """`python -m bench run_page`: these rows alone."""
    text = section(run_page_rows(), commit)
    write_section(out, text)
    print(text)
    return 0
