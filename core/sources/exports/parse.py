"""Export files -> records (pure): Strava's activities.csv, Withings' weight.csv, a training-log CSV.

Keys match the API sources (Strava activity id; Withings local date-time; log content hash), so a
file import and an API sync of the same item never duplicate it.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

from core.errors import BadInput
from core.records import BODY, RUN, Record, iso_utc
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


def read_csv(data: bytes, name: str) -> list[list[str]]:
    """Rows of a CSV file (UTF-8, BOM tolerated; commas, quotes and newlines in fields handled)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadInput(name, "is not UTF-8 text", action="Export the file again, or save it as UTF-8 CSV.") from exc
    return [row for row in csv.reader(io.StringIO(text)) if row]


def _parse_time(text: str, formats: tuple[str, ...], what: str) -> datetime:
    for fmt in formats:
        try:
            return datetime.strptime(text.strip(), fmt)
        except ValueError:
            continue
    raise ValueError(f"{what} {text!r} not understood")


def strava_runs(rows: list[list[str]], name: str) -> tuple[list[Record], list[dict]]:
    """Runs from Strava's activities.csv; the later, canonical Elapsed Time / Distance columns are used."""
    header = [h.strip() for h in rows[0]]

    def last(column: str) -> int | None:
        return max((i for i, h in enumerate(header) if h == column), default=None)

    need = {c: last(c) for c in ("Activity ID", "Activity Date", "Activity Type", "Distance", "Elapsed Time")}
    if None in need.values():
        missing = [c for c, i in need.items() if i is None]
        raise BadInput(name, f"not a Strava activities.csv (missing {', '.join(missing)})")
    optional = {c: last(c) for c in ("Activity Name", "Moving Time", "Elevation Gain", "Average Heart Rate",
                                      "Max Heart Rate")}
    records, quarantine = [], []
    for number, row in enumerate(rows[1:], start=2):
        cell = lambda i, row=row: row[i].strip() if i is not None and i < len(row) else ""  # noqa: E731
        try:
            record = _strava_row(cell, need, optional)
        except (ValueError, KeyError) as exc:
            quarantine.append({"row": number, "reason": str(exc)})
            continue
        if record is not None:
            records.append(record)
    return records, quarantine


def _strava_row(cell, need: dict, optional: dict) -> Record | None:
    sport = cell(need["Activity Type"]).replace(" ", "")
    if sport not in RUN_TYPES:
        return None
    start = _parse_time(cell(need["Activity Date"]), STRAVA_DATE_FORMATS, "activity date").replace(
        tzinfo=ZoneInfo("UTC"))  # the export's dates are UTC
    number = lambda i: float(cell(i)) if cell(i) else None  # noqa: E731
    distance, moving = number(need["Distance"]), number(optional["Moving Time"]) or number(need["Elapsed Time"])
    fields = {
        "start_time_utc": iso_utc(start), "start_time_local": start.replace(tzinfo=None).isoformat(),
        "timezone": "UTC", "name": cell(optional["Activity Name"]), "sport_type": sport, "distance_m": distance,
        "moving_time_s": moving, "elapsed_time_s": number(need["Elapsed Time"]),
        "elevation_gain_m": number(optional["Elevation Gain"]),
        "average_speed_mps": distance / moving if distance and moving else None,
        "average_heartrate_bpm": number(optional["Average Heart Rate"]),
        "max_heartrate_bpm": number(optional["Max Heart Rate"]),
    }
    return Record(RUN, "strava", run_key(cell(need["Activity ID"])), start, fields,
                  {"export": "activities.csv", "id": cell(need["Activity ID"])})


def withings_weights(rows: list[list[str]], name: str, timezone: str) -> tuple[list[Record], list[dict]]:
    """Weigh-ins from Withings' weight.csv in any of the known languages; local times in `timezone`."""
    columns, unknown = {}, []
    for index, raw in enumerate(rows[0]):
        label, _, unit = raw.strip().lower().partition("(")
        field = next((f for f, names in WITHINGS_HEADERS.items() if label.strip() in names), None)
        if field is None:
            unknown.append(raw)
        elif field not in columns:
            columns[field] = (index, MASS_UNITS.get(unit.rstrip(")").strip(), 1.0))
    if "date" not in columns or "weight_kg" not in columns:
        raise BadInput(name, f"columns not recognised: {', '.join(repr(u) for u in unknown) or 'none'}",
                       action=f"Known languages: {LANGUAGES}. Export in one of them, or rename the columns "
                              "to English (Date, Weight (kg), Fat mass (kg), ...).")
    zone = ZoneInfo(timezone)
    records, quarantine = [], []
    for number, row in enumerate(rows[1:], start=2):
        try:
            records.append(_withings_row(row, columns, zone))
        except (ValueError, IndexError) as exc:
            quarantine.append({"row": number, "reason": str(exc)})
    return records, quarantine


def _withings_row(row: list[str], columns: dict, zone: ZoneInfo) -> Record:
    local = _parse_time(row[columns["date"][0]], WITHINGS_DATE_FORMATS, "date")
    when = local.replace(tzinfo=zone)
    fields = {"time_utc": iso_utc(when), "local_date": local.date().isoformat()}
    for field, (index, factor) in columns.items():
        if field in ("date", "comments") or index >= len(row) or not row[index].strip():
            continue
        try:
            fields[field] = round(float(row[index].replace(",", ".")) * factor, 3)
        except ValueError:
            raise ValueError(f"{field.split('_')[0]} {row[index]!r} is not a number") from None
    if "weight_kg" not in fields:
        raise ValueError("no weight on this row")
    if "fat_mass_kg" in fields:
        fields["fat_ratio_pct"] = round(100 * fields["fat_mass_kg"] / fields["weight_kg"], 2)
        fields.setdefault("lean_mass_kg", round(fields["weight_kg"] - fields["fat_mass_kg"], 3))
    return Record(BODY, "withings", local_key(local), when, fields, {"export": "weight.csv", "row": row})
