"""Withings over plain `requests`: OAuth2 (`v2/oauth2`), `getmeas` with paging, errors mapped.

Withings reports errors as HTTP 200 with a non-zero `status` in the JSON: 401 means the token was
refused (we refresh once, then ask for re-authorisation), 601 means too many requests (stop, retry
later), anything else is an error carrying its code.

At the token endpoint only a refusal of our credentials asks for re-authorisation: the
authentication-failed statuses (100-102, 200, 401) and 503 "Invalid Params: invalid refresh_token /
code", which is how Withings refuses a dead refresh token or code. 601 is a rate limit; any other
status (timeouts, "unknown error", 5xx-like codes) is temporary and the next sync retries.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import requests

from core.errors import AuthExpired, RateLimited, SourceUnavailable
from core.sources.http import request_json
from core.sources.tokens import current_token
from core.store.base import Store

API = "https://wbsapi.withings.net"
AUTHORIZE_URL = "https://account.withings.com/oauth2_user/authorize2"
SOURCE = "withings"
MEASTYPES = "1,5,6,8,76,77,88"  # weight, fat-free mass, fat ratio, fat mass, muscle, hydration, bone
RATE_LIMIT_PAUSE = timedelta(minutes=1)  # 120 requests a minute per app: one minute is enough
MAX_PAGES = 500  # a safety stop: Withings pages hold hundreds of groups
AUTH_REFUSED = {100, 101, 102, 200, 401}  # Withings' "authentication failed" statuses
INVALID_PARAMS = 503  # at the token endpoint: the refresh token or code is no longer valid


class WithingsClient:
    """The two calls we need (token, getmeas), with the token kept in the store."""

    def __init__(self, client_id: str, client_secret: str, store: Store, now: Callable[[], datetime],
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep):
        self.client_id, self.client_secret, self.store, self.now = client_id, client_secret, store, now
        self.session, self.sleep = session or requests.Session(), sleep

    def _token_call(self, **form: str) -> dict:
        _, data = request_json(self.session, "POST", f"{API}/v2/oauth2", "Withings token", self.sleep, data={
            "action": "requesttoken", "client_id": self.client_id, "client_secret": self.client_secret, **form})
        status = data.get("status") if isinstance(data, dict) else None
        if status != 0:
            raise self._token_error(status, str(data.get("error", "")) if isinstance(data, dict) else "")
        body = data["body"]
        return {"access_token": body["access_token"], "refresh_token": body["refresh_token"],
                "expires_at": self.now().timestamp() + int(body.get("expires_in", 10800)),
                "userid": str(body.get("userid", "")), "scope": body.get("scope", "")}

    def _token_error(self, status: object, error: str) -> Exception:
        """The typed error for a non-zero status from v2/oauth2 (see the module docstring)."""
        if status == 601:
            return RateLimited(SOURCE, self.now().astimezone(UTC) + RATE_LIMIT_PAUSE, "token request (601)")
        if status in AUTH_REFUSED or (status == INVALID_PARAMS and "invalid" in error.lower()):
            return AuthExpired(SOURCE, f"token request refused (status {status})")
        return SourceUnavailable(f"Withings: token request failed (status {status}); the next sync retries")

    def refresh(self, refresh_token: str) -> dict:
        """A new token pair from a refresh token (the old refresh token dies soon after)."""
        return self._token_call(grant_type="refresh_token", refresh_token=refresh_token)

    def exchange_code(self, code: str, redirect_uri: str) -> dict:
        """The first token pair from an authorisation code (valid 30 seconds)."""
        return self._token_call(grant_type="authorization_code", code=code, redirect_uri=redirect_uri)

    def call(self, path: str, form: dict) -> dict:
        """POST a call with a fresh token; one refresh-and-retry on status 401."""
        for attempt in range(2):
            token = current_token(self.store, SOURCE, self.refresh, self.now(), force=attempt > 0)
            _, data = request_json(self.session, "POST", f"{API}{path}", "Withings", self.sleep, data=form,
                                   headers={"Authorization": f"Bearer {token['access_token']}"})
            status = data.get("status") if isinstance(data, dict) else None
            if status == 0:
                return data.get("body") or {}
            if status == 401:
                continue
            if status == 601:
                raise RateLimited(SOURCE, self.now().astimezone(UTC) + RATE_LIMIT_PAUSE, "too many requests (601)")
            raise SourceUnavailable(f"Withings: error status {status} on {path}")
        raise AuthExpired(SOURCE, "access refused after a token refresh (status 401)")

    def measure_groups(self, lastupdate: datetime | None) -> Iterator[tuple[dict, str]]:
        """Every measure group updated since `lastupdate`, with the account's time zone; follows `more`."""
        form = {"action": "getmeas", "meastypes": MEASTYPES, "category": "1",
                "lastupdate": str(int(lastupdate.timestamp()) if lastupdate else 0)}
        for _page in range(MAX_PAGES):
            body = self.call("/measure", form)
            timezone = body.get("timezone") or "UTC"
            for group in body.get("measuregrps", []):
                yield group, timezone
            if not body.get("more"):
                return
            form = {**form, "offset": str(body.get("offset", 0))}
        raise SourceUnavailable(f"Withings: more than {MAX_PAGES} pages; stopping")
