"""The page hints a new tab gets: Streamlit's own index.html, served by its own static handler, with our tags first."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import subprocess

import pytest
from starlette.middleware.exceptions import ExceptionMiddleware
from streamlit.web.server.starlette.starlette_static_routes import create_streamlit_static_handler

from ui.serving import CHART_PAGE_CHUNKS, FrontendHints, chunk_urls, hint_html, streamlit_static_dir

PAGES = ["overview", "weight", "running", "run", "heatmap", "crossfit", "fitness", "forecast", "data"]
CHART_PAGES = ["", "weight", "running", "run", "heatmap", "crossfit", "fitness", "forecast"]
COOKIE = "fitdash_auth"


def request(app, path: str, method: str = "GET", headers: tuple = ()) -> tuple[int, dict[bytes, bytes], bytes]:
    """One request to an ASGI app: (status, headers, body)."""
    scope = {"type": "http", "method": method, "path": path, "raw_path": path.encode(), "query_string": b"",
             "headers": [(b"host", b"localhost"), (b"accept-encoding", b"gzip"), *headers], "root_path": "",
             "scheme": "http", "server": ("localhost", 80), "http_version": "1.1",
             "asgi": {"version": "3.0", "spec_version": "2.4"}}
    sent: list[dict] = []
    requests = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive():
        if requests:
            return requests.pop()
        await asyncio.Event().wait()  # the client stays connected

    async def send(message):
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], dict(start["headers"]), b"".join(m.get("body", b"") for m in sent[1:])


def streamlit_files():
    """Streamlit's own static file handler: index.html for page URLs, its assets, 404 for its endpoints."""
    return ExceptionMiddleware(create_streamlit_static_handler(str(streamlit_static_dir()), None))


def served(path: str, *, cookie: str | None = None, method: str = "GET",
           base_url_path: str = "") -> tuple[int, dict[bytes, bytes], bytes]:
    """One request through FrontendHints around Streamlit's static file handler."""
    app = FrontendHints(streamlit_files(), page_paths=PAGES, chart_pages=CHART_PAGES, cookie_name=COOKIE,
                        base_url_path=base_url_path)
    return request(app, path, method, ((b"cookie", cookie.encode()),) if cookie else ())


def test_every_hinted_chunk_exists_in_the_installed_streamlit():
    """A Streamlit upgrade that renames a chunk the chart pages need fails here, not silently in the browser."""
    assert len(chunk_urls(streamlit_static_dir(), CHART_PAGE_CHUNKS)) == len(CHART_PAGE_CHUNKS)


def test_a_page_url_tells_the_frontend_the_server_root_first_in_head():
    """/weight's HTML starts its <head> with the server-root script, and its Content-Length matches the body."""
    status, headers, body = served("/weight")
    assert status == 200
    assert body.startswith(body[:body.index(b"<head>")] + b"<head><script>(function(){var p=location.pathname")
    assert b"BACKEND_BASE_URL" in body
    assert int(headers[b"content-length"]) == len(body)
    assert b"etag" not in headers and b"last-modified" not in headers  # no 304 can bring back an old hint


@pytest.mark.parametrize(("path", "cookie", "preloaded"), [
    ("/", f"{COOKIE}=signed", True),  # Overview, the default page
    ("/weight", f"theme=dark; {COOKIE}=signed", True),
    ("/forecast", f"{COOKIE}=signed", True),
    ("/weight", None, False),  # logged out: the login form must not wait for plotly.js
    ("/weight", "other_cookie=1", False),
    ("/weight", f"x{COOKIE}=1", False),  # a cookie whose name only ends the same
    ("/data", f"{COOKIE}=signed", False),  # no charts on the Data page
])
def test_plotly_and_the_widgets_are_fetched_early_only_where_charts_follow(path, cookie, preloaded):
    """Chart pages opened with a remembered login get plotly.js and the widget chunks fetched and evaluated early."""
    _status, _headers, body = served(path, cookie=cookie)
    plotly = chunk_urls(streamlit_static_dir(), ["PlotlyChart"])[0]
    assert (f'<link rel="modulepreload" href="{plotly}">'.encode() in body) is preloaded
    assert (f'import("{plotly}")'.encode() in body) is preloaded
    assert b"BACKEND_BASE_URL" in body  # the server-root hint is for every page


def test_a_base_url_path_keeps_streamlits_own_probe():
    """With server.baseUrlPath set the root is not guessed (a base path may be named like a page)."""
    _status, _headers, body = served("/weight", cookie=f"{COOKIE}=1", base_url_path="/fit/")
    assert b"BACKEND_BASE_URL" not in body
    assert b"modulepreload" in body


@pytest.mark.parametrize(("path", "method"), [
    ("/_stcore/health", "GET"),  # Streamlit's endpoints (a reserved path: 404 here, never index.html)
    ("/weight/_stcore/host-config", "GET"),
    ("/static/js/" + chunk_urls(streamlit_static_dir(), ["Metric"])[0].rsplit("/", 1)[1], "GET"),
    ("/favicon.png", "GET"),
    ("/weight", "HEAD"),
])
def test_everything_else_is_passed_through_unchanged(path, method):
    """Endpoints, assets, images and HEAD requests come back exactly as Streamlit serves them."""
    hinted = served(path, cookie=f"{COOKIE}=1", method=method)
    plain = request(streamlit_files(), path, method)
    assert hinted[0] == plain[0]
    assert hinted[2] == plain[2]
    assert hinted[1].get(b"content-length") == plain[1].get(b"content-length")


BASES = [  # location -> the server root the frontend is told
    ("http://h:8501/", "http://h:8501/"),
    ("http://h:8501/weight", "http://h:8501/"),
    ("http://h:8501/data/", "http://h:8501/"),
    ("https://me.streamlit.app/~/+/", "https://me.streamlit.app/~/+"),
    ("https://me.streamlit.app/~/+", "https://me.streamlit.app/~/+"),  # Community Cloud's prefix stays
    ("https://me.streamlit.app/~/+/running", "https://me.streamlit.app/~/+"),
    ("http://h:8501/unknown", "http://h:8501/unknown"),  # not a page: Streamlit's probe still tries / next
]


def test_the_server_root_script_keeps_hosting_prefixes_and_drops_only_a_page():
    """The script, run by node for each location, names the root: a trailing page segment goes, a prefix stays."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is missing in CI: .ci/run installs nodejs")
        pytest.skip("node is not installed")
    script = re.search(r"<script>(.*?)</script>", hint_html(PAGES, (), base_hint=True)).group(1)
    hrefs = json.dumps([b[0] for b in BASES])
    runner = (f"const out = []; for (const href of {hrefs}) {{ const location = new URL(href); const window = {{}};"
              f"(function(){{{script}}})(); out.push(window.__streamlit.BACKEND_BASE_URL); }}"
              "console.log(JSON.stringify(out));")
    result = subprocess.run([node, "-e", runner], capture_output=True, text=True, check=True, timeout=30)
    assert json.loads(result.stdout) == [b[1] for b in BASES]
