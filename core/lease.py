"""The sync lease around every writer (sync, import, purge): taken, taken over, described, given back.

Owner ids are `host:pid:uuid` (an import's `import:host:pid:uuid`, a purge's `purge:...`), so a lease
can be judged without asking its holder:
- a holder on this host whose process is gone (SIGKILL, OOM, a crash) is taken over at once;
- SIGTERM ends a CLI writer through `finally`, which gives the lease back (`exit_on_sigterm`);
- a process that exits any other clean way (the app's server stopping mid-Refresh) gives back what it
  still holds at exit (atexit);
- a holder on another host is waited for until the lease expires (15 min after its last renewal); the
  busy message names it and its age, and `python -m core.sync unlock` frees it on request.
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from core.errors import SyncBusy
from core.store.base import Lease, Store

log = logging.getLogger(__name__)
SIGTERM_EXIT = 128 + signal.SIGTERM  # what a shell reports for a process ended by SIGTERM
_HELD: dict[str, Store] = {}  # leases this process holds now: given back at exit
_HELD_LOCK = threading.Lock()


def new_owner(prefix: str = "") -> str:
    """A lease owner id that names the host and process (how a stuck lease is judged and shown)."""
    return f"{prefix}{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def holder_gone(owner: str) -> bool:
    """True when the owner ran on this host and its process no longer exists (never guessed for other hosts)."""
    parts = owner.split(":")
    if len(parts) < 3 or not parts[-2].isdigit() or parts[-3] != socket.gethostname():
        return False
    pid = int(parts[-2])
    if pid == os.getpid():  # this very process: alive exactly while it still holds that lease
        with _HELD_LOCK:
            return owner not in _HELD
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's live process
        return False
    return False


def span(delta: timedelta) -> str:
    """A duration as '45 s', '12 min' or '2 h 05 min'."""
    seconds = max(0, int(delta.total_seconds()))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"


def describe(lease: Lease, now: datetime) -> str:
    """'held by web-1:42:ab12cd34 for 12 min (since 10:02 UTC), expires in 3 min'."""
    held = f" for {span(now - lease.since)} (since {lease.since:%H:%M} UTC)" if lease.since else ""
    left = lease.expires - now
    ends = f"expires in {span(left)}" if left.total_seconds() > 0 else f"expired at {lease.expires:%H:%M} UTC"
    return f"held by {lease.owner}{held}, {ends}"


def busy_error(store: Store, now: datetime, doing: str) -> SyncBusy:
    """SyncBusy naming the holder and how long it has held the lease, with how to free a stuck one."""
    lease = store.lease()
    held = describe(lease, now) if lease else "just released"
    return SyncBusy(f"{doing} ({held})",
                    action="Wait for that sync to finish, then try again. If nothing is running there (the process "
                           "was killed on another machine), free the lease with `python -m core.sync unlock`, or "
                           "wait until it expires.")


def take(store: Store, owner: str, now: Callable[[], datetime], doing: str = "sync already running") -> None:
    """Take (or renew) the lease; take it over from a dead holder on this host; else raise SyncBusy."""
    if not store.acquire_lease(owner, now()):
        held = store.lease()
        if held is None or not holder_gone(held.owner):
            raise busy_error(store, now(), doing)
        log.warning("taking over the sync lease of %s: that process is gone", held.owner)
        store.release_lease(held.owner)
        if not store.acquire_lease(owner, now()):  # another writer was quicker
            raise busy_error(store, now(), doing)
    with _HELD_LOCK:
        _HELD[owner] = store


def give_back(store: Store, owner: str) -> None:
    """Release the lease (a no-op if someone took it over meanwhile)."""
    with _HELD_LOCK:
        _HELD.pop(owner, None)
    store.release_lease(owner)


@contextmanager
def held(store: Store, owner: str, now: Callable[[], datetime], doing: str = "sync already running") -> Iterator[None]:
    """The lease for the duration of a block, given back however the block ends."""
    take(store, owner, now, doing)
    try:
        yield
    finally:
        give_back(store, owner)


@atexit.register
def _give_back_all() -> None:
    """At a clean exit (SIGTERM handled by a server or by exit_on_sigterm), free whatever is still held."""
    with _HELD_LOCK:
        leftovers = list(_HELD.items())
    for owner, store in leftovers:
        try:
            give_back(store, owner)
        except Exception:  # the store may be gone too: the lease then expires on its own
            log.exception("could not release the sync lease of %s at exit", owner)


def exit_on_sigterm() -> None:
    """In a CLI entry point: SIGTERM raises SystemExit(143), so `finally` gives the lease back."""

    def _stop(signum: int, frame: object) -> None:
        raise SystemExit(SIGTERM_EXIT)

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)


def unlock(store: Store, now: datetime, confirm: Callable[[str], bool], say: Callable[[str], None]) -> int:
    """`python -m core.sync unlock`: free a lease left by a killed writer, after saying whose it is."""
    lease = store.lease()
    if lease is None:
        say("The sync lease is free: nothing to unlock.")
        return 0
    say(f"The sync lease is {describe(lease, now)}.")
    if lease.expires > now and not holder_gone(lease.owner) and lease.owner.split(":")[-3:-2] == [socket.gethostname()]:
        say("That process is still running on this machine: stop it first, or it keeps writing without the lease.")
    if not confirm("Free it? Only if no sync or import is running any more. [y/N] "):
        say("Left as it is.")
        return 1
    store.release_lease(lease.owner)
    say("Freed: the next sync or import can start.")
    return 0
