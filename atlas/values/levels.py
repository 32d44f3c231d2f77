"""Values at the two levels: level-2 series of the built-in indicators, and rolling rayons up.

Level 1 is keyed by ISO code (9 units), level 2 by COD p-code (55 units). A level-2 value rolls up
to its oblast only when it is an amount (a sum or a count): rates, shares, means and medians never
add up, and ``rollup`` says so instead of summing them.
"""

from __future__ import annotations

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import gazetteer, points, rayons, units

#: Aggregations whose level-2 results may be added up to level 1.
ADDITIVE = ("sum", "count")
ELEVATION_SOURCE = N_("GEBCO Compilation Group (2023) GEBCO 2023 Grid, public domain")
NO_RAYON_POPULATION = N_("No population by rayon is bundled (no sourced figures for all 55 units at "
                         "one date), so per-capita values are not shown at rayon level.")


def keys(level: int) -> list[str]:
    """The unit keys of ``level``, in display order.

    >>> len(keys(1)), len(keys(2))
    (9, 55)
    """
    if level not in (1, 2):
        raise ValueError(f"level must be 1 or 2, not {level!r}")
    return list(gazetteer.CODES) if level == 1 else list(rayons.PCODES)


def names(level: int, lang: str) -> dict[str, str]:
    """Display names of every unit at ``level`` in ``lang``.

    >>> names(2, "ru")["KG21000000000"]
    'город Ош'
    """
    if level == 1:
        return {code: gazetteer.region_name(code, lang) for code in gazetteer.CODES}
    return rayons.names(lang)


def elevation(column: str, level: int) -> pd.Series:
    """One elevation statistic per unit (elev_mean_m, elev_median_m, share_above_2000m/3000m).

    Shares come back as percentages, the way the map and its legend show them.

    >>> bool(elevation("elev_median_m", 1)["KG-N"] > 2500)
    True
    """
    values = units.elevation_stats(level)[column].reindex(keys(level)).astype(float)
    return values * 100 if column.startswith("share") else values


def level2_area() -> pd.Series:
    """Area of each level-2 unit in km² (from the COD-AB polygons, data/units_level2.csv).

    >>> round(float(level2_area()["KG21000000000"]), 1)
    40.5
    """
    return units.level2()["area_km2"].reindex(keys(2)).astype(float)


def sum_points(lon: pd.Series, lat: pd.Series, weights: pd.Series | None, level: int) -> pd.Series:
    """Per unit of ``level``: how many points lie in it (``weights`` None) or the sum of their weights.

    A unit with no point counts 0 (counted, not missing); a sum over only blank weights has no data.

    >>> float(sum_points(pd.Series([74.6]), pd.Series([42.87]), None, 2)["KG11000000000"])
    1.0
    """
    codes = pd.Series(points.codes_for(lon.to_numpy(float), lat.to_numpy(float), level), index=lon.index)
    if weights is None:
        return codes.value_counts().reindex(keys(level), fill_value=0).astype(float)
    return pd.to_numeric(weights, errors="coerce").groupby(codes).sum(min_count=1).reindex(keys(level)).astype(float)


def rollup(values: pd.Series, how: str) -> pd.Series:
    """Level-2 values (by p-code) added up to the 9 level-1 units; refused for rates and means.

    A unit with no data below it stays without data (never 0); Bishkek and Osh city are their own
    parents, so their value passes through.

    >>> float(rollup(pd.Series({"KG04220000000": 2.0, "KG04235000000": 3.0}), "sum")["KG-N"])
    5.0
    """
    if how not in ADDITIVE:
        raise UserError(Msg(N_("Values combined by “{how}” cannot be added up to oblasts: rates, shares "
                               "and means never sum. Show them by rayon, or upload the oblast figures."),
                            {"how": how}))
    parent = pd.Series(units.parents())
    frame = pd.DataFrame({"value": values.astype(float), "parent": parent.reindex(values.index)})
    total = frame.dropna(subset=["parent"]).groupby("parent")["value"].sum(min_count=1)
    return total.reindex(keys(1)).astype(float)


def codes_at(frame: pd.DataFrame, table, level: int, how: str) -> pd.Series:
    """The unit key of every row of ``frame`` at ``level`` (``table``: its ``DatasetTable``).

    A rayon table shown by oblast is rolled up (only sums and counts: see ``rollup``); an oblast
    table is shown by rayon only when its rows carry coordinates.
    """
    if table.level == level:
        return frame[table.region_col]
    if level == 1:
        if how not in ADDITIVE:
            rollup(pd.Series(dtype=float), how)  # raises the message that says why not
        return frame[table.region_col].map(units.parents())
    if table.lat_col and table.lon_col:
        lon = pd.to_numeric(frame[table.lon_col], errors="coerce").fillna(0.0)
        lat = pd.to_numeric(frame[table.lat_col], errors="coerce").fillna(0.0)
        return pd.Series(points.codes_for(lon.to_numpy(float), lat.to_numpy(float), 2), index=frame.index)
    raise UserError(Msg(N_("This table gives figures by oblast, not by rayon: it cannot be split into "
                           "rayons. Choose the oblast level, or use a table by rayon or with coordinates.")))


def normalise2(values: pd.Series, how: str) -> pd.Series:
    """Level-2 values made comparable: per 1,000 km² (COD areas) or share; per capita is refused.

    >>> float(normalise2(pd.Series({"KG21000000000": 81.0}), "per_1000km2")["KG21000000000"])
    2000.0
    """
    x = pd.to_numeric(values.reindex(keys(2)), errors="coerce").astype(float)
    if how == "none":
        return x
    if how == "per_10k":
        raise UserError(Msg(NO_RAYON_POPULATION))
    if how == "per_1000km2":
        return x / level2_area() * 1_000
    if (x < 0).any():
        raise UserError(Msg(N_("Shares of the national total need values that are not negative")))
    total = x.sum(min_count=1)
    return x / total * 100 if total and total == total else x * float("nan")
