"""AWS failures that outlast botocore's retries, as typed store errors with what to do.

Throttling (ProvisionedThroughputExceededException, ThrottlingException, S3 SlowDown...) becomes
StoreThrottled; 5xx answers, timeouts, dropped connections and refused credentials or permissions
become StoreUnavailable. Each message names the service, the operation, the table or bucket and how
many attempts were made. Every other ClientError (a failed condition, S3's NoSuchKey) passes
through unchanged: the store decides what those mean.
"""

from __future__ import annotations

from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from core.errors import StoreError, StoreThrottled, StoreUnavailable

THROTTLING = frozenset({"ProvisionedThroughputExceededException", "ThrottlingException", "Throttling",
                        "RequestLimitExceeded", "ThrottledException", "SlowDown", "TooManyRequestsException",
                        "RequestThrottled", "RequestThrottledException"})
DENIED = frozenset({"AccessDeniedException", "UnrecognizedClientException", "ExpiredTokenException",
                    "InvalidSignatureException", "MissingAuthenticationTokenException"})
IAM_ACTION = ("Check the credentials and the IAM policy (iam/app-policy.json for the app, iam/sync-policy.json for "
              "the scheduled sync), then try again; nothing stored before is lost.")
LATER_ACTION = ("A temporary AWS problem: nothing stored before is lost and the pages show the data read before. "
                "Try again in a few minutes; if it lasts, check https://health.aws.amazon.com/.")


def translate(exc: Exception, service: str, operation: str, where: str) -> StoreError | None:
    """The typed error for an AWS failure, or None when the caller must see the original ClientError."""
    if isinstance(exc, BotoCoreError):
        return StoreUnavailable(f"{service} did not answer {operation} on {where} ({exc})", LATER_ACTION)
    if not isinstance(exc, ClientError):
        return None
    code = exc.response.get("Error", {}).get("Code", "")
    meta = exc.response.get("ResponseMetadata", {})
    status, attempts = int(meta.get("HTTPStatusCode") or 0), int(meta.get("RetryAttempts") or 0) + 1
    tried = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
    if code in THROTTLING:
        return StoreThrottled(f"{service} throttled {operation} on {where} {tried} ({code})")
    if code in DENIED:
        return StoreUnavailable(f"{service} refused {operation} on {where} ({code})", IAM_ACTION)
    if status >= 500:
        return StoreUnavailable(f"{service} failed {operation} on {where} {tried} (HTTP {status} {code})",
                                LATER_ACTION)
    return None


class GuardedClient:
    """A boto3 client whose calls raise typed store errors once botocore has given up (see translate)."""

    def __init__(self, client: Any, service: str, where: str) -> None:
        self._client, self._service, self._where = client, service, where

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._client, name)
        if name.startswith("_") or not callable(attr) or name in ("get_waiter", "get_paginator", "can_paginate"):
            return attr

        def call(*args: Any, **kwargs: Any) -> Any:
            try:
                return attr(*args, **kwargs)
            except (ClientError, BotoCoreError) as exc:
                typed = translate(exc, self._service, name, self._where)
                if typed is None:
                    raise
                raise typed from exc

        return call


def guarded(client: Any, service: str, where: str) -> Any:
    """Wrap a client once (wrapping a wrapped client returns it as it is)."""
    return client if isinstance(client, GuardedClient) else GuardedClient(client, service, where)
