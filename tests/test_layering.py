"""Architecture rules that keep the layers honest."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_core_never_imports_streamlit():
    """core/ stays usable from the CLI and the scheduled sync: no module under it imports Streamlit."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "core").rglob("*.py")
                 if any(m == "streamlit" or m.startswith(("streamlit.", "streamlit_")) for m in imported_modules(p))]
    assert offenders == []


def test_pages_do_not_talk_to_storage_or_networks():
    """Pages only lay out: no boto3, requests, sqlite3 or store access of their own."""
    forbidden = ("boto3", "requests", "sqlite3", "core.store", "gspread", "stravalib")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "pages").glob("*.py")
                 if any(m.startswith(forbidden) for m in imported_modules(p))]
    assert offenders == []


def test_every_page_checks_the_login_first():
    """Each page file calls gate.require_login() before anything else is drawn."""
    for page in (ROOT / "pages").glob("*.py"):
        body = [n for n in ast.parse(page.read_text()).body if not isinstance(n, (ast.Import, ast.ImportFrom))]
        first = body[1] if isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) else body[0]
        assert ast.unparse(first) == "gate.require_login()", page.name
