"""End to end in a real browser: log in, see the Overview metrics and a drawn plotly chart."""

from __future__ import annotations

import os

import pytest

from core.views.format import format_number
from tests.browser import chromium_page, log_in, require_chromium, streamlit_server

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser")]
CHART_TIMEOUT_MS = 60_000  # plotly.js alone is a ~2 s main-thread task on this 2-core box


def demo_env(path) -> dict[str, str]:
    """The app on a demo store file, with the login's delays shortened to 10 ms."""
    return {"FITDASH_STORE_SQLITE_PATH": str(path), "FITDASH_AUTH_LOGIN_DELAY_BASE_S": "0.01"}


def test_login_then_overview_metrics_and_chart(demo_store, tmp_path):
    """A person logs in with the demo credentials and sees numbers and a rendered weight chart, with nothing
    blocked by the app's Content-Security-Policy."""
    require_chromium()
    store, path = demo_store
    with streamlit_server(demo_env(path)) as url, chromium_page() as page:
        blocked = []
        page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
        log_in(page, url, "demo", "demo")
        page.get_by_role("heading", name="Overview").wait_for(timeout=CHART_TIMEOUT_MS)
        metric = page.locator('[data-testid="stMetricValue"]').first
        metric.wait_for(timeout=CHART_TIMEOUT_MS)
        body = store.read("body")
        latest = body.loc[body.time_utc.idxmax(), "weight_kg"]
        assert metric.inner_text().strip() == f"{format_number(latest)} kg"
        page.wait_for_function(
            "() => [...document.querySelectorAll('.js-plotly-plot')].some("
            "p => p._fullLayout && p.querySelector('.main-svg') && p.querySelector('.scatterlayer .trace'))",
            timeout=CHART_TIMEOUT_MS,
        )
        page.screenshot(path=str(tmp_path / "overview.png"), full_page=True)
        if os.environ.get("FITDASH_SCREENSHOT"):
            page.screenshot(path=os.environ["FITDASH_SCREENSHOT"], full_page=True)
        assert page.get_by_role("button", name="Refresh data").is_visible()
        assert blocked == []


def test_a_bookmarked_page_opens_after_the_login(demo_store):
    """Opening /weight in a new browser asks for the login, then shows Weight (not Overview, not a dead end)."""
    require_chromium()
    _store, path = demo_store
    with streamlit_server(demo_env(path)) as url, chromium_page() as page:
        page.goto(url)  # someone has visited since the server started (the first request is Streamlit's own path)
        page.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        fresh = page.context.browser.new_context().new_page()
        assert not fresh.context.cookies()
        log_in(fresh, f"{url}/weight", "demo", "demo")
        fresh.get_by_role("heading", name="Weight").first.wait_for(timeout=CHART_TIMEOUT_MS)
        assert fresh.url.endswith("/weight")
        assert fresh.get_by_role("link", name="Running").first.is_visible()


def log_in_and_keep_the_cookie(page, url: str) -> None:
    """Log in through the form and wait until the page is shown and the remember-me cookie is stored."""
    log_in(page, url, "demo", "demo")
    page.get_by_role("heading", name="Overview").wait_for(timeout=CHART_TIMEOUT_MS)
    # The form goes when the run that draws the page finishes (until then Streamlit keeps it as a stale element).
    page.get_by_role("textbox", name="Username").wait_for(state="detached", timeout=CHART_TIMEOUT_MS)
    page.wait_for_function("() => document.cookie.includes('fitdash_auth=')", timeout=CHART_TIMEOUT_MS)


FETCHES = "(part) => performance.getEntriesByType('resource').filter(r => r.name.includes(part))"


def test_the_login_is_remembered_in_a_new_tab_which_connects_at_once_with_plotly_on_its_way(demo_store):
    """After one login the signed remember-me cookie is stored, and a new tab opens a page without the form.
    That tab asks the server's health once, at the root (no probe of /running/_stcore), and fetches plotly.js
    from the page's head, before the app has even connected."""
    require_chromium()
    _store, path = demo_store
    with streamlit_server(demo_env(path)) as url, chromium_page() as page:
        log_in_and_keep_the_cookie(page, url)
        tab = page.context.new_page()
        tab.goto(f"{url}/running")
        tab.get_by_role("heading", name="Running").first.wait_for(timeout=CHART_TIMEOUT_MS)
        assert not tab.get_by_role("textbox", name="Username").count()
        tab.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')", timeout=CHART_TIMEOUT_MS)
        assert tab.evaluate(f"({FETCHES})('_stcore/health').map(r => r.name)") == [f"{url}/_stcore/health"]
        plotly = tab.evaluate(f"({FETCHES})('/PlotlyChart.').map(r => r.startTime)")
        assert len(plotly) == 1 and plotly[0] < tab.evaluate(f"({FETCHES})('_stcore/health')[0].startTime")


def test_the_app_still_opens_pages_under_a_base_url_path(demo_store):
    """Served under server.baseUrlPath (behind a proxy), a bookmarked page opens after the login: the page
    hint leaves Streamlit's own search for the server in place there."""
    require_chromium()
    _store, path = demo_store
    with streamlit_server(demo_env(path), base_url_path="fit") as url, chromium_page() as page:
        assert url.endswith("/fit")
        page.goto(url)  # someone has visited since the server started (see the bookmark test above)
        page.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        log_in(page, f"{url}/weight", "demo", "demo")
        page.get_by_role("heading", name="Weight").first.wait_for(timeout=CHART_TIMEOUT_MS)
        page.wait_for_function("() => document.querySelector('.js-plotly-plot .main-svg')", timeout=CHART_TIMEOUT_MS)
        assert page.url.endswith("/fit/weight")


def test_log_out_deletes_the_remembered_login(demo_store):
    """After Log out the remember-me cookie is gone: a new tab asks for the login again."""
    require_chromium()
    _store, path = demo_store
    with streamlit_server(demo_env(path)) as url, chromium_page() as page:
        log_in_and_keep_the_cookie(page, url)
        page.get_by_role("button", name="Log out").click()
        page.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        page.wait_for_function("() => !document.cookie.includes('fitdash_auth=')", timeout=CHART_TIMEOUT_MS)
        tab = page.context.new_page()
        tab.goto(f"{url}/running")
        tab.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        assert not tab.get_by_role("heading", name="Running").count()
        assert not tab.evaluate(f"({FETCHES})('/PlotlyChart.').length")  # the login form does not wait for plotly


def test_a_forged_remember_me_cookie_shows_the_login_form_in_the_browser(demo_store):
    """A browser sending a cookie signed with `alg: none`, with HS512 or garbage sees the login form, no error box
    and no page."""
    import jwt

    from tests.test_users_cli import unsigned_cookie

    require_chromium()
    _store, path = demo_store
    claims = {"username": "demo", "exp_date": 4_000_000_000}
    forged = [unsigned_cookie(claims), jwt.encode(claims, "k" * 64, algorithm="HS512"), "garbage"]
    with streamlit_server(demo_env(path)) as url, chromium_page() as page:
        page.goto(url)  # the first visit after a server start (Streamlit's own first-request path)
        page.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
        for token in forged:
            context = page.context.browser.new_context()
            context.add_cookies([{"name": "fitdash_auth", "value": token, "url": url}])
            tab = context.new_page()
            tab.goto(url)
            tab.get_by_role("textbox", name="Username").wait_for(timeout=CHART_TIMEOUT_MS)
            tab.get_by_text("Demo data only").wait_for(timeout=CHART_TIMEOUT_MS)  # the run has finished
            assert not tab.locator('[data-testid="stException"]').count()
            assert not tab.get_by_role("heading", name="Overview").count()
            context.close()
