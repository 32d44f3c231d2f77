"""A choropleth of the 55 level-2 units (rayons, towns, the two cities) from values by p-code.

Small on purpose: the register's live map and gaps view draw their rayon maps with ``level2_view``,
and the level-2 deck of the map builder (issue 12) can replace ``Level2View.deck`` without the pages
noticing. Same classes, palettes, legend and "no data" honesty as the level-1 maps
(``atlas.draw.mapview``); units in ``neutral`` are drawn in a pale neutral fill with their own legend line.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pydeck as pdk

from atlas.draw.classify import Classes, classify
from atlas.draw.fit import Frame
from atlas.draw.maps import NEUTRAL_FILL, PIXELS, CompactDeck, geojson_deck
from atlas.draw.mapview import legend_decimals, summarise
from atlas.i18n import count_text, fmt_number, is_count_unit
from atlas.places import units


@lru_cache(maxsize=1)
def _collection() -> str:
    shapes = units.shapes(2)[["pcode", "geometry"]].rename(columns={"pcode": "id"})
    return shapes.to_json(drop_id=True)


@lru_cache(maxsize=1)
def _outlines() -> str:
    return units.shapes(1)[["geometry"]].to_json(drop_id=True)


@lru_cache(maxsize=1)
def _lakes() -> str:
    return units.lakes()[["geometry"]].to_json(drop_id=True)


@dataclass
class Level2View:
    """Colours, legend, names and summary of a level-2 map; ``deck()`` draws it."""

    values: pd.Series  # indexed by p-code (all 55), NaN = no data
    classes: Classes
    colors: dict[str, str | None]
    legend: list[tuple[str | None, str, int | None]]
    names: dict[str, str]
    summary: str
    tooltips: dict[str, str] = field(default_factory=dict)

    def deck(self, frame: Frame | None = None) -> CompactDeck:
        """The offline map: neighbours, the units, lakes, and the oblast borders on top, opening on the
        units' extent fitted to ``frame``."""
        deck = geojson_deck(json.loads(_collection()), self.colors, self.tooltips, frame=frame)
        deck.layers.append(pdk.Layer("GeoJsonLayer", json.loads(_lakes()), id="lakes", filled=True, stroked=False,
                                     get_fill_color=[186, 214, 230, 255], pickable=False))
        deck.layers.append(pdk.Layer("GeoJsonLayer", json.loads(_outlines()), id="oblast-borders", filled=False,
                                     stroked=True, get_line_color=[60, 60, 60, 255], get_line_width=1.6,
                                     line_width_units=PIXELS, pickable=False))
        return deck


def level2_view(
    values: pd.Series,
    unit: str,
    lang: str,
    _: Callable[[str], str] = str,
    notes: Mapping[str, str] | None = None,
    neutral: Collection[str] = (),
    neutral_label: str = "",
    palette: str = "YlGnBu",
    k: int = 5,
) -> Level2View:
    """Classify ``values`` (by p-code) and describe the map in ``lang``; ``notes`` add a tooltip line per unit.

    >>> v = level2_view(pd.Series({"KG04220000000": 3.0}), "organisations", "en", k=3)
    >>> v.colors["KG04220000000"] is not None, v.colors["KG02205000000"] is None  # no value: no colour
    (True, True)
    """
    codes = list(units.parents())
    values = values.reindex(codes).astype(float)
    shown = values.where(~values.index.isin(list(neutral)))
    classes = classify(shown, scheme="natural_breaks", k=k, palette=palette)
    names = {code: units.unit_name(code, lang) for code in codes}
    colors = dict(zip(codes, classes.color_of(shown), strict=True))
    for code in neutral:
        colors[code] = NEUTRAL_FILL

    def fmt_value(x: float) -> str:
        if is_count_unit(unit):
            return count_text(x, unit, lang, _)
        return f"{fmt_number(x, lang)} {_(unit) if unit else ''}".strip()

    notes = notes or {}
    tooltips = {}
    for code in codes:
        text = neutral_label if code in neutral else _("No data") if pd.isna(shown[code]) else fmt_value(shown[code])
        tooltips[code] = "\n".join(x for x in (names[code], text, notes.get(code, "")) if x)
    decimals = legend_decimals([classes.lower, *classes.bins])
    legend = [(e.color, e.label, e.count) for e in classes.legend(lambda x: fmt_number(x, lang, decimals))]
    if neutral:
        legend.append((NEUTRAL_FILL, neutral_label, len(neutral)))
    missing = int(shown.isna().sum()) - len(neutral)
    if missing:
        legend.append((None, _("No data"), missing))
    summary = summarise(shown.drop(index=list(neutral)), names, fmt_value, _)
    return Level2View(values, classes, colors, legend, names, summary, tooltips)
