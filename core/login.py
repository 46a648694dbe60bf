"""Password logins that resist guessing and never lock the owner out for good.

Every attempt is counted twice in the store, under its username and under its client address, before the
password is checked: a key whose "not before" time has not come yet refuses the attempt, and nothing is
counted. A counted attempt sets the key's next "not before" to the delay for its count, 1, 2, 4 ... s up to
a cap ([auth] login_delay_base_s, login_delay_cap_s). A right password clears both keys. The counters live in
the store (one read and one conditional write per key), so they hold for parallel sessions, across server
processes and restarts, and no client can clear them. An unknown username costs the same bcrypt check as a
known one (against a dummy hash of the same cost), so answer times do not tell which usernames exist.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache

import bcrypt

from core.config import User
from core.store.base import LoginCounter, Store

log = logging.getLogger(__name__)

FORGET_AFTER_S = 24 * 3600  # a key idle for a day starts again at the first delay: old typos cost nothing
CLAIM_RETRIES = 4  # lost conditional writes in a row before refusing (each loss is another attempt starting)
BCRYPT_MAX_BYTES = 72  # bcrypt 5 refuses longer passwords; no stored password is longer (core.users)
MAX_KEY_CHARS = 100  # a typed username or a forwarded address is cut here before it names a counter
_COST = re.compile(r"^\$2[aby]?\$(\d\d)\$")
DEFAULT_COST = 12  # core.users.BCRYPT_ROUNDS


@dataclass(frozen=True)
class LoginPolicy:
    """The growing delays: base, 2 x base, 4 x base ... up to cap seconds."""

    base_s: float = 1.0
    cap_s: float = 300.0

    def delay_s(self, attempts: int) -> float:
        """Seconds an attempt must wait after `attempts` counted ones (0 before the first)."""
        return 0.0 if attempts <= 0 else min(self.cap_s, self.base_s * 2.0 ** min(attempts - 1, 60))


@dataclass(frozen=True)
class LoginOutcome:
    """What one submitted login came to."""

    user: User | None = None  # the user, when the password was right
    refused_s: float = 0.0  # > 0: refused before any check, try again in that many seconds
    next_in_s: float = 0.0  # after a wrong password: the wait before this username and address may try again


def counter_keys(username: str, address: str) -> tuple[str, str]:
    """The two keys an attempt is counted under."""
    return f"user:{username.strip().lower()[:MAX_KEY_CHARS]}", f"addr:{address[:MAX_KEY_CHARS]}"


def client_address(peer: str | None, forwarded_for: Sequence[str], trusted_proxies: int) -> str:
    """The address a login attempt is counted under.

    Behind `trusted_proxies` proxies (Heroku's router: 1), the entry that many from the right of
    X-Forwarded-For, which the nearest proxy wrote. With none, X-Forwarded-For is the client's own claim, and
    uvicorn, which serves Streamlit, honours it only from a loopback peer: such an attempt is counted as local.
    """
    if trusted_proxies > 0:
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
        if len(hops) >= trusted_proxies:
            return hops[-trusted_proxies]
    elif forwarded_for:
        return "local"
    return peer or "local"  # Streamlit reports a loopback peer as None


def claim(store: Store, key: str, now: float, policy: LoginPolicy) -> float:
    """Count an attempt under one key and return 0, or refuse it and return the seconds left to wait."""
    for _ in range(CLAIM_RETRIES):
        current = store.get_login_counter(key)
        if current is not None and current.not_before > now:
            return current.not_before - now
        attempts = current.failures if current is not None and now - current.last_attempt < FORGET_AFTER_S else 0
        counted = LoginCounter(key, attempts + 1, now + policy.delay_s(attempts + 1), now)
        if store.put_login_counter(counted, expected=current):
            return 0.0
    return policy.base_s  # parallel attempts kept winning: this one waits like a refused one


def claim_all(store: Store, keys: Iterable[str], now: float, policy: LoginPolicy) -> float:
    """Count an attempt under every key (0), or refuse it (seconds to wait) with nothing more counted."""
    keys = list(keys)
    waiting = [c.not_before - now for c in map(store.get_login_counter, keys) if c and c.not_before > now]
    if waiting:
        return max(waiting)
    for key in keys:
        wait = claim(store, key, now, policy)
        if wait:
            return wait
    return 0.0


def bcrypt_cost(password_hash: str) -> int:
    """The cost factor written in a bcrypt hash (the default cost when it is not one)."""
    match = _COST.match(password_hash)
    return int(match.group(1)) if match else DEFAULT_COST


@cache  # one per cost and process: made once, never sent anywhere, not a Streamlit cache a client can clear
def dummy_hash(cost: int) -> bytes:
    """A bcrypt hash of a random password, checked when the username is unknown."""
    return bcrypt.hashpw(bcrypt.gensalt(cost), bcrypt.gensalt(cost))


def password_matches(password: str, user: User | None, users: Sequence[User]) -> bool:
    """bcrypt check of a typed password that costs the same whether or not the user exists."""
    secret = password.strip().encode()  # streamlit-authenticator stripped typed passwords: hashes assume it
    dummy = dummy_hash(max((bcrypt_cost(u.password_hash) for u in users), default=DEFAULT_COST))  # made either way
    stored = user.password_hash.encode() if user is not None else dummy
    try:
        right = bcrypt.checkpw(secret[:BCRYPT_MAX_BYTES], stored)
    except ValueError:  # a hand-edited hash that is not one: that user cannot log in until it is replaced
        log.error("the password hash of a configured user is malformed: run `python -m core.users add NAME`")
        return False
    return right and user is not None and len(secret) <= BCRYPT_MAX_BYTES


def attempt_login(store: Store, users: Sequence[User], username: str, password: str, address: str,
                  now: float, policy: LoginPolicy) -> LoginOutcome:
    """One submitted login: refused while a delay runs, otherwise counted, then checked."""
    keys = counter_keys(username, address)
    wait = claim_all(store, keys, now, policy)
    if wait:
        log.warning("login refused before any check: wait %.1f s (from %s)", wait, address)
        return LoginOutcome(refused_s=wait)
    user = next((u for u in users if u.username == keys[0].removeprefix("user:")), None)
    if password_matches(password, user, users):
        store.delete_login_counters(keys)
        return LoginOutcome(user=user)
    log.warning("failed login for %s from %s", f"user {user.username!r}" if user else "an unknown username", address)
    waits = [c.not_before - now for c in map(store.get_login_counter, keys) if c is not None]
    return LoginOutcome(next_in_s=max(waits, default=0.0))


def clear_lockouts(store: Store, names: Sequence[str]) -> int:
    """Delete the named counters (a bare name is a username), or every counter when none is named."""
    keys = [n if n.startswith(("user:", "addr:")) else counter_keys(n, "")[0] for n in names]
    return store.delete_login_counters(keys or [c.key for c in store.login_counters()])


def lockout_lines(counters: Sequence[LoginCounter], now: float) -> list[str]:
    """The counters as a table for the admin command: key, attempts counted, seconds still to wait, last attempt."""
    if not counters:
        return ["no login counters: nobody has to wait"]
    lines = [f"{'key':<40} {'attempts':>8} {'wait':>8}  last attempt (UTC)"]
    for c in counters:
        wait = f"{math.ceil(c.not_before - now)} s" if c.not_before > now else "-"
        when = datetime.fromtimestamp(c.last_attempt, UTC).strftime("%Y-%m-%d %H:%M:%S")
        lines.append(f"{c.key:<40} {c.failures:>8} {wait:>8}  {when}")
    return lines
