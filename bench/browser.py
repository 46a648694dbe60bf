"""Headless Chromium: charts visible per page against a bare one-chart page, the slider, peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench.common import Row
from tests.browser import CHROMIUM, CHROMIUM_ARGS, free_port, log_in, wait_healthy

ROOT = Path(__file__).resolve().parent.parent
RUNS = 3
CHARTS_DRAWN = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')];"
                " return p.length > 0 && p.every(e => e._fullLayout && e.querySelector('.main-svg')); }")
NAV = {"pages/overview.py": "Overview", "pages/weight.py": "Weight", "pages/running.py": "Running",
       "pages/crossfit.py": "CrossFit", "pages/forecast.py": "Forecast"}


@contextmanager
def server(script: str, env: dict[str, str]):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", script, f"--server.port={port}",
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
    """Bare page vs each page, measured in the same run with fresh browser contexts."""
    from playwright.sync_api import sync_playwright

    env = {"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_SLEEP_S": "0", "FITDASH_MODEL_HMAC_KEY": model_key}
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        with server("bench/bare_app.py", env) as (url, _):
            bare = []
            for _ in range(RUNS):
                page = browser.new_context().new_page()
                start = time.perf_counter()
                page.goto(url)
                page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                bare.append(time.perf_counter() - start)
                page.context.close()
        rows.append(Row("bare page, 1 chart: goto -> chart visible", bare, "s", "", "the floor, same run"))
        with server("streamlit_app.py", env) as (url, proc):
            for path, title in NAV.items():
                samples = []
                for _ in range(RUNS):
                    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
                    if title == "Overview":  # the landing page: from the login click to its charts
                        page.goto(url)
                        page.get_by_role("textbox", name="Username").fill("demo")
                        page.get_by_role("textbox", name="Password").fill("demo")
                        start = time.perf_counter()
                        page.get_by_role("button", name="Login").click()
                    else:
                        log_in(page, url, "demo", "demo")
                        page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                        start = time.perf_counter()
                        page.get_by_role("link", name=title).first.click()
                        page.get_by_role("heading", name=title).first.wait_for(timeout=60_000)
                    page.wait_for_function(CHARTS_DRAWN, timeout=60_000)
                    samples.append(time.perf_counter() - start)
                    if path == "pages/forecast.py" and len(samples) == RUNS:
                        rows.append(_slider_row(page))
                    page.context.close()
                limit = f"<= {1.2 * sorted(bare)[len(bare) // 2]:.2f} s (1.2 x bare)"
                note = "login click -> charts visible" if title == "Overview" else "navigate -> charts visible"
                rows.append(Row(f"{title}: charts visible", samples, "s", limit, note))
            rows.append(Row("peak memory of the app process (10 years of data, all pages)", [peak_rss_mb(proc.pid)],
                            "MB", "< 400 MB", "VmHWM"))
        browser.close()
    return rows


def _slider_row(page) -> Row:
    """Slider ArrowRight -> the plan's predicted change text updates (Playwright overhead included)."""
    slider = page.get_by_role("slider").nth(1)  # the plan's running distance (widgets load lazily)
    try:
        slider.wait_for(timeout=30_000)
    except Exception:
        return Row("forecast slider -> prediction shown", [], "ms", "<= 200 ms median", "no model")
    samples = []
    for _ in range(8):
        before = page.locator('[data-testid="stMetricValue"]').nth(1).inner_text()
        slider.focus()
        start = time.perf_counter()
        page.keyboard.press("ArrowRight")
        try:
            page.wait_for_function(
                "b => document.querySelectorAll('[data-testid=\"stMetricValue\"]')[1].innerText !== b", arg=before,
                timeout=5_000)
            samples.append((time.perf_counter() - start) * 1000)
        except Exception:
            continue
    return Row("forecast slider -> prediction shown", samples, "ms", "<= 200 ms median, 300 max",
               "Playwright key press to text change")
