"""Weight-page analytics. Definitions (docs/analytics.md repeats them for people):

- Several weigh-ins a day: trends use the FIRST weigh-in of each local day (the morning weight,
  before food and drink); every weigh-in is still shown as a point.
- Rolling mean: the mean over a window of N calendar days (time-based, not N samples), because
  weigh-ins are irregular.
- Trend: the Hacker's Diet exponentially smoothed moving average, trend += ALPHA * (value - trend)
  for each day with a weigh-in, starting at the first value; days without one leave it unchanged.
- Weekly change: the trend at the last weigh-in of a local Monday-to-Sunday week minus the trend
  at the last weigh-in of the week before; a week after a week without weigh-ins gets no change
  (a two-week change is never drawn as one week's).
- Weekly rate: the least-squares slope of the daily values over the last RATE_DAYS days, x 7.
- Probable mis-weigh: a weigh-in more than MISWEIGH_KG away from the trend of the day before.
- Chart budget: a chart draws at most CHART_BUDGET points. When every weigh-in plus the daily lines
  would exceed it (ranges of several years), points become weekly medians of the weigh-ins (drawn on
  the week's Thursday) and lines are sampled at each week's last day with a value.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from core.analytics import between

ALPHA = 0.1  # Hacker's Diet smoothing: each day moves the trend 10% of the way to the scale
RATE_DAYS = 14
MIN_RATE_POINTS = 4  # fewer daily values than this in the window gives no rate
MISWEIGH_KG = 2.0  # water and food swing a day's weight by ~1 kg; 2 kg off the trend is suspicious
MISWEIGH_PT = 3.0  # bio-impedance fat ratio is noisier: 3 percentage points off the trend
CHART_BUDGET = 5_000  # points per chart: beyond a few thousand SVG markers the browser stalls (performance.md)
METRICS = {
    "weight_kg": "Weight",
    "fat_ratio_pct": "Fat ratio",
    "fat_mass_kg": "Fat mass",
    "lean_mass_kg": "Lean mass",
    "muscle_mass_kg": "Muscle mass",
}


def in_range(body: pd.DataFrame, start: pd.Timestamp | None, end: pd.Timestamp | None) -> pd.DataFrame:
    """Weigh-ins whose local date lies in [start, end] (either bound may be None)."""
    return between(body, body.local_date, start, end)


def daily_first(body: pd.DataFrame, column: str) -> pd.Series:
    """The first value of each local day (several weigh-ins a day count once), indexed by date."""
    rows = body.dropna(subset=[column]).sort_values("time_utc")
    return rows.groupby("local_date")[column].first().rename(column)


def rolling_mean(daily: pd.Series, days: int) -> pd.Series:
    """Mean over the last `days` calendar days at each daily value (time-based window)."""
    return daily.sort_index().rolling(f"{days}D").mean()


def ewma_trend(daily: pd.Series, alpha: float = ALPHA) -> pd.Series:
    """Hacker's Diet trend at each day that has a value."""
    values = daily.sort_index()
    trend, out = None, []
    for value in values.to_numpy(dtype=float):
        trend = value if trend is None else trend + alpha * (value - trend)
        out.append(trend)
    return pd.Series(out, index=values.index, name="trend", dtype="float64")


def trend_series(body: pd.DataFrame, column: str = "weight_kg") -> pd.Series:
    """The trend of a body column per local date (what the forecast's targets are built on)."""
    return ewma_trend(daily_first(body, column))


def weekly_change(trend: pd.Series) -> pd.Series:
    """Trend change per local Monday-Sunday week, indexed by the week's Monday."""
    if trend.empty:
        return pd.Series(dtype="float64", name="weekly_change")
    week_end = trend.groupby(_monday(trend.index)).last()
    consecutive = (week_end.index.to_series().diff() == pd.Timedelta(days=7)).to_numpy()
    return week_end.diff()[consecutive].rename("weekly_change")


def _monday(dates: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return dates - pd.to_timedelta(dates.day_of_week, unit="D")


def weekly_rate(daily: pd.Series, days: int = RATE_DAYS) -> float | None:
    """Slope of daily values over the last `days` days, per week; None with too few values."""
    if daily.empty:
        return None
    recent = daily[daily.index > daily.index.max() - pd.Timedelta(days=days)]
    if len(recent) < MIN_RATE_POINTS:
        return None
    x = (recent.index - recent.index[0]).days.to_numpy(dtype=float)
    slope = np.polyfit(x, recent.to_numpy(dtype=float), 1)[0]
    return float(slope * 7)


def rolling_rate(daily: pd.Series, days: int = RATE_DAYS) -> pd.Series:
    """`weekly_rate` at every calendar day at once: the slope over (day - days, day], x 7; NaN with too few values."""
    if daily.empty:
        return pd.Series(dtype="float64")
    full = pd.date_range(daily.index.min(), daily.index.max(), freq="D", name=daily.index.name)
    y = daily.reindex(full).astype("float64")
    x = pd.Series(np.arange(len(full), dtype="float64"), index=full).where(y.notna())
    sums = {name: s.rolling(days, min_periods=1).sum() for name, s in
            (("n", y.notna().astype("float64")), ("x", x), ("y", y), ("xy", x * y), ("xx", x * x))}
    n = sums["n"]
    spread = n * sums["xx"] - sums["x"] ** 2
    slope = (n * sums["xy"] - sums["x"] * sums["y"]) / spread.where(spread > 0)
    return (slope * 7).where(n >= MIN_RATE_POINTS).rename("rate")


def misweigh_limit(column: str) -> float:
    """How far from the trend a value of this column must be to be flagged."""
    return MISWEIGH_PT if column == "fat_ratio_pct" else MISWEIGH_KG


def flag_misweighs(body: pd.DataFrame, column: str = "weight_kg", limit: float | None = None,
                   trend: pd.Series | None = None) -> pd.DataFrame:
    """Weigh-ins further than `limit` from the previous day's trend, with that trend and the gap.

    `trend` is `trend_series(body, column)`, passed in when the caller already has it.
    """
    limit = misweigh_limit(column) if limit is None else limit
    trend = trend_series(body, column) if trend is None else trend
    rows = body.dropna(subset=[column]).sort_values("time_utc")
    if rows.empty or len(trend) < 2:
        return rows.assign(trend=pd.Series(dtype="float64"), gap=pd.Series(dtype="float64")).iloc[0:0]
    previous = trend.shift(1).reindex(rows.local_date).to_numpy()
    rows = rows.assign(trend=previous, gap=rows[column].to_numpy() - previous)
    return rows[rows.gap.abs() > limit].reset_index(drop=True)


def weekly_last(series: pd.Series) -> pd.Series:
    """The last value of each local Monday-Sunday week, at its own date (a line thinned to weekly)."""
    values = series.dropna().sort_index()
    return values.groupby(_monday(values.index)).tail(1)


def weekly_median(body: pd.DataFrame, column: str) -> pd.Series:
    """Median of every measurement of each local week, dated on the week's Thursday (its middle)."""
    rows = body.dropna(subset=[column])
    medians = rows.groupby(_monday(pd.DatetimeIndex(rows.local_date)))[column].median()
    medians.index = (medians.index + pd.Timedelta(days=3)).rename("local_date")
    return medians


def fit_lines(lines: list[pd.Series], budget: int = CHART_BUDGET) -> tuple[list[pd.Series], bool]:
    """The lines as they are if their points fit the budget, else each sampled weekly (and True)."""
    if sum(len(line) for line in lines) <= budget:
        return lines, False
    return [weekly_last(line) for line in lines], True


@dataclass(frozen=True)
class MetricView:
    """What the metric chart draws, every series indexed by local date."""

    points: pd.Series
    rolling: pd.Series
    trend: pd.Series
    misweighs: pd.Series
    weekly: bool


def metric_view(shown: pd.DataFrame, column: str, rolling: pd.Series, trend: pd.Series,
                misweighs: pd.DataFrame, budget: int = CHART_BUDGET) -> MetricView:
    """Every weigh-in and the daily lines if they fit the budget, else weekly medians and weekly lines."""
    points = shown.dropna(subset=[column]).set_index("local_date")[column]
    flagged = misweighs.set_index("local_date")[column]
    if len(points) + len(rolling) + len(trend) + len(flagged) <= budget:
        return MetricView(points, rolling, trend, flagged, False)
    rolling, trend = weekly_last(rolling), weekly_last(trend)
    return MetricView(weekly_median(shown, column), rolling, trend, flagged, True)
