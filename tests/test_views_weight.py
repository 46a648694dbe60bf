"""The Weight page's view: built from stored frames and widget values, independent of Streamlit."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from core.analytics import weight as wa
from core.units import SYSTEMS
from core.views import weight as weight_views
from core.views.format import format_number
from core.views.weight import weight_view
from tests.builders import daily_weigh_ins


def _body(days: int) -> pd.DataFrame:
    return daily_weigh_ins(datetime(2026, 1, 5, 6, tzinfo=UTC), days, source="demo")


def test_headline_numbers_match_the_analytics_in_the_chosen_units():
    """The trend at the end of the range and the measurement count equal a direct computation; pounds convert it."""
    body = _body(30)
    start, end = pd.Timestamp("2026-01-05"), pd.Timestamp("2026-02-03")
    trend = wa.ewma_trend(wa.daily_first(body, "weight_kg"))
    metric = weight_view(body, column="weight_kg", start=start, end=end, window=7, units=SYSTEMS["metric"])
    assert metric.trend_now == f"{format_number(trend.iloc[-1])} kg" and metric.measurements == 30
    imperial = weight_view(body, column="weight_kg", start=start, end=end, window=7, units=SYSTEMS["imperial"])
    assert imperial.trend_now == f"{format_number(trend.iloc[-1] * SYSTEMS['imperial'].kg_factor)} lb"
    assert imperial.limit_text == f"{format_number(2.0 * SYSTEMS['imperial'].kg_factor)} lb"
    assert metric.trend_help.startswith("The trend on 3 Feb 2026, the last day of the chosen range with a weigh-in")
    assert metric.weekly_rate == "-0.7 kg / week"  # 0.1 kg a day, said per week


def test_trend_at_end_of_range_is_read_on_the_ranges_last_weigh_in():
    """A range ending earlier reads the trend on its own last day, and the help text names that day."""
    body = _body(30)
    early = weight_view(body, column="weight_kg", start=pd.Timestamp("2026-01-05"), end=pd.Timestamp("2026-01-20"),
                        window=7, units=SYSTEMS["metric"])
    trend = wa.ewma_trend(wa.daily_first(body, "weight_kg"))
    assert early.trend_now == f"{format_number(trend[pd.Timestamp('2026-01-20')])} kg"
    assert "The trend on 20 Jan 2026" in early.trend_help


def test_a_range_without_measurements_is_empty():
    """A range before the first weigh-in gives the empty view (the page says so) and no figures."""
    view = weight_view(_body(5), column="weight_kg", start=pd.Timestamp("2025-01-01"),
                       end=pd.Timestamp("2025-02-01"), window=7, units=SYSTEMS["metric"])
    assert view.empty and view.main is None


def test_the_misweigh_list_is_the_most_recent_ones_newest_first_with_the_full_count(monkeypatch):
    """Many mis-weighs in a range: the list holds the newest MISWEIGH_ROWS, newest first; the count says how many."""
    monkeypatch.setattr(weight_views, "MISWEIGH_ROWS", 2)
    body = _body(60)
    slips = body.index[[20, 35, 50]]  # three days 5 kg off the trend
    body.loc[slips, "weight_kg"] += 5.0
    view = weight_view(body, column="weight_kg", start=pd.Timestamp("2026-01-05"), end=pd.Timestamp("2026-03-05"),
                       window=7, units=SYSTEMS["metric"])
    assert view.misweigh_count == 3
    assert view.misweighs["local date"].tolist() == body.loc[slips[::-1][:2], "local_date"].tolist()
