"""Points → regions by point-in-polygon, with every problem point counted and listed.

Public API:

- ``locate_points(lat, lon) -> PointsResult``: a status per row (``inside``, ``outside``,
  ``swapped``, ``blank``), a region code per row (None unless inside), counts and a listing of
  the rows that need attention. ``PointsResult.swap()`` returns the result with the swapped rows'
  latitude and longitude exchanged (the page offers it; nothing is swapped silently).

Both levels use the official COD-AB polygons at full resolution (geo/kg_level1_full.geojson,
geo/kg_level2_full.geojson), Bishkek and Osh city included: the 7.6 km circle that stood in for
Osh city while the boundaries had no polygon for it is gone. ``PointsResult.rayons`` gives the
level-2 p-code per row and ``PointsResult.elevations()`` the ground elevation (GEBCO 2023).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from atlas.i18n import Msg, plural_msg
from atlas.paths import GEO
from atlas.places import units

_KEYS = {1: "iso_3166_2", 2: "pcode"}


@lru_cache(maxsize=2)
def _polygons(level: int = 1) -> tuple[list[str], list]:
    """The polygons of one level at full resolution (prepared for fast tests) and their keys."""
    data = json.loads((GEO / f"kg_level{level}_full.geojson").read_text(encoding="utf-8"))
    codes, geoms = [], []
    for feat in data["features"]:
        geom = shapely.geometry.shape(feat["geometry"])
        shapely.prepare(geom)
        codes.append(feat["properties"][_KEYS[level]])
        geoms.append(geom)
    return codes, geoms


def codes_for(lon: np.ndarray, lat: np.ndarray, level: int = 1) -> np.ndarray:
    """Unit key per point (object array, None outside): ISO code at level 1, p-code at level 2.

    >>> list(codes_for(np.array([74.6, 72.80, 10.0]), np.array([42.87, 40.53, 10.0])))
    ['KG-GB', 'KG-GO', None]
    """
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    out = np.full(len(lon), None, dtype=object)
    # a bounding-box test first: most points of a file lie in a few units
    for code, geom in zip(*_polygons(level), strict=True):
        x0, y0, x1, y1 = geom.bounds
        box = (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1) & (out == None)  # noqa: E711
        if box.any():
            idx = np.flatnonzero(box)
            hit = shapely.contains_xy(geom, lon[idx], lat[idx])
            out[idx[hit]] = code
    return out


@dataclass
class PointsResult:
    """Per-row ``status`` and ``codes`` (Series aligned to the input) plus the coordinates used."""

    lat: pd.Series
    lon: pd.Series
    status: pd.Series
    codes: pd.Series
    rayons: pd.Series | None = None

    def counts(self) -> dict[str, int]:
        """Counts of inside, outside, swapped and blank rows.

        >>> locate_points(pd.Series([42.8, None]), pd.Series([74.6, None])).counts()
        {'inside': 1, 'outside': 0, 'swapped': 0, 'blank': 1}
        """
        vc = self.status.value_counts()
        return {k: int(vc.get(k, 0)) for k in ("inside", "outside", "swapped", "blank")}

    def problems(self) -> pd.DataFrame:
        """Rows that are not inside, with their coordinates and status (for the page's list)."""
        bad = self.status != "inside"
        return pd.DataFrame({"lat": self.lat[bad], "lon": self.lon[bad], "status": self.status[bad]})

    def messages(self) -> list[Msg]:
        """What the user should be told about points that were not placed."""
        c = self.counts()
        out: list[Msg] = []
        if c["swapped"]:
            out.append(
                plural_msg(
                    "{n} point has latitude and longitude swapped; it can be swapped back.",
                    "{n} points have latitude and longitude swapped; they can be swapped back.",
                    c["swapped"],
                )
            )
        if c["outside"]:
            out.append(
                plural_msg("{n} point lies outside Kyrgyzstan and is left off the map.",
                           "{n} points lie outside Kyrgyzstan and are left off the map.", c["outside"])
            )
        if c["blank"]:
            out.append(plural_msg("{n} row has no coordinates.", "{n} rows have no coordinates.", c["blank"]))
        return out

    def elevations(self) -> pd.Series:
        """Ground elevation in metres per row (GEBCO 2023), NaN where the point is not in Kyrgyzstan.

        >>> locate_points(pd.Series([42.87]), pd.Series([74.59])).elevations().round(-2).tolist()
        [800.0]
        """
        values = [units.elevation_at(x, y) if s == "inside" else None
                  for x, y, s in zip(self.lon, self.lat, self.status, strict=True)]
        return pd.Series(values, index=self.lat.index, dtype=float, name="elevation_m")

    def swap(self) -> PointsResult:
        """The same points with the swapped rows corrected (their lat/lon exchanged)."""
        sw = self.status == "swapped"
        lat = self.lat.where(~sw, self.lon)
        lon = self.lon.where(~sw, self.lat)
        return locate_points(lat, lon)


def locate_points(lat: pd.Series, lon: pd.Series) -> PointsResult:
    """Classify and place points; nothing is dropped, problem rows keep a status.

    >>> locate_points(pd.Series([74.6]), pd.Series([42.87])).status.tolist()
    ['swapped']
    """
    la = pd.to_numeric(lat, errors="coerce").astype(float)
    lo = pd.to_numeric(lon, errors="coerce").astype(float)
    x, y = lo.to_numpy(), la.to_numpy()
    blank = np.isnan(x) | np.isnan(y)
    codes = codes_for(np.nan_to_num(x, nan=0.0), np.nan_to_num(y, nan=0.0))
    codes[blank] = None
    inside = codes != None  # noqa: E711
    rayons = np.full(len(x), None, dtype=object)
    if inside.any():
        rayons[inside] = codes_for(x[inside], y[inside], level=2)
    rest = ~inside & ~blank
    swapped = np.zeros(len(x), dtype=bool)
    if rest.any():
        swapped[rest] = codes_for(y[rest], x[rest]) != None  # noqa: E711
    status = np.where(blank, "blank", np.where(inside, "inside", np.where(swapped, "swapped", "outside")))
    return PointsResult(
        lat=la,
        lon=lo,
        status=pd.Series(status, index=la.index),
        codes=pd.Series(codes, index=la.index, dtype=object),
        rayons=pd.Series(rayons, index=la.index, dtype=object),
    )
