"""Display units and the polyline codec."""

from __future__ import annotations

import math

import pytest

from core.polyline import decode_polyline, encode_polyline
from core.units import IMPERIAL, METRIC
from core.views.format import format_pace, signed


def test_mass_distance_and_pace_conversions():
    """100 kg is 220.5 lb; 10 km is 6.21 mi; 4 m/s is 4:10 per km and 6:42 per mile, 14.4 km/h and 8.95 mi/h."""
    assert IMPERIAL.mass_from_kg(100) == pytest.approx(220.462, abs=1e-3)
    assert IMPERIAL.distance_from_m(10_000) == pytest.approx(6.2137, abs=1e-4)
    assert METRIC.distance_from_m(10_000) == 10
    assert format_pace(METRIC.pace_from_mps(4.0)) == "4:10"
    assert format_pace(IMPERIAL.pace_from_mps(4.0)) == "6:42"
    assert METRIC.speed_from_mps(4.0) == pytest.approx(14.4)
    assert IMPERIAL.speed_from_mps(4.0) == pytest.approx(8.948, abs=1e-3)


@pytest.mark.parametrize("value,text", [(0.04, "±0"), (-0.04, "±0"), (-0.06, "-0.1"), (1.25, "+1.2"),
                                        (2.0, "+2"), (-1234.5, "-1,234.5")])
def test_signed_changes_never_show_minus_zero(value, text):
    """A change rounds with its sign and thousands separator, no zero decimal at the end; a rounded zero is ±0."""
    assert signed(value) == text


def test_pace_of_a_standing_start_is_unknown():
    """A zero speed gives no pace rather than a division error."""
    assert math.isnan(METRIC.pace_from_mps(0)) and format_pace(float("nan")) == "–"


def test_polyline_matches_googles_reference_example():
    """The documented example (38.5,-120.2)(40.7,-120.95)(43.252,-126.453) round-trips."""
    coords = [(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)]
    assert encode_polyline(coords) == "_p~iF~ps|U_ulLnnqC_mqNvxq`@"
    assert decode_polyline("_p~iF~ps|U_ulLnnqC_mqNvxq`@") == coords


def test_truncated_polyline_decodes_what_it_can():
    """A cut-off polyline gives its complete points instead of raising."""
    assert decode_polyline("_p~iF~ps|U_ulLnn") == [(38.5, -120.2)]
    assert decode_polyline("") == []
