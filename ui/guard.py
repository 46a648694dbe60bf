"""ASGI middleware in front of Streamlit: security headers, no metrics for strangers, no clear-cache from clients.

Headers on every HTTP response (docs/security.md says why each, and what Streamlit does not allow):
- a Content-Security-Policy: scripts only from the server itself or the inline scripts of that very page (by
  their hashes), no plugins, no <base> or form posts elsewhere, framed by nobody (the components' iframes: by
  the app only), connections only to the server (and to the map tiles' host when [maps] tile_url is set: the
  browser fetches the tiles, and then sends that host the dashboard's origin as Referer, which OpenStreetMap's
  tile policy asks for; never a page's path or query);
- X-Frame-Options, X-Content-Type-Options, Referrer-Policy, Permissions-Policy, Cross-Origin-Opener-Policy;
- Cache-Control: no-store on HTML (the page a logged-in person saw is not kept in shared caches);
- Strict-Transport-Security when the request came over https (as a proxy in front says: TLS is the host's).

`/_stcore/metrics` (session counts and cache sizes, for a Prometheus scraper) answers 404. Uploads
(`/_stcore/upload_file/<session>/...`) are refused (403) unless that session is a logged-in admin's: any
visitor's session could otherwise park files of up to server.maxUploadSize in the server's memory. Over the
WebSocket, the `clear_cache` and `load_git_info` messages are dropped: any client could otherwise empty every
Streamlit cache of every session at will, or read the repository's branch and untracked file names.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import logging
import re

from google.protobuf.message import DecodeError
from streamlit.proto.BackMsg_pb2 import BackMsg

log = logging.getLogger(__name__)

BLOCKED_PATHS = ("/_stcore/metrics",)
UPLOADS = "/_stcore/upload_file/"
_uploaders: set[str] = set()  # session ids of logged-in admins (ui/login.py): a module value no client can clear
DROPPED_MESSAGES = ("clear_cache", "load_git_info")
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S)
CSP = ("default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:{tiles}; font-src 'self' data:; connect-src 'self'{tiles}; frame-src 'self'; "
       "worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors {framers}")
REFERRER = (b"referrer-policy", b"same-origin")
REFERRER_WITH_TILES = (b"referrer-policy", b"strict-origin-when-cross-origin")  # other hosts see the origin only
HEADERS = ((b"x-content-type-options", b"nosniff"),
           (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=(), usb=()"),
           (b"cross-origin-opener-policy", b"same-origin"))
HSTS = (b"strict-transport-security", b"max-age=31536000")


def script_hashes(html: bytes) -> str:
    """CSP sources for the inline scripts of a page: 'sha256-...' each."""
    digests = (base64.b64encode(hashlib.sha256(body).digest()).decode() for body in _INLINE_SCRIPT.findall(html))
    return " ".join(f"'sha256-{d}'" for d in dict.fromkeys(digests))


def security_headers(path: str, https: bool, html: bytes | None,
                     tile_origin: str | None = None) -> list[tuple[bytes, bytes]]:
    """The headers a response gets; `html` is the body of an HTML response (its inline scripts are allowed);
    `tile_origin` the map tiles' host (MapSettings.tile_origin), None when maps draw without tiles."""
    framed = "/component/" in path  # the components' pages are iframes of the app itself
    csp = CSP.format(hashes=script_hashes(html or b""), framers="'self'" if framed else "'none'",
                     tiles=f" {tile_origin}" if tile_origin else "")
    headers = [(b"content-security-policy", csp.encode()),
               (b"x-frame-options", b"SAMEORIGIN" if framed else b"DENY"), *HEADERS,
               REFERRER_WITH_TILES if tile_origin else REFERRER]
    if html is not None:
        headers.append((b"cache-control", b"no-store"))
    return headers + ([HSTS] if https else [])


def allow_uploads(session_id: str, allowed: bool) -> None:
    """Let a session upload files (a logged-in admin's), or stop it (logged out, or not an admin)."""
    (_uploaders.add if allowed else _uploaders.discard)(session_id)


def _upload_refused(scope) -> bool:
    path = scope.get("path", "")
    if UPLOADS not in path or scope.get("method") == "OPTIONS":
        return False
    return path.split(UPLOADS, 1)[1].split("/", 1)[0] not in _uploaders


class Guard:
    """The middleware: HTTP responses get `security_headers`; WebSocket messages in DROPPED_MESSAGES are dropped."""

    def __init__(self, app, tile_origin: str | None = None) -> None:
        self.app, self.tile_origin = app, tile_origin

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "websocket":
            await self.app(scope, _filtered(receive), send)
        elif scope["type"] != "http":
            await self.app(scope, receive, send)
        elif scope.get("path", "").rstrip("/").endswith(BLOCKED_PATHS):
            await _refuse(send, 404, b"Not found")
        elif _upload_refused(scope):
            await _refuse(send, 403, b"Uploads are for a logged-in admin's session only")
        else:
            await self.app(scope, receive, _HeaderWriter(send, scope.get("path", ""), _https(scope), self.tile_origin))


def _https(scope) -> bool:
    """Served over https, directly or as a proxy in front says (HSTS over plain http is ignored by browsers)."""
    return scope.get("scheme") == "https" or (b"x-forwarded-proto", b"https") in scope.get("headers", [])


def _filtered(receive):
    async def next_message():
        while True:
            message = await receive()
            if message["type"] != "websocket.receive" or not message.get("bytes"):
                return message
            kind = _kind(message["bytes"])
            if kind not in DROPPED_MESSAGES:
                return message
            log.warning("dropped a %s message from a client", kind)

    return next_message


def _kind(data: bytes) -> str | None:
    msg = BackMsg()
    try:
        msg.ParseFromString(data)
    except DecodeError:  # not a BackMsg: passed on, Streamlit closes the connection and logs it
        return None
    return msg.WhichOneof("type")


async def _refuse(send, status: int, text: bytes) -> None:
    headers = [(b"content-type", b"text/plain; charset=utf-8"), *security_headers("", False, None)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": text})


class _HeaderWriter:
    """An ASGI `send` that adds the headers; an HTML body is held until complete, to hash its inline scripts."""

    def __init__(self, send, path: str, https: bool, tile_origin: str | None = None) -> None:
        self.send, self.path, self.https, self.tile_origin = send, path, https, tile_origin
        self.start: dict | None = None
        self.body = b""

    async def __call__(self, message) -> None:
        if message["type"] == "http.response.start":
            if dict(message.get("headers", [])).get(b"content-type", b"").startswith(b"text/html"):
                self.start = message
                return
            await self.send(self._with_headers(message, None))
            return
        if message["type"] == "http.response.body" and self.start is not None:
            self.body += message.get("body", b"")
            if message.get("more_body", False):
                return
            gzipped = dict(self.start.get("headers", [])).get(b"content-encoding") == b"gzip"  # Streamlit's own gzip
            await self.send(self._with_headers(self.start, gzip.decompress(self.body) if gzipped else self.body))
            message = {"type": "http.response.body", "body": self.body}
        await self.send(message)

    def _with_headers(self, start: dict, html: bytes | None) -> dict:
        added = security_headers(self.path, self.https, html, self.tile_origin)
        names = {name for name, _ in added}
        kept = [(k, v) for k, v in start.get("headers", []) if k.lower() not in names]
        return {**start, "headers": kept + added}
