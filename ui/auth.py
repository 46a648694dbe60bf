"""Login gate (streamlit-authenticator) and roles: `admin` may refresh and import, `viewer` may only read.

Demo scheme: with no users configured and nothing but demo data in the store, the login page shows
the demo credentials (demo / demo, role admin). As soon as real data or a real source exists, a
configured user (`python -m core.users add NAME --role admin`) and cookie key are required.
"""

from __future__ import annotations

import secrets as pysecrets

import streamlit as st
import streamlit_authenticator as stauth

from core.config import Settings, User
from core.errors import ConfigError

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"  # only ever accepted while the store holds nothing but generated demo data
MAX_LOGIN_ATTEMPTS = 10  # per username, per process: slows down guessing without locking owners out


def demo_only(settings: Settings, counts: dict[tuple[str, str], int]) -> bool:
    """True while demo mode is on, no real source is configured and only demo data is stored."""
    return settings.demo and not settings.configured_sources and all(src == "demo" for _, src in counts)


@st.cache_resource(show_spinner=False)
def _demo_user() -> User:
    return User(DEMO_USER, "Demo athlete", stauth.Hasher.hash(DEMO_PASSWORD), "admin")


@st.cache_resource(show_spinner=False)
def _demo_cookie_key() -> str:
    return pysecrets.token_hex(32)  # per process: demo sessions end when the server restarts


@st.cache_resource(show_spinner=False)
def _credentials(users: tuple[User, ...]) -> dict:
    """One credentials dict per process, so failed-attempt counters persist across reruns."""
    return {"usernames": {u.username: {"name": u.name, "password": u.password_hash, "roles": [u.role],
                                       "email": f"{u.username}@localhost"} for u in users}}


def _users_and_key(settings: Settings, demo: bool) -> tuple[tuple[User, ...], str]:
    if settings.users:
        if not settings.cookie_key:
            raise ConfigError("[auth] cookie_key is missing",
                              action="Run `python -m core.users add NAME` once: it generates one.")
        return settings.users, settings.cookie_key
    if demo:
        return (_demo_user(),), _demo_cookie_key()
    raise ConfigError("no users are configured and the store holds real data",
                      action="Create an admin: `python -m core.users add NAME --role admin`, then restart.")


def login_gate(settings: Settings, demo: bool) -> bool:
    """Show the login form until someone logs in; True once authenticated."""
    users, key = _users_and_key(settings, demo)
    authenticator = stauth.Authenticate(
        _credentials(users), settings.cookie_name, key, settings.cookie_expiry_days,
        auto_hash=False, login_sleep_time=settings.login_sleep_s,
    )
    st.session_state["_authenticator"] = authenticator
    was_in = bool(st.session_state.get("authentication_status"))
    authenticator.login(location="main", max_login_attempts=MAX_LOGIN_ATTEMPTS,
                        fields={"Form name": "Log in to your fitness dashboard"})
    status = st.session_state.get("authentication_status")
    if status and not was_in:
        if isinstance(st.context.cookies.get(settings.cookie_name), str):  # by the remembered cookie: redraw now
            st.rerun()
        # A login through the form ends this run instead of st.rerun(): the authenticator's cookie component
        # must reach the browser to store the remember-me cookie (a rerun here dropped it, so every new tab
        # asked for the login again). The component reports back once the cookie is set, which reruns.
        st.success("Logged in: opening your dashboard...")
        st.stop()
    if status is False:
        st.error("Username or password is incorrect.")
    if not status and not settings.users:
        st.info(f"Demo data only: log in as **{DEMO_USER}** / **{DEMO_PASSWORD}**. "
                "These credentials stop working once real data is loaded.")
    return bool(status)


def current_role() -> str | None:
    """The logged-in user's role (None when nobody is logged in)."""
    roles = st.session_state.get("roles") or []
    return "admin" if "admin" in roles else ("viewer" if st.session_state.get("authentication_status") else None)


def is_admin() -> bool:
    """True for an authenticated admin."""
    return bool(st.session_state.get("authentication_status")) and current_role() == "admin"


def logout_button() -> None:
    """Logout in the sidebar; reruns so the page is not drawn for a logged-out session."""
    authenticator = st.session_state.get("_authenticator")
    if authenticator and st.session_state.get("authentication_status"):
        authenticator.logout("Log out", location="sidebar", callback=lambda _info: None)
        if not st.session_state.get("authentication_status"):
            st.rerun()


def require_login() -> None:
    """First line of every page: stop unless logged in.

    The entrypoint's gate normally runs first, but Streamlit serves files in `pages/` directly on
    the first request after a server start (its v1 multipage emulation), so each page checks too.
    """
    if not st.session_state.get("authentication_status"):
        st.warning("Please log in first.")
        st.markdown("[Go to the login page](/)")
        st.stop()
