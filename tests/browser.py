"""A real `streamlit run` server on a loopback port and headless Debian Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Debian's chromium here and in CI; Google Chrome on GitHub's Ubuntu runners.
CHROMIUM = shutil.which("chromium") or shutil.which("google-chrome") or "/usr/bin/chromium"
# Flags for a root sandbox with no network (performance.md, env notes): no background connections.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SERVER_START_TIMEOUT_S = 60


def require_chromium() -> None:
    """Skip with the reason when Chromium is missing locally; in CI (.ci/run installs it) fail instead."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, timeout_s: float = SERVER_START_TIMEOUT_S,
                 log_path: Path | None = None) -> None:
    """Poll Streamlit's health endpoint until it answers ok (or the server died)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            output = log_path.read_text() if log_path else proc.stdout.read()
            raise RuntimeError(f"server exited with {proc.returncode}: {output}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.read() == b"ok":
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"{url} not healthy after {timeout_s} s")


@contextmanager
def streamlit_server(env: dict[str, str], args: list[str] | None = None, base_url_path: str = "",
                     log_path: Path | None = None) -> Iterator[str]:
    """`streamlit run streamlit_app.py` on a free loopback port (under server.baseUrlPath when given); yields
    the app's URL. With `log_path`, the server's output goes to that file."""
    port = free_port()
    base = ["--server.baseUrlPath", base_url_path] if base_url_path else []
    cmd = [sys.executable, "-m", "streamlit", "run", "streamlit_app.py", f"--server.port={port}",
           "--server.address=127.0.0.1", "--server.headless=true", *base, *(args or [])]
    output = log_path.open("w") if log_path else subprocess.PIPE
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **env}, stdout=output,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}" + (f"/{base_url_path.strip('/')}" if base_url_path else "")
    try:
        wait_healthy(url, proc, log_path=log_path)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        if log_path:
            output.close()


@contextmanager
def chromium_page() -> Iterator:
    """A fresh headless Chromium page."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        finally:
            browser.close()


def log_in(page, url: str, username: str, password: str) -> None:
    """Open the app and submit the login form."""
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("textbox", name="Username").fill(username)
    page.get_by_role("textbox", name="Password").fill(password)
    page.get_by_role("button", name="Login").click()
