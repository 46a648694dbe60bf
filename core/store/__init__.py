"""Store backends behind one protocol; `open_store` picks one from the settings."""

from __future__ import annotations

from core.config import Settings
from core.store.base import ANY_TOKEN, Store, SyncState, UpsertCounts

__all__ = ["ANY_TOKEN", "Store", "SyncState", "UpsertCounts", "open_store"]


def open_store(settings: Settings) -> Store:
    """The configured store: embedded SQLite by default, DynamoDB (+ S3 blobs) when hosted."""
    if settings.store_backend == "dynamodb":
        from core.store.dynamodb import open_dynamodb_store  # boto3 only when hosted

        return open_dynamodb_store(settings)
    from core.store.sqlite import SQLiteStore

    return SQLiteStore(settings.sqlite_path)
