"""Point layers: which unit each point lies in, at level 1 (oblasts) or level 2 (rayons, towns).

Level 1 is ``atlas.places.points`` (with its Osh city rule). Level 2 tests each point against the
official rayon polygons (``atlas.places.units.shapes(2, "full")``); a point on no polygon gets no
code. The map's own level-2 drawing is wired by the geography work; this only gives the keys.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from atlas.places import points

LEVELS = (1, 2)


def is_point_layer(table: pd.DataFrame) -> bool:
    """True for a layer whose shapes are all points (schools, clinics, projects), not areas.

    >>> import geopandas as gpd, shapely
    >>> is_point_layer(gpd.GeoDataFrame(geometry=[shapely.Point(74.6, 42.9)]))
    True
    """
    geom = getattr(table, "geometry", None)
    if geom is None or "geometry" not in table.columns:
        return False
    types = set(geom.geom_type.dropna())
    return bool(types) and types <= {"Point", "MultiPoint"}


@lru_cache(maxsize=1)
def _level2() -> tuple[list[str], list]:
    import shapely

    from atlas.places import units

    shapes = units.shapes(2, "full")
    geoms = list(shapes.geometry.values)
    for g in geoms:
        shapely.prepare(g)
    return list(shapes["pcode"]), geoms


def level2_codes(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """The p-code of the level-2 unit each point lies in (None outside every unit or blank).

    >>> level2_codes(pd.Series([42.87, 10.0]), pd.Series([74.59, 10.0])).str[:4].tolist()
    ['KG11', None]
    """
    import shapely

    y = pd.to_numeric(lat, errors="coerce").astype(float).to_numpy()
    x = pd.to_numeric(lon, errors="coerce").astype(float).to_numpy()
    blank = np.isnan(x) | np.isnan(y)
    x0, y0 = np.nan_to_num(x), np.nan_to_num(y)
    out = np.full(len(x), None, dtype=object)
    for code, geom in zip(*_level2(), strict=True):
        hit = shapely.contains_xy(geom, x0, y0) & (out == None) & ~blank  # noqa: E711 (elementwise)
        out[hit] = code
    return pd.Series(out, index=lat.index, dtype=object)


def codes_at(lat: pd.Series, lon: pd.Series, level: int) -> pd.Series:
    """Unit keys of points at ``level`` (ISO codes at 1, p-codes at 2).

    >>> codes_at(pd.Series([42.87]), pd.Series([74.59]), 1).tolist()
    ['KG-GB']
    """
    if level == 2:
        return level2_codes(lat, lon)
    return points.locate_points(lat, lon).codes
