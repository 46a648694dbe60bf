"""Typed errors, one per boundary. Every error carries a human `action`: what the person should do.

- ConfigError: settings are missing or inconsistent (raised at start, names the key).
- AuthExpired: a provider refused our tokens; the person must re-authorise that source.
- RateLimited: a provider asked us to slow down; `retry_at` says when to try again.
- SourceUnavailable: network faults, 5xx, malformed payloads; retrying later is the fix.
- BadInput: a row or file we cannot read; `where` names the row or file, `reason` what is wrong.
- SyncBusy: another sync holds the lease.
- StoreError: the store refused or failed a write that was retried.
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
        cmd = f"python -m core.auth {source}"
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
