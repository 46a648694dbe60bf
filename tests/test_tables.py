"""Small tables as Markdown or HTML: what the reader sees in each cell, and that no cell can break the table."""

import pandas as pd

from core.views.format import DASH
from core.views.tables import Link, html_table, markdown_table
from tests.html_tables import table_rows


def _rows(text: str) -> list[str]:
    return text.splitlines()


def test_numbers_are_right_aligned_rounded_and_never_end_in_a_zero_decimal():
    """A numeric column is right-aligned; at most 2 decimals by default, none that is a trailing zero; NaN is a dash."""
    text = markdown_table(pd.DataFrame({"km": [21.754, None, 1234.5], "sets": [3.0, 2.0, 12.0],
                                        "load": [32.0, 47.5, 11.004]}))
    assert _rows(text) == ["| km | sets | load |", "|---:|---:|---:|", "| 21.75 | 3 | 32 |", "| – | 2 | 47.5 |",
                           "| 1,234.5 | 12 | 11 |"]
    assert _rows(markdown_table(pd.DataFrame({"mae": [0.12345]}), decimals=3))[2] == "| 0.123 |"


def test_dates_show_without_a_midnight_time_and_never_wrap():
    """Midnight-only times show as '2 Mar 2026', others with hh:mm; spaces are non-breaking; NaT is a dash."""
    frame = pd.DataFrame({"day": pd.to_datetime(["2026-03-02", None]),
                          "at": pd.to_datetime(["2026-03-02 07:05", "2026-03-03 00:00"])})
    rows = _rows(markdown_table(frame))
    assert rows[1] == "|:---|:---|"
    assert rows[2] == "| 2\u00a0Mar\u00a02026 | 2\u00a0Mar\u00a02026\u00a007:05 |"
    assert rows[3] == "| – | 3\u00a0Mar\u00a02026\u00a000:00 |"


def test_durations_are_right_aligned_as_h_mm_ss():
    """A timedelta column (a moving time) shows as h:mm:ss, right-aligned; a missing one is a dash."""
    frame = pd.DataFrame({"moving time": pd.to_timedelta([2166, 3909.6, None], unit="s")})
    assert _rows(markdown_table(frame)) == ["| moving time |", "|---:|", "| 0:36:06 |", "| 1:05:10 |", "| – |"]


def test_text_with_markdown_characters_shows_as_typed_and_keeps_the_columns():
    """A pipe, asterisks, a dollar sign or a line break in a name cannot add a column or change the format."""
    frame = pd.DataFrame({"exercise": ["Back | squat", "*heavy* $5", "two\nlines", "Clean &amp; jerk", None]})
    assert _rows(markdown_table(frame))[2:] == ["| Back \\| squat |", "| \\*heavy\\* \\$5 |", "| two lines |",
                                                 "| Clean \\&amp; jerk |", "| – |"]


def test_the_index_becomes_the_first_column_when_asked():
    """With index=True the row labels are shown first, under the index's name (blank when it has none)."""
    frame = pd.DataFrame({"km": [10.0, 5.0]}, index=pd.Index(["last run", "previous run"]))
    assert _rows(markdown_table(frame, index=True)) == ["|  | km |", "|:---|---:|", "| last run | 10 |",
                                                        "| previous run | 5 |"]


def test_missing_text_and_nullable_numbers_show_a_dash():
    """pandas' NA in a string or nullable-integer column (a run without a sport type) is a dash, not an error."""
    frame = pd.DataFrame({"sport": pd.array(["Run", pd.NA], dtype="string"),
                          "reps": pd.array([5, pd.NA], dtype="Int64")})
    assert markdown_table(frame).splitlines()[2:] == ["| Run | 5 |", f"| {DASH} | {DASH} |"]


def test_an_html_table_shows_the_same_cells_as_the_markdown_one_and_escapes_html():
    """The static HTML table has the Markdown table's cells (numbers rounded, dashes, durations) and alignment;
    a name holding HTML shows as typed, never as markup; a link is a link."""
    frame = pd.DataFrame({"name": ["<b>Tempo</b> & hills", None], "km": [10.004, 5.5],
                          "time": pd.to_timedelta([3000, None], unit="s"), "run": [Link("Open", "run?run=a b"),
                                                                                   Link("x", "run?run=c")]})
    text = html_table(frame)
    assert "<b>" not in text and "&lt;b&gt;Tempo&lt;/b&gt; &amp; hills" in text
    assert table_rows(text) == [[["name", "km", "time", "run"], ["<b>Tempo</b> & hills", "10", "0:50:00", "Open"],
                                 [DASH, "5.5", DASH, "x"]]]
    assert '<th class="num">km</th>' in text and '<td class="num">0:50:00</td>' in text and "<th>name</th>" in text
    assert '<a href="run?run=a b">Open</a>' in text
