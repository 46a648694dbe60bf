"""HTTP helpers shared by the sources: bounded timeouts and retries with backoff on transient faults."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import requests

from core.errors import SourceUnavailable

TIMEOUT_S = (5, 30)  # connect, read: a hung provider must not hang the sync
RETRIES = 3  # 5xx and connection errors: tried 3 times in all
BACKOFF_S = 1.0  # 1 s then 2 s


def request_json(session: requests.Session, method: str, url: str, name: str,
                 sleep: Callable[[float], None], **kwargs: Any) -> tuple[requests.Response, Any]:
    """Send with retries on 5xx / network errors; return the response and its parsed JSON."""
    last: str = ""
    for attempt in range(RETRIES):
        if attempt:
            sleep(BACKOFF_S * 2 ** (attempt - 1))
        try:
            response = session.request(method, url, timeout=TIMEOUT_S, **kwargs)
        except requests.RequestException as exc:
            last = f"network error: {type(exc).__name__}"
            continue
        if response.status_code >= 500:
            last = f"HTTP {response.status_code}"
            continue
        return response, parse_json(response, name)
    raise SourceUnavailable(f"{name}: {last} after {RETRIES} attempts")


def parse_json(response: requests.Response, name: str) -> Any:
    """JSON body, or SourceUnavailable naming what came back instead (an HTML error page, truncation)."""
    try:
        return response.json()
    except (ValueError, json.JSONDecodeError) as exc:
        kind = response.headers.get("Content-Type", "unknown content")
        raise SourceUnavailable(f"{name}: the reply was not valid JSON ({kind}, HTTP {response.status_code})") from exc
