"""Hosted backend selection: clear start-up errors, the app on DynamoDB, IAM documents, the ephemeral trap."""

from __future__ import annotations

import json
import re
from pathlib import Path

import boto3
import pytest
import streamlit as st
from botocore.stub import Stubber
from moto import mock_aws

from core.config import build_settings
from core.errors import ConfigError, StoreError
from core.sources.demo import DemoSource
from core.store import open_store
from core.store.__main__ import create_tables
from core.store.aws import S3Blobs
from core.store.dynamodb import DynamoDBStore
from core.sync import run_sync
from core.views.format import format_number
from tests.apptest_helpers import SEEDED_AT, app_env, logged_in_app, open_page
from tests.aws_fixtures import REGION
from tests.builders import clock_at

ROOT = Path(__file__).resolve().parent.parent
HOSTED = {"store": {"backend": "dynamodb"}, "dynamodb": {"region": REGION}, "s3": {"bucket": "models"}}


@pytest.mark.parametrize("drop,message", [
    (("dynamodb", "region"), "[dynamodb] region"),
    (("s3", "bucket"), "[s3] bucket"),
])
def test_missing_settings_are_named(aws_credentials, drop, message):
    """Choosing DynamoDB without its region or bucket fails at start naming the setting."""
    secrets = {k: dict(v) for k, v in HOSTED.items()}
    del secrets[drop[0]][drop[1]]
    with mock_aws():
        boto3.client("dynamodb", region_name=REGION).create_table(
            TableName="fitdash", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"},
                                  {"AttributeName": "sk", "AttributeType": "S"}],
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
        with pytest.raises(ConfigError) as err:
            open_store(build_settings(secrets, {}))
    assert message in str(err.value)


def test_missing_table_says_how_to_create_it(aws_credentials):
    """Without the table, the error names it and the create-tables command."""
    with mock_aws(), pytest.raises(ConfigError) as err:
        open_store(build_settings(HOSTED, {}))
    assert "'fitdash' does not exist" in str(err.value) and "create-tables" in err.value.action


def test_missing_credentials_are_named(monkeypatch, tmp_path):
    """No AWS credentials anywhere: a ConfigError saying where to put them."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(ConfigError, match="no AWS credentials"):
        open_store(build_settings(HOSTED, {}))


def test_create_tables_provisioned_option(aws_credentials):
    """--provisioned creates 2 write units and 10 read units; a second run says it exists."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        assert "created (provisioned)" in create_tables(client, "fitdash", provisioned=True)
        table = client.describe_table(TableName="fitdash")["Table"]
        assert table["ProvisionedThroughput"]["WriteCapacityUnits"] == 2
        assert table["ProvisionedThroughput"]["ReadCapacityUnits"] == 10
        assert create_tables(client, "fitdash", provisioned=False) == "table fitdash already exists"


def test_every_page_renders_on_the_dynamodb_store(aws_credentials, monkeypatch, tmp_path):
    """The app configured for DynamoDB (moto) logs in and renders every page on demo data."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION)
        create_tables(client, "fitdash", provisioned=False)
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket="models", CreateBucketConfiguration={"LocationConstraint": REGION})
        store = DynamoDBStore(client, "fitdash", "me", None)
        clock = clock_at(SEEDED_AT)
        run_sync(store, [DemoSource(7, clock)], now=clock)
        app_env(monkeypatch, tmp_path / "unused.db", store_backend="dynamodb", dynamodb_region=REGION,
                s3_bucket="models")
        at = logged_in_app()
        body = store.read("body")
        assert at.metric[0].value == f"{format_number(body.loc[body.time_utc.idxmax(), 'weight_kg'])} kg"
        for page in ("pages/weight.py", "pages/running.py", "pages/crossfit.py", "pages/forecast.py",
                     "pages/data.py"):
            assert not open_page(at, page).exception, page
        assert not (tmp_path / "unused.db").exists(), "nothing was written to a local file"


def test_embedded_store_on_an_ephemeral_host_is_called_out(demo_store, monkeypatch):
    """On Heroku (DYNO set) with SQLite, the app says data will be lost and how to configure DynamoDB."""
    app_env(monkeypatch, demo_store[1])
    monkeypatch.setenv("DYNO", "web.1")
    at = logged_in_app()
    assert any("lost at the next restart" in w.value and "DynamoDB" in w.value for w in at.warning)
    monkeypatch.delenv("DYNO")
    st.cache_resource.clear()  # settings are built once per process
    assert not any("lost at the next restart" in w.value for w in logged_in_app().warning)


BOTO_TO_IAM = {"get_item": "dynamodb:GetItem", "batch_get_item": "dynamodb:BatchGetItem", "query": "dynamodb:Query",
               "put_item": "dynamodb:PutItem", "batch_write_item": "dynamodb:BatchWriteItem",
               "delete_item": "dynamodb:DeleteItem", "describe_table": "dynamodb:DescribeTable",
               "get_object": "s3:GetObject", "put_object": "s3:PutObject", "list_objects_v2": "s3:ListBucket",
               "delete_object": "s3:DeleteObject"}
MODEL, DETAIL = "arn:aws:s3:::BUCKET/fitdash/model/*", {"arn:aws:s3:::BUCKET/fitdash/streams/*",
                                                         "arn:aws:s3:::BUCKET/fitdash/laps/*"}


def _allowed(policy: dict, resources: set[str] | None = None) -> set[str]:
    """The actions a policy allows (on any of `resources` when given)."""
    def on(statement: dict) -> set[str]:
        held = statement["Resource"]
        return {held} if isinstance(held, str) else set(held)
    return {a for s in policy["Statement"] if resources is None or on(s) & resources for a in s["Action"]}


def test_iam_policies_cover_what_the_code_calls_and_no_more():
    """The sync role allows every call the store makes; the app role everything but writing the model (it writes
    and deletes runs' streams and laps: an upload imports them)."""
    code = "".join(path.read_text() for path in (ROOT / "core/store").glob("*.py") if path.name != "sqlite.py")
    called = {BOTO_TO_IAM[m] for m in re.findall(r"client\.(\w+)\(", code) if m in BOTO_TO_IAM}
    assert {"s3:GetObject", "s3:ListBucket", "s3:DeleteObject", "dynamodb:Query"} <= called
    sync = json.loads((ROOT / "iam/sync-policy.json").read_text())
    app = json.loads((ROOT / "iam/app-policy.json").read_text())
    assert called <= _allowed(sync) and called - {"s3:PutObject"} <= _allowed(app)
    assert "dynamodb:Scan" not in _allowed(sync) | _allowed(app)
    assert "s3:PutObject" in _allowed(sync, {MODEL}) and "s3:PutObject" not in _allowed(app, {MODEL})
    assert {"s3:GetObject", "s3:PutObject", "s3:DeleteObject"} <= _allowed(app, DETAIL) & _allowed(sync, DETAIL)
    assert not any("*" in a for a in _allowed(sync) | _allowed(app))


@pytest.mark.parametrize("policy", ["sync", "app"])
def test_listing_is_limited_to_the_model_prefix(policy):
    """s3:ListBucket (a missing model is 'not found', not AccessDenied; runs' details are listed by prefix) only
    under the model, stream and lap prefixes."""
    statements = json.loads((ROOT / f"iam/{policy}-policy.json").read_text())["Statement"]
    (listing,) = [s for s in statements if "s3:ListBucket" in s["Action"]]
    assert listing["Resource"] == "arn:aws:s3:::BUCKET"
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["fitdash/model/*", "fitdash/streams/*",
                                                                  "fitdash/laps/*"]}}
    objects = [s["Resource"] for s in statements if "s3:GetObject" in s["Action"]]
    assert {MODEL, *DETAIL} == {r for held in objects for r in ([held] if isinstance(held, str) else held)}


def _stubbed_blobs():
    s3 = boto3.client("s3", region_name=REGION, aws_access_key_id="x", aws_secret_access_key="x")
    return S3Blobs(s3, "models", "fitdash/"), Stubber(s3)


GET = {"Bucket": "models", "Key": "fitdash/model/forecast.joblib"}
LIST = {"Bucket": "models", "Prefix": "fitdash/model/forecast.joblib", "MaxKeys": 1}


def test_model_absent_behind_access_denied_is_none():
    """Without ListBucket S3 says AccessDenied for a missing model; a prefix listing tells it is absent."""
    blobs, stub = _stubbed_blobs()
    stub.add_client_error("get_object", "AccessDenied", http_status_code=403, expected_params=GET)
    stub.add_response("list_objects_v2", {"KeyCount": 0}, LIST)
    with stub:
        assert blobs.get_blob("model/forecast.joblib") is None
    stub.assert_no_pending_responses()


def test_model_read_denied_names_the_missing_permissions():
    """AccessDenied on both the read and the listing is a StoreError naming s3:GetObject and s3:ListBucket."""
    blobs, stub = _stubbed_blobs()
    stub.add_client_error("get_object", "AccessDenied", http_status_code=403, expected_params=GET)
    stub.add_client_error("list_objects_v2", "AccessDenied", http_status_code=403, expected_params=LIST)
    with stub, pytest.raises(StoreError) as err:
        blobs.get_blob("model/forecast.joblib")
    assert "AccessDenied" in str(err.value) and "s3://models/fitdash/model/forecast.joblib" in str(err.value)
    assert "s3:ListBucket" in err.value.action and "s3:GetObject" in err.value.action


def test_model_present_but_unreadable_names_get_object():
    """A model that is listed but cannot be read is a StoreError naming s3:GetObject."""
    blobs, stub = _stubbed_blobs()
    stub.add_client_error("get_object", "AccessDenied", http_status_code=403, expected_params=GET)
    stub.add_response("list_objects_v2", {"Contents": [{"Key": GET["Key"]}], "KeyCount": 1}, LIST)
    with stub, pytest.raises(StoreError, match="although it exists") as err:
        blobs.get_blob("model/forecast.joblib")
    assert "s3:GetObject" in err.value.action and "ListBucket" not in err.value.action


def test_missing_model_is_none():
    """NoSuchKey (the answer when listing is allowed) means no model yet."""
    blobs, stub = _stubbed_blobs()
    stub.add_client_error("get_object", "NoSuchKey", http_status_code=404, expected_params=GET)
    with stub:
        assert blobs.get_blob("model/forecast.joblib") is None


def _documented_keys() -> dict[str, set[str]]:
    """{section: keys} of .streamlit/secrets.toml.example, commented-out entries included."""
    documented: dict[str, set[str]] = {}
    section = ""
    for line in (ROOT / ".streamlit/secrets.toml.example").read_text().splitlines():
        text = line.lstrip("# ").strip()
        if match := re.match(r"\[([\w.]+)\]", text):
            section, *nested = match.group(1).split(".")
            if nested:  # [auth.users.alice] documents the key `users` of [auth]
                documented.setdefault(section, set()).add(nested[0])
        elif match := re.match(r"(\w+)\s*=", text):
            documented.setdefault(section, set()).add(match.group(1))
    return documented


def test_every_setting_the_code_reads_is_documented_in_the_example():
    """Each key core/ reads from a settings section appears in secrets.toml.example (redirect_uri included)."""
    pattern = re.compile(r"\b(?:section|aws|store|sync|auth|demo|settings\.section\([^)]*\))(?:\.get\(|\[)\"(\w+)\"")
    read = {key for path in (ROOT / "core").rglob("*.py") for key in pattern.findall(path.read_text())}
    read |= {key for key in re.findall(r"_number\(\w+, \"(\w+)\"", (ROOT / "core/config.py").read_text())}
    documented = _documented_keys()
    assert {"redirect_uri", "endpoint_url", "hmac_key", "interval_hours"} <= read
    assert read <= set().union(*documented.values())
    for source in ("strava", "withings"):  # core/authorize.py reads these three for both
        assert {"client_id", "client_secret", "redirect_uri"} <= documented[source], source
    assert {"region", "table", "user_id", "endpoint_url"} <= documented["dynamodb"]
    assert {"bucket", "prefix", "endpoint_url"} <= documented["s3"]
