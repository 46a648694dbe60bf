"""DynamoDB throttling and S3 errors that outlast botocore's retries: a typed error with what to do, nothing
stored before lost, and pages that keep showing the last data they read (AppTest on moto)."""

from __future__ import annotations

import types
from datetime import timedelta

import boto3
import botocore.endpoint
import pandas as pd
import pytest
from botocore.exceptions import ClientError, ReadTimeoutError
from moto import mock_aws

from core.config import build_settings
from core.errors import StoreThrottled, StoreUnavailable
from core.forecast.training import train_and_save
from core.records import BODY
from core.sources.demo import DemoSource
from core.store.__main__ import create_tables
from core.store.aws import CLIENT_CONFIG, S3Blobs
from core.store.aws_errors import translate
from core.store.dynamodb import DynamoDBStore
from core.sync import run_sync
from tests.apptest_helpers import SEEDED_AT, TEST_ADMIN, app_env, logged_in_app, open_page, with_test_admin
from tests.aws_fixtures import REGION, aws_error
from tests.builders import FakeSource, body, clock_at

KEY = "f" * 64
RETRIES = CLIENT_CONFIG.retries["max_attempts"]  # botocore's retries after the first attempt
ATTEMPTS = f"after {RETRIES + 1} attempts"


@pytest.fixture
def retry_sleeps(monkeypatch):
    """botocore's backoff sleeps, recorded instead of slept (the retries themselves still happen)."""
    sleeps: list[float] = []
    monkeypatch.setattr(botocore.endpoint, "time", types.SimpleNamespace(sleep=sleeps.append))
    return sleeps


def always(status: int, code: str):
    """A before-send hook: every request of the hooked operation gets this AWS error."""
    return lambda request, **kwargs: aws_error(request, status, code)


def client_error(code: str, status: int, attempts: int = 4) -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": "x"},
                        "ResponseMetadata": {"HTTPStatusCode": status, "RetryAttempts": attempts}}, "Query")


@pytest.mark.parametrize("exc,kind,phrase", [
    (client_error("ProvisionedThroughputExceededException", 400), StoreThrottled, "throttled query on table 'x' "
     "after 5 attempts (ProvisionedThroughputExceededException)"),
    (client_error("ThrottlingException", 400), StoreThrottled, "after 5 attempts (ThrottlingException)"),
    (client_error("SlowDown", 503), StoreThrottled, "throttled query"),
    (client_error("InternalServerError", 500), StoreUnavailable, "failed query on table 'x' after 5 attempts "
     "(HTTP 500 InternalServerError)"),
    (client_error("ServiceUnavailable", 503, attempts=0), StoreUnavailable, "after 1 attempt (HTTP 503"),
    (client_error("AccessDeniedException", 400, attempts=0), StoreUnavailable, "refused query"),
    (ReadTimeoutError(endpoint_url="https://dynamodb"), StoreUnavailable, "did not answer query on table 'x'"),
])
def test_aws_failures_become_typed_errors(exc, kind, phrase):
    """Each failure AWS leaves after its retries is one typed error naming service, call, table and attempts."""
    typed = translate(exc, "DynamoDB", "query", "table 'x'")
    assert type(typed) is kind and phrase in str(typed) and typed.action


@pytest.mark.parametrize("code", ["ConditionalCheckFailedException", "NoSuchKey", "ValidationException"])
def test_answers_the_store_decides_on_pass_through(code):
    """A failed condition, a missing S3 key or a bug of ours stay ClientErrors for the code that handles them."""
    assert translate(client_error(code, 400), "DynamoDB", "put_item", "t") is None


@pytest.fixture(params=["moto", pytest.param("dynalite", marks=pytest.mark.dynalite)])
def hosted(request):
    return request.getfixturevalue(f"{request.param}_store")


def test_throttled_reads_after_the_retries_say_so_and_lose_nothing(hosted, retry_sleeps):
    """ProvisionedThroughputExceeded on every attempt: botocore retries, then StoreThrottled; afterwards
    everything is there, on moto and on dynalite."""
    hosted.upsert([body(i * 10) for i in range(12)])
    hook = always(400, "ProvisionedThroughputExceededException")
    hosted.client.meta.events.register_first("before-send.dynamodb.Query", hook)
    try:
        with pytest.raises(StoreThrottled, match=ATTEMPTS) as caught:
            hosted.read(BODY)
    finally:
        hosted.client.meta.events.unregister("before-send.dynamodb.Query", hook)
    assert len(retry_sleeps) == RETRIES, "botocore's standard mode retried before giving up"
    assert "on-demand" in caught.value.action
    assert len(hosted.read(BODY)) == 12


@pytest.mark.dynalite
def test_a_throttled_sync_fails_that_source_and_a_rerun_stores_everything_once(dynalite_store, retry_sleeps):
    """Throttled BatchWriteItem during a sync (on dynalite: the throttled requests never reach the server): the
    source fails with the message and action, what was stored before stays, and once the throttling ends the
    next sync stores each record exactly once."""
    store = dynalite_store
    store.upsert([body(0, source="fake")])
    before = store.counts()
    src = FakeSource("fake", [body(i * 31, source="fake") for i in range(1, 6)])  # five new months
    hook = always(400, "ThrottlingException")
    store.client.meta.events.register_first("before-send.dynamodb.BatchWriteItem", hook)
    try:
        report = run_sync(store, [src], now=lambda: SEEDED_AT)
    finally:
        store.client.meta.events.unregister("before-send.dynamodb.BatchWriteItem", hook)
    (failed,) = report.sources
    assert not failed.ok and "DynamoDB throttled batch_write_item" in failed.error and "on-demand" in failed.action
    assert store.counts() == before
    assert "throttled" in store.get_sync_state("fake").last_error
    assert run_sync(store, [src], now=lambda: SEEDED_AT).ok
    assert store.counts() == {(BODY, "fake"): 6} and len(store.read(BODY)) == 6


@pytest.mark.parametrize("status,code,kind,phrase", [
    (503, "SlowDown", StoreThrottled, f"S3 throttled get_object on s3://models/fitdash/ {ATTEMPTS} (SlowDown)"),
    (500, "InternalError", StoreUnavailable, f"S3 failed get_object on s3://models/fitdash/ {ATTEMPTS} (HTTP 500"),
])
def test_s3_errors_after_the_retries_are_typed(moto_store, retry_sleeps, status, code, kind, phrase):
    """5xx answers to the model read, retried by botocore, end in one typed error; the blob is intact after."""
    moto_store.put_blob("model/forecast.joblib", b"model bytes")
    events = moto_store.blobs.client.meta.events
    hook = always(status, code)
    events.register_first("before-send.s3.GetObject", hook)
    try:
        with pytest.raises(kind) as caught:
            moto_store.get_blob("model/forecast.joblib")
    finally:
        events.unregister("before-send.s3.GetObject", hook)
    assert phrase in str(caught.value) and len(retry_sleeps) == RETRIES
    assert moto_store.get_blob("model/forecast.joblib") == b"model bytes"


def test_s3_timeouts_and_a_refused_write_are_typed(moto_store, retry_sleeps):
    """A read that times out on every attempt, and a write the role may not make, each say what to do."""
    events = moto_store.blobs.client.meta.events

    def timeout(request, **kwargs):
        raise ReadTimeoutError(endpoint_url=request.url)

    events.register_first("before-send.s3.GetObject", timeout)
    try:
        with pytest.raises(StoreUnavailable, match="S3 did not answer get_object"):
            moto_store.get_blob("model/forecast.joblib")
    finally:
        events.unregister("before-send.s3.GetObject", timeout)
    denied = always(403, "AccessDenied")
    events.register_first("before-send.s3.PutObject", denied)
    try:
        with pytest.raises(StoreUnavailable, match="S3 refused to write s3://models/fitdash/model/x") as caught:
            moto_store.put_blob("model/x", b"1")
    finally:
        events.unregister("before-send.s3.PutObject", denied)
    assert "iam/app-policy.json" in caught.value.action


@pytest.fixture
def hosted_app(aws_credentials, monkeypatch, tmp_path):
    """The app configured for DynamoDB + S3 on moto with an admin (as hosted), holding the demo history; yields
    the seeding store."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client, "fitdash", provisioned=False)
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket="models", CreateBucketConfiguration={"LocationConstraint": REGION})
        store = DynamoDBStore(client, "fitdash", "me", S3Blobs(s3, "models", "fitdash/"))
        clock = clock_at(SEEDED_AT)
        run_sync(store, [DemoSource(7, clock)], now=clock)
        app_env(monkeypatch, tmp_path / "unused.db", store_backend="dynamodb", dynamodb_region=REGION,
                s3_bucket="models", model_hmac_key=KEY)
        with_test_admin(monkeypatch)
        yield store


def admin_app():
    return logged_in_app(*TEST_ADMIN)


def app_store():
    """The store the app opened (st.cache_resource: one per process, shared with the test)."""
    from ui import context

    return context.store()


def test_a_page_keeps_the_last_data_while_dynamodb_throttles(hosted_app, retry_sleeps):
    """Overview read once; then every Query is throttled and the cached read expires: the page shows the same
    numbers with a warning naming the throttling and what to do."""
    from ui import data

    at = admin_app()
    shown = [m.value for m in at.metric]
    assert shown and not any("Showing the data read" in w.value for w in at.warning)
    hook = always(400, "ProvisionedThroughputExceededException")
    app_store().client.meta.events.register_first("before-send.dynamodb.Query", hook)
    try:
        data.clear_all()  # what the cache's TTL does ten minutes later
        at.run()
    finally:
        app_store().client.meta.events.unregister("before-send.dynamodb.Query", hook)
    assert not at.exception
    assert [m.value for m in at.metric] == shown
    (warning,) = [w.value for w in at.warning if "Showing the data read at" in w.value]
    assert f"DynamoDB throttled query on table 'fitdash' {ATTEMPTS}" in warning and "on-demand" in warning
    assert at.sidebar.caption[0].value.startswith("Data ")


def test_a_page_with_nothing_read_yet_shows_the_message_alone(hosted_app, retry_sleeps):
    """Throttled from the first read after the login: an error with the action instead of a traceback."""
    at = admin_app()
    hook = always(400, "ThrottlingException")
    app_store().client.meta.events.register_first("before-send.dynamodb.Query", hook)
    try:
        from ui import data

        data.clear_all()
        data._last_good().clear()  # as right after a server start
        at.run()
    finally:
        app_store().client.meta.events.unregister("before-send.dynamodb.Query", hook)
    assert not at.exception
    assert any("DynamoDB throttled query" in e.value and "on-demand" in e.value for e in at.error)


def test_the_forecast_keeps_its_model_while_s3_fails(hosted_app, retry_sleeps):
    """The model was read once; S3 then answers 503 on every attempt: the forecast still shows, with a warning."""
    settings = build_settings({"model": {"hmac_key": KEY}}, {})
    assert train_and_save(hosted_app, settings, pd.Timestamp(SEEDED_AT.date()) + timedelta(days=1)).saved
    at = open_page(admin_app(), "pages/forecast.py")
    assert not at.exception and not at.error
    before = [m.value for m in at.metric]
    hook = always(503, "ServiceUnavailable")
    events = app_store().blobs.client.meta.events
    events.register_first("before-send.s3.GetObject", hook)
    try:
        from ui import data

        data.clear_all()
        at.run()
    finally:
        events.unregister("before-send.s3.GetObject", hook)
    assert not at.exception and not at.error
    assert [m.value for m in at.metric] == before
    assert any("S3 failed get_object" in w.value and "Showing the data read at" in w.value for w in at.warning)
