"""Regenerate docs/screenshot.png: demo data synced now, the app in headless Chromium, logged in.

    .venv/bin/python docs/screenshot.py [PAGE TITLE, e.g. Weight] [OUTPUT.png]
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


def main(path: str = "", out: str = str(OUT)) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "demo.sqlite3"
        seed_demo_store(db, now=datetime.now(UTC))
        env = {"FITDASH_STORE_SQLITE_PATH": str(db), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01"}
        with streamlit_server(env) as url, chromium_page() as page:
            log_in(page, url, "demo", "demo")
            page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60_000)
            if path:  # navigate inside the session (a new URL would start a new, logged-out session)
                page.get_by_role("link", name=path).first.click()
                page.get_by_role("heading", name=path).first.wait_for(timeout=60_000)
            page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')", timeout=60_000)
            page.wait_for_timeout(1500)
            page.screenshot(path=out, full_page=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
