"""Files that hold secrets (.streamlit/secrets.toml): written readable by their owner only, checked when read.

Any user of the machine who can read secrets.toml can log in as anyone (the cookie key mints remember-me
cookies) and read every token and key in it.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path

PRIVATE_MODE = 0o600
OTHERS = stat.S_IRWXG | stat.S_IRWXO  # any permission for the group or other users


def write_private_file(path: Path, text: str) -> None:
    """Replace a file's content with mode 0600, atomically (a crash leaves the old file or the new one)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_MODE)
    try:
        os.fchmod(fd, PRIVATE_MODE)  # O_CREAT's mode does not apply to a temporary file left by a crash
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            fd = -1  # closed by the handle from here on
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    finally:
        if fd >= 0:
            os.close(fd)
    os.replace(temporary, path)


def exposed_files(names: Iterable[str | Path]) -> list[tuple[Path, int]]:
    """The existing files among `names` (`~` expanded) that the group or other users may read or write, with their
    modes."""
    found = []
    for path in (Path(name).expanduser() for name in names):
        try:
            mode = stat.S_IMODE(path.stat().st_mode)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if mode & OTHERS:
            found.append((path, mode))
    return found


def exposure_warning(path: Path, mode: int) -> str:
    """What to tell whoever runs the app about a secrets file others may read."""
    return (f"{path} can be read or changed by other users of this machine (mode {mode:04o}): anyone who reads it "
            f"can log in as any user. Run `chmod 600 {path}`.")
