"""Display units: conversions only. Everything is stored in SI; text is made in core/views/format.py."""

from __future__ import annotations

from dataclasses import dataclass

KG_PER_LB = 0.45359237  # exact, by definition of the international pound
M_PER_MI = 1609.344  # exact
M_PER_FT = 0.3048  # exact


@dataclass(frozen=True)
class Units:
    """How to show mass, distance, pace and elevation in one unit system."""

    system: str
    mass: str
    distance: str
    pace: str
    kg_factor: float
    m_factor: float
    elevation: str = "m"  # climbs: metres, or feet in imperial (a climb in miles tells nothing)
    elevation_factor: float = 1.0

    def mass_from_kg(self, kg: float) -> float:
        """Kilograms in this system's mass unit."""
        return kg * self.kg_factor

    def distance_from_m(self, metres: float) -> float:
        """Metres in this system's distance unit (km or mi)."""
        return metres * self.m_factor

    def elevation_from_m(self, metres):
        """A climb in metres (a number or a Series) in m or ft."""
        return metres * self.elevation_factor

    def speed_from_mps(self, mps):
        """A speed in m/s (a number or a Series) in km/h or mi/h."""
        return mps * self.m_factor * 3600

    def pace_from_mps(self, mps: float) -> float:
        """Seconds per km (or per mile) from a speed in m/s; NaN for a zero speed."""
        return float("nan") if not mps else 1.0 / (mps * self.m_factor)


METRIC = Units("metric", "kg", "km", "min/km", 1.0, 1 / 1000)
IMPERIAL = Units("imperial", "lb", "mi", "min/mi", 1 / KG_PER_LB, 1 / M_PER_MI, "ft", 1 / M_PER_FT)
SYSTEMS = {"metric": METRIC, "imperial": IMPERIAL}



def body_units(column: str, units: Units) -> tuple[str, str, float]:
    """(level unit, change unit, factor from the stored value) of a body column in these units.

    A ratio (`fat_ratio_pct`) shows in % and changes in percentage points whatever the system; a mass in
    the system's mass unit.
    """
    if column.endswith("_pct"):
        return "%", "pt", 1.0
    return units.mass, units.mass, units.kg_factor
