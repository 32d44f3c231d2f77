"""Points → units at both levels with the official polygons: inside, swapped, outside, blank."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.places import points, units

CASES = [
    # (lat, lon, status, level-1 code, level-2 p-code)
    (42.87, 74.60, "inside", "KG-GB", "KG11000000000"),  # Bishkek
    (40.53, 72.80, "inside", "KG-GO", "KG21000000000"),  # Osh city centre
    # 5.5 km from Osh's centre: inside the old 7.6 km circle, outside the real city polygon
    (40.56, 72.85, "inside", "KG-O", "KG06226000000"),  # Kara-Suu rayon
    (40.40, 72.60, "inside", "KG-O", "KG06242000000"),  # Nookat rayon
    (42.49, 78.39, "inside", "KG-Y", "KG02410000010"),  # Karakol town
    (41.43, 75.99, "inside", "KG-N", "KG04400000010"),  # Naryn town
    (74.60, 42.87, "swapped", None, None),
    (55.75, 37.62, "outside", None, None),  # Moscow
    (None, 74.6, "blank", None, None),
]


def _plain(value):
    return value if isinstance(value, str) else None


@pytest.mark.parametrize(("lat", "lon", "status", "code", "pcode"), CASES)
def test_status_and_codes_at_both_levels(lat, lon, status, code, pcode) -> None:
    res = points.locate_points(pd.Series([lat], dtype=float), pd.Series([lon], dtype=float))
    assert res.status.iloc[0] == status
    assert _plain(res.codes.iloc[0]) == code
    assert _plain(res.rayons.iloc[0]) == pcode
    if pcode:
        assert units.parents()[pcode] == code  # the two levels agree


def test_counts_listing_and_swap() -> None:
    lat = pd.Series([c[0] for c in CASES], dtype=float)
    lon = pd.Series([c[1] for c in CASES], dtype=float)
    res = points.locate_points(lat, lon)
    assert res.counts() == {"inside": 6, "outside": 1, "swapped": 1, "blank": 1}
    assert len(res.problems()) == 3
    swapped = res.swap()
    assert swapped.counts() == {"inside": 7, "outside": 1, "swapped": 0, "blank": 1}
    assert swapped.codes.iloc[6] == "KG-GB"
    texts = [m.render() for m in res.messages()]
    assert any("swapped" in t for t in texts)
    assert not any("km of Osh" in t for t in texts)  # the circle rule is gone


def test_elevation_per_point_is_known_only_inside() -> None:
    lat = pd.Series([42.87, 41.43, 55.75, None], dtype=float)
    lon = pd.Series([74.60, 75.99, 37.62, 74.6], dtype=float)
    elev = points.locate_points(lat, lon).elevations()
    assert 600 < elev.iloc[0] < 900  # Bishkek lies at about 770 m
    assert 1900 < elev.iloc[1] < 2200  # Naryn at about 2,050 m
    assert elev.iloc[2:].isna().all()  # Moscow and a blank row: no value, not zero
