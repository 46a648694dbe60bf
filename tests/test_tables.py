"""Small tables as Markdown: what the reader sees in each cell, and that no cell can break the table."""

import pandas as pd

from core.views.format import DASH
from core.views.tables import markdown_table


def _rows(text: str) -> list[str]:
    return text.splitlines()


def test_numbers_are_right_aligned_rounded_and_whole_columns_have_no_decimals():
    """A numeric column is right-aligned; 2 decimals by default, none when every value is whole; NaN is a dash."""
    text = markdown_table(pd.DataFrame({"km": [21.754, None, 1234.5], "sets": [3.0, 2.0, 12.0]}))
    assert _rows(text) == ["| km | sets |", "|---:|---:|", "| 21.75 | 3 |", "| – | 2 |", "| 1,234.50 | 12 |"]
    assert _rows(markdown_table(pd.DataFrame({"mae": [0.12345]}), decimals=3))[2] == "| 0.123 |"


def test_dates_show_without_a_midnight_time_and_never_wrap():
    """Midnight-only times show as dates, others with hh:mm; hyphens and spaces are non-breaking; NaT is a dash."""
    frame = pd.DataFrame({"day": pd.to_datetime(["2026-03-02", None]),
                          "at": pd.to_datetime(["2026-03-02 07:05", "2026-03-03 00:00"])})
    rows = _rows(markdown_table(frame))
    assert rows[1] == "|:---|:---|"
    assert rows[2] == "| 2026\u201103\u201102 | 2026\u201103\u201102\u00a007:05 |"
    assert rows[3] == "| – | 2026\u201103\u201103\u00a000:00 |"


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
