"""`python -m core.authorize`: authorise URL printed, pasted redirect exchanged, tokens stored and never printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import responses

from core.authorize import main
from core.store.sqlite import SQLiteStore

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def env(tmp_path, monkeypatch):
    monkeypatch.setenv("FITDASH_STORE_SQLITE_PATH", str(tmp_path / "s.db"))
    monkeypatch.setenv("FITDASH_STRAVA_CLIENT_ID", "1234")
    monkeypatch.setenv("FITDASH_STRAVA_CLIENT_SECRET", "shh")
    monkeypatch.setenv("FITDASH_WITHINGS_CLIENT_ID", "wid")
    monkeypatch.setenv("FITDASH_WITHINGS_CLIENT_SECRET", "wsecret")
    return SQLiteStore(tmp_path / "s.db")


@responses.activate
def test_strava_flow_stores_tokens_and_warns_about_missing_read_all(env):
    """The pasted redirect's code is exchanged; tokens land in the store; no secret is printed."""
    responses.post("https://www.strava.com/oauth/token", json={
        "token_type": "Bearer", "expires_at": 1772900000, "expires_in": 21600, "refresh_token": "r-first",
        "access_token": "a-first", "athlete": {"id": 1}})
    said = []

    def answer(_prompt):
        state = re.search(r"state=([^&\s]+)", said[0]).group(1)
        return f"http://localhost/exchange_token?state={state}&code=abc123&scope=read,activity:read"

    assert main(["strava"], read=answer, write=said.append) == 0
    assert "scope=read%2Cactivity%3Aread_all" in said[0] and "approval_prompt=force" in said[0]
    assert any("private runs will be missing" in s for s in said)
    assert "code=abc123" in responses.calls[0].request.body
    assert env.get_token("strava")["refresh_token"] == "r-first"
    assert not any("r-first" in s or "a-first" in s or "shh" in s for s in said)


@responses.activate
def test_withings_flow_checks_state_and_needs_a_redirect_uri(env, monkeypatch):
    """Without redirect_uri a clear error; with it, the state is checked and the code exchanged."""
    said = []
    assert main(["withings"], read=lambda _p: "x", write=said.append) == 2
    assert "redirect_uri" in said[-1] and "localhost" in said[-1]
    monkeypatch.setenv("FITDASH_WITHINGS_REDIRECT_URI", "https://example.org/callback")
    responses.post("https://wbsapi.withings.net/v2/oauth2",
                   json=json.loads((FIXTURES / "withings_token.json").read_text()))
    said.clear()
    state = {}

    def paste(_prompt):
        state["value"] = re.search(r"state=([^&\s]+)", said[0]).group(1)
        return f"https://example.org/callback?code=wcode&state={state['value']}"

    assert main(["withings"], read=paste, write=said.append) == 0
    assert "grant_type=authorization_code" in responses.calls[0].request.body
    assert env.get_token("withings")["refresh_token"] == "r_new_refresh_token"
    said.clear()
    bad = lambda _p: "https://example.org/callback?code=x&state=forged"  # noqa: E731
    assert main(["withings"], read=lambda p: (said, bad(p))[1], write=said.append) == 2
    assert "state does not match" in said[-1]


def test_denied_access_is_explained(env):
    """A redirect carrying error=access_denied says access was not granted."""
    said = []
    answer = "http://localhost/exchange_token?state=&error=access_denied"
    assert main(["strava"], read=lambda _p: answer, write=said.append) == 2
    assert "access not granted" in said[-1]
