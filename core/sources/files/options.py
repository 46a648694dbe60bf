"""How an import reads files: the settings' time zone, log format and [imports] limits, or the ones given.

`python -m core.sync import PATH --unit lb --date-order MDY --timezone Europe/Paris` and the Data
page's uploader name their own; what they leave out comes from [app] timezone, [sheets] unit and
date_order (the sheet and its CSV share them) and [imports].
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.config import Settings
from core.errors import BadInput
from core.sources.files.limits import Limits, limits_from
from core.sources.sheets import log_format
from core.sources.sheets.columns import UNITS
from core.sources.sheets.parse import LogFormat

DATE_ORDERS = ("DMY", "MDY")


@dataclass(frozen=True)
class ImportOptions:
    """The time zone of local times, the training log's unit and date order, and the size limits."""

    timezone: str = "UTC"
    log_format: LogFormat = field(default_factory=LogFormat)
    limits: Limits = field(default_factory=Limits)

    @property
    def date_order(self) -> str:
        return "MDY" if self.log_format.month_first else "DMY"


def import_options(settings: Settings, unit: str | None = None, date_order: str | None = None,
                   timezone: str | None = None) -> ImportOptions:
    """The settings' options, with the unit, date order or time zone given for this import instead."""
    fmt = log_format(settings)
    if unit is not None:
        if unit.lower() not in UNITS:
            raise BadInput("the unit", f"{unit!r} is not kg or lb", action="Choose kg or lb.")
        fmt = replace(fmt, unit=unit.lower())
    if date_order is not None:
        if date_order.upper() not in DATE_ORDERS:
            raise BadInput("the date order", f"{date_order!r} is not DMY or MDY",
                           action="Choose DMY (02/03/2026 is 2 March) or MDY (it is 3 February).")
        fmt = replace(fmt, month_first=date_order.upper() == "MDY")
    zone = timezone or settings.timezone
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise BadInput("the time zone", f"{zone!r} is not a known time zone",
                       action="Name it as in the tz database, e.g. Europe/Paris or America/New_York.") from exc
    return ImportOptions(zone, fmt, limits_from(settings.section("imports")))
