"""Strava through stravalib, never sleeping: rate_limit_requests=False, our own refresh, errors mapped.

stravalib's default limiter sleeps up to 15 minutes (or until midnight UTC) inside the call, which
would freeze the app; its automatic refresh reads env vars and has no margin. So: the access token
comes from the store (refreshed 5 minutes early, saved before use), and a 429 becomes RateLimited
with the time the window resets, so the next sync resumes where this one stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import requests

from core.errors import AuthExpired, RateLimited, SourceUnavailable
from core.sources.tokens import current_token
from core.store.base import Store

if TYPE_CHECKING:
    from stravalib import exc

SOURCE = "strava"
PER_PAGE = 200  # Strava's maximum: 1,000 activities in 5 list requests
SCOPE = ["read", "activity:read_all"]  # read_all: "Only me" activities too
RETRIES = 3
INACTIVE = ("Strava API app inactive: since June 2026 the app owner needs a Strava subscription. Reactivate the "
            "app in Strava's API settings, or import your Strava export on the Data page instead.")


def _pair(headers: dict, name: str) -> tuple[int, int] | None:
    """'100,1000' -> (100, 1000): the 15-minute and the daily figure of one rate-limit header."""
    try:
        short, daily = (int(x) for x in str(headers[name]).split(",")[:2])
    except (KeyError, ValueError):
        return None
    return short, daily


def rate_limit_reset(headers: dict, now: datetime) -> datetime:
    """When Strava's exhausted window resets: midnight UTC if a daily limit (overall or read) is used up, else
    the next quarter hour. Strava sends X-RateLimit-* (all requests) and X-ReadRateLimit-* (reads, lower)."""
    lower = {str(k).lower(): v for k, v in headers.items()}
    now = now.astimezone(UTC)
    for prefix in ("x-ratelimit", "x-readratelimit"):
        limit, usage = _pair(lower, f"{prefix}-limit"), _pair(lower, f"{prefix}-usage")
        if limit and usage and limit[1] and usage[1] >= limit[1]:
            return (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    quarter = now.replace(minute=now.minute - now.minute % 15, second=0, microsecond=0)
    return quarter + timedelta(minutes=15)


class StravaClient:
    """Token handling and the activity list, as raw JSON dicts."""

    def __init__(self, client_id: str, client_secret: str, store: Store, now: Callable[[], datetime],
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep):
        self.client_id, self.client_secret, self.store, self.now = int(client_id), client_secret, store, now
        from stravalib import Client  # imported by a sync only: a process serving pages never loads it (~25 MB)

        self.api = Client(rate_limit_requests=False, requests_session=session)
        self.sleep = sleep

    def refresh(self, refresh_token: str) -> dict:
        """A new token pair (Strava invalidates the old refresh token at once)."""
        from stravalib import exc

        try:
            info = self.api.refresh_access_token(self.client_id, self.client_secret, refresh_token)
        except exc.AccessUnauthorized as error:
            raise AuthExpired(SOURCE, "refresh refused (HTTP 401)") from error
        except exc.Fault as error:  # 400 invalid grant: re-authorise; 429 / 5xx: the next sync retries
            status = getattr(error.response, "status_code", 0)
            if status == 429 or status >= 500:
                self._raise_unless_retryable(error)
                raise SourceUnavailable(f"Strava: token refresh failed (HTTP {status})") from error
            raise AuthExpired(SOURCE, f"refresh refused (HTTP {status})") from error
        except (requests.RequestException, ValueError) as error:  # network fault, or not JSON
            raise SourceUnavailable(f"Strava: token refresh failed ({type(error).__name__})") from error
        return {"access_token": info["access_token"], "refresh_token": info["refresh_token"],
                "expires_at": float(info["expires_at"])}

    def exchange_code(self, code: str) -> dict:
        """The first token pair from the code pasted back after authorising."""
        info = self.api.exchange_code_for_token(self.client_id, self.client_secret, code)
        return {"access_token": info["access_token"], "refresh_token": info["refresh_token"],
                "expires_at": float(info["expires_at"])}

    def authorise_url(self, redirect_uri: str, state: str) -> str:
        """Where the person grants access (read_all, so private runs are included)."""
        return self.api.authorization_url(self.client_id, redirect_uri, scope=SCOPE, approval_prompt="force",
                                          state=state)

    def activity_pages(self, after: datetime | None) -> Iterator[list[dict]]:
        """Pages of activities started after `after` (Strava returns them oldest first)."""
        page = 1
        while True:
            items = self._get(after, page)
            yield items
            if len(items) < PER_PAGE:
                return
            page += 1

    def _get(self, after: datetime | None, page: int) -> list[dict]:
        from stravalib import exc

        force = False
        for attempt in range(RETRIES):
            self.api.access_token = current_token(self.store, SOURCE, self.refresh, self.now(), force)["access_token"]
            force = False
            try:
                return self.api.protocol.get("/athlete/activities", page=page, per_page=PER_PAGE,
                                             after=int(after.timestamp()) if after else 0)
            except exc.ApplicationInactive as error:
                raise SourceUnavailable(INACTIVE, action=INACTIVE) from error
            except exc.AccessUnauthorized as error:
                if attempt:
                    raise AuthExpired(SOURCE, "access refused after a token refresh (activity:read_all?)") from error
                force = True  # maybe revoked early: refresh once and retry
            except exc.Fault as error:
                self._raise_unless_retryable(error)
                self.sleep(2 ** attempt)
            except ValueError as error:  # a malformed (non-JSON) reply
                raise SourceUnavailable("Strava: the reply was not valid JSON") from error
        raise SourceUnavailable(f"Strava: no answer after {RETRIES} attempts")

    def _raise_unless_retryable(self, error: exc.Fault) -> None:
        status = getattr(error.response, "status_code", 0)
        if status == 429:
            reset = rate_limit_reset(dict(error.response.headers), self.now())
            raise RateLimited(SOURCE, reset, "429 Too Many Requests") from error
        if status < 500:
            raise SourceUnavailable(f"Strava: HTTP {status}") from error
