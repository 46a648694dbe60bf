"""The login form: our own check (core/login.py) and the cookie component that stores the remember-me cookie.

streamlit-authenticator's `login()` is not used: it decoded whatever cookie the browser sent (a cookie signed
with `alg: none` or HS512 raised to the visitor), slept per session, answered faster for unknown usernames and
kept its failure counts in a credentials dict any client could reset with Streamlit's clear-cache message.
Only its cookie component (extra-streamlit-components' CookieManager) is kept: JavaScript in a zero-height
iframe that sets or deletes the cookie, then reports back, which reruns the app.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import UTC, datetime, timedelta
from importlib.util import find_spec
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.config import Settings, User
from core.errors import FitDashError
from core.login import LoginPolicy, attempt_login, client_address
from core.users import remember_me_token
from ui import context, guard

log = logging.getLogger(__name__)
FORGET_COOKIE = "_forget_login_cookie"  # set by the logout button, read by every login form until a login
MAX_USERNAME_CHARS = 64
MAX_PASSWORD_CHARS = 256  # longer than bcrypt's 72 bytes on purpose: a long password is refused, not cut


def _cookie_manager_build() -> str:
    spec = find_spec("extra_streamlit_components")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("extra-streamlit-components is not installed")
    return str(Path(next(iter(spec.submodule_search_locations))) / "CookieManager" / "frontend" / "build")


_cookie_component = components.declare_component("cookie_manager", path=_cookie_manager_build())


def session_id() -> str | None:
    """This session's id (None outside a script run)."""
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else None


def sign_in(user: User) -> None:
    """Mark this session as logged in as the user (the keys the rest of the app reads); an admin may upload."""
    st.session_state.update({"authentication_status": True, "username": user.username, "name": user.name,
                             "roles": [user.role], "logout": None})
    if (current := session_id()) is not None:
        guard.allow_uploads(current, user.role == "admin")


def _address(settings: Settings) -> str:
    peer = st.context.ip_address
    forwarded = [v for v in st.context.headers.get_all("X-Forwarded-For") if isinstance(v, str)]
    return client_address(peer if isinstance(peer, str) else None, forwarded, settings.trusted_proxies)


def _remember(settings: Settings, key: str, username: str) -> None:
    """Draw the component that stores the remember-me cookie; its reply reruns the app into the page."""
    if settings.cookie_expiry_days <= 0:  # no cookie wanted, so no reply to wait for
        st.rerun()
    expires = datetime.now(UTC) + timedelta(days=settings.cookie_expiry_days)
    options = {"path": "/", "expires": expires.isoformat(), "sameSite": "strict",
               "secure": (st.context.url or "").startswith("https://")}  # not over plain http: it would be refused
    _cookie_component(method="set", cookie=settings.cookie_name, options=options, key="set_login_cookie",
                      value=remember_me_token(username, key, expires.timestamp()), default=False)


def _submit(settings: Settings, users: tuple[User, ...], key: str, username: str, password: str) -> bool:
    """Check one submitted login and say what it came to; True once logged in."""
    policy = LoginPolicy(settings.login_delay_base_s, settings.login_delay_cap_s)
    st.session_state["authentication_status"] = False  # until the check says otherwise
    try:
        outcome = attempt_login(context.store(), users, username, password, _address(settings), time.time(), policy)
    except FitDashError as exc:  # the store did not answer: no login can be checked, and none is let through
        log.error("login not checked: %s", exc)
        st.error(f"The login cannot be checked right now: {exc}\n\n{exc.action}")
        return False
    if outcome.user is not None:
        sign_in(outcome.user)
        st.session_state.pop(FORGET_COOKIE, None)
        _remember(settings, key, outcome.user.username)
        st.success("Logged in: opening your dashboard...")
        return True
    if outcome.refused_s:
        st.error(f"Too many login attempts for this username or from this address: try again in "
                 f"{math.ceil(outcome.refused_s)} s. The password was not checked.")
    else:
        st.error(f"Username or password is incorrect. The next attempt may start in {math.ceil(outcome.next_in_s)} s.")
    return False


def render(settings: Settings, users: tuple[User, ...], key: str, demo_hint: str | None) -> None:
    """The form, and what the last submit came to; the caller ends the run after it."""
    st.session_state.setdefault("authentication_status", None)  # nobody logged in yet
    with st.form("login"):
        st.subheader("Log in to your fitness dashboard")
        username = st.text_input("Username", max_chars=MAX_USERNAME_CHARS, autocomplete="username")
        password = st.text_input("Password", type="password", max_chars=MAX_PASSWORD_CHARS,
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Login")
    if submitted and not (username.strip() and password):  # a stray Enter: nothing to check, nothing counted
        st.warning("Enter your username and your password.")
    elif submitted and _submit(settings, users, key, username, password):
        return
    if st.session_state.get(FORGET_COOKIE):
        # After a logout, in every run until the next login: a run without the component would drop the deletion.
        _cookie_component(method="delete", cookie=settings.cookie_name, key="delete_login_cookie", default=False)
    if demo_hint:
        st.info(demo_hint)
