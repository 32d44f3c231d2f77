"""The map builder's logic: everything the builder page draws besides what ``compose`` gives.

One ``build(spec, table, _)`` call turns a ViewSpec into the deck, the charts' inputs and the
notes under the map, so the page only renders. Pure: no streamlit.

>>> from atlas.values.datasets import builtin_table
>>> out = build(ViewSpec(map_type="bubbles", lang="en"), builtin_table("ngo_sample"))
>>> [layer.id for layer in out.deck.layers if layer.id in ("bubbles", "labels")]
['bubbles', 'labels']
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
import pandas as pd

from atlas.draw import maps
from atlas.draw.classify import PALETTES, palette_colors
from atlas.draw.compose import FIXED_KEPT, Composed, compose, compose_fixed
from atlas.draw.fit import Frame
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import N_, Msg, count_text, fmt_number, plural_msg, translator
from atlas.places import gazetteer
from atlas.values import indicators
from atlas.values.datasets import DatasetTable

#: The column ``atlas.values.userdata`` adds to a table of points: ground elevation in metres.
ELEVATION_COL = "elevation_m"
#: Above this many points, dots overlap; the page suggests hexagon bins or a heat map.
T = TypeVar("T")
MANY_POINTS = 300
POINT_TYPES = {"points": "points", "choropleth_points": "points", "hexbin": "hexbin", "heatmap": "heatmap"}


@dataclass
class Built:
    composed: Composed
    deck: maps.CompactDeck
    notes: list[Msg]  # shown under the map: few rows, points left out, too many points
    _kept: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)

    def kept(self, name: str, make: Callable[[], T]) -> T:
        """``make()`` the first time ``name`` is asked for, then the same object: the charts of a view
        that ``build_fixed`` shares are made once for every session. Treat the result as read-only.

        >>> b = Built(None, None, []); b.kept("x", lambda: [1]) is b.kept("x", lambda: [2])
        True
        """
        if name not in self._kept:
            self._kept[name] = make()
        return self._kept[name]


def few_rows_notes(c: Composed, _: Callable[[str], str] = str) -> dict[str, str]:
    """Tooltip note per region whose value rests on very few rows.

    >>> from atlas.values.datasets import builtin_table
    >>> spec = ViewSpec(column="budget_kgs", aggregation="mean", normalisation="none", year=2019)
    >>> sorted(few_rows_notes(compose(spec, builtin_table("ngo_sample"))))
    ['KG-T']
    """
    return {code: plural_msg("⚠ only {n} row behind this value", "⚠ only {n} rows behind this value",
                             int(c.rows[code])).render(_)
            for code, few in c.few_rows.items() if few}


def point_frame(c: Composed, _: Callable[[str], str] = str) -> pd.DataFrame:
    """The filtered rows as ``lon``, ``lat``, ``tooltip`` (and weight ``w`` when a column is chosen).

    >>> from atlas.values.datasets import builtin_table
    >>> list(point_frame(compose(ViewSpec(column="budget_kgs"), builtin_table("ngo_sample"))).columns)
    ['lon', 'lat', 'tooltip', 'w']
    """
    t, frame = c.table, c.frame
    if not (t.lat_col and t.lon_col):
        return pd.DataFrame(columns=["lon", "lat", "tooltip"])
    out = pd.DataFrame({"lon": pd.to_numeric(frame[t.lon_col], errors="coerce"),
                        "lat": pd.to_numeric(frame[t.lat_col], errors="coerce")})
    names = frame[t.category_cols[-1]].astype("string").fillna("") if t.category_cols else ""
    col = c.spec.column
    if col:
        weight = pd.to_numeric(frame[col], errors="coerce")
        unit = t.units.get(col, "")
        text = weight.map(lambda v: "" if pd.isna(v) else f"{col}: {count_text(v, unit, c.spec.lang, _)}")
        out["tooltip"] = (names + "\n" + text).str.strip() if isinstance(names, pd.Series) else text
        out["w"] = weight
    else:
        out["tooltip"] = names
    if ELEVATION_COL in frame.columns:  # uploads with points carry the ground elevation (GEBCO 2023)
        elev = pd.to_numeric(frame[ELEVATION_COL], errors="coerce")
        line = elev.map(lambda v: "" if pd.isna(v) else f"{fmt_number(v, c.spec.lang, 0)} {_('m')}")
        out["tooltip"] = (out["tooltip"].astype("string").fillna("") + "\n" + line).str.strip()
    return out.reset_index(drop=True)


def series_by_year(spec: ViewSpec, table: DatasetTable) -> pd.DataFrame | None:
    """Values per region for every year of the table (rows: years, columns: ISO codes), with the
    view's filters, aggregation and normalisation; None when the table has no year column.

    >>> from atlas.values.datasets import builtin_table
    >>> series_by_year(ViewSpec(), builtin_table("ngo_sample")).index.tolist()[:2]
    [2018, 2019]
    """
    if not table.year_col or spec.level == 2 or table.level == 2:
        return None  # the charts by year are drawn for the nine units only
    frame = indicators.apply_filters(table.frame, spec.filters) if spec.filters else table.frame
    years = pd.to_numeric(frame[table.year_col], errors="coerce")
    rows = {}
    for year in sorted({int(y) for y in years.dropna()}):
        agg = indicators.aggregate(frame[years == year], table.region_col, spec.column or None, spec.aggregation)
        rows[year] = indicators.normalise(agg.values, spec.normalisation)[0]
    return pd.DataFrame(rows).T.reindex(columns=list(gazetteer.CODES)) if rows else None


def table_years(table: DatasetTable) -> list[int]:
    """The years present in the table's year column, oldest first.

    >>> table_years(DatasetTable("x", "x", pd.DataFrame({"y": [2020, 2019, None]}), "c", [], year_col="y"))
    [2019, 2020]
    """
    if not table.year_col:
        return []
    years = pd.to_numeric(table.frame[table.year_col], errors="coerce").dropna()
    return sorted({int(y) for y in years if float(y).is_integer()})


def ramp(spec: ViewSpec, k: int = 6) -> list[str]:
    """The palette's colours for bins and heat maps (light to dark, or reversed).

    >>> ramp(ViewSpec(palette="Blues"), 3)
    ['#deebf7', '#9ecae1', '#3182bd']
    """
    return palette_colors(spec.palette, k, spec.reverse)


def build(spec: ViewSpec, table: DatasetTable, _: Callable[[str], str] = str,
          highlight: str | None = None, frame: Frame | None = None, composed: Composed | None = None) -> Built:
    """Compose the view (unless ``composed`` is given) and draw the deck of its map type, with the notes
    the reader needs; ``frame``: the map's measured size, which the opening view and the labels fit."""
    c = composed or compose(spec, table, _, highlight=highlight)
    notes: list[Msg] = []
    flagged = few_rows_notes(c, _)
    # Long units stay out of the labels (region_view); the tooltip still names the unit.
    unit_line = () if not c.unit or any(c.unit in t for t in c.view.style.value_texts.values()) else (c.unit,)
    style = dataclasses.replace(c.view.style, tooltip_notes=flagged,
                                tooltip_extra=(*unit_line, *c.view.style.tooltip_extra))
    if flagged:
        names = ", ".join(c.view.names[code] for code in flagged)
        notes.append(Msg(N_("Values for {names} rest on fewer than {n} rows: read them with care."),
                         {"names": names, "n": indicators.FEW_ROWS}))
    kind = POINT_TYPES.get(spec.map_type)
    if kind:
        pts = point_frame(c, _)
        missing = int(pts[["lon", "lat"]].isna().any(axis=1).sum())
        if pts.empty:
            notes.append(Msg(N_("This dataset has no coordinates: the regions are shown instead.")))
        if missing:
            notes.append(plural_msg("{n} row has no coordinates and is not drawn as a point.",
                                    "{n} rows have no coordinates and are not drawn as points.", missing))
        if kind == "points" and len(pts) - missing > MANY_POINTS:
            notes.append(plural_msg("{n} point overlaps others: try hexagon bins or a heat map.",
                                    "{n} points overlap: try hexagon bins or a heat map.", len(pts) - missing))
        deck = maps.points_deck(style, pts, kind, ramp(spec), choropleth=spec.map_type == "choropleth_points",
                                frame=frame)
    elif spec.map_type == "bubbles":
        bad = c.view.values.dropna()
        if (bad < 0).any():
            notes.append(Msg(N_("Negative values cannot be drawn as circles and are left out.")))
        deck = maps.bubble_deck(style, c.view.values, frame)
    else:
        deck = maps.region_deck(style, frame=frame)
    return Built(c, deck, notes)


def build_fixed(spec: ViewSpec, highlight: str | None = None, frame: Frame | None = None) -> Built:
    """``build`` of a fixed built-in dataset (``datasets.is_fixed``), made once per distinct
    (spec, highlight, frame) and shared by every session: treat it as read-only."""
    compose_fixed(spec, highlight)  # refuses data that is not fixed
    return _build_fixed(spec.cache_key(), highlight, frame)


@lru_cache(maxsize=FIXED_KEPT)
def _build_fixed(key: tuple, highlight: str | None, frame: Frame | None) -> Built:
    spec = ViewSpec.from_cache_key(key)
    c = compose_fixed(spec, highlight)
    return build(spec, c.table, translator(spec.lang), highlight, frame, composed=c)


@lru_cache(maxsize=1)
def palette_options() -> dict[str, tuple[str, bool, str]]:
    """Palette key → (label msgid, colour-blind safe, kind), safe ones first (made once: read-only).

    >>> next(iter(palette_options().values()))[1]
    True
    """
    items = sorted(PALETTES.values(), key=lambda p: (not p.colorblind_safe, p.kind != "sequential"))
    return {p.key: (p.label, p.colorblind_safe, p.kind) for p in items}


def center_default(c: Composed) -> float | None:
    """The national average a diverging palette centres on by default (None if undefined).

    >>> from atlas.values.datasets import builtin_table
    >>> center_default(compose(ViewSpec(normalisation="share"), builtin_table("ngo_sample")))
    11.11111111111111
    """
    spec, table = c.spec, c.table
    raw = indicators.aggregate(c.frame, table.region_col, spec.column or None, spec.aggregation).values
    value = indicators.national_average(raw, spec.normalisation)
    return None if not np.isfinite(value) else float(value)


def parse_breaks(text: str) -> tuple[float, ...]:
    """Manual break values as typed: "10; 20,5; 30" (decimal commas) or "10, 20.5, 30" or spaces.

    >>> parse_breaks("10; 20,5; 30"), parse_breaks("10, 20.5 30")
    ((10.0, 20.5, 30.0), (10.0, 20.5, 30.0))
    """
    text = text.strip()
    if not text:
        return ()
    parts = text.replace(",", ".").split(";") if ";" in text else text.replace(",", " ").split()
    out = []
    for part in parts:
        try:
            out.append(float(part.strip().replace(" ", "")))
        except ValueError:
            raise UserError(Msg(N_("“{value}” is not a number: write breaks like 10; 20,5; 30"),
                                {"value": part.strip()})) from None
    if any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise UserError(Msg(N_("Break values must increase from left to right, without repeats")))
    return tuple(out)


def region_table(c: Composed) -> pd.DataFrame:
    """One row per unit: code, name, value, unit, rows behind it and the few-rows flag (for CSV).

    >>> from atlas.values.datasets import builtin_table
    >>> list(region_table(compose(ViewSpec(), builtin_table("ngo_sample"))).columns)[:3]
    ['iso_3166_2', 'name', 'value']
    """
    codes = list(c.view.values.index)
    return pd.DataFrame({
        "pcode" if c.spec.level == 2 else "iso_3166_2": codes, "name": [c.view.names[k] for k in codes],
        "value": [None if pd.isna(c.view.values[k]) else float(c.view.values[k]) for k in codes],
        "unit": c.unit, "rows": [int(c.rows.get(k, 0)) for k in codes],
        "few_rows": [bool(c.few_rows.get(k, False)) for k in codes],
    })
