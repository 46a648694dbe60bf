"""The model: scaling + k-nearest neighbours on weekly training, one head per target.

Weight change is required: without MIN_WEEKS usable weeks there is no model. Fat-ratio change gets
its own head only when at least MIN_WEEKS weeks have it (a weight-only scale gives a weight-only model).
Each head's k is chosen by time-ordered cross-validation (each fold trains on the past, tests on the
next weeks); its mean absolute error is reported next to two naive baselines on the same folds:
"no change" (0 per week) and "the average weekly change" of the fold's training weeks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.neighbors import KNeighborsRegressor, NearestNeighbors
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from core.forecast.features import FEATURES, TARGETS

MIN_WEEKS = 20  # below this, cross-validation folds are too small to say anything
K_CANDIDATES = (3, 5, 7, 9, 11, 15)
FOLDS = 5
MODEL_FORMAT = 2  # bumped when the pickled class changes shape; older artifacts are refused, not unpickled


@dataclass
class Head:
    """One target's fitted pipeline, the weeks it learnt from, and its honest errors."""

    target: str
    pipeline: Pipeline
    train: pd.DataFrame
    k: int
    cv_mae: float
    baseline_zero_mae: float
    baseline_mean_mae: float


@dataclass
class Fitted:
    """The weight head (always) and the fat-ratio head (when enough weeks have a fat reading)."""

    heads: dict[str, Head]

    @property
    def weight(self) -> Head:
        return self.heads[TARGETS[0]]

    @property
    def train(self) -> pd.DataFrame:
        """Every usable week (weight change known), with both targets where known."""
        return self.weight.train

    @property
    def k(self) -> int:
        return self.weight.k

    @property
    def targets(self) -> tuple[str, ...]:
        return tuple(self.heads)

    @property
    def cv_mae(self) -> dict[str, float]:
        return {t: h.cv_mae for t, h in self.heads.items()}

    @property
    def baseline_zero_mae(self) -> dict[str, float]:
        return {t: h.baseline_zero_mae for t, h in self.heads.items()}

    @property
    def baseline_mean_mae(self) -> dict[str, float]:
        return {t: h.baseline_mean_mae for t, h in self.heads.items()}

    @property
    def beats_baselines(self) -> bool:
        """True when the model's weight error is below both baselines' on the same folds."""
        w = self.weight
        return w.cv_mae < min(w.baseline_zero_mae, w.baseline_mean_mae)


class NotEnoughWeeks(ValueError):
    """Fewer usable weeks than MIN_WEEKS."""

    def __init__(self, weeks: int) -> None:
        super().__init__(f"{weeks} usable weeks; the forecast needs at least {MIN_WEEKS} "
                         f"({MIN_WEEKS - weeks} more weeks with weigh-ins at both ends)")
        self.weeks = weeks


def _pipeline(k: int) -> Pipeline:
    return make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=k))


def cross_validate(x: np.ndarray, y: np.ndarray) -> tuple[int, float, float, float]:
    """Pick k by time-ordered CV; return k and the MAE of the model and both baselines.

    Per fold the neighbours are searched once (for the largest k) and every k's prediction is the
    mean of the first k of them: the same uniform k-NN prediction, without a search per k.
    """
    splits = list(TimeSeriesSplit(n_splits=FOLDS).split(x))
    ks = [k for k in K_CANDIDATES if k <= min(len(train) for train, _ in splits)]
    errors = {k: [] for k in ks}
    for tr, te in splits:
        scaler = StandardScaler().fit(x[tr])
        search = NearestNeighbors(n_neighbors=ks[-1]).fit(scaler.transform(x[tr]))
        nearest = y[tr][search.kneighbors(scaler.transform(x[te]), return_distance=False)]
        running = np.cumsum(nearest, axis=1)
        for k in ks:
            errors[k].append(np.abs(running[:, k - 1] / k - y[te]))
    mae = {k: float(np.concatenate(e).mean()) for k, e in errors.items()}
    zero = float(np.concatenate([np.abs(y[te]) for _, te in splits]).mean())
    mean = float(np.concatenate([np.abs(y[te] - y[tr].mean()) for tr, te in splits]).mean())
    best = min(mae, key=mae.__getitem__)
    return best, mae[best], zero, mean


def fit_head(table: pd.DataFrame, target: str) -> Head:
    """Cross-validate, then fit one target on every week where it is known."""
    rows = table.dropna(subset=[target])
    if len(rows) < MIN_WEEKS:
        raise NotEnoughWeeks(len(rows))
    x, y = rows[list(FEATURES)].to_numpy(), rows[target].to_numpy()
    k, cv, zero, mean = cross_validate(x, y)
    return Head(target, _pipeline(k).fit(x, y), rows.copy(), k, cv, zero, mean)


def fit(table: pd.DataFrame) -> Fitted:
    """The weight head (NotEnoughWeeks without enough weeks), plus fat ratio when enough weeks have it."""
    heads = {TARGETS[0]: fit_head(table, TARGETS[0])}
    if table[TARGETS[1]].notna().sum() >= MIN_WEEKS:
        heads[TARGETS[1]] = fit_head(table, TARGETS[1])
    return Fitted(heads)


def _nearest(head: Head, scenarios: list[dict[str, float]]) -> np.ndarray:
    """Row positions in head.train of each scenario's k nearest weeks (one search for all scenarios)."""
    x = np.array([[s[f] for f in FEATURES] for s in scenarios], dtype="float64")
    return head.pipeline[-1].kneighbors(head.pipeline[0].transform(x), return_distance=False)


def neighbours(fitted: Fitted, scenario: dict[str, float]) -> pd.DataFrame:
    """The k past weeks most similar to a scenario (by the weight head), with their training and what followed."""
    return fitted.weight.train.iloc[_nearest(fitted.weight, [scenario])[0]]


def predict_many(fitted: Fitted, scenarios: list[dict[str, float]]) -> list[tuple[dict, dict]]:
    """Per scenario: predicted weekly change per modelled target, and the neighbours' spread (standard deviation)."""
    out = [({}, {}) for _ in scenarios]
    for target, head in fitted.heads.items():
        values = head.train[target].to_numpy()[_nearest(head, scenarios)]
        for (mean, spread), row in zip(out, values, strict=True):
            mean[target], spread[target] = float(row.mean()), float(row.std())
    return out


def predict(fitted: Fitted, scenario: dict[str, float]) -> tuple[dict[str, float], dict[str, float]]:
    """Predicted weekly change per modelled target and the neighbours' spread (standard deviation)."""
    return predict_many(fitted, [scenario])[0]


def project(start: float, weekly: float, spread: float, weeks: int) -> pd.DataFrame:
    """Cumulative projection from `start`: mean and a band widening with sqrt(weeks)."""
    horizon = np.arange(weeks + 1)
    centre = start + weekly * horizon
    width = spread * np.sqrt(horizon)
    return pd.DataFrame({"week": horizon, "mean": centre, "low": centre - width, "high": centre + width})
