"""A writer process for the kill tests: the real CLI entry point (`python -m core.sync`'s `main`), made slow.

    python -m tests.lease_child sync          a sync whose source stalls after its first chunk is stored
    python -m tests.lease_child import PATH   an import that stalls inside its upsert, before writing
    python -m tests.lease_child server        a sync in a daemon thread of a process that stops cleanly on
                                              SIGTERM, as the Streamlit server does (the Refresh button)

Each prints READY once it holds the lease, then waits to be killed. The store is the one the
environment configures (FITDASH_STORE_SQLITE_PATH), as for the real commands.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import core.sync.__main__ as cli
from core.clock import utc_now
from core.records import BODY, Record, iso_utc
from core.store.sqlite import SQLiteStore

T0 = datetime(2026, 1, 1, 7, tzinfo=UTC)
FIRST_CHUNK = 5  # records stored (and checkpointed) before the source stalls
STALL_S = 120  # far longer than any test waits: only a signal ends it


def weigh_in(i: int) -> Record:
    when = T0 + timedelta(days=i)
    return Record(BODY, "slow", f"slow:{i}", when, {"time_utc": iso_utc(when), "local_date": when.date().isoformat(),
                                                    "weight_kg": 80.0 + i / 10})


class StallingSource:
    """Ascending weigh-ins; after the first chunk it says READY and stalls (a slow provider)."""

    name, kinds, overlap, ascending, mirror = "slow", (BODY,), timedelta(0), True, False

    def __init__(self, total: int = 12) -> None:
        self.total = total

    def fetch(self, since):
        for i in range(self.total):
            if since is not None and weigh_in(i).time_utc <= since:
                continue
            if i == FIRST_CHUNK:  # the chunk before is stored and checkpointed by now
                print("READY", flush=True)
                time.sleep(STALL_S)
            yield weigh_in(i)


class StallingStore(SQLiteStore):
    """A store whose upsert stalls before writing anything (an import killed mid-write)."""

    def upsert(self, records):
        records = list(records)
        print("READY", flush=True)
        time.sleep(STALL_S)
        return super().upsert(records)


def serve_like_streamlit() -> int:
    """The sync runs in a daemon thread (Streamlit's script thread); SIGTERM ends the main thread cleanly."""
    import core.sync

    core.sync.CHUNK = FIRST_CHUNK
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())  # uvicorn: a graceful shutdown, then a normal exit
    store = SQLiteStore(cli.load_settings(os.environ).sqlite_path)
    threading.Thread(target=core.sync.run_sync, args=(store, [StallingSource()]), kwargs={"now": utc_now},
                     daemon=True).start()
    stop.wait(STALL_S)
    return 0


def main(argv: list[str]) -> int:
    if argv[0] == "server":
        return serve_like_streamlit()
    if argv[0] == "sync":
        import core.sync

        core.sync.CHUNK = FIRST_CHUNK
        cli.build_sources = lambda settings, store, now: [StallingSource()]
        return cli.main([])
    cli.open_store = lambda settings: StallingStore(settings.sqlite_path)
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
