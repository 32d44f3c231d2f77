"""Bundled boundaries (Natural Earth, public domain) prepared by scripts/prepare_geo.py.

Osh city (KG-GO) has no polygon in Natural Earth: it lies inside the Osh oblast polygon. It is
kept as a point at the city and drawn as its own symbol, never folded into the oblast.
"""

from __future__ import annotations

import json
from functools import lru_cache

import geopandas as gpd
from shapely.ops import polylabel

from atlas.paths import GEO

BOUNDARY_SOURCE = "Natural Earth 1:10m Admin 1 (public domain), simplified for the screen"
#: Osh city's area is 182.5 km² (data/regions.csv); a circle of that area has this radius.
OSH_CITY_RADIUS_KM = 7.6


@lru_cache(maxsize=4)
def _read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / name)


def admin1(resolution: str = "screen") -> gpd.GeoDataFrame:
    """The 7 oblasts and Bishkek as polygons, ``iso_3166_2`` column; "screen" or "full" resolution.

    >>> sorted(admin1()["iso_3166_2"])[:3]
    ['KG-B', 'KG-C', 'KG-GB']
    """
    if resolution not in ("screen", "full"):
        raise ValueError(f"resolution must be 'screen' or 'full', not {resolution!r}")
    return _read(f"kg_admin1_{resolution}.geojson").copy()


def neighbours() -> gpd.GeoDataFrame:
    """Outlines of the neighbouring countries, drawn faintly for context (``iso_a2`` column)."""
    return _read("neighbours_screen.geojson").copy()


def osh_city_lonlat() -> tuple[float, float]:
    """Longitude and latitude of Osh city's centre.

    >>> osh_city_lonlat()
    (72.7985, 40.5283)
    """
    point = _read("osh_city.geojson").geometry.iloc[0]
    return (point.x, point.y)


@lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    """Where each unit's label goes: a point well inside each polygon, Osh city at the city.

    >>> round(label_points()["KG-N"][0])
    75
    """
    shapes = admin1("full")
    points = {}
    for code, geom in zip(shapes["iso_3166_2"], shapes.geometry, strict=True):
        # The pole of inaccessibility keeps labels off thin arms (Jalal-Abad, Batken).
        pole = polylabel(max(getattr(geom, "geoms", [geom]), key=lambda g: g.area), 0.01)
        points[code] = (round(pole.x, 3), round(pole.y, 3))
    # Chüy's pole lies next to Bishkek, whose label would cover it: move it east, still inside Chüy.
    points["KG-C"] = (75.3, 42.55)
    points["KG-GO"] = osh_city_lonlat()
    return points


@lru_cache(maxsize=2)
def geojson_text(resolution: str = "screen") -> str:
    """Compact GeoJSON text of the polygons, for exports and tests.

    >>> geojson_text().startswith('{"type"')
    True
    """
    return json.dumps(json.loads(admin1(resolution).to_json(drop_id=True)), separators=(",", ":"))
