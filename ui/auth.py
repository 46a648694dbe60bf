"""Login gate (streamlit-authenticator) and roles: `admin` may refresh and import, `viewer` may only read.

Demo scheme: with no users configured and nothing but demo data in the store, the login page shows
the demo credentials (demo / demo, role admin). As soon as real data or a real source exists, a
configured user (`python -m core.users add NAME --role admin`) and cookie key are required.
"""

from __future__ import annotations

import secrets as pysecrets
import time

import streamlit as st
import streamlit_authenticator as stauth

from core.config import Settings, User
from core.errors import ConfigError
from core.users import remembered_username

DEMO_USER = "demo"
DEMO_PASSWORD = "demo"  # only ever accepted while the store holds nothing but generated demo data
_FORGET_COOKIE = "_forget_login_cookie"  # set by the logout button, read by the next login form
MAX_LOGIN_ATTEMPTS = 10  # per username, per process: slows down guessing without locking owners out


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
    raise ConfigError("no users are configured and the store holds real data, so the demo login has stopped",
                      action=LOCKED_OUT_ACTION)


def _remembered(settings: Settings, users: tuple[User, ...], key: str) -> bool:
    """Log in from the remember-me cookie the browser sent, without the cookie component or a rerun.

    The cookie arrives with the page request (`st.context.cookies`), so it is checked before anything
    is drawn: the page renders in this very run, and no cookie-component iframe is loaded while logged in.
    """
    if st.session_state.get("logout"):  # logged out in this session: the cookie may not be deleted yet
        return False
    known = _credentials(users)["usernames"]  # the same entries a form login puts in the session
    username = remembered_username(st.context.cookies.get(settings.cookie_name), key, known, time.time())
    if username is None:
        return False
    user = known[username]
    st.session_state.update({"authentication_status": True, "username": username, "name": user["name"],
                             "roles": user["roles"], "email": user["email"], "logout": None})
    return True


def signed_in(settings: Settings, demo: bool) -> bool:
    """True when this session is logged in, or the browser sent a valid remember-me cookie. Draws nothing.

    Called before `st.navigation`, so a remembered login shows the page list in its very first run.
    """
    users, key = _users_and_key(settings, demo)
    return bool(st.session_state.get("authentication_status")) or _remembered(settings, users, key)


def login_form(settings: Settings, demo: bool) -> None:
    """The login form (streamlit-authenticator); end the run after it.

    Its cookie component stores the remember-me cookie after a form login, and deletes it after a logout.
    A successful form login shows a notice: the component's reply reruns the app into the page.
    """
    users, key = _users_and_key(settings, demo)
    authenticator = stauth.Authenticate(
        _credentials(users), settings.cookie_name, key, settings.cookie_expiry_days,
        auto_hash=False, login_sleep_time=settings.login_sleep_s,
    )
    try:
        authenticator.login(location="main", max_login_attempts=MAX_LOGIN_ATTEMPTS,
                            fields={"Form name": "Log in to your fitness dashboard"})
    except stauth.LoginError as exc:  # e.g. too many failed attempts for this username
        st.error(f"Login refused: {exc}. The count of failed attempts is kept until the dashboard restarts; "
                 "ask its administrator to restart it (e.g. `heroku restart`), or wait for the next deploy.")
        return
    status = st.session_state.get("authentication_status")
    if status:
        st.session_state.pop(_FORGET_COOKIE, None)
        # A login through the form ends this run rather than st.rerun(): the authenticator's cookie component
        # must reach the browser to store the remember-me cookie (a rerun here dropped it, so every new tab
        # asked for the login again). The component reports back once the cookie is set, which reruns.
        st.success("Logged in: opening your dashboard...")
        return
    if st.session_state.get(_FORGET_COOKIE):
        # After a logout, in every run until the next login: the component's other reply (its cookie list)
        # can rerun the app before this iframe has run, and a run without it would drop the deletion.
        authenticator.cookie_controller.delete_cookie()
    if status is False:
        st.error("Username or password is incorrect.")
    if not settings.users:
        st.info(f"Demo data only: log in as **{DEMO_USER}** / **{DEMO_PASSWORD}**. "
                "These credentials stop working once real data is loaded.")


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
                             "email": None, "logout": True, _FORGET_COOKIE: True})


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
