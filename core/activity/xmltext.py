"""Text of an XML activity file made safe to parse: leading blanks stripped, any DTD (how XML bombs work) refused."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from core.activity.model import unreadable

_DECLARED = re.compile(rb"^<\?xml[^>]*encoding=[\"']([\w.:-]+)[\"']")
_DTD = re.compile(r"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_BOMS = {b"\xef\xbb\xbf": "utf-8", b"\xff\xfe": "utf-16", b"\xfe\xff": "utf-16"}


def xml_text(raw: bytes, where: str) -> str:
    """The document as text from its first '<' (Strava's TCX may start with blank lines), refusing any DTD."""
    encoding = next((enc for bom, enc in _BOMS.items() if raw.startswith(bom)), None)
    try:
        text = raw.decode(encoding or _declared(raw.lstrip()) or "utf-8")
    except (UnicodeDecodeError, LookupError) as exc:
        raise unreadable(where, f"XML text that is not in its declared encoding ({exc})") from exc
    text = text.lstrip("\ufeff \t\r\n")
    if _DTD.search(text):  # GPX and TCX never declare a DTD; entity expansion bombs need one
        raise unreadable(where, "XML with a document type declaration (DTD) refused: activity files never carry one")
    return text


def _declared(raw: bytes) -> str | None:
    found = _DECLARED.match(raw[:200])
    return found.group(1).decode("ascii") if found else None


def utc_seconds(value: datetime | None) -> float:
    """Seconds since 1970 of a file's timestamp (naive ones are UTC, as GPX and TCX define); NaN for none."""
    if value is None:
        return float("nan")
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
