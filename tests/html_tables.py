"""The static HTML tables an AppTest page shows (st.html bodies made by core/views/tables.html_table), read back."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest


class _Cells(HTMLParser):
    """Rows of cell texts of every <table> in a body, one list of rows per table."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag) -> None:
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append("".join(self.cell))
            self.cell = None

    def handle_data(self, data) -> None:
        if self.cell is not None:
            self.cell.append(data)


def table_rows(body: str) -> list[list[list[str]]]:
    """Each table's rows (the header row first) as cell texts, HTML entities decoded."""
    parser = _Cells()
    parser.feed(body)
    return parser.tables


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The page's static HTML tables, as the text of their cells under their header."""
    return [pd.DataFrame(rows[1:], columns=rows[0]) for element in at.get("html")
            for rows in table_rows(element.proto.body) if rows]
