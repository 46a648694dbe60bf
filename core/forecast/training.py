"""Training from a store to a signed artifact in the same store (or S3 when hosted), and retraining after a sync."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from datetime import UTC, datetime

import joblib
import numpy as np
import pandas as pd
import sklearn

from core.config import Settings
from core.errors import FitDashError
from core.forecast import artifact
from core.forecast.features import FEATURES, TARGETS, last_complete_week, training_table
from core.forecast.model import MIN_WEEKS, MODEL_FORMAT, Fitted, NotEnoughWeeks, fit
from core.records import BODY, RUN, SET
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
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "trained_through": last_complete_week(today).date().isoformat(),
        "weeks_used": len(fitted.train),
        "fat_ratio_weeks": int(fitted.train[TARGETS[1]].notna().sum()),
        "first_week": fitted.train.index.min().date().isoformat(),
        "last_week": fitted.train.index.max().date().isoformat(),
        "features": list(FEATURES), "targets": list(fitted.targets), "k": fitted.k,
        "k_per_target": {t: h.k for t, h in fitted.heads.items()},
        "cv_mae": fitted.cv_mae, "baseline_zero_mae": fitted.baseline_zero_mae,
        "baseline_mean_mae": fitted.baseline_mean_mae, "beats_baselines": fitted.beats_baselines,
        "versions": library_versions(),
    }


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
    table = training_table(store.read(BODY), store.read(RUN), store.read(SET), today)
    try:
        fitted = fit(table)
    except NotEnoughWeeks as exc:
        return TrainOutcome(False, f"no model: {exc}", exc.weeks)
    store.put_blob(artifact.BLOB_NAME, artifact.dump(fitted, metadata(fitted, today), key))
    verdict = "beats" if fitted.beats_baselines else "does NOT beat"
    fat = "" if TARGETS[1] in fitted.heads else f"; fat ratio not modelled (fewer than {MIN_WEEKS} weeks have it)"
    return TrainOutcome(True, f"model saved: {len(table)} weeks, k={fitted.k}, {verdict} the naive baselines{fat}",
                        len(table))


def retrain_if_week_completed(store: Store, settings: Settings, today: pd.Timestamp) -> TrainOutcome:
    """Retrain when a week has completed since the stored model was trained; report (never raise) a failure."""
    newest = last_complete_week(today).date().isoformat()
    try:
        key = artifact.signing_key(settings)
        try:
            through = artifact.verify(store.get_blob(artifact.BLOB_NAME), key)[0].get("trained_through")
        except artifact.ModelRejected:
            through = None  # nothing usable stored: train now
        if through is not None and through >= newest:
            return TrainOutcome(False, f"forecast model up to date (trained through the week of {through})", 0)
        return train_and_save(store, settings, today)
    except FitDashError as exc:
        return TrainOutcome(False, f"forecast not retrained: {exc} - {exc.action}", 0)
