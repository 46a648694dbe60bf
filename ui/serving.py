"""How a new tab is served: its HTML tells Streamlit's frontend where the server is and what the page will need.

Two costs that Streamlit adds to a new tab. Both are measured in bench/ (README, "Benchmarks"):
- **The base-path probe.** On a page URL such as /weight, the frontend first asks /weight/_stcore/health.
  That fails, and it retries at / after 100 ms (streamlit/streamlit#7074). `window.__streamlit.BACKEND_BASE_URL`
  is Streamlit's setting for hosts that embed it. Here it names the server's root, so the first health check
  succeeds. Only a trailing page segment is dropped: a hosting prefix (Community Cloud's /~/+/) stays.
- **plotly.js starts late.** Its 4.7 MB chunk is about a second of main-thread work here, and the frontend
  fetches it only when the first chart arrives. The tab is mostly idle while it waits for the server, so the
  hint fetches plotly.js and the widgets' chunks at once and evaluates them as soon as Streamlit's own script
  has run. This happens only where charts will follow: on a chart page, and only when the browser sent the
  remember-me cookie, so the login form is never delayed.

And one cost of its own: every element waiting for the script's output is a placeholder that shimmers at 60 fps.
A dozen of them, drawn in software on a small host, cost the new tab more than its charts (bench/run_page.py),
so the placeholders stay still (STILL_PLACEHOLDERS); they still show where the page's elements will come.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from importlib.util import find_spec
from pathlib import Path

# The frontend's chunks that the chart pages draw with: the charts, the widgets of the pages and the sidebar,
# the metrics, and the run page's search box and static tables. A Streamlit upgrade that renames one fails the
# serving tests.
CHART_PAGE_CHUNKS = ("PlotlyChart", "Button", "Radio", "Selectbox", "NumberInput", "Metric", "Slider", "TextInput",
                     "Html")
# Paths this middleware never touches: Streamlit's endpoints, its assets, media and components.
RESERVED_SEGMENTS = ("/_stcore/", "/static/", "/media/", "/component/")

_BASE = ("(function(){{var p=location.pathname.replace(/\\/+$/,''),s=p.split('/').pop();"
         "if({pages}.indexOf(s)>=0)p=p.slice(0,-s.length).replace(/\\/+$/,'');"
         "window.__streamlit=Object.assign({{}},window.__streamlit,{{BACKEND_BASE_URL:location.origin+(p||'/')}});}})();")
STILL_PLACEHOLDERS = ('<style>[data-testid*="Skeleton"],[data-testid*="Skeleton"] *'
                      '{animation:none!important}</style>')
_EVALUATE = "document.addEventListener('DOMContentLoaded',function(){{setTimeout(function(){{{imports}}},0)}});"


def streamlit_static_dir() -> Path:
    """The installed Streamlit frontend's directory (found without importing Streamlit)."""
    spec = find_spec("streamlit")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("streamlit is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "static"


def chunk_urls(static_dir: Path, names: Sequence[str]) -> tuple[str, ...]:
    """Page-relative URLs of the frontend's chunks with these names; a name the build lacks is left out."""
    urls = []
    for name in names:
        found = sorted((static_dir / "static" / "js").glob(f"{name}.*.js"))
        if found:
            urls.append(f"./static/js/{found[0].name}")
    return tuple(urls)


def hint_html(page_paths: Sequence[str], chunks: Sequence[str], base_hint: bool) -> str:
    """The tags put first in <head>: the server's root for the frontend, the chunks to fetch and evaluate, and
    the still placeholders."""
    script = _BASE.format(pages=json.dumps(list(page_paths))) if base_hint else ""
    if chunks:
        script += _EVALUATE.format(imports=";".join(f"import({json.dumps(url)})" for url in chunks))
    links = "".join(f'<link rel="modulepreload" href="{url}">' for url in chunks)
    return (f"<script>{script}</script>" if script else "") + links + STILL_PLACEHOLDERS


class FrontendHints:
    """ASGI middleware: puts `hint_html` into every page's HTML (Streamlit's index.html) and leaves the rest alone.

    `page_paths` are the pages' URL paths; `chart_pages` those that draw charts ("" is the default page at /).
    With `cookie_name`, chunks are hinted only to a browser that sent that cookie (a remembered login).
    `base_url_path` is Streamlit's server.baseUrlPath: when set, the frontend's own probe stays, because a base
    path may share its name with a page.
    """

    def __init__(self, app, *, page_paths: Sequence[str], chart_pages: Collection[str], cookie_name: str | None,
                 base_url_path: str | None = "", static_dir: Path | None = None) -> None:
        self.app = app
        self.page_paths = tuple(page_paths)
        self.chart_pages = frozenset(chart_pages)
        self.cookie_name = cookie_name
        self.base_hint = not (base_url_path or "").strip("/")
        self.chunks = chunk_urls(static_dir or streamlit_static_dir(), CHART_PAGE_CHUNKS)

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or scope["method"] != "GET" or any(s in path for s in RESERVED_SEGMENTS):
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope["headers"]
                   if k.lower() not in (b"accept-encoding", b"if-none-match", b"if-modified-since")]
        hint = hint_html(self.page_paths, self.chunks if self._charts_follow(path, headers) else (), self.base_hint)
        await self.app(dict(scope, headers=headers), receive, _HtmlRewriter(send, hint.encode()))

    def _charts_follow(self, path: str, headers: list[tuple[bytes, bytes]]) -> bool:
        page = path.rstrip("/").rsplit("/", 1)[-1]
        if (page if page in self.page_paths else "") not in self.chart_pages:  # "": the default page, or a prefix
            return False
        if self.cookie_name is None:
            return True
        cookies = b"; ".join(v for k, v in headers if k.lower() == b"cookie").decode("latin-1")
        return any(c.strip().startswith(f"{self.cookie_name}=") for c in cookies.split(";"))


class _HtmlRewriter:
    """An ASGI `send` that inserts the hint after <head> in a 200 text/html response and passes anything else."""

    def __init__(self, send, hint: bytes) -> None:
        self.send, self.hint = send, hint
        self.start: dict | None = None
        self.body = b""

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            content_type = dict(message.get("headers", [])).get(b"content-type", b"")
            if message["status"] == 200 and content_type.startswith(b"text/html") and self.hint:
                self.start = message  # held until the whole body is here
                return
        elif message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if not message.get("more_body", False):
                await self._send_rewritten()
            return
        await self.send(message)

    async def _send_rewritten(self) -> None:
        body = self.body.replace(b"<head>", b"<head>" + self.hint, 1)
        # The ETag and Last-Modified describe the file on disk, not this body: dropped, so no 304 revives an old hint.
        headers = [(k, v) for k, v in self.start["headers"]
                   if k.lower() not in (b"content-length", b"etag", b"last-modified")]
        headers.append((b"content-length", str(len(body)).encode()))
        await self.send({**self.start, "headers": headers})
        await self.send({"type": "http.response.body", "body": body})
