"""Helpers for the hosted store's tests: moto's lock-free backend serialised, dynalite's start check, blobs in
memory, AWS error answers. The fixtures themselves (aws_credentials, moto_store, dynalite_endpoint,
dynalite_store) are in conftest.py."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import boto3
import botocore.awsrequest
import pytest
from moto import mock_aws

from core.store.__main__ import create_tables
from core.store.aws import CLIENT_CONFIG, S3Blobs
from core.store.dynamodb import DynamoDBStore

ROOT = Path(__file__).resolve().parent.parent
DYNALITE = ROOT / "node_modules" / ".bin" / "dynalite"
REGION = "eu-west-1"
FAKE_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                    "AWS_SESSION_TOKEN": "testing", "AWS_DEFAULT_REGION": REGION}


class MemoryBlobs:
    """Blob storage for the dynalite leg (S3 itself is tested on moto)."""

    def __init__(self) -> None:
        self.data: dict[str, bytes] = {}

    def put_blob(self, name: str, data: bytes) -> None:
        self.data[name] = bytes(data)

    def get_blob(self, name: str) -> bytes | None:
        return self.data.get(name)

    def delete_blob(self, name: str) -> None:
        self.data.pop(name, None)

    def blob_names(self, prefix: str) -> list[str]:
        return sorted(n for n in self.data if n.startswith(prefix))


class SerialClient:
    """moto's in-process backend has no locks, while a real server applies each request atomically:
    requests from several threads reach it one at a time, as they would reach one server."""

    def __init__(self, client) -> None:
        self._client, self._lock = client, threading.RLock()

    def __getattr__(self, name):
        attr = getattr(self._client, name)
        if name.startswith("_") or not callable(attr):
            return attr

        def call(*args, **kwargs):
            with self._lock:
                return attr(*args, **kwargs)

        return call


def moto_dynamodb() -> Iterator[DynamoDBStore]:
    """A DynamoDBStore on moto's in-process DynamoDB, with blobs in moto's S3 (fake credentials set first)."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name=REGION, config=CLIENT_CONFIG)
        create_tables(client, "fitdash", provisioned=False)
        s3 = boto3.client("s3", region_name=REGION, config=CLIENT_CONFIG)  # as s3_blobs() builds it
        s3.create_bucket(Bucket="models", CreateBucketConfiguration={"LocationConstraint": REGION})
        yield DynamoDBStore(SerialClient(client), "fitdash", "me", S3Blobs(s3, "models", "fitdash/"),
                            sleep=lambda s: None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def dynalite_missing(ci: bool, node: str | None, installed: bool) -> tuple[str, str] | None:
    """("skip" or "fail", why) when the dynalite leg cannot run; skipping is allowed only without node, outside CI."""
    if node is None:
        if ci:
            return "fail", "node is missing in CI: .ci/run installs nodejs and npm, then `npm ci`"
        return "skip", "node is not installed: the dynalite leg of the store contract needs Node >= 20"
    if not installed:
        return "fail", "node is installed but node_modules/dynalite is not: run `npm ci` (`make test` does it)"
    return None


def dynalite_server() -> Iterator[str]:
    """A dynalite server on a free loopback port, its endpoint yielded, stopped after (see dynalite_missing)."""
    missing = dynalite_missing(bool(os.environ.get("CI")), shutil.which("node"), DYNALITE.exists())
    if missing:
        (pytest.skip if missing[0] == "skip" else pytest.fail)(missing[1])
    port = _free_port()
    proc = subprocess.Popen([str(DYNALITE), "--host", "127.0.0.1", "--port", str(port), "--createTableMs", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail(f"dynalite did not start on 127.0.0.1:{port}: {proc.communicate()[1][-500:]}")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def dynalite_table(endpoint: str) -> DynamoDBStore:
    """A DynamoDBStore on a fresh table of the dynalite server at `endpoint`."""
    client = boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint, config=CLIENT_CONFIG,
                          aws_access_key_id="x", aws_secret_access_key="x")
    table = f"fitdash-{uuid.uuid4().hex[:8]}"
    create_tables(client, table, provisioned=False)
    return DynamoDBStore(client, table, "me", MemoryBlobs(), sleep=lambda s: None)


class _Body:
    """A raw HTTP body botocore can stream."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def stream(self, **kwargs):
        yield self.data


def aws_error(request, status: int, code: str, message: str = "injected") -> botocore.awsrequest.AWSResponse:
    """An AWS error answer for a `before-send` hook: DynamoDB's JSON shape, or S3's XML shape.

    Against a server (dynalite) the request is then never sent. Under moto it still reaches moto's own
    `before-send` handler (botocore calls every handler and keeps the first answer): only reads are safe there.
    """
    if "dynamodb" in request.url or request.headers.get("X-Amz-Target", b"").startswith(b"DynamoDB"):
        body = f'{{"__type":"com.amazonaws.dynamodb.v20120810#{code}","message":"{message}"}}'.encode()
        return botocore.awsrequest.AWSResponse(request.url, status, {"x-amzn-ErrorType": code}, _Body(body))
    body = f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message></Error>'
    return botocore.awsrequest.AWSResponse(request.url, status, {"Content-Type": "application/xml"},
                                           _Body(body.encode()))
