"""Training from a store to a signed artifact in the same store (or S3 when hosted), and retraining after a sync."""

from __future__ import annotations

import platform
from dataclasses import dataclass

import joblib
import numpy as np
import pandas as pd
import sklearn

from core.clock import utc_now
from core.config import Settings
from core.errors import FitDashError
from core.forecast import artifact
from core.forecast.backtest import BACKTEST_COLUMNS, Choice
from core.forecast.features import TARGETS, last_complete_week, training_table
from core.forecast.model import MIN_WEEKS, MODEL_FORMAT, Fitted, NotEnoughWeeks, fit
from core.records import BODY, RUN, SET
from core.sources.strava.retention import model_runs
from core.store.base import Store


@dataclass(frozen=True)
class TrainOutcome:
    """What training did, in one sentence."""

    saved: bool
    message: str
    weeks: int


def library_versions() -> dict[str, str]:
    """The versions a pickled model depends on (a different scikit-learn may load it wrongly)."""
    return {"scikit-learn": sklearn.__version__, "joblib": joblib.__version__, "numpy": np.__version__,
            "pandas": pd.__version__, "python": platform.python_version()}


def metadata(fitted: Fitted, today: pd.Timestamp) -> dict:
    """The model card: when, on what, how good (readable after verification, without unpickling)."""
    return {
        "model_format": MODEL_FORMAT,
        "trained_at": utc_now().isoformat(timespec="seconds"),
        "trained_through": last_complete_week(today).date().isoformat(),
        "weeks_used": len(fitted.train),
        "fat_ratio_weeks": int(fitted.train[TARGETS[1]].notna().sum()),
        "first_week": fitted.train.index.min().date().isoformat(),
        "last_week": fitted.train.index.max().date().isoformat(),
        "features": list(fitted.weight.features), "targets": list(fitted.targets), "k": fitted.k,
        "features_per_target": {t: list(h.features) for t, h in fitted.heads.items()},
        "k_per_target": {t: h.k for t, h in fitted.heads.items()},
        "cv_mae": fitted.errors("mae"), "baseline_zero_mae": fitted.errors("zero"),
        "baseline_mean_mae": fitted.errors("mean"), "baseline_trend_mae": fitted.errors("trend"),
        "beats_baselines": fitted.beats_baselines, "familiar_distance": fitted.errors("familiar"),
        "feature_choice": {t: feature_choice(h.choice) for t, h in fitted.heads.items()},
        "backtest": {t: backtest_weeks(h.choice.weeks) for t, h in fitted.heads.items()},
        "versions": library_versions(),
    }


def feature_choice(choice: Choice) -> dict:
    """Which feature set the backtest kept, each set's error, and how much better the kept one is."""
    return {"kept": choice.kept, "backtest_mae": choice.mae, "improvement": round(choice.improvement, 4),
            "weeks": len(choice.weeks)}


def backtest_weeks(weeks: pd.DataFrame) -> dict[str, list]:
    """Predicted against actual per backtest week, as JSON lists (the card's backtest chart)."""
    return {"week": [w.date().isoformat() for w in weeks.index],
            **{c: [round(float(v), 5) for v in weeks[c]] for c in BACKTEST_COLUMNS}}


def verdict(fitted: Fitted) -> str:
    """The training report: the baselines, and which feature set won the backtest and by how much."""
    beats = "beats" if fitted.beats_baselines else "does NOT beat"
    choice = fitted.weight.choice
    if len(choice.weeks) == 0:
        return f"{beats} the naive baselines; features: {choice.kept} (too few weeks to backtest another set)"
    others = [name for name in choice.mae if name != choice.kept]
    return (f"{beats} the naive baselines; features: {choice.kept} (walk-forward error {abs(choice.improvement):.0%} "
            f"{'lower' if choice.improvement >= 0 else 'higher'} than {others[0] if others else 'itself'})")


def version_warnings(card: dict) -> list[str]:
    """A sentence per library whose running version differs from the one that trained the model."""
    trained = card.get("versions", {})
    running = library_versions()
    return [f"The model was trained with {name} {trained.get(name, 'unknown')} but this app runs {running[name]}: "
            "predictions may be wrong. Retrain with `python -m core.forecast train`."
            for name in ("scikit-learn",) if trained.get(name) != running[name]]


def train_and_save(store: Store, settings: Settings, today: pd.Timestamp) -> TrainOutcome:
    """Build weekly features, fit with cross-validation, sign and store the artifact."""
    key = artifact.signing_key(settings)
    runs = model_runs(store.read(RUN), settings.api_in_forecast)  # [strava] api_in_forecast
    table = training_table(store.read(BODY), runs, store.read(SET), today, settings.athlete)
    try:
        fitted = fit(table)
    except NotEnoughWeeks as exc:
        return TrainOutcome(False, f"no model: {exc}", exc.weeks)
    store.put_blob(artifact.BLOB_NAME, artifact.dump(fitted, metadata(fitted, today), key))
    fat = "" if TARGETS[1] in fitted.heads else f"; fat ratio not modelled (fewer than {MIN_WEEKS} weeks have it)"
    return TrainOutcome(True, f"model saved: {len(table)} weeks, k={fitted.k}, {verdict(fitted)}{fat}", len(table))


def retrain_if_week_completed(store: Store, settings: Settings, today: pd.Timestamp) -> TrainOutcome:
    """Retrain when a week has completed since the stored model was trained; report (never raise) a failure."""
    newest = last_complete_week(today).date().isoformat()
    try:
        key = artifact.signing_key(settings)
        try:
            card = artifact.verify(store.get_blob(artifact.BLOB_NAME), key)[0]
            through = card.get("trained_through") if card.get("model_format") == MODEL_FORMAT else None
        except artifact.ModelRejected:
            through = None  # nothing usable stored (or an older format the app refuses): train now
        if through is not None and through >= newest:
            return TrainOutcome(False, f"forecast model up to date (trained through the week of {through})", 0)
        return train_and_save(store, settings, today)
    except FitDashError as exc:
        return TrainOutcome(False, f"forecast not retrained: {exc} - {exc.action}", 0)
