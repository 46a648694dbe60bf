"""Typed errors, one per boundary. Every error carries a human `action`: what the person should do.

- ConfigError: settings are missing or inconsistent (raised at start, names the key).
- AuthExpired: a provider refused our tokens; the person must re-authorise that source.
- RateLimited: a provider asked us to slow down; `retry_at` says when to try again.
- SourceUnavailable: network faults, 5xx, malformed payloads; retrying later is the fix.
- BadInput: a row or file we cannot read; `where` names the row or file, `reason` what is wrong.
- SyncBusy: another sync or import holds the lease; the message names its holder and age.
- NotAllowed: the acting user's role may not do this (a viewer writing data, anyone writing another's
  preferences); raised by the core function itself, whatever the page showed.
- EditConflict: a document (preferences, a record's changes) changed since it was read (another tab).
- ReadOnlySource: a mirror source's record (the Google Sheet) is changed in the sheet, never here.
- InvalidEntry (a BadInput): a manual entry or edit with values out of range; `problems` names each field.
- ModelRejected (a BadInput): the stored forecast model cannot be trusted (unsigned, tampered, another key, an old
  format) and was not unpickled; ModelMissing (a ModelRejected): no model is stored yet.
- StoreError: the store refused or failed a write that was retried. Its subclasses:
  - StoreDamaged: the store is corrupt, truncated, empty where data was expected, or lost records its sync
    state says were stored (the action: restore from an export, `python -m core.sync import EXPORT.zip`).
  - StoreUnavailable: the store cannot be opened, read or written now (permissions, a read-only folder, a
    full disk, AWS errors after the retries); nothing stored before is lost.
  - StoreThrottled: DynamoDB or S3 kept throttling after botocore's retries.
  Pages keep showing the last data read (ui/data.py) with the message; the CLI prints it and exits 2.
"""

from __future__ import annotations

from datetime import datetime


class FitDashError(Exception):
    """Base of every error this project raises on purpose."""

    action = "Check the logs for details."

    def __init__(self, message: str, action: str | None = None) -> None:
        super().__init__(message)
        if action is not None:
            self.action = action


class ConfigError(FitDashError):
    action = "Fix the setting named above in .streamlit/secrets.toml or the environment."


class AuthExpired(FitDashError):
    def __init__(self, source: str, detail: str = "") -> None:
        cmd = f"python -m core.authorize {source}"
        super().__init__(
            f"{source}: authorisation refused{': ' + detail if detail else ''}",
            action=f"Re-authorise {source.capitalize()}: run `{cmd}`.",
        )
        self.source = source


class RateLimited(FitDashError):
    def __init__(self, source: str, retry_at: datetime | None, detail: str = "") -> None:
        when = retry_at.strftime("%Y-%m-%d %H:%M UTC") if retry_at else "later"
        super().__init__(
            f"{source}: rate limited{': ' + detail if detail else ''}",
            action=f"Nothing to do: the next sync after {when} resumes where this one stopped.",
        )
        self.source = source
        self.retry_at = retry_at


class SourceUnavailable(FitDashError):
    action = "Temporary problem on the provider's side or the network: the next sync retries."


class BadInput(FitDashError):
    def __init__(self, where: str, reason: str, action: str | None = None) -> None:
        super().__init__(f"{where}: {reason}", action=action or "Correct the input and try again.")
        self.where = where
        self.reason = reason


class SyncBusy(FitDashError):
    action = "A sync is already running: wait for it to finish, then refresh the page."


class StoreError(FitDashError):
    action = "The store did not accept a write after retries: check its health and try again."


class StoreDamaged(StoreError):
    action = ("Stop the app and the sync, move the damaged file aside (keep it), then restore your data from your "
              "last export: `python -m core.sync import EXPORT.zip` (exports come from `python -m core.sync export "
              "PATH`); the next sync reads again what the providers still hold.")


class StoreUnavailable(StoreError):
    action = "Nothing stored before is lost: fix the cause named above, then try again."


class StoreThrottled(StoreUnavailable):
    action = ("Nothing stored before is lost and the pages show the data read before: wait a minute and refresh. "
              "If it keeps happening, switch the table to on-demand capacity or raise it (docs/dynamodb.md).")


class NotAllowed(FitDashError):
    action = "Ask an admin of this dashboard to make the change: a viewer may read everything but change nothing."


class EditConflict(FitDashError):
    action = "It was changed meanwhile (another tab or person): reload the page to see the latest values, then retry."


class ReadOnlySource(FitDashError):
    action = ("Make the change in the Google Sheet itself (the training log): the next sync brings it here, and a row "
              "deleted there is deleted here.")


class InvalidEntry(BadInput):
    """A manual entry or an edit that fails validation; `problems` holds (field, message) pairs for the form."""

    def __init__(self, where: str, problems: list[tuple[str, str]]) -> None:
        super().__init__(where, "; ".join(message for _, message in problems),
                         action="Correct the values named above and save again: nothing was stored.")
        self.problems = problems


class ModelRejected(BadInput):
    """The stored forecast artifact cannot be trusted; it was not unpickled (core/forecast/artifact.py)."""

    def __init__(self, reason: str) -> None:
        super().__init__("forecast model", reason,
                         action="Retrain it with `python -m core.forecast train` (same key as the app).")


class ModelMissing(ModelRejected):
    """No artifact is stored (nothing trained yet, or too few weeks to train)."""

    def __init__(self) -> None:
        super().__init__("no model has been trained yet")
