"""Withings through our own client, faked at the HTTP transport with documented payload shapes."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import responses

from core.errors import AuthExpired, RateLimited, SourceUnavailable
from core.records import BODY
from core.sources.withings import WithingsSource
from core.sources.withings.client import API, WithingsClient
from core.store.base import ANY_TOKEN
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.builders import PROVIDER_NOW as NOW

FIXTURES = Path(__file__).parent / "fixtures"
MEASURE, TOKEN = f"{API}/measure", f"{API}/v2/oauth2"


def fixture(name):
    return json.loads((FIXTURES / name).read_text())


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.put_token("withings", {"access_token": "a_old", "refresh_token": "r_old",
                                 "expires_at": (NOW + timedelta(hours=2)).timestamp()})
    return store


def source(store, sleeps=None):
    sleep = (sleeps.append if sleeps is not None else (lambda s: None))
    return WithingsSource(WithingsClient("cid", "csecret", store, lambda: NOW, sleep=sleep))


def add_pages():
    """Three pages, served in order (responses replays registrations for one URL in sequence)."""
    for page in (1, 2, 3):
        responses.post(MEASURE, json=fixture(f"withings_getmeas_page{page}.json"))


@responses.activate
def test_three_pages_exact_values_and_ambiguous_groups_held_back(store):
    """Paging over more/offset; value x 10^unit exactly; attrib=1 quarantined; non-body groups skipped."""
    add_pages()
    src = source(store)
    report = run_sync(store, [src], now=lambda: NOW)
    assert report.ok and len(responses.calls) == 3
    sent = [dict(p.split("=") for p in c.request.body.split("&")) for c in responses.calls]
    assert [s.get("offset") for s in sent] == [None, "2", "4"]
    assert sent[0] == {"action": "getmeas", "meastypes": "1%2C5%2C6%2C8%2C76%2C77%2C88", "category": "1",
                       "lastupdate": "0"}
    body = store.read(BODY)
    assert body.weight_kg.tolist() == [80.45, 80.12, 80.21]
    first = body.iloc[0]
    assert (first.fat_ratio_pct, first.fat_mass_kg, first.lean_mass_kg) == (19.55, 15.728, 64.722)
    assert (first.muscle_mass_kg, first.hydration_kg, first.bone_mass_kg) == (61.28, 45.1, 3.34)
    assert first.key == "withings:2026-03-03T08:00:00" and str(first.local_date.date()) == "2026-03-03"
    quarantine = store.get_sync_state("withings").details["quarantine"]
    assert len(quarantine) == 1 and "ambiguous attribution" in quarantine[0]["reason"]
    assert all(c.request.headers["Authorization"] == "Bearer a_old" for c in responses.calls)


@responses.activate
def test_expired_token_is_refreshed_and_the_rotated_one_stored_before_use(store):
    """An expiring token is refreshed first; the new refresh token is in the store before any data call."""
    store.put_token("withings", {"access_token": "a_old", "refresh_token": "r_old", "expires_at": NOW.timestamp()})
    seen = {}

    def token_reply(request):
        return 200, {}, json.dumps(fixture("withings_token.json"))

    def measure_reply(request):
        seen["stored_at_first_call"] = store.get_token("withings")["refresh_token"]
        return 200, {}, json.dumps(fixture("withings_getmeas_page3.json"))

    responses.add_callback(responses.POST, TOKEN, callback=token_reply)
    responses.add_callback(responses.POST, MEASURE, callback=measure_reply)
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    assert "refresh_token=r_old" in responses.calls[0].request.body
    assert seen["stored_at_first_call"] == "r_new_refresh_token"
    assert responses.calls[1].request.headers["Authorization"] == "Bearer a_new_access_token"
    assert store.get_token("withings")["expires_at"] == NOW.timestamp() + 10800


@responses.activate
def test_status_401_refreshes_once_then_asks_for_reauthorisation(store):
    """401 inside an HTTP 200: one refresh and retry; a second 401 means re-authorise."""
    responses.post(MEASURE, json={"status": 401, "body": {}, "error": "invalid_token"})
    responses.post(TOKEN, json=fixture("withings_token.json"))
    responses.post(MEASURE, json={"status": 401, "body": {}, "error": "invalid_token"})
    with pytest.raises(AuthExpired) as err:
        list(source(store).fetch(None))
    assert "python -m core.authorize withings" in err.value.action
    assert [c.request.url for c in responses.calls] == [MEASURE, TOKEN, MEASURE]
    assert store.get_token("withings")["refresh_token"] == "r_new_refresh_token"


@responses.activate
def test_status_601_is_a_rate_limit_with_a_retry_time(store):
    """601 (too many requests) stops the sync with a time to resume; nothing is stored."""
    responses.post(MEASURE, json={"status": 601, "body": {}})
    report = run_sync(store, [source(store)], now=lambda: NOW)
    assert not report.ok
    assert store.get_sync_state("withings").details["retry_at"] == (NOW + timedelta(minutes=1)).isoformat()
    assert store.counts() == {}


@responses.activate
def test_other_status_and_malformed_json_are_reported(store):
    """A 503 status inside HTTP 200 and an HTML error page are clear, retryable errors."""
    responses.post(MEASURE, json={"status": 503, "body": {}})
    with pytest.raises(SourceUnavailable, match="error status 503"):
        list(source(store).fetch(None))
    responses.replace(responses.POST, MEASURE, body="<html>Bad gateway</html>", content_type="text/html")
    with pytest.raises(SourceUnavailable, match="not valid JSON"):
        list(source(store).fetch(None))


@responses.activate
def test_http_5xx_is_retried_with_backoff(store):
    """Two HTTP 502s then success: retried after 1 s and 2 s, data stored."""
    sleeps = []
    responses.post(MEASURE, status=502)
    responses.post(MEASURE, status=502)
    responses.post(MEASURE, json=fixture("withings_getmeas_page3.json"))
    assert run_sync(store, [source(store, sleeps)], now=lambda: NOW).ok
    assert sleeps == [1.0, 2.0] and len(store.read(BODY)) == 1


@responses.activate
def test_rerun_uses_lastupdate_behind_the_watermark_and_adds_nothing(store):
    """The second sync asks for changes since watermark minus overlap and stores no duplicate."""
    responses.post(MEASURE, json=fixture("withings_getmeas_page3.json"))
    run_sync(store, [source(store)], now=lambda: NOW)
    report = run_sync(store, [source(store)], now=lambda: NOW)
    sent = dict(p.split("=") for p in responses.calls[-1].request.body.split("&"))
    assert int(sent["lastupdate"]) == 1772694000 - 3 * 86400
    assert report.sources[0].counts.inserted == 0 and len(store.read(BODY)) == 1


def test_not_authorised_yet_says_how(tmp_path):
    """Without a stored token the source asks for the authorisation command."""
    store = SQLiteStore(tmp_path / "s.db")
    with pytest.raises(AuthExpired, match="not authorised yet"):
        list(source(store).fetch(None))


@responses.activate
def test_status_401_then_a_refresh_and_a_successful_retry_stores_the_rotated_token(store):
    """401 inside HTTP 200, one refresh, the retry succeeds with the new access token; the new refresh token is kept."""
    responses.post(MEASURE, json={"status": 401, "body": {}, "error": "invalid_token"})
    responses.post(TOKEN, json=fixture("withings_token.json"))
    responses.post(MEASURE, json=fixture("withings_getmeas_page3.json"))
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    assert len(store.read(BODY)) == 1
    assert responses.calls[2].request.headers["Authorization"] == "Bearer a_new_access_token"
    assert store.get_token("withings")["refresh_token"] == "r_new_refresh_token"


@pytest.mark.parametrize("reply,error", [
    ({"status": 601, "body": {}}, RateLimited),
    ({"status": 2555, "body": {}, "error": "An unknown error occurred"}, SourceUnavailable),
    ({"status": 522, "body": {}, "error": "A timeout occurred"}, SourceUnavailable),
    ({"status": 503, "body": {}, "error": "Invalid Params: invalid refresh_token"}, AuthExpired),
    ({"status": 401, "body": {}, "error": "invalid_token"}, AuthExpired),
])
@responses.activate
def test_token_endpoint_errors_only_ask_to_reauthorise_when_refused(store, reply, error):
    """At v2/oauth2: 601 waits, unknown/timeout statuses retry next sync, only a refused token means re-authorise."""
    store.put_token("withings", {"access_token": "a_old", "refresh_token": "r_old", "expires_at": NOW.timestamp()})
    responses.post(TOKEN, json=reply)
    with pytest.raises(error):
        list(source(store).fetch(None))
    assert store.get_token("withings")["refresh_token"] == "r_old", "a failed refresh keeps the stored token"


@responses.activate
def test_token_endpoint_http_5xx_is_temporary(store):
    """Three HTTP 502s from v2/oauth2 are a temporary fault, not a reason to re-authorise."""
    store.put_token("withings", {"access_token": "a_old", "refresh_token": "r_old", "expires_at": NOW.timestamp()})
    for _ in range(3):
        responses.post(TOKEN, status=502)
    with pytest.raises(SourceUnavailable):
        list(source(store).fetch(None))


@responses.activate
def test_ambiguous_weigh_in_stays_listed_after_an_incremental_sync(store):
    """A held weigh-in is still on the Data page after a later sync whose read no longer includes it."""
    add_pages()
    run_sync(store, [source(store)], now=lambda: NOW)
    responses.replace(responses.POST, MEASURE, json=fixture("withings_getmeas_page3.json"))
    run_sync(store, [source(store)], now=lambda: NOW)
    quarantine = store.get_sync_state("withings").details["quarantine"]
    assert len(quarantine) == 1 and "ambiguous attribution" in quarantine[0]["reason"]


def test_two_clients_refreshing_at_once_store_exactly_one_new_token(tmp_path):
    """Two processes refresh the same expired token together: one new pair is stored and the loser uses it."""
    import threading

    from core.sources.tokens import current_token

    path = tmp_path / "race.db"
    SQLiteStore(path).put_token("withings", {"access_token": "a0", "refresh_token": "r0", "expires_at": 0})
    both_read = threading.Barrier(2)
    results, refreshed = {}, []

    def run(name):
        def refresh(old):
            both_read.wait(timeout=10)  # each has read r0 before either writes
            refreshed.append(old)
            return {"access_token": f"a_{name}", "refresh_token": f"r_{name}", "expires_at": NOW.timestamp() + 10800}
        results[name] = current_token(SQLiteStore(path), "withings", refresh, NOW)

    threads = [threading.Thread(target=run, args=(n,)) for n in ("cron", "browser")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=20)
    stored = SQLiteStore(path).get_token("withings")
    assert refreshed == ["r0", "r0"] and stored["refresh_token"] in ("r_cron", "r_browser")
    assert results["cron"]["refresh_token"] == results["browser"]["refresh_token"] == stored["refresh_token"]


class CrashAtTokenWrite(SQLiteStore):
    """Dies right after the provider issued a new token pair, before it is saved."""

    crash = True

    def put_token(self, source, token, expected_refresh_token=ANY_TOKEN):
        if self.crash:
            raise SystemExit("killed at the token write")
        return super().put_token(source, token, expected_refresh_token)


@responses.activate
def test_a_crash_at_the_token_write_converges_on_rerun(tmp_path):
    """Killed before the rotated token is saved: the old refresh token (valid 8 h more) refreshes again; data once."""
    path = tmp_path / "s.db"
    SQLiteStore(path).put_token("withings", {"access_token": "a_old", "refresh_token": "r_old",
                                             "expires_at": NOW.timestamp()})
    responses.post(TOKEN, json=fixture("withings_token.json"))
    responses.post(MEASURE, json=fixture("withings_getmeas_page3.json"))
    crashing = CrashAtTokenWrite(path)
    with pytest.raises(SystemExit):
        run_sync(crashing, [source(crashing)], now=lambda: NOW, owner="dead")
    store = SQLiteStore(path)
    store.release_lease("dead")
    assert store.get_token("withings")["refresh_token"] == "r_old" and store.counts() == {}
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    assert run_sync(store, [source(store)], now=lambda: NOW).sources[0].counts.inserted == 0
    assert store.get_token("withings")["refresh_token"] == "r_new_refresh_token" and len(store.read(BODY)) == 1
