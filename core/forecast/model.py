"""The model: scaling + k-nearest neighbours on weekly training, both targets at once.

k is chosen by time-ordered cross-validation (each fold trains on the past, tests on the next
weeks); the chosen model's mean absolute error is reported next to two naive baselines on the same
folds: "no change" (0 per week) and "the average weekly change" of the training weeks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.neighbors import KNeighborsRegressor
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from core.forecast.features import FEATURES, TARGETS

MIN_WEEKS = 20  # below this, cross-validation folds are too small to say anything
K_CANDIDATES = (3, 5, 7, 9, 11, 15)
FOLDS = 5


@dataclass
class Fitted:
    """A fitted pipeline, the weeks it learnt from, and its honest errors."""

    pipeline: Pipeline
    train: pd.DataFrame
    k: int
    cv_mae: dict[str, float] = field(default_factory=dict)
    baseline_zero_mae: dict[str, float] = field(default_factory=dict)
    baseline_mean_mae: dict[str, float] = field(default_factory=dict)

    @property
    def beats_baselines(self) -> bool:
        """True when the model's weight error is below both baselines' on the same folds."""
        t = TARGETS[0]
        return self.cv_mae[t] < min(self.baseline_zero_mae[t], self.baseline_mean_mae[t])


class NotEnoughWeeks(ValueError):
    """Fewer usable weeks than MIN_WEEKS."""

    def __init__(self, weeks: int) -> None:
        super().__init__(f"{weeks} usable weeks; the forecast needs at least {MIN_WEEKS} "
                         f"({MIN_WEEKS - weeks} more weeks with weigh-ins at both ends)")
        self.weeks = weeks


def _pipeline(k: int) -> Pipeline:
    return make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=k))


def cross_validate(table: pd.DataFrame) -> tuple[int, dict, dict, dict]:
    """Pick k by time-ordered CV; return k and the MAE per target of the model and both baselines."""
    x, y = table[list(FEATURES)].to_numpy(), table[list(TARGETS)].to_numpy()
    splits = list(TimeSeriesSplit(n_splits=FOLDS).split(x))
    min_train = min(len(train) for train, _ in splits)
    errors = {}
    for k in [k for k in K_CANDIDATES if k <= min_train]:
        folds = [np.abs(_pipeline(k).fit(x[tr], y[tr]).predict(x[te]) - y[te]) for tr, te in splits]
        errors[k] = np.concatenate(folds).mean(axis=0)
    zero = np.concatenate([np.abs(y[te]) for _, te in splits]).mean(axis=0)
    mean = np.concatenate([np.abs(y[te] - y[tr].mean(axis=0)) for tr, te in splits]).mean(axis=0)
    best = min(errors, key=lambda k: float((errors[k] / np.maximum(zero, 1e-9)).sum()))
    as_dict = lambda arr: {t: float(v) for t, v in zip(TARGETS, arr, strict=True)}  # noqa: E731
    return best, as_dict(errors[best]), as_dict(zero), as_dict(mean)


def fit(table: pd.DataFrame) -> Fitted:
    """Cross-validate, then fit on every usable week."""
    if len(table) < MIN_WEEKS:
        raise NotEnoughWeeks(len(table))
    k, cv, zero, mean = cross_validate(table)
    pipeline = _pipeline(k).fit(table[list(FEATURES)].to_numpy(), table[list(TARGETS)].to_numpy())
    return Fitted(pipeline, table.copy(), k, cv, zero, mean)


def neighbours(fitted: Fitted, scenario: dict[str, float]) -> pd.DataFrame:
    """The k past weeks most similar to a scenario, with their training and what followed."""
    x = np.array([[scenario[f] for f in FEATURES]])
    scaled = fitted.pipeline[:-1].transform(x)
    _, index = fitted.pipeline[-1].kneighbors(scaled)
    return fitted.train.iloc[index[0]]


def predict(fitted: Fitted, scenario: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Predicted weekly change per target and the neighbours' spread (standard deviation)."""
    near = neighbours(fitted, scenario)
    mean = {t: float(near[t].mean()) for t in TARGETS}
    spread = {t: float(near[t].std(ddof=0)) for t in TARGETS}
    return mean, spread


def project(start: float, weekly: float, spread: float, weeks: int) -> pd.DataFrame:
    """Cumulative projection from `start`: mean and a band widening with sqrt(weeks)."""
    horizon = np.arange(weeks + 1)
    centre = start + weekly * horizon
    width = spread * np.sqrt(horizon)
    return pd.DataFrame({"week": horizon, "mean": centre, "low": centre - width, "high": centre + width})
