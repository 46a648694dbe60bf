"""Killing a run at its n-th write (the crash tests): a proxy that dies at that write and stays dead, as after a
SIGKILL; the owner id of an exited process, so a rerun takes the dead run's lease over at once."""

from __future__ import annotations

import socket
import subprocess


class Killed:
    """A store or client whose process dies at its n-th write (0: never); afterwards every call fails."""

    def __init__(self, target, n: int, writes: frozenset[str]) -> None:
        self.target, self.n, self.writes_of, self.writes, self.dead = target, n, writes, 0, False

    def __getattr__(self, name):
        attr = getattr(self.target, name)
        if not callable(attr) or name.startswith("_") or name == "meta":
            return attr

        def call(*args, **kwargs):
            if self.dead:
                raise SystemExit("the process is gone")
            if name in self.writes_of:
                self.writes += 1
                if self.writes == self.n:
                    self.dead = True
                    raise SystemExit(f"killed at write {self.n} ({name})")
            return attr(*args, **kwargs)

        return call


def dead_owner(prefix: str = "") -> str:
    """The owner id an exited process of this host would have held."""
    child = subprocess.Popen(["true"])
    child.wait()
    return f"{prefix}{socket.gethostname()}:{child.pid}:deadbeef"


def count_writes(run_once) -> int:
    """How many writes one clean run makes (the number of kill points to try)."""
    probe = run_once(0)
    return probe.writes
