"""`python -m core.forecast train`: fit the model on the stored history and save the signed artifact.

"Today" (which weeks are complete) is taken in the configured display time zone, `[app] timezone`
(`FITDASH_APP_TIMEZONE`, e.g. "Europe/Paris"), and in UTC when none is set. The signing key is
`FITDASH_MODEL_HMAC_KEY` (or `[model] hmac_key`); without either, the per-machine key `make run` writes to
`data/model-hmac.key` is used, so the command works as written on a laptop.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from core.clock import utc_now
from core.config import Settings, load_settings
from core.console import failed
from core.errors import FitDashError
from core.forecast.features import local_today
from core.forecast.training import train_and_save
from core.store import open_store

KEY_ENV = "FITDASH_MODEL_HMAC_KEY"
KEY_FILE = Path("data/model-hmac.key")  # written by `make run` (mode 0600), relative like the SQLite file

DESCRIPTION = "The what-if forecast's model (a KNN over your past weeks, signed with [model] hmac_key)."
TRAIN_HELP = ("fit the model on the stored history (weigh-ins, runs, sets) and save the signed artifact in the "
              "store; with too few usable weeks, say how many more are needed and exit 0")
EPILOG = (f"The key: {KEY_ENV}, or [model] hmac_key in .streamlit/secrets.toml, or else the file {KEY_FILE} "
          "that `make run` generates.")


def settings_with_key_file(env: Mapping[str, str], key_file: Path = KEY_FILE) -> Settings:
    """The settings; when neither the environment nor the secrets file sets a key, the key in `key_file` if any."""
    settings = load_settings(env)
    if settings.section("model").get("hmac_key") or not key_file.is_file():
        return settings
    return load_settings({**env, KEY_ENV: key_file.read_text(encoding="ascii").strip()})


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m core.forecast", description=DESCRIPTION, epilog=EPILOG)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands.add_parser("train", help=TRAIN_HELP, description=TRAIN_HELP, epilog=EPILOG)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Exit 0 when a model was saved or there are too few weeks yet (said so), 2 on a configuration or store error."""
    _parser().parse_args(argv)
    try:
        settings = settings_with_key_file(os.environ)
        outcome = train_and_save(open_store(settings), settings, local_today(utc_now(), settings.timezone))
    except FitDashError as exc:
        return failed(exc)
    print(outcome.message)  # too few weeks is an expected state, not a failure of the weekly job
    return 0


if __name__ == "__main__":
    sys.exit(main())
