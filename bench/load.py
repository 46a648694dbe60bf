"""Training load and the forecast that learns from it, on ten years of data. `python -m bench.load` runs it alone."""

from __future__ import annotations

import secrets
import sys
import tempfile
from pathlib import Path

import pandas as pd

from bench.common import NOW, Row, table, ten_year_store, timed
from core.analytics.athlete import Athlete
from core.analytics.fitness import daily_load, fitness
from core.analytics.run_load import run_loads
from core.analytics.strength_load import strength_loads
from core.config import build_settings
from core.forecast import model
from core.forecast.features import FEATURES, training_table
from core.forecast.training import train_and_save
from core.records import BODY, RUN, SET
from core.store.base import Store

HEART_RATE = Athlete("male", birth_year=1985, resting_hr_bpm=50.0)  # the demo runs have an average HR
RUNS = 5


def _load(runs: pd.DataFrame, sets: pd.DataFrame, athlete: Athlete) -> pd.DataFrame:
    return fitness(daily_load(run_loads(runs, athlete), strength_loads(sets)))


def load_rows(store: Store, key: str) -> list[Row]:
    """Load per session to fitness/fatigue/form; the training table; fitting with and without the load features."""
    body, runs, sets = store.read(BODY), store.read(RUN), store.read(SET)
    today = pd.Timestamp(NOW).tz_localize(None)
    days = len(_load(runs, sets, HEART_RATE))
    rows = [Row(f"training load, 10 years ({len(runs)} runs, {sets.session_date.nunique()} sessions, {days} days): "
                f"{label}", timed(lambda a=athlete: _load(runs, sets, a), RUNS), "s", "< 1 s",
                "per-session load, daily load, chronic, acute, form, ratio, bands")
            for label, athlete in (("pace estimate", Athlete()), ("average HR", HEART_RATE))]
    rows.append(Row("forecast training table with the load features", timed(
        lambda: training_table(body, runs, sets, today, HEART_RATE), RUNS), "s", "", "weekly features + targets"))
    weeks = training_table(body, runs, sets, today, HEART_RATE)
    rows.append(Row("forecast fit, the original features only (their backtest, then CV)",
                    timed(lambda: model.fit(weeks, {"training": FEATURES}), RUNS), "s", "", f"{len(weeks)} weeks"))
    rows.append(Row("forecast fit, both feature sets backtested walk-forward, then CV",
                    timed(lambda: model.fit(weeks), RUNS), "s", "", "what training does"))
    settings = build_settings({"model": {"hmac_key": key}, "athlete": {"sex": "male", "birth_year": 1985,
                                                                        "resting_hr_bpm": 50}}, {})
    rows.append(Row("forecast training on 10 years of weeks, with load features", timed(
        lambda: train_and_save(store, settings, today), 3), "s", "< 2 s", "store read, table, fit, sign, save"))
    return rows


def main() -> int:
    store = ten_year_store(Path(tempfile.mkdtemp()) / "ten_years.db")
    print(table(load_rows(store, secrets.token_hex(32))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
