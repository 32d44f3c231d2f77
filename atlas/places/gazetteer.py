"""The nine first-level units of Kyrgyzstan, keyed by ISO 3166-2 code: names, area, population.

Reference facts come from data/regions.csv (see data/README.md for sources and dates).
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from atlas.paths import DATA

#: The nine units in a fixed order: 7 oblasts, then the two cities of republican significance.
CODES: tuple[str, ...] = ("KG-B", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y", "KG-GB", "KG-GO")
OBLASTS: tuple[str, ...] = CODES[:7]
CITIES: tuple[str, ...] = CODES[7:]

POPULATION_SOURCE = (
    "National Statistical Committee of the Kyrgyz Republic, resident population at 1 January 2021, "
    "as quoted by the English Wikipedia article of each unit"
)
AREA_SOURCE = (
    "National Statistical Committee, 2009 census volumes, as quoted by English/Russian Wikipedia; "
    "Bishkek's area is left empty because the sources conflict"
)


@lru_cache(maxsize=1)
def regions() -> pd.DataFrame:
    """The reference table, one row per unit, indexed by ISO code in ``CODES`` order.

    >>> int(regions().loc["KG-GO", "population"])
    322164
    """
    df = pd.read_csv(DATA / "regions.csv", dtype={"ocha_pcode": str})
    df = df.set_index("iso_3166_2").loc[list(CODES)]
    df["area_km2"] = pd.to_numeric(df["area_km2"], errors="coerce")
    df["population"] = pd.to_numeric(df["population"], errors="coerce")
    return df


@lru_cache(maxsize=1)
def aliases() -> pd.DataFrame:
    """Known spellings of each unit (``alias``, ``iso_3166_2``) in Kyrgyz, Russian and English.

    >>> len(aliases()) > 200
    True
    """
    return pd.read_csv(DATA / "region_aliases.csv", dtype=str)


def region_name(code: str, lang: str = "en") -> str:
    """The display name of a unit in ``lang`` (ky, ru or en); unknown codes come back unchanged.

    >>> region_name("KG-GO", "ru")
    'город Ош'
    """
    column = {"ky": "name_ky", "ru": "name_ru"}.get(lang, "name_en")
    table = regions()
    return str(table.at[code, column]) if code in table.index else code
