"""`python -m core.forecast train`: fit the model on the stored history and save the signed artifact.

"Today" (which weeks are complete) is taken in the configured display time zone, `[app] timezone`
(`FITDASH_APP_TIMEZONE`, e.g. "Europe/Paris"), and in UTC when none is set.
"""

from __future__ import annotations

import argparse
import os
import sys

from core.clock import utc_now
from core.config import load_settings
from core.console import failed
from core.errors import FitDashError
from core.forecast.features import local_today
from core.forecast.training import train_and_save
from core.store import open_store


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when a model was saved or there are too few weeks yet (said so), 2 on a configuration or store error."""
    parser = argparse.ArgumentParser(prog="python -m core.forecast", description="Train the what-if forecast.")
    parser.add_argument("command", choices=["train"])
    parser.parse_args(argv)
    try:
        settings = load_settings(os.environ)
        outcome = train_and_save(open_store(settings), settings, local_today(utc_now(), settings.timezone))
    except FitDashError as exc:
        return failed(exc)
    print(outcome.message)  # too few weeks is an expected state, not a failure of the weekly job
    return 0


if __name__ == "__main__":
    sys.exit(main())
