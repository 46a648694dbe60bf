"""`python -m core.forecast train`: fit the model on the stored history and save the signed artifact."""

from __future__ import annotations

import argparse
import os
import sys

import pandas as pd

from core.cli import utc_now
from core.config import load_settings
from core.errors import FitDashError
from core.forecast.training import train_and_save
from core.store import open_store


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when a model was saved, 1 when there are too few weeks, 2 on a configuration error."""
    parser = argparse.ArgumentParser(prog="python -m core.forecast", description="Train the what-if forecast.")
    parser.add_argument("command", choices=["train"])
    parser.parse_args(argv)
    try:
        settings = load_settings(os.environ)
        outcome = train_and_save(open_store(settings), settings, pd.Timestamp(utc_now()).tz_localize(None))
    except FitDashError as exc:
        print(f"error: {exc} - {exc.action}")
        return 2
    print(outcome.message)
    return 0 if outcome.saved else 1


if __name__ == "__main__":
    sys.exit(main())
