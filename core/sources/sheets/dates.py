"""Session dates as people and spreadsheets write them (pure).

Accepted: ISO (2026-03-02, 20260302, with a time after it), day-first or month-first numbers
(02/03/2026, 02.03.2026, 02-03-26; the order is a setting), Excel / Google Sheets serial numbers
(46083, the days since 1899-12-30), and month names in English, French and German ("Mar 2, 2026",
"2 mars 2026", "2. März 2026", "Monday 2nd March 2026"). A number-only date that fails in the set
order but reads in the other one says so, naming the setting.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta

DAY_FIRST = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y", "%d-%m-%Y", "%Y/%m/%d", "%Y.%m.%d", "%d/%m/%y", "%d.%m.%y",
             "%d-%m-%y")
MONTH_FIRST = ("%Y-%m-%d", "%m/%d/%Y", "%m-%d-%Y", "%Y/%m/%d", "%Y.%m.%d", "%m/%d/%y", "%m-%d-%y", "%m.%d.%Y")
SERIAL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's and Sheets' serial dates (after Excel's 1900 leap-year bug)
SERIALS = range(32874, 73416)  # 1990-01-01 to 2100-12-31: other numbers are not dates of this century
TIME = re.compile(r"[ T]\d{1,2}[:h]\d{2}(:\d{2}([.,]\d+)?)?\s*([ap]\.?m\.?)?\s*(z|utc|[+-]\d{2}:?\d{2})?$", re.I)
EXAMPLES = "2026-03-02, 20260302, 02/03/2026, 2 March 2026 or a spreadsheet date number"

_MONTHS = {
    1: "january jan janvier janv januar janner jaenner", 2: "february feb fevrier fevr fev februar feber",
    3: "march mar mars marz maerz mrz", 4: "april apr avril avr", 5: "may mai",
    6: "june jun juin juni", 7: "july jul juillet juil juli", 8: "august aug aout",
    9: "september sep sept septembre", 10: "october oct octobre oktober okt",
    11: "november nov novembre", 12: "december dec decembre dezember dez",
}
MONTH_NAMES = {name: month for month, names in _MONTHS.items() for name in names.split()}
# Weekdays and filler words around a written date ("mar." as a French Tuesday is told apart below).
IGNORED = frozenset({
    "monday", "mon", "tuesday", "tue", "tues", "wednesday", "wed", "thursday", "thu", "thur", "thurs", "friday",
    "fri", "saturday", "sat", "sunday", "sun", "lundi", "lun", "mardi", "mercredi", "mer", "jeudi", "jeu",
    "vendredi", "ven", "samedi", "sam", "dimanche", "dim", "montag", "mo", "dienstag", "di", "mittwoch", "mi",
    "donnerstag", "do", "freitag", "fr", "samstag", "sa", "sonntag", "so", "st", "nd", "rd", "th", "er", "the",
    "of", "le", "den", "am"
})


def parse_date(text: str, month_first: bool = False) -> date:
    """A date in one of the accepted formats; ValueError naming the text otherwise."""
    value = text.strip()
    day = _numeric(value, month_first) or _serial(value) or _written(value)
    if day is not None:
        return day
    if _numeric(value, not month_first):
        order, setting = ("month-first", "MDY") if not month_first else ("day-first", "DMY")
        raise ValueError(f"date {value!r} is not a valid {'month' if month_first else 'day'}-first date but reads "
                         f"as {order}: set the date order to {setting} (--date-order, or [sheets] date_order)")
    raise ValueError(f"date {value!r} not understood (write e.g. {EXAMPLES})")


def _numeric(value: str, month_first: bool) -> date | None:
    if len(value) in (8, 10) and value[:4].isdigit():
        try:
            return date.fromisoformat(value)  # 2026-03-02 or 20260302: the common case, in C
        except ValueError:
            pass
    text = TIME.sub("", value)  # "2026-03-02T08:15:00Z", "02/03/2026 18:30": the date is the session's
    if len(text) == 8 and text.isdigit():  # ISO basic, 20171221
        return _strptime(text, ("%Y%m%d",))
    return _strptime(text, MONTH_FIRST if month_first else DAY_FIRST)


def _strptime(text: str, formats: tuple[str, ...]) -> date | None:
    for fmt in formats:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _serial(value: str) -> date | None:
    whole = value.replace(",", ".").split(".")[0]
    if not (whole.isdigit() and len(whole) == 5) or int(whole) not in SERIALS:
        return None
    return SERIAL_EPOCH + timedelta(days=int(whole))  # a fraction is the time of day


def _written(value: str) -> date | None:
    plain = unicodedata.normalize("NFKD", TIME.sub("", value).lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    words = [w for w in re.findall(r"[a-z]+|\d+", plain) if w not in IGNORED]
    months = [w for w in words if w in MONTH_NAMES]
    if len(months) == 2 and months[0] == "mar":  # "mar. 3 mars 2026": a French Tuesday, then the month
        words.remove("mar")
        months = months[1:]
    numbers = [w for w in words if w.isdigit()]
    if len(months) != 1 or len(numbers) != 2 or len(words) != 3:
        return None
    year_at = 0 if len(numbers[0]) == 4 else 1  # "2026 Mar 02", else the year comes last ("Mar 2, 2026")
    year, day = numbers[year_at], numbers[1 - year_at]
    if len(day) > 2 or len(year) not in (2, 4):
        return None
    try:
        return date(int(year) if len(year) == 4 else 2000 + int(year), MONTH_NAMES[months[0]], int(day))
    except ValueError:
        return None
