"""The login against the attacks a stranger can make, over the real server's WebSocket (no browser needed).

One server for the module, configured as on Heroku (one trusted proxy, so each session names its own address
in X-Forwarded-For) with a real owner whose password hash has the production cost (12), and delays shortened to
0.5 s doubling up to 4 s so the growth shows in seconds. Every test starts with no login counters.
"""

from __future__ import annotations

import json
import statistics
import threading
import time

import bcrypt
import jwt
import pytest

from core.store.sqlite import SQLiteStore
from core.users import BCRYPT_ROUNDS, remember_me_token
from tests.apptest_helpers import copy_store
from tests.browser import streamlit_server
from tests.stream_client import StreamSession, back_msg
from tests.test_users_cli import unsigned_cookie

pytestmark = pytest.mark.xdist_group("login-attacks")
OWNER, PASSWORD, KEY = "owner", "the owner's password", "c" * 64
BASE_S, CAP_S = 0.5, 4.0  # long enough that a loaded machine's slow run does not outlast a delay
LOGIN_FORM = ["form", "heading", "text_input", "text_input", "button"]


@pytest.fixture(scope="module")
def server(demo_template, tmp_path_factory):
    """The app with one configured owner, its store, and the file its output goes to."""
    folder = tmp_path_factory.mktemp("attacks")
    store = copy_store(demo_template, folder / "store.sqlite3")
    hashed = bcrypt.hashpw(PASSWORD.encode(), bcrypt.gensalt(BCRYPT_ROUNDS)).decode()
    env = {"FITDASH_STORE_SQLITE_PATH": str(folder / "store.sqlite3"), "FITDASH_AUTH_COOKIE_KEY": KEY,
           "FITDASH_AUTH_USERS": json.dumps({OWNER: {"password": hashed, "role": "admin"}}),
           "FITDASH_AUTH_LOGIN_DELAY_BASE_S": str(BASE_S), "FITDASH_AUTH_LOGIN_DELAY_CAP_S": str(CAP_S),
           "FITDASH_AUTH_TRUSTED_PROXIES": "1"}
    with streamlit_server(env, log_path=folder / "server.log") as url:
        with StreamSession(url) as first:
            first.run()  # the first run of a server imports pandas and plotly: not part of any test's timing
        yield url, store, folder / "server.log"


@pytest.fixture
def app(server):
    """The server with every login counter cleared."""
    url, store, log = server
    store.delete_login_counters([c.key for c in store.login_counters()])
    return url, store, log


def session(url: str, address: str = "203.0.113.9", **kwargs) -> StreamSession:
    """A session from one client address, as Heroku's router reports it."""
    return StreamSession(url, headers={"X-Forwarded-For": address}, **kwargs)


def wait_out(store: SQLiteStore, key: str = f"user:{OWNER}") -> None:
    """Sleep until the counter's delay has passed."""
    counter = store.get_login_counter(key)
    if counter is not None:
        time.sleep(max(0.0, counter.not_before - time.time()) + 0.02)


def outcome(run) -> str:
    """'checked', 'refused' or 'in', from what the login run showed."""
    said = " ".join(run.texts("alert"))
    if "Logged in" in said:
        return "in"
    assert "incorrect" in said or "Too many login attempts" in said, said
    return "checked" if "incorrect" in said else "refused"


def test_guessing_from_several_sessions_at_once_is_slowed_for_everyone(app):
    """Four sessions from four addresses guessing as fast as they can for 2.5 s share one schedule: one check per
    delay (0.5, 1, 2 s), the rest refused unchecked; the owner, from a fifth address, waits like them."""
    url, store, _ = app
    outcomes, failures, ready = [], [], threading.Barrier(4)

    def guess(i):
        try:
            with session(url, f"198.51.100.{i}") as attacker:
                attacker.run()
                ready.wait(30)
                stop_at = time.monotonic() + 2.5
                while time.monotonic() < stop_at:
                    outcomes.append(outcome(attacker.log_in(OWNER, f"guess {i}")))
        except Exception as exc:  # reported below: a thread's exception would otherwise vanish
            failures.append(exc)

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    checked = outcomes.count("checked")
    assert 2 <= checked <= 3, outcomes  # at 0, 0.5 and 1.5 s; unlimited, it would be every attempt
    assert outcomes.count("refused") > checked
    assert store.get_login_counter(f"user:{OWNER}").failures == checked
    with session(url, "192.0.2.1") as owner, session(url, "198.51.100.0") as attacker:
        owner.run()
        if store.get_login_counter(f"user:{OWNER}").not_before < time.time():  # the last delay ran out meanwhile
            assert outcome(attacker.log_in(OWNER, "one more guess")) == "checked"
        assert outcome(owner.log_in(OWNER, PASSWORD)) == "refused"
        wait_out(store)
        assert outcome(owner.log_in(OWNER, PASSWORD)) == "in"


def test_the_owner_gets_in_right_after_the_delay_and_the_count_restarts(app):
    """Five wrong passwords, each after its growing delay (up to the cap); the right one is refused during the
    delay, accepted once it has passed, and the owner's counter is gone."""
    url, store, _ = app
    with session(url) as owner:
        waits = []
        for i in range(5):
            wait_out(store)
            assert outcome(owner.log_in(OWNER, f"typo {i}")) == "checked"
            counter = store.get_login_counter(f"user:{OWNER}")
            waits.append(round(counter.not_before - counter.last_attempt, 2))
        assert waits == [0.5, 1.0, 2.0, 4.0, 4.0]
        assert outcome(owner.log_in(OWNER, PASSWORD)) == "refused"
        wait_out(store)
        assert outcome(owner.log_in(OWNER, PASSWORD)) == "in"
        assert "Overview" in owner.run().texts("heading")
    assert store.get_login_counter(f"user:{OWNER}") is None


def test_a_clear_cache_message_changes_nothing_about_the_limits(app):
    """Streamlit's clear-cache message, sent by the guesser and by another session, leaves the counter as it was:
    the next guess inside the (by then 4 s) delay is still refused."""
    url, store, _ = app
    with session(url) as attacker, session(url, "198.51.100.99") as other:
        other.run()
        for i in range(4):
            wait_out(store)
            assert outcome(attacker.log_in(OWNER, f"guess {i}")) == "checked"
        counted = store.get_login_counter(f"user:{OWNER}")
        for client in (attacker, other):
            client.send(back_msg("clear_cache"))
        attacker.run()
        assert store.get_login_counter(f"user:{OWNER}") == counted
        assert outcome(attacker.log_in(OWNER, "guess again")) == "refused"


def test_unknown_and_known_usernames_answer_in_the_same_time(app):
    """A wrong password takes as long for a username that does not exist as for the owner's (median of seven
    each, interleaved, counters cleared between attempts): the answer time does not tell which names exist."""
    url, store, _ = app
    times = {OWNER: [], "nobody": []}
    with session(url) as prober:
        prober.run()
        for _ in range(7):
            for name in times:
                store.delete_login_counters([f"user:{name}", "addr:203.0.113.9"])
                run = prober.log_in(name, "wrong password")
                assert outcome(run) == "checked"
                times[name].append(run.seconds)
    ratio = statistics.median(times["nobody"]) / statistics.median(times[OWNER])
    assert 0.6 < ratio < 1.67, times  # without the dummy hash: about 0.1 (no bcrypt for an unknown name)


BAD_COOKIES = {
    "alg none": lambda: unsigned_cookie({"username": OWNER, "exp_date": time.time() + 3600}),
    "HS512": lambda: jwt.encode({"username": OWNER, "exp_date": time.time() + 3600}, KEY, algorithm="HS512"),
    "another key": lambda: remember_me_token(OWNER, "x" * 64, time.time() + 3600),
    "unknown user": lambda: remember_me_token("mallory", KEY, time.time() + 3600),
    "expired": lambda: remember_me_token(OWNER, KEY, time.time() - 60),
    "expiry as text": lambda: jwt.encode({"username": OWNER, "exp_date": "never"}, KEY, algorithm="HS256"),
    "garbage": lambda: "not-a-jwt",
    "three garbage parts": lambda: "eyJhbGciOi.eyJ1c2Vy.c2ln",
}


@pytest.mark.parametrize("name", BAD_COOKIES)
def test_a_bad_remember_me_cookie_shows_the_login_form_and_nothing_else(app, name):
    """A forged, foreign, expired or garbled cookie gets the login form (no traceback, no page) and a log line
    that does not quote it."""
    url, _, log = app
    token = BAD_COOKIES[name]()
    with session(url, cookie=f"fitdash_auth={token}") as visitor:
        run = visitor.run()
    assert [e.kind for e in run.elements] == LOGIN_FORM
    deadline = time.monotonic() + 5
    while "remember-me cookie refused" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert "remember-me cookie refused" in log.read_text()
    assert token not in log.read_text() and token.split(".")[0] not in log.read_text()


def test_the_owners_own_cookie_still_opens_the_dashboard(app):
    """The control for the bad cookies: a cookie the login wrote, sent the same way, opens the Overview."""
    url, _, _ = app
    with session(url, cookie=f"fitdash_auth={remember_me_token(OWNER, KEY, time.time() + 3600)}") as owner:
        run = owner.run()
    assert "Overview" in run.texts("heading") and "text_input" not in [e.kind for e in run.elements]


def test_logging_out_ends_the_login_even_while_the_browser_still_sends_the_cookie(app):
    """Logged in by the remember-me cookie, then Log out: the form (deleting the cookie) comes back, though the
    cookie still arrives with the session until the browser has deleted it; it does not log the session in again."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    url, _, _ = app
    with session(url, cookie=f"fitdash_auth={remember_me_token(OWNER, KEY, time.time() + 3600)}") as owner:
        page = owner.run()
        assert "Overview" in page.texts("heading")
        (logout,) = [e.proto.id for e in page.elements if e.kind == "button" and e.text == "Log out"]
        after = owner.run([WidgetState(id=logout, trigger_value=True)])
        again = owner.run()  # the next run of the same session, the cookie still sent
    for run in (after, again):
        kinds = [e.kind for e in run.elements]
        assert kinds[:len(LOGIN_FORM)] == LOGIN_FORM and "Overview" not in run.texts("heading"), kinds
    assert '"method": "delete"' in after.elements[len(LOGIN_FORM)].proto.json_args
