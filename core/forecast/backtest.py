"""Walk-forward backtest: every week predicted only from the weeks before it, as it would have been then.

For week t (from the MIN_WEEKS-th usable week on): the scaling is fitted on weeks 0..t-1, the k
nearest of those weeks (by week t's own training, known when it was planned) give the prediction,
and k is the candidate with the lowest error on the backtest's earlier weeks (DEFAULT_K before
there are any), so neither the neighbours, the scaling nor k ever see week t's outcome or a later
week. The baselines on the same weeks: no change; the average change of the weeks before; the
14-day trend at the week's start carried forward. `choose` runs it for each candidate feature set
and keeps the one with the lowest model error (the first, the original set, on a tie).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

DEFAULT_K = 5  # before the backtest has any error to choose k with
BACKTEST_COLUMNS = ["actual", "model", "no_change", "average", "trend", "k"]


@dataclass(frozen=True)
class Choice:
    """The feature set kept for one target, every candidate's backtest error, and the kept set's weeks."""

    kept: str
    mae: dict[str, float]
    weeks: pd.DataFrame  # indexed by week: BACKTEST_COLUMNS

    @property
    def improvement(self) -> float:
        """How much lower the kept set's error is than the original (first) set's, as a share of it."""
        first = next(iter(self.mae.values()))
        return (first - self.mae[self.kept]) / first if first else 0.0


def walk_forward(x: np.ndarray, y: np.ndarray, trend: np.ndarray, start: int, ks: tuple[int, ...]) -> np.ndarray:
    """Rows (actual, model, no change, average, trend, k) for weeks start..n-1, each from its past only."""
    rows, errors = [], np.zeros(len(ks))
    expanding = pd.DataFrame(x).expanding()  # row t: the mean and spread of weeks 0..t (Welford, stable)
    means, scales = expanding.mean().to_numpy(), expanding.std(ddof=0).to_numpy()
    for t in range(start, len(y)):
        scale = scales[t - 1]
        z = (x[: t + 1] - means[t - 1]) / np.where(scale > 1e-12, scale, 1.0)  # StandardScaler's rule
        order = _nearest(((z[:t] - z[t]) ** 2).sum(axis=1), ks[-1])
        predictions = np.cumsum(y[order])[np.array(ks) - 1] / np.array(ks)
        pick = int(np.argmin(errors)) if t > start else ks.index(DEFAULT_K) if DEFAULT_K in ks else 0
        rows.append((y[t], predictions[pick], 0.0, y[:t].mean(), trend[t], ks[pick]))
        errors += np.abs(predictions - y[t])
    return np.array(rows, dtype="float64").reshape(-1, len(BACKTEST_COLUMNS))


def _nearest(distance: np.ndarray, k: int) -> np.ndarray:
    """Positions of the k smallest distances, nearest first."""
    candidates = np.argpartition(distance, k - 1)[:k] if k < len(distance) else np.arange(len(distance))
    return candidates[np.lexsort((candidates, distance[candidates]))]


def backtest(rows: pd.DataFrame, target: str, features: tuple[str, ...], trend_column: str, start: int,
             ks: tuple[int, ...]) -> pd.DataFrame:
    """The walk-forward weeks of one target and feature set, indexed by week."""
    known = rows.dropna(subset=[target])
    ks = tuple(k for k in ks if k <= start) or (1,)
    out = walk_forward(known[list(features)].to_numpy(dtype="float64"), known[target].to_numpy(dtype="float64"),
                       known[trend_column].fillna(0.0).to_numpy(dtype="float64"), start, ks)
    return pd.DataFrame(out, columns=BACKTEST_COLUMNS, index=known.index[start:]).astype({"k": "int64"})


def mae(weeks: pd.DataFrame, column: str = "model") -> float:
    """Mean absolute error of one column of the backtest weeks (NaN when there are none)."""
    return float((weeks[column] - weeks.actual).abs().mean()) if len(weeks) else float("nan")


def choose(rows: pd.DataFrame, target: str, candidates: Mapping[str, tuple[str, ...]], trend_column: str, start: int,
           ks: tuple[int, ...]) -> Choice:
    """Backtest every candidate feature set; keep the lowest model error (the first on a tie or without weeks)."""
    weeks = {name: backtest(rows, target, features, trend_column, start, ks) for name, features in candidates.items()}
    errors = {name: mae(w) for name, w in weeks.items()}
    kept = min(errors, key=lambda name: (np.nan_to_num(errors[name], nan=np.inf), list(errors).index(name)))
    return Choice(kept, errors, weeks[kept])
