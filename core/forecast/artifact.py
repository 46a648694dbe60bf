"""The model artifact: joblib bytes plus JSON metadata, signed with HMAC-SHA256.

A joblib file is a pickle: loading it runs whatever code it names. So the signature is checked
with a constant-time compare over the whole framing (magic, header length, header AND payload)
before `joblib.load` ever sees the bytes; a missing, unsigned, tampered or wrongly keyed artifact is
refused and never unpickled. Signing the length too means the header/payload boundary cannot be
moved while keeping the signature valid; any header that still fails to parse is refused as well.

Layout: MAGIC | 4-byte big-endian header length | header (UTF-8 JSON) | 32-byte HMAC | payload,
the HMAC-SHA256 taken over MAGIC | length | header | payload.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import struct
from typing import Any

import joblib

from core.config import Settings
from core.errors import ConfigError, ModelMissing, ModelRejected

MAGIC = b"FITDASH-MODEL-v2"
OLD_MAGICS = (b"FITDASH-MODEL-v1",)  # signed without the length: refused, retrain
BLOB_NAME = "model/forecast.joblib"
KEY_SETTING = "FITDASH_MODEL_HMAC_KEY"
MIN_KEY_BYTES = 16


def signing_key(settings: Settings) -> bytes:
    """The HMAC key from [model] hmac_key; no default exists."""
    key = str(settings.section("model").get("hmac_key") or "")
    if len(key.encode()) < MIN_KEY_BYTES:
        raise ConfigError(
            f"[model] hmac_key ({KEY_SETTING}) is missing or shorter than {MIN_KEY_BYTES} characters",
            action='Generate one with `python -c "import secrets; print(secrets.token_hex(32))"` and set it for '
                   "both the training job and the app.")
    return key.encode()


def dump(obj: Any, metadata: dict, key: bytes) -> bytes:
    """Serialise and sign."""
    buffer = io.BytesIO()
    joblib.dump(obj, buffer, compress=3)
    payload = buffer.getvalue()
    header = json.dumps({**metadata, "payload_sha256": hashlib.sha256(payload).hexdigest()},
                        sort_keys=True, default=str).encode()
    return frame(header, payload, key)


def frame(header: bytes, payload: bytes, key: bytes) -> bytes:
    """The stored layout, signed over everything but the signature itself."""
    prefix = MAGIC + struct.pack(">I", len(header))
    signature = hmac.new(key, prefix + header + payload, hashlib.sha256).digest()
    return prefix + header + signature + payload


def verify(blob: bytes | None, key: bytes) -> tuple[dict, bytes]:
    """The trusted metadata and payload bytes, or ModelRejected (nothing is unpickled here)."""
    if blob is None:
        raise ModelMissing()
    if blob.startswith(OLD_MAGICS):
        raise ModelRejected("the stored model was saved by an older version of this app")
    start = len(MAGIC) + 4
    if not blob.startswith(MAGIC) or len(blob) < start:
        raise ModelRejected("the stored file is not a signed forecast model")
    (size,) = struct.unpack(">I", blob[len(MAGIC):start])
    header, signature = blob[start:start + size], blob[start + size:start + size + 32]
    payload = blob[start + size + 32:]
    if len(signature) != 32:
        raise ModelRejected("the stored model is truncated (no signature)")
    expected = hmac.new(key, blob[:start] + header + payload, hashlib.sha256).digest()
    if not hmac.compare_digest(signature, expected):
        raise ModelRejected("the signature does not match: the file was modified or signed with another key")
    return _metadata(header, payload), payload


def _metadata(header: bytes, payload: bytes) -> dict:
    try:
        metadata = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelRejected(f"the model's metadata does not parse ({exc.__class__.__name__})") from exc
    if not isinstance(metadata, dict) or metadata.get("payload_sha256") != hashlib.sha256(payload).hexdigest():
        raise ModelRejected("the model's metadata does not describe its payload")
    return metadata


def load(blob: bytes | None, key: bytes, model_format: int | None = None) -> tuple[Any, dict]:
    """Verify (and check the model format, when given), then unpickle: the only place the pickle is opened."""
    metadata, payload = verify(blob, key)
    if model_format is not None and metadata.get("model_format") != model_format:
        raise ModelRejected("the stored model was saved by an older version of this app")
    return joblib.load(io.BytesIO(payload)), metadata
