"""The model: scaling + k-nearest neighbours on weekly training, one head per target.

Weight change is required: without MIN_WEEKS usable weeks there is no model. Fat-ratio change gets
its own head only when at least MIN_WEEKS weeks have it (a weight-only scale gives a weight-only model).
Per head, the walk-forward backtest (core.forecast.backtest) compares the original features with
the features plus load and keeps the better; then k is chosen by time-ordered cross-validation
(each fold trains on the past, tests on the next weeks) and its mean absolute error is reported next
to three naive baselines on the same folds: "no change" (0 per week), "the average weekly change" of
the fold's training weeks, and "the 14-day trend carried forward" (the weight trend before the week).
Cross-validation also records how far test weeks were from their k neighbours: a plan further than
FAMILIAR_QUANTILE of them is unlike anything the model was tested on (core/views/forecast_honesty.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.model_selection import TimeSeriesSplit
from sklearn.neighbors import KNeighborsRegressor, NearestNeighbors
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from core.forecast.backtest import Choice, choose
from core.forecast.features import FEATURE_SETS, TARGETS
from core.forecast.load_features import PRIOR_RATE

MIN_WEEKS = 20  # below this, cross-validation folds are too small to say anything
K_CANDIDATES = (3, 5, 7, 9, 11, 15)
FOLDS = 5
FAMILIAR_QUANTILE = 0.95  # of the cross-validated weeks' distances to their neighbours
MODEL_FORMAT = 3  # bumped when the pickled class changes shape; older artifacts are refused, not unpickled


@dataclass(frozen=True)
class CrossValidation:
    """The k chosen, the model's and the baselines' errors on the same folds, and the familiar distance."""

    k: int
    mae: float
    zero: float
    mean: float
    trend: float
    familiar: float


@dataclass
class Head:
    """One target's fitted pipeline, its features, the weeks it learnt from, and its honest errors."""

    target: str
    features: tuple[str, ...]
    pipeline: Pipeline
    train: pd.DataFrame
    cv: CrossValidation
    choice: Choice

    @property
    def k(self) -> int:
        return self.cv.k

    def x(self, scenarios: list[dict[str, float]]) -> np.ndarray:
        """Scenarios as the head's feature matrix."""
        return np.array([[s[f] for f in self.features] for s in scenarios], dtype="float64")


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
    def beats_baselines(self) -> bool:
        """True when the model's weight error is below all three baselines' on the same folds."""
        cv = self.weight.cv
        return cv.mae < min(cv.zero, cv.mean, cv.trend)

    def errors(self, name: str) -> dict[str, float]:
        """One cross-validated error (mae, zero, mean or trend) per modelled target."""
        return {t: getattr(h.cv, name) for t, h in self.heads.items()}


class NotEnoughWeeks(ValueError):
    """Fewer usable weeks than MIN_WEEKS."""

    def __init__(self, weeks: int) -> None:
        super().__init__(f"{weeks} usable weeks; the forecast needs at least {MIN_WEEKS} "
                         f"({MIN_WEEKS - weeks} more weeks with weigh-ins at both ends)")
        self.weeks = weeks


def _pipeline(k: int) -> Pipeline:
    return make_pipeline(StandardScaler(), KNeighborsRegressor(n_neighbors=k))


def cross_validate(x: np.ndarray, y: np.ndarray, trend: np.ndarray) -> CrossValidation:
    """Pick k by time-ordered CV; the MAE of the model and the three baselines; the familiar distance.

    Per fold the neighbours are searched once (for the largest k) and every k's prediction is the
    mean of the first k of them: the same uniform k-NN prediction, without a search per k.
    """
    splits = list(TimeSeriesSplit(n_splits=FOLDS).split(x))
    ks = [k for k in K_CANDIDATES if k <= min(len(train) for train, _ in splits)]
    errors, distances = {k: [] for k in ks}, []
    for tr, te in splits:
        scaler = StandardScaler().fit(x[tr])
        search = NearestNeighbors(n_neighbors=ks[-1]).fit(scaler.transform(x[tr]))
        distance, index = search.kneighbors(scaler.transform(x[te]))
        running = np.cumsum(y[tr][index], axis=1)
        for k in ks:
            errors[k].append(np.abs(running[:, k - 1] / k - y[te]))
        distances.append(np.cumsum(distance, axis=1) / np.arange(1, ks[-1] + 1))
    mae = {k: float(np.concatenate(e).mean()) for k, e in errors.items()}
    best = min(mae, key=mae.__getitem__)
    tested = np.concatenate([idx for _, idx in splits])
    return CrossValidation(
        best, mae[best], float(np.abs(y[tested]).mean()),
        float(np.concatenate([np.abs(y[te] - y[tr].mean()) for tr, te in splits]).mean()),
        float(np.abs(y[tested] - trend[tested]).mean()),
        float(np.quantile(np.concatenate(distances)[:, best - 1], FAMILIAR_QUANTILE)))


def fit_head(table: pd.DataFrame, target: str, candidates: dict[str, tuple[str, ...]] = FEATURE_SETS) -> Head:
    """Keep the feature set the backtest prefers, cross-validate k, then fit on every week where the target is known."""
    rows = table.dropna(subset=[target])
    if len(rows) < MIN_WEEKS:
        raise NotEnoughWeeks(len(rows))
    trend_column = PRIOR_RATE[target]
    usable = {name: features for name, features in candidates.items() if set(features) <= set(rows.columns)}
    choice = choose(rows, target, usable, trend_column, MIN_WEEKS, K_CANDIDATES)
    features = usable[choice.kept]
    x, y = rows[list(features)].to_numpy(dtype="float64"), rows[target].to_numpy(dtype="float64")
    cv = cross_validate(x, y, rows[trend_column].fillna(0.0).to_numpy(dtype="float64"))
    return Head(target, tuple(features), _pipeline(cv.k).fit(x, y), rows.copy(), cv, choice)


def fit(table: pd.DataFrame, candidates: dict[str, tuple[str, ...]] = FEATURE_SETS) -> Fitted:
    """The weight head (NotEnoughWeeks without enough weeks), plus fat ratio when enough weeks have it."""
    heads = {TARGETS[0]: fit_head(table, TARGETS[0], candidates)}
    if table[TARGETS[1]].notna().sum() >= MIN_WEEKS:
        heads[TARGETS[1]] = fit_head(table, TARGETS[1], candidates)
    return Fitted(heads)


def nearest(head: Head, scenarios: list[dict[str, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Distances (in the scaled space) and row positions in head.train of each scenario's k nearest weeks."""
    return head.pipeline[-1].kneighbors(head.pipeline[0].transform(head.x(scenarios)))


def neighbours(fitted: Fitted, scenario: dict[str, float]) -> pd.DataFrame:
    """The k past weeks most similar to a scenario (by the weight head), with their training and what followed."""
    return fitted.weight.train.iloc[nearest(fitted.weight, [scenario])[1][0]]


def predict_many(fitted: Fitted, scenarios: list[dict[str, float]]) -> list[tuple[dict, dict]]:
    """Per scenario: predicted weekly change per modelled target, and the neighbours' spread (standard deviation)."""
    out = [({}, {}) for _ in scenarios]
    for target, head in fitted.heads.items():
        values = head.train[target].to_numpy()[nearest(head, scenarios)[1]]
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
