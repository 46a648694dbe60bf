"""What every command line shares: a yes/no question on the terminal, and how a typed error is printed.

Each command has its own entry point holding its argument parsing (`core/sync/__main__.py`,
`core/store/__main__.py`, `core/forecast/__main__.py`, `core/users.py`, `core/authorize.py`).
"""

from __future__ import annotations

from collections.abc import Callable

from core.errors import FitDashError

ERROR_EXIT = 2  # a configuration, store, file or lease problem: what every command exits with for one


def confirm(question: str) -> bool:
    """Ask on the terminal; anything but y/yes (or no terminal at all) is a no."""
    try:
        return input(question).strip().lower() in ("y", "yes")
    except EOFError:
        return False


def failed(exc: FitDashError, write: Callable[[str], None] = print) -> int:
    """Print the error and what to do as one line; the exit code of a command that stopped on it."""
    write(f"error: {exc} - {exc.action}")
    return ERROR_EXIT
