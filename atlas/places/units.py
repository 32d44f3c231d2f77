"""Both levels of Kyrgyzstan's units from the official boundaries, and the mountain lens.

Level 1: the 9 units keyed by ISO 3166-2 code (``KG-N``). Level 2: 55 units keyed by OCHA p-code
(``KG04245000000``): 40 rayons, 13 towns of oblast significance, and Bishkek and Osh city, which
stand at both levels. Everything here reads files prepared offline by scripts/prepare_geo_cod.py
and scripts/prepare_elevation.py (sources, licences and dates in geo/README.md, data/README.md).
"""

from __future__ import annotations

import json
import math
from functools import lru_cache

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas.paths import DATA, GEO

BOUNDARY_SOURCE = ("OCHA COD-AB, Ministry of Emergency Situations of the Kyrgyz Republic (2018), "
                   "CC BY 3.0 IGO")
ELEVATION_SOURCE = ("GEBCO Compilation Group (2023) GEBCO 2023 Grid, public domain, "
                    "doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b")
LEVEL2_COUNT = 55
UNIT_TYPES = ("rayon", "town", "city")
_KEYS = {1: "iso_3166_2", 2: "pcode"}


def _check(level: int, resolution: str = "screen") -> None:
    if level not in _KEYS:
        raise ValueError(f"level must be 1 or 2, not {level!r}")
    if resolution not in ("screen", "full"):
        raise ValueError(f"resolution must be 'screen' or 'full', not {resolution!r}")


@lru_cache(maxsize=4)
def _shapes(level: int, resolution: str) -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / f"kg_level{level}_{resolution}.geojson")


def shapes(level: int, resolution: str = "screen") -> gpd.GeoDataFrame:
    """Polygons of every unit at ``level`` (1: ``iso_3166_2`` column, 2: ``pcode`` and ``parent_iso``).

    "screen" shapes are coverage-simplified (about 3.5 km, shared borders kept); "full" shapes are
    the source's, for print and for deciding which unit a point lies in.

    >>> len(shapes(2))
    55
    """
    _check(level, resolution)
    return _shapes(level, resolution).copy()


def lakes() -> gpd.GeoDataFrame:
    """Issyk-Kul and Son-Kul, the holes of the rayon layer, to draw as water (names in en/ru/ky).

    >>> sorted(lakes()["name_en"])
    ['Issyk-Kul', 'Son-Kul']
    """
    return _lakes().copy()


@lru_cache(maxsize=1)
def _lakes() -> gpd.GeoDataFrame:
    return gpd.read_file(GEO / "kg_lakes_screen.geojson")


@lru_cache(maxsize=1)
def _level2() -> pd.DataFrame:
    table = pd.read_csv(DATA / "units_level2.csv", dtype=str, keep_default_na=False)
    for col in ("area_km2", "area_km2_cod", "label_lon", "label_lat"):
        table[col] = pd.to_numeric(table[col])
    return table.set_index("pcode")


def level2() -> pd.DataFrame:
    """The level-2 gazetteer indexed by p-code: soate, soate8, parent_iso, unit_type, names, area.

    ``name_*`` are the display names (the COD's misspellings and the Kara-Buura → Aitmatov rename
    fixed); ``name_*_cod`` keep the source's own. ``soate8`` is empty where 8 digits are ambiguous.

    >>> level2().loc["KG04220000000", "name_en"]
    'At-Bashy District'
    """
    return _level2().copy()


def parents() -> dict[str, str]:
    """Level-2 p-code → ISO code of the level-1 unit it lies in (a city is its own parent).

    >>> parents()["KG08203000000"], parents()["KG21000000000"]
    ('KG-C', 'KG-GO')
    """
    return dict(_parents())


@lru_cache(maxsize=1)
def _parents() -> dict[str, str]:
    return dict(_level2()["parent_iso"])


@lru_cache(maxsize=1)
def unit_types() -> dict[str, str]:
    """Level-2 p-code → "rayon" or the kind of town or city (made once: read-only).

    >>> unit_types()["KG04220000000"]
    'rayon'
    """
    return dict(_level2()["unit_type"])


def unit_name(pcode: str, lang: str = "en") -> str:
    """Display name of a level-2 unit in ``lang`` (ky, ru or en); unknown codes come back unchanged.

    >>> unit_name("KG07215000000", "ru")
    'Айтматовский район'
    """
    column = {"ky": "name_ky", "ru": "name_ru"}.get(lang, "name_en")
    table = _level2()
    return str(table.at[pcode, column]) if pcode in table.index else pcode


@lru_cache(maxsize=1)
def _aliases() -> pd.DataFrame:
    return pd.read_csv(DATA / "units_level2_aliases.csv", dtype=str, keep_default_na=False)


def level2_aliases() -> pd.DataFrame:
    """Spellings of the 55 units (``alias``, ``pcode``). A bare name shared by a rayon and a town
    ("Naryn", "Talas", "Batken") has one row per unit: the caller must ask or use an oblast column.

    >>> sorted(level2_aliases().query("alias == 'Naryn'")["pcode"])
    ['KG04245000000', 'KG04400000010']
    """
    return _aliases().copy()


@lru_cache(maxsize=1)
def _elevation_stats() -> pd.DataFrame:
    return pd.read_csv(DATA / "elevation_by_unit.csv", dtype={"code": str})


def elevation_stats(level: int) -> pd.DataFrame:
    """Per unit at ``level``: elev_mean_m, elev_median_m, share_above_2000m, share_above_3000m.

    Shares are of area (grid cells weighted by cos(latitude)), from 0 to 1.

    >>> int(elevation_stats(1).loc["KG-GB", "elev_median_m"]) < 1000
    True
    """
    _check(level)
    table = _elevation_stats()
    return table[table["level"] == level].drop(columns="level").set_index("code")


@lru_cache(maxsize=1)
def _grid() -> tuple[np.ndarray, float, float, float, int]:
    with np.load(GEO / "elevation_grid.npz") as z:
        return z["elevation"], float(z["lat0"]), float(z["lon0"]), float(z["step"]), int(z["nodata"])


def elevation_at(lon: float, lat: float) -> float | None:
    """Ground elevation in metres at a point (GEBCO 2023, 45" cells), or None outside Kyrgyzstan.

    The grid covers the country and about 5 km around it; elsewhere, and for a missing or
    non-finite coordinate, there is no value.

    >>> round(elevation_at(74.59, 42.87), -2)
    800.0
    >>> elevation_at(60.0, 40.0) is None
    True
    """
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    grid, lat0, lon0, step, nodata = _grid()
    row, col = round((lat - lat0) / step), round((lon - lon0) / step)
    if not (0 <= row < grid.shape[0] and 0 <= col < grid.shape[1]):
        return None
    value = int(grid[row, col])
    return None if value == nodata else float(value)


@lru_cache(maxsize=1)
def relief() -> dict:
    """The shaded-relief image: ``path`` of the PNG and its ``bounds`` [west, south, east, north].

    Its rows are evenly spaced in Web Mercator, so a deck.gl BitmapLayer with these bounds fits.

    >>> relief()["bounds"][0] < 69.5
    True
    """
    meta = json.loads((GEO / "relief.json").read_text(encoding="utf-8"))
    return {"path": GEO / "relief.png", "bounds": tuple(meta["bounds"]), "source": meta["source"]}
