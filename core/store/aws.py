"""AWS clients for the hosted store, built from settings with errors that name what is missing.

Settings: [dynamodb] region, table (default "fitdash"), user_id (default "me"), endpoint_url (a local
DynamoDB such as dynalite); [s3] bucket, prefix (default "fitdash/"), endpoint_url; credentials from
[aws] access_key_id / secret_access_key, or boto3's usual chain (environment, profile, instance or
OIDC role). Clients use the `standard` retry mode and bounded timeouts.
"""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from core.errors import ConfigError, StoreError, StoreUnavailable
from core.store.aws_errors import IAM_ACTION, guarded

CLIENT_CONFIG = Config(
    retries={"max_attempts": 5, "mode": "standard"},  # standard mode backs off on throttling with jitter
    connect_timeout=5,  # seconds: a hosted page must not hang on a dead endpoint
    read_timeout=15,
)
DEFAULT_TABLE = "fitdash"


def _session(settings: Any) -> boto3.session.Session:
    aws, region = settings.section("aws"), settings.section("dynamodb").get("region")
    if not region:
        raise ConfigError("[dynamodb] region (FITDASH_DYNAMODB_REGION) is missing",
                          action="Set the AWS region of your tables, e.g. eu-west-1.")
    session = boto3.session.Session(aws_access_key_id=aws.get("access_key_id"),
                                    aws_secret_access_key=aws.get("secret_access_key"), region_name=region)
    if session.get_credentials() is None:
        raise ConfigError("no AWS credentials found",
                          action="Set [aws] access_key_id and secret_access_key (FITDASH_AWS_*), or AWS_* variables, "
                                 "or run where a role provides them.")
    return session


def dynamodb_client(settings: Any) -> tuple[Any, str]:
    """A DynamoDB client and the table name, after checking the table exists."""
    section = settings.section("dynamodb")
    table = str(section.get("table", DEFAULT_TABLE))
    client = _session(settings).client("dynamodb", endpoint_url=section.get("endpoint_url"), config=CLIENT_CONFIG)
    try:
        client.describe_table(TableName=table)
    except ClientError as exc:
        if exc.response["Error"]["Code"] == "ResourceNotFoundException":
            raise ConfigError(f"DynamoDB table {table!r} does not exist",
                              action="Create it with `python -m core.store create-tables`.") from exc
        raise ConfigError(f"DynamoDB refused access to {table!r}: {exc.response['Error']['Code']}",
                          action="Check the IAM policy (iam/app-policy.json) and the region.") from exc
    except BotoCoreError as exc:
        raise ConfigError(f"DynamoDB is unreachable: {exc}", action="Check the region and endpoint.") from exc
    return client, table


class S3Blobs:
    """Blob storage (the model artifact, runs' streams and laps) in an S3 bucket under a prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self.client, self.bucket, self.prefix = guarded(client, "S3", f"s3://{bucket}/{prefix}"), bucket, prefix

    def put_blob(self, name: str, data: bytes) -> None:
        """Write bytes to <prefix><name>."""
        try:
            self.client.put_object(Bucket=self.bucket, Key=self.prefix + name, Body=data)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("AccessDenied", "403"):
                raise
            raise StoreUnavailable(f"S3 refused to write s3://{self.bucket}/{self.prefix}{name} (AccessDenied)",
                                   IAM_ACTION) from exc

    def get_blob(self, name: str) -> bytes | None:
        """Bytes at <prefix><name>, or None when absent."""
        key = self.prefix + name
        try:
            return self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except ClientError as exc:
            code = exc.response["Error"]["Code"]
            if code in ("NoSuchKey", "404"):
                return None
            if code in ("AccessDenied", "403"):
                return self._absent_or_denied(key)
            raise

    def delete_blob(self, name: str) -> None:
        """Delete <prefix><name> (S3 answers the same whether it existed or not)."""
        self.client.delete_object(Bucket=self.bucket, Key=self.prefix + name)

    def blob_names(self, prefix: str) -> list[str]:
        """Names under <prefix><prefix>, every page of the listing (1,000 keys a page)."""
        names, token = [], {}
        while True:
            page = self.client.list_objects_v2(Bucket=self.bucket, Prefix=self.prefix + prefix, **token)
            names += [obj["Key"][len(self.prefix):] for obj in page.get("Contents", [])]
            if not page.get("IsTruncated"):
                return sorted(names)
            token = {"ContinuationToken": page["NextContinuationToken"]}

    def _absent_or_denied(self, key: str) -> None:
        """S3 answers a missing object with AccessDenied when the caller may not list the bucket: ask by listing."""
        where = f"s3://{self.bucket}/{key}"
        try:
            listing = self.client.list_objects_v2(Bucket=self.bucket, Prefix=key, MaxKeys=1)
        except ClientError as exc:
            if exc.response["Error"]["Code"] not in ("AccessDenied", "403"):
                raise
            raise StoreError(f"S3 refused to read {where} (AccessDenied)",
                             action=f"Allow s3:GetObject on arn:aws:s3:::{self.bucket}/{self.prefix}model/* and "
                                    f"s3:ListBucket on arn:aws:s3:::{self.bucket} for the prefix {self.prefix}model/ "
                                    "(without ListBucket, S3 reports a missing model as AccessDenied): "
                                    "see iam/app-policy.json.") from exc
        if any(obj["Key"] == key for obj in listing.get("Contents", [])):
            raise StoreError(f"S3 refused to read {where} (AccessDenied), although it exists",
                             action=f"Allow s3:GetObject on arn:aws:s3:::{self.bucket}/{self.prefix}model/*: "
                                    "see iam/app-policy.json.")
        return None  # not there yet (before the first training)


def s3_blobs(settings: Any) -> S3Blobs:
    """The model store in S3, or a ConfigError naming the missing bucket."""
    section = settings.section("s3")
    if not section.get("bucket"):
        raise ConfigError("[s3] bucket (FITDASH_S3_BUCKET) is missing",
                          action="Create one with `python -m core.store create-bucket NAME` and set it.")
    client = _session(settings).client("s3", endpoint_url=section.get("endpoint_url"), config=CLIENT_CONFIG)
    return S3Blobs(client, str(section["bucket"]), str(section.get("prefix", "fitdash/")))
