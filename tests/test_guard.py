"""The guard in front of Streamlit (ui/guard.py): headers fit for a login page, routes strangers never get, and the
WebSocket messages no client may send."""

from __future__ import annotations

import asyncio
import base64
import gzip
import hashlib
import re
from pathlib import Path

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg

from tests.stream_client import back_msg
from tests.test_serving import CHART_PAGES, COOKIE, PAGES, request, streamlit_files
from ui.guard import Guard, allow_uploads
from ui.login import _cookie_manager_build
from ui.serving import FrontendHints

# The hash Chromium asked for when the cookie component's inline script was blocked (an independent oracle).
COOKIE_COMPONENT_SCRIPT = "'sha256-CLFEkP0dgnFU04lAyNI12tJzuaDySVyrOCO6rb04XmE='"


def app():
    """The server's stack: the guard, the page hints, Streamlit's own static files."""
    return Guard(FrontendHints(streamlit_files(), page_paths=PAGES, chart_pages=CHART_PAGES, cookie_name=COOKIE))


def policy(headers: dict[bytes, bytes]) -> dict[str, str]:
    """The Content-Security-Policy as {directive: sources}."""
    parts = (p.strip().split(" ", 1) for p in headers[b"content-security-policy"].decode().split(";"))
    return {p[0]: p[1] if len(p) > 1 else "" for p in parts}


def test_the_page_shell_allows_exactly_its_own_inline_scripts_and_no_framing():
    """/weight's HTML (with the page hints) gets a policy naming each of its inline scripts by hash, is never
    framed, never cached, and is sent unchanged."""
    status, headers, body = request(app(), "/weight")
    inline = re.findall(rb"<script>(.*?)</script>", body, re.S)
    assert status == 200 and len(inline) == 2  # Streamlit's own and the page hint
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s).digest()).decode()}'" for s in inline}
    csp = policy(headers)
    assert set(csp["script-src"].split()) == {"'self'"} | hashes
    assert csp["frame-ancestors"] == "'none'" and csp["object-src"] == "'none'" and csp["base-uri"] == "'self'"
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert headers[b"x-frame-options"] == b"DENY" and headers[b"x-content-type-options"] == b"nosniff"
    assert headers[b"cache-control"] == b"no-store" and headers[b"referrer-policy"] == b"same-origin"
    assert b"strict-transport-security" not in headers, "HSTS over plain http means nothing"
    assert int(headers[b"content-length"]) == len(body)


def test_https_pages_ask_for_https_from_then_on():
    """Behind a proxy that says the request came over https, responses carry Strict-Transport-Security."""
    _status, headers, _body = request(app(), "/", headers=((b"x-forwarded-proto", b"https"),))
    assert headers[b"strict-transport-security"] == b"max-age=31536000"


def test_assets_keep_their_bytes_and_get_the_headers_but_stay_cacheable():
    """A static asset comes back byte for byte, with the security headers and without no-store."""
    guarded = request(app(), "/favicon.png")
    plain = request(streamlit_files(), "/favicon.png")
    assert guarded[0] == 200 and guarded[2] == plain[2]
    assert guarded[1][b"x-content-type-options"] == b"nosniff" and b"no-store" not in guarded[1].get(
        b"cache-control", b"")


def test_a_gzipped_component_page_may_be_framed_by_the_app_and_runs_its_script():
    """The cookie component's page, gzipped by Streamlit, is hashed after unzipping and may be framed by the app."""
    html = (Path(_cookie_manager_build()) / "index.html").read_bytes()

    async def component(scope, receive, send):
        body = gzip.compress(html)
        headers = [(b"content-type", b"text/html"), (b"content-encoding", b"gzip"),
                   (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    status, headers, body = request(Guard(component), "/component/ui.login.cookie_manager/index.html")
    assert status == 200 and gzip.decompress(body) == html
    assert COOKIE_COMPONENT_SCRIPT in policy(headers)["script-src"].split()
    assert policy(headers)["frame-ancestors"] == "'self'" and headers[b"x-frame-options"] == b"SAMEORIGIN"


def test_metrics_are_not_served_to_anyone():
    """/_stcore/metrics answers 404 without reaching Streamlit."""
    reached = []

    async def streamlit(scope, receive, send):
        reached.append(scope["path"])

    assert request(Guard(streamlit), "/_stcore/metrics")[0] == 404
    assert request(Guard(streamlit), "/_stcore/metrics/")[0] == 404
    assert reached == []


def test_uploads_reach_streamlit_only_from_an_admins_session():
    """An upload for a session that is not a logged-in admin's is refused; allowed, then revoked at logout."""
    reached = []

    async def streamlit(scope, receive, send):
        reached.append(scope["method"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    upload = "/_stcore/upload_file/session-1/file-1"
    assert request(Guard(streamlit), upload, "PUT")[0] == 403
    assert request(Guard(streamlit), upload, "OPTIONS")[0] == 204, "the CORS preflight is Streamlit's"
    allow_uploads("session-1", True)
    assert request(Guard(streamlit), upload, "PUT")[0] == 204
    assert request(Guard(streamlit), "/_stcore/upload_file/session-2/file-1", "PUT")[0] == 403
    allow_uploads("session-1", False)
    assert request(Guard(streamlit), upload, "DELETE")[0] == 403
    assert reached == ["OPTIONS", "PUT"]


def rerun() -> BackMsg:
    msg = BackMsg()
    msg.rerun_script.page_name = ""
    return msg


@pytest.mark.parametrize("dropped", ["clear_cache", "load_git_info"])
def test_clear_cache_and_git_info_messages_never_reach_streamlit(dropped):
    """Over the WebSocket the guard drops those two messages and passes every other frame as it came."""
    frames = [back_msg(dropped).SerializeToString(), rerun().SerializeToString(), b"\xff\xfe not a protobuf",
              back_msg("app_heartbeat").SerializeToString()]
    incoming = [{"type": "websocket.connect"}, *({"type": "websocket.receive", "bytes": f} for f in frames),
                {"type": "websocket.receive", "text": "hello"}, {"type": "websocket.disconnect", "code": 1000}]
    seen = []

    async def streamlit(scope, receive, send):
        while (message := await receive())["type"] != "websocket.disconnect":
            seen.append(message.get("bytes") or message.get("text") or message["type"])

    async def receive():
        return incoming.pop(0)

    asyncio.run(Guard(streamlit)({"type": "websocket", "path": "/_stcore/stream", "headers": []}, receive, None))
    assert seen == ["websocket.connect", *frames[1:], "hello"]
