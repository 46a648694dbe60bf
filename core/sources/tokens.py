"""OAuth tokens kept in the store: refreshed with a margin, saved BEFORE the new access token is used.

Both Strava and Withings rotate refresh tokens: the old one dies (at once for Strava, within 8 h for
Withings) once the new pair exists. So a refresh is written back with a compare-and-set on the old
refresh token; if another process (the cron, another browser session) refreshed first, our write
loses and we use the winner's token instead of overwriting it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from core.errors import AuthExpired
from core.store.base import Store

REFRESH_MARGIN_S = 300  # refresh 5 minutes early: clock skew and long syncs never meet an expired token

Refresher = Callable[[str], dict]


def current_token(store: Store, source: str, refresh: Refresher, now: datetime, force: bool = False) -> dict:
    """A usable token for `source`, refreshing (and saving) it first when it is about to expire."""
    token = store.get_token(source)
    if not token or not token.get("refresh_token"):
        raise AuthExpired(source, "not authorised yet")
    if not force and float(token.get("expires_at", 0)) - REFRESH_MARGIN_S > now.timestamp():
        return token
    fresh = refresh(token["refresh_token"])
    if store.put_token(source, fresh, expected_refresh_token=token["refresh_token"]):
        return fresh
    winner = store.get_token(source)  # someone else refreshed between our read and our write
    if not winner or winner.get("refresh_token") == token["refresh_token"]:
        raise AuthExpired(source, "the token changed while refreshing")
    return winner
