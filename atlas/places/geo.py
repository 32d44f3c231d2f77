"""The boundaries the maps draw: official COD-AB units at both levels, Natural Earth neighbours.

Level 1 (9 units, ``iso_3166_2``) and level 2 (55 units, ``pcode``) come from OCHA COD-AB
(scripts/prepare_geo_cod.py); Bishkek and Osh city are real polygons at both levels. At the
opening zoom a city of 40 km² is a few pixels, so the maps also draw a symbol at each city
(``city_points``). Natural Earth (public domain) is kept only for the neighbouring countries.
"""

from __future__ import annotations

import json
from functools import lru_cache

import geopandas as gpd
from shapely.ops import polylabel

from atlas.paths import GEO
from atlas.places import units

BOUNDARY_SOURCE = units.BOUNDARY_SOURCE
#: The two cities of republican significance, drawn with a symbol as well as their polygon.
CITIES = ("KG-GB", "KG-GO")
_KEY = {1: "iso_3166_2", 2: "pcode"}


@lru_cache(maxsize=4)
def _read(name: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / name)


def admin1(resolution: str = "screen") -> gpd.GeoDataFrame:
    """The 9 first-level units as polygons (7 oblasts, Bishkek, Osh city), ``iso_3166_2`` column.

    >>> sorted(admin1()["iso_3166_2"])[:3]
    ['KG-B', 'KG-C', 'KG-GB']
    """
    return units.shapes(1, resolution)


def neighbours() -> gpd.GeoDataFrame:
    """Outlines of the neighbouring countries, drawn faintly for context (``iso_a2`` column)."""
    return _read("neighbours_screen.geojson").copy()


@lru_cache(maxsize=1)
def city_points() -> dict[str, tuple[float, float]]:
    """Where the symbol of each city goes: a point inside its real polygon (lon, lat).

    >>> sorted(city_points())
    ['KG-GB', 'KG-GO']
    """
    shapes = admin1("full").set_index("iso_3166_2")
    out = {}
    for code in CITIES:
        geom = shapes.at[code, "geometry"]
        pole = polylabel(max(getattr(geom, "geoms", [geom]), key=lambda g: g.area), 0.001)
        out[code] = (round(pole.x, 4), round(pole.y, 4))
    return out


@lru_cache(maxsize=2)
def label_points(level: int = 1) -> dict[str, tuple[float, float]]:
    """Where each unit's label goes: a point well inside each polygon, the cities at their symbol.

    >>> round(label_points()["KG-N"][0]), len(label_points(2))
    (76, 55)
    """
    if level == 2:
        table = units.level2()
        points = {code: (float(row.label_lon), float(row.label_lat)) for code, row in table.iterrows()}
        # Bishkek and Osh city stand at level 2 too, under their level-1 p-codes.
        for iso, pcode in (("KG-GB", "KG11000000000"), ("KG-GO", "KG21000000000")):
            if pcode in points:
                points[pcode] = city_points()[iso]
        return points
    shapes = admin1("full")
    points = {}
    for code, geom in zip(shapes["iso_3166_2"], shapes.geometry, strict=True):
        # The pole of inaccessibility keeps labels off thin arms (Jalal-Abad, Batken).
        pole = polylabel(max(getattr(geom, "geoms", [geom]), key=lambda g: g.area), 0.01)
        points[code] = (round(pole.x, 3), round(pole.y, 3))
    # Chüy's pole lies next to Bishkek, whose label would cover it: move it east, still inside Chüy.
    points["KG-C"] = (75.3, 42.55)
    points.update(city_points())
    return points


@lru_cache(maxsize=4)
def geojson_text(resolution: str = "screen", level: int = 1) -> str:
    """Compact GeoJSON text of the polygons at ``level``, for the maps, exports and tests.

    >>> geojson_text().startswith('{"type"')
    True
    """
    frame = units.shapes(level, resolution)[[_KEY[level], "geometry"]]
    return json.dumps(json.loads(frame.to_json(drop_id=True)), separators=(",", ":"))


@lru_cache(maxsize=1)
def lakes_text() -> str:
    """Compact GeoJSON of Issyk-Kul and Son-Kul (names en/ru/ky), drawn as water."""
    return json.dumps(json.loads(units.lakes().to_json(drop_id=True)), separators=(",", ":"),
                      ensure_ascii=False)
