"""Regenerate docs/screenshot.png: demo data synced now, the app in headless Chromium, logged in.

    .venv/bin/python docs/screenshot.py [page-url-path]
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.apptest_helpers import seed_demo_store
from tests.browser import chromium_page, log_in, streamlit_server

OUT = Path(__file__).resolve().parent / "screenshot.png"


def main(path: str = "") -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        seed_demo_store(db, now=datetime.now(UTC))
        env = {"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_SLEEP_S": "0"}
        with streamlit_server(env) as url, chromium_page() as page:
            log_in(page, url, "demo", "demo")
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
            if path:
                page.goto(f"{url}/{path}")
            page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main(*sys.argv[1:])
