"""Your own geography: an uploaded polygon layer (districts, ayil aimaks…) as the map for a table.

The user names the column that identifies each polygon and the column of the table that refers
to it; names match exactly (after the same normalisation as region names) or, failing that,
fuzzily with rapidfuzz, and every match is reported so the user can check it. Polygons are
simplified for the screen (shared borders kept shared) and rounded, so the map stays small.

>>> import geopandas as gpd, shapely
>>> gdf = gpd.GeoDataFrame({"name": ["Ала-Бука", "Токтогул"]},
...     geometry=[shapely.box(71, 41, 72, 42), shapely.box(72, 41, 73, 42)], crs=4326)
>>> report = match_names(["Ала-Букинский", "Токтогул", "Марс"], gdf["name"])
>>> report["how"].tolist()
['fuzzy', 'exact', 'none']
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import shapely
from rapidfuzz import fuzz, process

from atlas.draw import maps
from atlas.draw.classify import classify
from atlas.errors import UserError
from atlas.i18n import N_, Msg, fmt_number, plural_msg
from atlas.places.regions import normalise
from atlas.values.indicators import AGGREGATIONS

#: Below this similarity (0–100) a name is left unmatched rather than guessed.
FUZZY_CUTOFF = 80
SCREEN_TOLERANCE = 0.005  # degrees; district polygons are small, so finer than the oblasts'
MAX_FEATURES = 2000


def _key(name: object) -> str:
    return normalise(str(name)).split("|")[0] if pd.notna(name) else ""


def match_names(values: Iterable[object], shape_names: Iterable[object], cutoff: int = FUZZY_CUTOFF
                ) -> pd.DataFrame:
    """One row per distinct table value: the polygon name it matched, the score, and how.

    >>> match_names(["Talas"], ["Talas"]).iloc[0].to_dict()
    {'value': 'Talas', 'matched': 'Talas', 'score': 100.0, 'how': 'exact'}
    """
    names = [str(n) for n in pd.unique(pd.Series(list(shape_names)).dropna())]
    keys = {_key(n): n for n in names}
    rows = []
    for value in pd.unique(pd.Series(list(values)).dropna()):
        k = _key(value)
        if k in keys:
            rows.append((str(value), keys[k], 100.0, "exact"))
            continue
        best = process.extractOne(k, list(keys), scorer=fuzz.WRatio, score_cutoff=cutoff) if k else None
        if best:
            rows.append((str(value), keys[best[0]], round(float(best[1]), 1), "fuzzy"))
        else:
            rows.append((str(value), None, 0.0, "none"))
    return pd.DataFrame(rows, columns=["value", "matched", "score", "how"])


def screen_shapes(gdf, id_col: str, tolerance: float = SCREEN_TOLERANCE) -> dict:
    """A compact FeatureCollection for the screen: ``properties.id`` from ``id_col``, borders
    simplified together (no slivers), coordinates rounded to 4 decimals.

    >>> import geopandas as gpd
    >>> g = gpd.GeoDataFrame({"n": ["a"]}, geometry=[shapely.box(74.123456, 41, 75, 42)], crs=4326)
    >>> screen_shapes(g, "n")["features"][0]["geometry"]["coordinates"][0][0]
    [74.1235, 41.0]
    """
    if id_col not in gdf.columns:
        raise UserError(Msg(N_("There is no column “{column}” in the map file"), {"column": id_col}))
    polys = gdf[gdf.geom_type.isin(["Polygon", "MultiPolygon"])]
    if polys.empty:
        raise UserError(Msg(N_("The map file has no polygons to colour")))
    if len(polys) > MAX_FEATURES:
        raise UserError(Msg(N_("The map file has {n} polygons; at most {max} can be drawn"),
                            {"n": len(polys), "max": MAX_FEATURES}))
    geoms = shapely.make_valid(polys.geometry.values)
    try:
        simple = shapely.coverage_simplify(geoms, tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: simplify each polygon on its own
        simple = shapely.simplify(geoms, tolerance, preserve_topology=True)
    simple = shapely.set_precision(simple, 1e-4)
    features = [
        {"type": "Feature", "properties": {"id": str(i)}, "geometry": shapely.geometry.mapping(g)}
        for i, g in zip(polys[id_col], simple, strict=True) if not g.is_empty
    ]
    return json.loads(json.dumps({"type": "FeatureCollection", "features": features}, default=float))


def aggregate(df: pd.DataFrame, key_col: str, value_col: str | None, how: str, report: pd.DataFrame
              ) -> pd.Series:
    """Values per polygon name, through the match report (unmatched rows are left out).

    >>> rep = match_names(["a", "b"], ["a", "b"])
    >>> aggregate(pd.DataFrame({"k": ["a", "a", "b"], "v": [1, 2, 5]}), "k", "v", "sum", rep).to_dict()
    {'a': 3.0, 'b': 5.0}
    """
    if how not in AGGREGATIONS:
        raise UserError(Msg(N_("Unknown aggregation {how}; use one of {valid}."),
                            {"how": how, "valid": ", ".join(AGGREGATIONS)}))
    mapping = dict(zip(report["value"], report["matched"], strict=True))
    target = df[key_col].map(lambda v: mapping.get(str(v)) if pd.notna(v) else None)
    if value_col is None:
        return target.dropna().value_counts().astype(float)
    numbers = pd.to_numeric(df[value_col], errors="coerce")
    grouped = numbers[target.notna()].groupby(target[target.notna()])
    return (grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)).astype(float)


@dataclass
class CustomMap:
    deck: maps.CompactDeck
    legend: list[tuple[str | None, str, int | None]]
    report: pd.DataFrame
    values: pd.Series  # by polygon name, NaN = no data
    warnings: list[Msg]


def _view(collection: dict) -> maps.pdk.ViewState:
    """An opening view that frames the polygons (rough Web Mercator fit for a ~600 px map)."""
    coords = np.array([c for f in collection["features"] for c in shapely.get_coordinates(
        shapely.geometry.shape(f["geometry"]))]) if collection["features"] else np.array([[74.7, 41.3]])
    (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
    span = max(x1 - x0, (y1 - y0) * 1.4, 0.05)
    zoom = float(np.clip(np.log2(600 * 360 / (512 * span)), 3, 11))
    return maps.pdk.ViewState(longitude=(x0 + x1) / 2, latitude=(y0 + y1) / 2, zoom=round(zoom, 2))


def custom_map(gdf, id_col: str, df: pd.DataFrame, key_col: str, value_col: str | None, how: str,
               lang: str = "en", _: Callable[[str], str] = str, scheme: str = "natural_breaks", k: int = 5,
               palette: str = "YlGnBu", reverse: bool = False) -> CustomMap:
    """Match, aggregate, classify and draw a table on the user's own polygons."""
    collection = screen_shapes(gdf, id_col)
    names = [f["properties"]["id"] for f in collection["features"]]
    report = match_names(df[key_col], names)
    values = aggregate(df, key_col, value_col, how, report).reindex(names)
    classes = classify(values.to_numpy(), scheme=scheme, k=k, palette=palette, reverse=reverse)
    colors = dict(zip(names, classes.color_of(values.to_numpy()), strict=True))
    tips = {n: f"{n}\n{_('No data') if pd.isna(v) else fmt_number(v, lang)}" for n, v in values.items()}
    legend = [(e.color, e.label, e.count) for e in classes.legend(lambda x: fmt_number(x, lang))]
    if missing := int(values.isna().sum()):
        legend.append((None, _("No data"), missing))
    warns = list(classes.warnings)
    if unmatched := int((report["how"] == "none").sum()):
        warns.append(plural_msg("{n} name in the table matches no polygon and was left out",
                                "{n} names in the table match no polygon and were left out", unmatched))
    return CustomMap(maps.geojson_deck(collection, colors, tips, view=_view(collection)), legend, report,
                     values, warns)
