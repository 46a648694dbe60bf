"""The login's rate limit and password check (core/login.py) on real stores, with an injected clock."""

from __future__ import annotations

import logging
import threading

import bcrypt
import pytest

from core.config import User
from core.login import (
    FORGET_AFTER_S,
    LoginPolicy,
    attempt_login,
    bcrypt_cost,
    claim,
    clear_lockouts,
    client_address,
    lockout_lines,
)
from core.store.base import LoginCounter
from core.store.sqlite import SQLiteStore
from tests.builders import LOGIN_NOW as NOW

POLICY = LoginPolicy(base_s=1.0, cap_s=8.0)
ALICE = User("alice", "Alice", bcrypt.hashpw(b"alice password", bcrypt.gensalt(4)).decode(), "admin")
USERS = (ALICE,)


@pytest.fixture(params=["sqlite", "moto"])
def store(request, tmp_path):
    """The limit on the embedded store and on the hosted one."""
    if request.param == "sqlite":
        return SQLiteStore(tmp_path / "s.db")
    return request.getfixturevalue("moto_store")


def attempt(store, password, now, username="alice", address="203.0.113.9"):
    """A login attempt through the form's code path."""
    return attempt_login(store, USERS, username, password, address, now, POLICY)


def test_delays_double_from_the_base_up_to_the_cap():
    """1, 2, 4, 8 s, then the cap; no overflow after thousands of attempts."""
    assert [POLICY.delay_s(n) for n in range(7)] == [0, 1, 2, 4, 8, 8, 8]
    assert POLICY.delay_s(10_000) == 8


def test_an_attempt_inside_the_delay_is_refused_and_not_counted(store):
    """The second attempt 0.5 s after the first waits 0.5 s more; refusals never lengthen the delay."""
    assert claim(store, "user:alice", NOW, POLICY) == 0
    assert claim(store, "user:alice", NOW + 0.5, POLICY) == 0.5
    assert claim(store, "user:alice", NOW + 0.9, POLICY) == pytest.approx(0.1)
    assert store.get_login_counter("user:alice") == LoginCounter("user:alice", 1, NOW + 1, NOW)
    assert claim(store, "user:alice", NOW + 1, POLICY) == 0
    assert store.get_login_counter("user:alice") == LoginCounter("user:alice", 2, NOW + 3, NOW + 1)


def test_a_counter_idle_for_a_day_starts_again_at_the_first_delay(store):
    """Yesterday's typos do not make today's first attempt wait long."""
    for i in range(5):
        claim(store, "user:alice", NOW + 100 * i, POLICY)
    assert store.get_login_counter("user:alice").failures == 5
    later = NOW + 400 + FORGET_AFTER_S
    assert claim(store, "user:alice", later, POLICY) == 0
    assert store.get_login_counter("user:alice") == LoginCounter("user:alice", 1, later + 1, later)


def test_the_owner_gets_in_after_the_delays_and_the_counters_are_cleared(store):
    """Wrong, wrong, wrong, each after its delay, then the right password after the last delay logs in."""
    now, waits = NOW, []
    for _ in range(3):
        outcome = attempt(store, "guess", now)
        assert outcome.user is None and not outcome.refused_s
        waits.append(outcome.next_in_s)
        now += outcome.next_in_s
    assert waits == [1, 2, 4]
    assert attempt(store, "alice password", now - 0.01).refused_s == pytest.approx(0.01)
    assert attempt(store, "alice password", now).user == ALICE
    assert store.login_counters() == []


def test_a_refused_attempt_runs_no_password_check(store, monkeypatch):
    """While a delay runs, even the right password is refused without bcrypt being called."""
    attempt(store, "guess", NOW)
    checks = []
    monkeypatch.setattr("core.login.bcrypt.checkpw", lambda *args: checks.append(args) or True)
    outcome = attempt(store, "alice password", NOW + 0.5)
    assert outcome.user is None and outcome.refused_s == 0.5 and checks == []


@pytest.mark.parametrize("username", ["alice", "mallory"])
def test_known_and_unknown_usernames_cost_one_check_of_the_same_cost(tmp_path, monkeypatch, username):
    """An unknown username is checked against a dummy hash as costly as the users' own, never skipped."""
    costly = User("alice", "Alice", bcrypt.hashpw(b"x" * 8, bcrypt.gensalt(6)).decode(), "admin")
    checked, real = [], bcrypt.checkpw

    def spy(password, hashed):
        checked.append(bcrypt_cost(hashed.decode()))
        return real(password, hashed)

    monkeypatch.setattr("core.login.bcrypt.checkpw", spy)
    outcome = attempt_login(SQLiteStore(tmp_path / "s.db"), (costly,), username, "guess", "a", NOW, POLICY)
    assert outcome.user is None and outcome.next_in_s == 1
    assert checked == [6]


@pytest.mark.parametrize("password", ["alice password" + "!" * 60, "", "alice passwor"])
def test_near_misses_and_overlong_passwords_are_wrong(tmp_path, password):
    """A password longer than bcrypt's 72 bytes is refused even though bcrypt would only compare its start."""
    assert attempt(SQLiteStore(tmp_path / "s.db"), password, NOW).user is None


def test_a_malformed_stored_hash_refuses_that_user_with_a_log_line(tmp_path, caplog):
    """A hand-edited hash that bcrypt cannot read is a refused login and an error in the log, not a crash."""
    broken = User("alice", "Alice", "$2b$12$short", "admin")
    with caplog.at_level(logging.ERROR, logger="core.login"):
        outcome = attempt_login(SQLiteStore(tmp_path / "s.db"), (broken,), "alice", "x", "a", NOW, POLICY)
    assert outcome.user is None and "malformed" in caplog.text


def test_many_parallel_guesses_at_one_instant_get_one_check(store):
    """Eight sessions submitting at the same moment: one password check, seven refusals."""
    barrier, outcomes = threading.Barrier(8), []

    def guess(i):
        barrier.wait(10)
        outcomes.append(attempt(store, f"guess {i}", NOW, address=f"198.51.100.{i}"))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(bool(o.refused_s) for o in outcomes) == [False] + [True] * 7
    assert store.get_login_counter("user:alice").failures == 1


def test_one_address_guessing_many_usernames_is_slowed_too(store):
    """Spraying usernames from one address waits on the address's counter."""
    assert not attempt(store, "x", NOW, username="bob").refused_s
    assert attempt(store, "x", NOW + 0.5, username="carol").refused_s == 0.5
    assert store.get_login_counter("user:carol") is None, "a refused attempt counts nothing, not even its username"


@pytest.mark.parametrize(("peer", "forwarded", "proxies", "expected"), [
    ("198.51.100.7", [], 0, "198.51.100.7"),
    (None, [], 0, "local"),  # Streamlit reports a loopback peer as None
    ("198.51.100.7", ["203.0.113.1"], 0, "local"),  # uvicorn took the claim from a loopback peer: it was local
    ("10.1.2.3", ["6.6.6.6, 203.0.113.9"], 1, "203.0.113.9"),  # Heroku's router appends the real client last
    ("10.1.2.3", ["6.6.6.6", "203.0.113.9"], 1, "203.0.113.9"),  # the same header sent twice
    ("10.1.2.3", ["6.6.6.6, 203.0.113.9, 10.0.0.5"], 2, "203.0.113.9"),
    ("10.1.2.3", [], 1, "10.1.2.3"),  # nothing forwarded: the peer itself
])
def test_the_client_address_trusts_forwarded_for_only_from_the_configured_proxies(peer, forwarded, proxies, expected):
    """X-Forwarded-For counts only behind trusted proxies, and only the entry the nearest proxy wrote."""
    assert client_address(peer, forwarded, proxies) == expected


def test_lockouts_are_listed_and_cleared_by_name_or_all(tmp_path):
    """The admin command's table shows attempts and waits; clearing takes a bare username or everything."""
    store = SQLiteStore(tmp_path / "s.db")
    attempt(store, "x", NOW, username="alice", address="a")
    attempt(store, "x", NOW + 1, username="alice", address="a")
    attempt(store, "x", NOW, username="bob", address="b")
    lines = lockout_lines(store.login_counters(), NOW + 1.5)
    assert [line.split()[:3] for line in lines[1:]] == [["addr:a", "2", "2"], ["addr:b", "1", "-"],
                                                      ["user:alice", "2", "2"], ["user:bob", "1", "-"]]
    assert clear_lockouts(store, ["alice"]) == 1
    assert [c.key for c in store.login_counters()] == ["addr:a", "addr:b", "user:bob"]
    assert clear_lockouts(store, []) == 3
    assert lockout_lines(store.login_counters(), NOW) == ["no login counters: nobody has to wait"]
