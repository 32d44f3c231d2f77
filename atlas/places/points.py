"""Points → regions by point-in-polygon, with every problem point counted and listed.

Public API:

- ``locate_points(lat, lon) -> PointsResult``: a status per row (``inside``, ``outside``,
  ``swapped``, ``blank``), a region code per row (None unless inside), counts and a listing of
  the rows that need attention. ``PointsResult.swap()`` returns the result with the swapped rows'
  latitude and longitude exchanged (the page offers it; nothing is swapped silently).

Rule for Osh city: the bundled boundaries (geo/kg_admin1_full.geojson, 8 polygons) draw Osh city
inside the Osh oblast polygon, and KG-GO has only a centre point (geo/osh_city.geojson). A point
within ``OSH_RADIUS_KM`` = 7.6 km of that centre — the radius of a circle with Osh city's area,
182.5 km² — is given KG-GO; ``OSH_RULE`` says so to the user.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely

from atlas.i18n import N_, Msg, plural_msg
from atlas.paths import GEO

OSH_AREA_KM2 = 182.5
OSH_RADIUS_KM = round(math.sqrt(OSH_AREA_KM2 / math.pi), 1)
OSH_RULE = Msg(
    N_(
        "Points within {km} km of Osh city centre (a circle with the city's area, {area} km²) are counted "
        "as Osh city; the map has no boundary for the city."
    ),
    {"km": OSH_RADIUS_KM, "area": OSH_AREA_KM2},
)
_EARTH_KM = 6371.0088


@lru_cache(maxsize=1)
def _polygons() -> tuple[list[str], list]:
    """The 8 boundary polygons (prepared for fast tests) and their ISO codes."""
    data = json.loads((GEO / "kg_admin1_full.geojson").read_text(encoding="utf-8"))
    codes, geoms = [], []
    for feat in data["features"]:
        geom = shapely.geometry.shape(feat["geometry"])
        shapely.prepare(geom)
        codes.append(feat["properties"]["iso_3166_2"])
        geoms.append(geom)
    return codes, geoms


@lru_cache(maxsize=1)
def _osh_centre() -> tuple[float, float]:
    """(lon, lat) of Osh city from geo/osh_city.geojson."""
    data = json.loads((GEO / "osh_city.geojson").read_text(encoding="utf-8"))
    lon, lat = data["features"][0]["geometry"]["coordinates"][:2]
    return float(lon), float(lat)


def _km_to_osh(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Great-circle distance (haversine) from each point to Osh city centre."""
    clon, clat = np.radians(_osh_centre())
    la, lo = np.radians(lat), np.radians(lon)
    h = np.sin((la - clat) / 2) ** 2 + np.cos(la) * np.cos(clat) * np.sin((lo - clon) / 2) ** 2
    return 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def codes_for(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Region code per point (object array, None outside), Osh city by the radius rule.

    >>> list(codes_for(np.array([74.6, 72.80, 10.0]), np.array([42.87, 40.53, 10.0])))
    ['KG-C', 'KG-GO', None]
    """
    out = np.full(len(lon), None, dtype=object)
    for code, geom in zip(*_polygons(), strict=True):
        hit = shapely.contains_xy(geom, lon, lat) & (out == None)  # noqa: E711 (elementwise)
        out[hit] = code
    near_osh = _km_to_osh(lon, lat) <= OSH_RADIUS_KM
    out[near_osh] = "KG-GO"
    return out


@dataclass
class PointsResult:
    """Per-row ``status`` and ``codes`` (Series aligned to the input) plus the coordinates used."""

    lat: pd.Series
    lon: pd.Series
    status: pd.Series
    codes: pd.Series

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
        out = [OSH_RULE] if (self.codes == "KG-GO").any() else []
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
    )
