"""Points → regions: inside, swapped, outside, blank, and the Osh city radius rule."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from atlas.places import points

CASES = [
    # (lat, lon, status, code)
    (42.87, 74.60, "inside", "KG-GB"),  # Bishkek
    (40.53, 72.80, "inside", "KG-GO"),  # Osh city centre
    (40.56, 72.85, "inside", "KG-GO"),  # about 5.5 km from the centre
    (40.40, 72.60, "inside", "KG-O"),  # about 24 km away: Osh oblast
    (42.49, 78.39, "inside", "KG-Y"),  # Karakol
    (41.43, 75.99, "inside", "KG-N"),  # Naryn
    (74.60, 42.87, "swapped", None),
    (55.75, 37.62, "outside", None),  # Moscow
    (None, 74.6, "blank", None),
]


@pytest.mark.parametrize(("lat", "lon", "status", "code"), CASES)
def test_status_and_code(lat: float, lon: float, status: str, code: str | None) -> None:
    res = points.locate_points(pd.Series([lat], dtype=float), pd.Series([lon], dtype=float))
    assert res.status.iloc[0] == status
    got = res.codes.iloc[0]
    assert (got if isinstance(got, str) else None) == code


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
    assert any("7.6 km" in t for t in texts) and any("swapped" in t for t in texts)


def test_radius_is_circle_of_osh_area() -> None:
    assert points.OSH_RADIUS_KM == pytest.approx(np.sqrt(182.5 / np.pi), abs=0.05)
