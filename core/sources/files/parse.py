"""Export rows -> records (pure): Strava's activities.csv and Withings' weight.csv, one row at a time.

Keys match the API sources (Strava activity id; Withings local date-time), so a file import and an
API sync of the same item never duplicate it. Each reader is built from the header (BadInput when the
columns are not the format's) and then called per row; values are range-checked (`core.plausible`).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.errors import BadInput
from core.plausible import check, check_date, finite
from core.records import BODY, EXPORT_ORIGIN, RUN, Record, iso_utc
from core.sources.rows import Duplicates, RowTally
from core.sources.strava.parse import RUN_TYPES, run_key
from core.sources.withings.parse import local_key
from core.units import KG_PER_LB

STONE_KG = 6.35029318
MASS_UNITS = {"kg": 1.0, "lb": KG_PER_LB, "lbs": KG_PER_LB, "st": STONE_KG}
# Withings weight.csv headers by language (the unit in parentheses is read separately).
WITHINGS_HEADERS = {
    "date": ["date", "datum", "fecha", "data", "датa", "日付"],
    "weight_kg": ["weight", "poids", "gewicht", "peso", "vekt", "vikt"],
    "fat_mass_kg": ["fat mass", "masse grasse", "fettmasse", "masa grasa", "massa grassa", "vetmassa", "massa gorda"],
    "bone_mass_kg": ["bone mass", "masse osseuse", "knochenmasse", "masa ósea", "massa ossea", "botmassa",
                     "massa óssea"],
    "muscle_mass_kg": ["muscle mass", "masse musculaire", "muskelmasse", "masa muscular", "massa muscolare",
                       "spiermassa", "massa muscular"],
    "hydration_kg": ["hydration", "hydratation", "wasseranteil", "hidratación", "idratazione", "hydratatie",
                     "hidratação", "körperwasser"],
    "lean_mass_kg": ["lean mass", "masse maigre", "magermasse", "masa magra", "massa magra", "vetvrije massa"],
    "comments": ["comments", "commentaires", "kommentare", "comentarios", "commenti", "opmerkingen", "comentários"],
}
LANGUAGES = "English, French, German, Spanish, Italian, Dutch, Portuguese"
STRAVA_DATE_FORMATS = ("%b %d, %Y, %I:%M:%S %p", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S")
WITHINGS_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %I:%M %p", "%Y-%m-%d %H:%M")
STRAVA_NEED = ("Activity ID", "Activity Date", "Activity Type", "Distance", "Elapsed Time")
STRAVA_OPTIONAL = ("Activity Name", "Moving Time", "Elevation Gain", "Average Heart Rate", "Max Heart Rate",
                   "Filename")


def _parse_time(text: str, formats: tuple[str, ...], what: str) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"{what} {text!r} not understood")


def _value(text: str, what: str) -> float:
    """A finite number ("80,45" too); ValueError naming the text otherwise."""
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise ValueError(f"{what} {text.strip()!r} is not a number") from None
    return finite(value, what, repr(text.strip()))


def _number(text: str, field: str, what: str) -> float | None:
    """A range-checked value of `field`, or None for an empty cell."""
    return check(field, _value(text, what), what) if text.strip() else None


class StravaRows:
    """Runs from Strava's activities.csv; the later, canonical Elapsed Time / Distance columns are used."""

    kinds = (RUN,)

    def __init__(self, header: list[str], name: str, timezone: str, latest: date | None, tally: RowTally) -> None:
        names = [h.strip() for h in header]
        self.at = {c: max((i for i, h in enumerate(names) if h == c), default=None)
                   for c in STRAVA_NEED + STRAVA_OPTIONAL}
        missing = [c for c in STRAVA_NEED if self.at[c] is None]
        if missing:
            raise BadInput(name, f"not a Strava activities.csv (missing {', '.join(missing)})")
        self.timezone, self.zone, self.latest = timezone, ZoneInfo(timezone), latest
        self.duplicates = Duplicates()
        self.ids = Duplicates("the same activity id as row {row} with other values: only that row was read")
        tally.note(f"Strava's export has no time zone: local times were read in {timezone} (the time zone chosen "
                   "for the import); an API sync of the same run corrects them")

    def __call__(self, number: int, row: list[str]) -> list[Record]:
        cell = lambda c: row[self.at[c]].strip() if self.at[c] is not None and self.at[c] < len(row) else ""  # noqa: E731
        sport = cell("Activity Type").replace(" ", "")
        if sport not in RUN_TYPES:
            return []
        self.duplicates.check(tuple(c.strip() for c in row), number)
        start = _parse_time(cell("Activity Date"), STRAVA_DATE_FORMATS, "activity date").replace(
            tzinfo=ZoneInfo("UTC"))  # the export's dates are UTC
        local = start.astimezone(self.zone)
        check_date(local.date(), self.latest, "activity date")
        self.ids.check((cell("Activity ID"),), number)
        distance = _number(cell("Distance"), "distance_m", "distance")
        elapsed = _number(cell("Elapsed Time"), "elapsed_time_s", "elapsed time")
        moving = _number(cell("Moving Time"), "moving_time_s", "moving time") or elapsed
        if distance is None or moving is None:
            raise ValueError("no distance or no time: nothing to record")
        fields = {
            "start_time_utc": iso_utc(start), "start_time_local": local.replace(tzinfo=None).isoformat(),
            "timezone": self.timezone, "name": cell("Activity Name"), "sport_type": sport, "distance_m": distance,
            "moving_time_s": moving, "elapsed_time_s": elapsed,
            "elevation_gain_m": _number(cell("Elevation Gain"), "elevation_gain_m", "elevation gain"),
            "average_speed_mps": check("average_speed_mps", distance / moving, "average speed"),
            "average_heartrate_bpm": _number(cell("Average Heart Rate"), "average_heartrate_bpm", "heart rate"),
            "max_heartrate_bpm": _number(cell("Max Heart Rate"), "max_heartrate_bpm", "max heart rate"),
            "provenance": EXPORT_ORIGIN,
        }
        raw = {"export": "activities.csv", "id": cell("Activity ID"), "timezone_assumed": self.timezone}
        if cell("Filename"):
            raw["file"] = cell("Filename")  # the activity file in the export's activities/ (core/sources/files/bulk.py)
        return [Record(RUN, "strava", run_key(cell("Activity ID")), start, fields, raw)]


class WithingsRows:
    """Weigh-ins from Withings' weight.csv in any of the known languages; local times in `timezone`."""

    kinds = (BODY,)

    def __init__(self, header: list[str], name: str, timezone: str, unit: str, latest: date | None,
                 tally: RowTally) -> None:
        self.columns, unknown = {}, []
        for index, raw in enumerate(header):
            label, _, header_unit = raw.strip().lower().partition("(")
            field = next((f for f, names in WITHINGS_HEADERS.items() if label.strip() in names), None)
            if field is None:
                unknown.append(raw)
            elif field not in self.columns:
                factor = MASS_UNITS.get(header_unit.rstrip(")").strip() or unit)
                if field not in ("date", "comments") and not header_unit:
                    tally.note(f"the file names no unit for {raw.strip()!r}: read as {unit} (choose the unit on "
                               "import: --unit, or the uploader's unit)")
                self.columns[field] = (index, factor or 1.0)
        if "date" not in self.columns or "weight_kg" not in self.columns:
            raise BadInput(name, f"columns not recognised: {', '.join(repr(u) for u in unknown) or 'none'}",
                           action=f"Known languages: {LANGUAGES}. Export in one of them, or rename the columns "
                                  "to English (Date, Weight (kg), Fat mass (kg), ...).")
        self.zone, self.latest, self.duplicates = ZoneInfo(timezone), latest, Duplicates()
        self.times = Duplicates("a weigh-in at the same time as row {row} with other values: only that row was read")

    def __call__(self, number: int, row: list[str]) -> list[Record]:
        self.duplicates.check(tuple(c.strip() for c in row), number)
        index = self.columns["date"][0]
        local = _parse_time(row[index] if index < len(row) else "", WITHINGS_DATE_FORMATS, "date")
        check_date(local.date(), self.latest)
        self.times.check((local,), number)
        when = local.replace(tzinfo=self.zone)
        fields = {"time_utc": iso_utc(when), "local_date": local.date().isoformat()}
        for field, (index, factor) in self.columns.items():
            if field in ("date", "comments") or index >= len(row) or not row[index].strip():
                continue
            what = field.removesuffix("_kg").replace("_", " ")
            fields[field] = round(check(field, _value(row[index], what) * factor, what), 3)
        if "weight_kg" not in fields:
            raise ValueError("no weight on this row")
        if "fat_mass_kg" in fields:
            fields["fat_ratio_pct"] = round(check("fat_ratio_pct", 100 * fields["fat_mass_kg"] / fields["weight_kg"],
                                                  "fat ratio"), 2)
            fields.setdefault("lean_mass_kg", round(fields["weight_kg"] - fields["fat_mass_kg"], 3))
        return [Record(BODY, "withings", local_key(local), when, fields, {"export": "weight.csv", "row": row})]
