"""Strava through stravalib, faked at the HTTP transport: paging, tokens, 429, faults, runs only."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import responses

from core.errors import AuthExpired, RateLimited, SourceUnavailable
from core.records import RUN
from core.sources.strava import StravaSource
from core.sources.strava.client import PER_PAGE, StravaClient, rate_limit_reset
from core.store.sqlite import SQLiteStore
from core.sync import run_sync
from tests.builders import PROVIDER_NOW
from tests.fixtures.provider_fakes import STRAVA_ACTIVITY as BASE
from tests.fixtures.provider_fakes import FakeStravaList
from tests.fixtures.provider_fakes import strava_activity as activity

LIST = "https://www.strava.com/api/v3/athlete/activities"
TOKEN = "https://www.strava.com/oauth/token"
NOW = PROVIDER_NOW + timedelta(minutes=7)  # 7 min into a 15-minute rate-limit window (reset at 12:15)


@pytest.fixture
def store(tmp_path):
    store = SQLiteStore(tmp_path / "s.db")
    store.put_token("strava", {"access_token": "a1", "refresh_token": "r1",
                               "expires_at": (NOW + timedelta(hours=5)).timestamp()})
    return store


def source(store, now=NOW):
    return StravaSource(StravaClient("1234", "secret", store, lambda: now, sleep=lambda s: None))


@responses.activate
def test_pages_until_a_short_page_and_keeps_runs_only(store):
    """Three pages (200, 200, 3); rides are skipped; local start time kept as local."""
    pages = [[activity(p * PER_PAGE + i, "Ride" if i % 10 == 5 else "Run") for i in range(n)]
             for p, n in enumerate((PER_PAGE, PER_PAGE, 3))]
    for page in pages:
        responses.get(LIST, json=page)
    report = run_sync(store, [source(store)], now=lambda: NOW)
    assert report.ok and len(responses.calls) == 3
    assert [c.request.params["page"] for c in responses.calls] == ["1", "2", "3"]
    runs = store.read(RUN)
    assert len(runs) == 403 - sum(1 for p in pages for a in p if a["sport_type"] == "Ride")
    first = runs.iloc[0]
    assert str(first.start_time_local) == "2024-01-01 08:00:00" and first.timezone == "Europe/Paris"
    assert first.key == "strava:1000"
    assert first.max_heartrate_bpm == 178 and first.summary_polyline == BASE["map"]["summary_polyline"]


@responses.activate
def test_every_kind_of_run_is_kept_and_every_other_sport_skipped(store):
    """Run, TrailRun and VirtualRun are runs (a trail race is not dropped); Ride, Hike and Walk are not."""
    sports = ["Run", "TrailRun", "VirtualRun", "Ride", "Hike", "Walk"]
    responses.get(LIST, json=[activity(i, sport) for i, sport in enumerate(sports)])
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    runs = store.read(RUN).sort_values("key")
    assert runs.sport_type.tolist() == ["Run", "TrailRun", "VirtualRun"]
    assert runs.key.tolist() == ["strava:1000", "strava:1001", "strava:1002"]


@responses.activate
def test_token_refreshed_with_margin_and_rotated_token_stored_first(store):
    """A token expiring in 2 minutes is refreshed; the new refresh token is stored before the list call."""
    store.put_token("strava", {"access_token": "a1", "refresh_token": "r1", "expires_at": NOW.timestamp() + 120})
    seen = {}
    responses.post(TOKEN, json={"token_type": "Bearer", "access_token": "a2", "expires_at": 1772900000,
                                "expires_in": 21600, "refresh_token": "r2"})

    def listing(request):
        seen["stored"] = store.get_token("strava")["refresh_token"]
        seen["auth"] = request.headers["Authorization"]
        return 200, {}, json.dumps([activity(1)])

    responses.add_callback(responses.GET, LIST, callback=listing)
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    assert seen == {"stored": "r2", "auth": "Bearer a2"}
    assert "refresh_token=r1" in responses.calls[0].request.body


@responses.activate
def test_429_keeps_what_was_stored_and_resumes_after_the_reset(store):
    """A 429 on page 3 of a first import (default chunk size): pages 1-2 stay stored; the next sync resumes."""
    fake = FakeStravaList([activity(i) for i in range(402)], budget=2)
    responses.add_callback(responses.GET, LIST, callback=fake)
    report = run_sync(store, [source(store)], now=lambda: NOW)
    assert not report.ok and len(store.read(RUN)) == 400
    state = store.get_sync_state("strava")
    assert state.details["retry_at"] == "2026-03-06T12:15:00+00:00"
    assert state.watermark == datetime(2024, 1, 1, 7, tzinfo=UTC) + timedelta(days=399)
    fake.budget = None
    later = NOW + timedelta(minutes=10)
    report = run_sync(store, [source(store, later)], now=lambda: later)
    assert report.ok and len(store.read(RUN)) == 402
    after = int(fake.requests[-1]["after"])
    assert after == int((state.watermark - timedelta(days=7)).timestamp())


@responses.activate
def test_first_import_of_years_completes_over_several_rate_limited_syncs(store):
    """2,000 runs with 3 list requests allowed per window: each sync resumes, ending with every run exactly once."""
    runs = [activity(i) for i in range(2000)]
    fake = FakeStravaList(runs, budget=3)
    responses.add_callback(responses.GET, LIST, callback=fake)
    moment, outcomes = NOW, []
    for _ in range(8):
        fake.served = 0  # a new 15-minute window
        moment += timedelta(minutes=16)
        outcomes.append(run_sync(store, [source(store, moment)], now=lambda m=moment: m).ok)
        if outcomes[-1]:
            break
    assert outcomes[-1] and outcomes.count(False) >= 2
    assert sorted(store.keys(RUN, "strava")) == sorted(f"strava:{a['id']}" for a in runs)
    assert len(store.read(RUN)) == 2000


def test_daily_limit_resets_at_midnight_utc():
    """When the daily budget is used up, the retry time is the next UTC midnight."""
    headers = {"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "150,2000"}
    assert rate_limit_reset(headers, NOW) == datetime(2026, 3, 7, tzinfo=UTC)


@pytest.mark.parametrize("usage,expected", [("100,1000", datetime(2026, 3, 7, tzinfo=UTC)),
                                            ("100,640", datetime(2026, 3, 6, 12, 15, tzinfo=UTC))])
def test_daily_read_limit_resets_at_midnight_utc(usage, expected):
    """Reads have their own lower limits: a used-up daily read budget waits for midnight, a 15-minute one does not."""
    headers = {"x-ratelimit-limit": "200,2000", "x-ratelimit-usage": "100,1000",
               "x-readratelimit-limit": "100,1000", "x-readratelimit-usage": usage}
    assert rate_limit_reset(headers, NOW) == expected


@responses.activate
def test_429_from_the_daily_read_limit_retries_after_midnight(store):
    """A 429 whose read-limit headers show the day used up records a retry at the next UTC midnight."""
    responses.get(LIST, status=429, json={"message": "Rate Limit Exceeded"},
                  headers={"X-RateLimit-Limit": "200,2000", "X-RateLimit-Usage": "30,1001",
                           "X-ReadRateLimit-Limit": "100,1000", "X-ReadRateLimit-Usage": "30,1001"})
    assert not run_sync(store, [source(store)], now=lambda: NOW).ok
    assert store.get_sync_state("strava").details["retry_at"] == "2026-03-07T00:00:00+00:00"


@responses.activate
def test_401_then_a_refresh_and_a_successful_retry_stores_the_rotated_token(store):
    """HTTP 401 on the list, one refresh, the retry succeeds with the new token; the rotated refresh token is kept."""
    responses.get(LIST, status=401, json={"message": "Authorization Error", "errors": [
        {"resource": "Athlete", "field": "access_token", "code": "invalid"}]})
    responses.post(TOKEN, json={"token_type": "Bearer", "access_token": "a2", "expires_at": 1772900000,
                                "expires_in": 21600, "refresh_token": "r2"})
    responses.get(LIST, json=[activity(1)])
    assert run_sync(store, [source(store)], now=lambda: NOW).ok
    assert len(store.read(RUN)) == 1 and responses.calls[2].request.headers["Authorization"] == "Bearer a2"
    assert store.get_token("strava")["refresh_token"] == "r2"


@pytest.mark.parametrize("status,body,error", [
    (503, {"message": "Service Unavailable"}, SourceUnavailable),
    (500, {"message": "Internal Server Error"}, SourceUnavailable),
    (429, {"message": "Rate Limit Exceeded"}, RateLimited),
    (400, {"message": "Bad Request", "errors": [{"resource": "RefreshToken", "field": "refresh_token",
                                                "code": "invalid"}]}, AuthExpired),
])
@responses.activate
def test_token_endpoint_errors_only_ask_to_reauthorise_when_refused(store, status, body, error):
    """At /oauth/token a 5xx retries next sync, a 429 waits, only an invalid refresh token means re-authorise."""
    store.put_token("strava", {"access_token": "a1", "refresh_token": "r1", "expires_at": NOW.timestamp()})
    responses.post(TOKEN, status=status, json=body, headers={"X-RateLimit-Limit": "200,2000",
                                                             "X-RateLimit-Usage": "201,300"})
    with pytest.raises(error):
        list(source(store).fetch(None))
    assert store.get_token("strava")["refresh_token"] == "r1"


@responses.activate
def test_5xx_retried_then_a_clear_error(store):
    """Two 502s then data: retried; three 503s: a retryable error, nothing stored."""
    responses.get(LIST, status=502)
    responses.get(LIST, status=502)
    responses.get(LIST, json=[activity(1)])
    assert len(list(source(store).fetch(None))) == 1
    responses.replace(responses.GET, LIST, status=503)
    with pytest.raises(SourceUnavailable, match="no answer after 3 attempts"):
        list(source(store).fetch(None))


@responses.activate
def test_revoked_token_refreshes_once_then_asks_to_reauthorise(store):
    """401 -> refresh and retry; a second 401 -> re-authorise Strava."""
    responses.get(LIST, status=401, json={"message": "Authorization Error"})
    responses.post(TOKEN, json={"access_token": "a2", "refresh_token": "r2", "expires_at": 1772900000})
    with pytest.raises(AuthExpired) as err:
        list(source(store).fetch(None))
    assert "python -m core.authorize strava" in err.value.action
    assert store.get_token("strava")["refresh_token"] == "r2"


@responses.activate
def test_inactive_app_and_malformed_json_are_explained(store):
    """An inactive API app says what to do (subscription or export import); HTML instead of JSON is an error."""
    responses.get(LIST, status=403, json={"message": "Forbidden", "errors": [
        {"resource": "Application", "field": "Status", "code": "Inactive"}]})
    with pytest.raises(SourceUnavailable) as err:
        list(source(store).fetch(None))
    assert "subscription" in str(err.value) and "export" in err.value.action
    responses.replace(responses.GET, LIST, body="<html>oops</html>", content_type="text/html")
    with pytest.raises(SourceUnavailable, match="not valid JSON"):
        list(source(store).fetch(None))


@responses.activate
def test_late_upload_inside_the_overlap_window_is_picked_up(store):
    """A run dated before the watermark but uploaded later is read again by the overlap window."""
    fake = FakeStravaList([activity(10), activity(20)])
    responses.add_callback(responses.GET, LIST, callback=fake)
    run_sync(store, [source(store)], now=lambda: NOW)
    fake.activities.append(activity(17))  # uploaded late: started before the newest stored run
    report = run_sync(store, [source(store)], now=lambda: NOW)
    assert report.sources[0].counts.inserted == 1 and len(store.read(RUN)) == 3
