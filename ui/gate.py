"""Login gate and roles: `admin` may refresh and import, `viewer` may only read.

Demo scheme: with no users configured and nothing but demo data in the store, the login page shows
the demo credentials (demo / demo, role admin). As soon as real data or a real source exists, a
configured user (`python -m core.users add NAME --role admin`) and cookie key are required.

Nothing here lives in a Streamlit cache: any client can send Streamlit's clear-cache message over its WebSocket,
whatever the toolbar mode. The login counters are in the store (core/login.py); the demo user and the demo
cookie key are plain per-process values.
"""

from __future__ import annotations

import secrets as pysecrets
import time
from functools import cache

import bcrypt
import streamlit as st

from core.config import Settings, User
from core.errors import ConfigError
from core.users import BCRYPT_ROUNDS, remembered_username
from ui import guard, login

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"  # only ever accepted while the store holds nothing but generated demo data
_DEMO_COOKIE_KEY = pysecrets.token_hex(32)  # per process: demo sessions end when the server restarts
DEMO_HINT = (f"Demo data only: log in as **{DEMO_USER}** / **{DEMO_PASSWORD}**. "
             "These credentials stop working once real data is loaded.")


def demo_only(settings: Settings, counts: dict[tuple[str, str], int]) -> bool:
    """True while demo mode is on, no real source is configured and only demo data is stored."""
    return settings.demo and not settings.configured_sources and all(src == "demo" for _, src in counts)


def demo_login_active(settings: Settings, counts: dict[tuple[str, str], int]) -> bool:
    """True while the demo credentials are what logs people in (no user configured, demo data only)."""
    return not settings.users and demo_only(settings, counts)


CREATE_ADMIN = "python -m core.users add NAME --role admin"
LOCKED_OUT_ACTION = (f"On the machine that runs the dashboard, create an admin: `{CREATE_ADMIN}` (on a host configured "
                     "by environment, then `python -m core.users env` and set the printed FITDASH_AUTH_* variables), "
                     "restart the app and log in as NAME.")


@cache
def _demo_user() -> User:
    hashed = bcrypt.hashpw(DEMO_PASSWORD.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
    return User(DEMO_USER, "Demo athlete", hashed, "admin")


def _users_and_key(settings: Settings, demo: bool) -> tuple[tuple[User, ...], str]:
    if settings.users:
        if not settings.cookie_key:
            raise ConfigError("[auth] cookie_key is missing",
                              action="Run `python -m core.users add NAME` once: it generates one.")
        return settings.users, settings.cookie_key
    if demo:
        return (_demo_user(),), _DEMO_COOKIE_KEY
    raise ConfigError("no users are configured and the store holds real data, so the demo login has stopped",
                      action=LOCKED_OUT_ACTION)


def _remembered(settings: Settings, users: tuple[User, ...], key: str) -> bool:
    """Log in from the remember-me cookie the browser sent, without the cookie component or a rerun.

    The cookie arrives with the page request (`st.context.cookies`), so it is checked before anything
    is drawn: the page renders in this very run, and no cookie-component iframe is loaded while logged in.
    Only an HS256 JWT signed with our key, unexpired and naming a configured user, is accepted.
    """
    if st.session_state.get("logout"):  # logged out in this session: the cookie may not be deleted yet
        return False
    known = {u.username: u for u in users}
    username = remembered_username(st.context.cookies.get(settings.cookie_name), key, known, time.time())
    if username is None:
        return False
    login.sign_in(known[username])
    return True


def signed_in(settings: Settings, demo: bool) -> bool:
    """True when this session is logged in, or the browser sent a valid remember-me cookie. Draws nothing.

    Called before `st.navigation`, so a remembered login shows the page list in its very first run.
    """
    users, key = _users_and_key(settings, demo)
    return bool(st.session_state.get("authentication_status")) or _remembered(settings, users, key)


def login_form(settings: Settings, demo: bool) -> None:
    """The login form (ui/login.py); end the run after it.

    A successful login shows a notice: the cookie component's reply, once the cookie is stored, reruns the app
    into the page. After a logout the form also deletes the remember-me cookie.
    """
    users, key = _users_and_key(settings, demo)
    login.render(settings, users, key, None if settings.users else DEMO_HINT)


def current_role() -> str | None:
    """The logged-in user's role (None when nobody is logged in)."""
    roles = st.session_state.get("roles") or []
    return "admin" if "admin" in roles else ("viewer" if st.session_state.get("authentication_status") else None)


def is_admin() -> bool:
    """True for an authenticated admin."""
    return bool(st.session_state.get("authentication_status")) and current_role() == "admin"


def _log_out() -> None:
    """The logout button's callback: forget the session's login before the next run draws anything."""
    st.session_state.update({"authentication_status": None, "username": None, "name": None, "roles": None,
                             "logout": True, login.FORGET_COOKIE: True})
    if (current := login.session_id()) is not None:
        guard.allow_uploads(current, False)


def logout_button() -> None:
    """Logout in the sidebar. The next run shows the login form, which also deletes the remember-me cookie."""
    if st.session_state.get("authentication_status"):
        st.sidebar.button("Log out", key="logout_button", on_click=_log_out)


def require_login() -> None:
    """First line of every page: stop unless logged in.

    The entrypoint's gate normally runs first, but Streamlit serves files in `pages/` directly on
    the first request after a server start (its v1 multipage emulation), so each page checks too.
    """
    if not st.session_state.get("authentication_status"):
        st.warning("Please log in first.")
        st.markdown("[Go to the login page](/)")
        st.stop()
