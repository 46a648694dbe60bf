"""Training from a store to a signed artifact in the same store (or S3 when hosted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
import sklearn

from core.config import Settings
from core.forecast import artifact
from core.forecast.features import FEATURES, TARGETS, training_table
from core.forecast.model import Fitted, NotEnoughWeeks, fit
from core.records import BODY, RUN, SET
from core.store.base import Store


@dataclass(frozen=True)
class TrainOutcome:
    """What training did, in one sentence."""

    saved: bool
    message: str
    weeks: int


def metadata(fitted: Fitted) -> dict:
    """The model card: when, on what, how good (readable after verification, without unpickling)."""
    return {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "weeks_used": len(fitted.train),
        "first_week": fitted.train.index.min().date().isoformat(),
        "last_week": fitted.train.index.max().date().isoformat(),
        "features": list(FEATURES), "targets": list(TARGETS), "k": fitted.k,
        "cv_mae": fitted.cv_mae, "baseline_zero_mae": fitted.baseline_zero_mae,
        "baseline_mean_mae": fitted.baseline_mean_mae, "beats_baselines": fitted.beats_baselines,
        "versions": {"scikit-learn": sklearn.__version__, "pandas": pd.__version__},
    }


def train_and_save(store: Store, settings: Settings, today: pd.Timestamp) -> TrainOutcome:
    """Build weekly features, fit with cross-validation, sign and store the artifact."""
    key = artifact.signing_key(settings)
    table = training_table(store.read(BODY), store.read(RUN), store.read(SET), today)
    try:
        fitted = fit(table)
    except NotEnoughWeeks as exc:
        return TrainOutcome(False, f"no model: {exc}", exc.weeks)
    card = metadata(fitted)
    store.put_blob(artifact.BLOB_NAME, artifact.dump(fitted, card, key))
    verdict = "beats" if fitted.beats_baselines else "does NOT beat"
    return TrainOutcome(True, f"model saved: {len(table)} weeks, k={fitted.k}, {verdict} the naive baselines",
                        len(table))
