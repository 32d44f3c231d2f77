"""From values per region to everything a page draws: colours, legend, tooltips, text summary.

Shared by the Overview, the map builder and the exports, so a map, its legend, its ranked bar
and its handout always agree.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from atlas.draw.charts import ranked_bar, ranked_bar_html
from atlas.draw.classify import Classes, classify
from atlas.draw.fit import Frame
from atlas.draw.maps import CompactDeck, RegionStyle, region_deck
from atlas.i18n import N_, count_text, fmt_number, is_count_unit
from atlas.values import levels

#: Decks kept per view, one per map frame (a phone's width, a laptop's, a projector's).
DECKS_KEPT = 4
_DECKS_LOCK = threading.Lock()


@dataclass
class RegionView:
    values: pd.Series  # indexed by gazetteer.CODES, NaN = no data
    classes: Classes
    style: RegionStyle
    legend: list[tuple[str | None, str, int | None]]  # (colour or None for no data, label, count)
    summary: str  # plain-text description of the map (shown under it, used as alt text)
    names: dict[str, str]
    value_texts: dict[str, str]
    average: float | None
    lang: str = "en"

    def deck(self, extra_layers=(), frame: Frame | None = None) -> CompactDeck:
        """The pydeck map of this view (offline, compact JSON), fitted and labelled for ``frame``;
        kept per frame, so a view shown again (a rerun, a cached view) is not drawn again."""
        if extra_layers:
            return region_deck(self.style, extra_layers, frame)
        decks = self.__dict__.setdefault("_decks", {})
        deck = decks.get(frame)
        if deck is None:
            deck = region_deck(self.style, extra_layers, frame)
            with _DECKS_LOCK:  # a shared view is drawn by several sessions' threads at once
                while len(decks) >= DECKS_KEPT:
                    decks.pop(next(iter(decks)))
                decks[frame] = deck
        return deck

    def ranked_bar_html(self, no_data_label: str, average_label: str) -> str:
        """The ranked bar as light HTML (no chart library), coloured like the map."""
        return ranked_bar_html(self.values, self.names, self.style.colors, lambda x: fmt_number(x, self.lang),
                               no_data_label, self.average, average_label)

    def ranked_bar(self, no_data_label: str, average_label: str) -> go.Figure:
        """The ranked bar chart of this view, coloured like the map."""
        return ranked_bar(self.values, self.names, self.style.colors, lambda x: fmt_number(x, self.lang),
                          no_data_label, self.average, average_label, self.style.highlight)


def region_view(
    values: pd.Series,
    unit: str,
    lang: str,
    _: Callable[[str], str] = str,
    scheme: str = "natural_breaks",
    k: int = 5,
    palette: str = "YlGnBu",
    reverse: bool = False,
    labels: bool = True,
    highlight: str | None = None,
    source: str = "",
    manual_breaks: list[float] | None = None,
    center: float | None = None,
    level: int = 1,
    relief: bool = False,
) -> RegionView:
    """Classify ``values`` (by ISO code, or by p-code at ``level`` 2) and describe them in ``lang``.

    ``relief`` draws the shaded relief over the fills (the mountain lens).

    >>> v = pd.Series({"KG-N": 10.0, "KG-T": 20.0, "KG-B": 0.0})
    >>> view = region_view(v, "projects", "en", k=3)
    >>> view.value_texts["KG-C"], view.style.colors["KG-C"] is None
    ('', True)
    """
    values = values.reindex(levels.keys(level)).astype(float)
    classes = classify(values, scheme=scheme, k=k, palette=palette, reverse=reverse,
                       manual_breaks=manual_breaks, center=center)
    names = levels.names(level, lang)

    def fmt(x: float) -> str:
        return fmt_number(x, lang)

    # Long units ("per 10,000 people (2021 population)") stay in the legend and title; the
    # labels and tooltips then carry the number alone so they do not cover the map.
    # A count noun ("projects", "people") agrees with its number: 1 проект, 2 проекта, 5 проектов.
    short_unit = _(unit) if len(_(unit)) <= 14 else ""

    def fmt_value(x: float) -> str:
        if is_count_unit(unit):
            return count_text(x, unit, lang, _)
        return f"{fmt(x)} {short_unit}".strip()

    value_texts = {code: "" if pd.isna(v) else fmt_value(v) for code, v in values.items()}
    colors = dict(zip(values.index, classes.color_of(values), strict=True))
    extra = (_("Source") + ": " + source,) if source else ()
    style = RegionStyle(colors=colors, names=names,
                        value_texts={c: t or _("No data") for c, t in value_texts.items()},
                        tooltip_extra=extra, labels=labels, highlight=highlight, level=level, relief=relief)
    decimals = legend_decimals([classes.lower, *classes.bins])
    legend = [(e.color, e.label, e.count) for e in classes.legend(lambda x: fmt_number(x, lang, decimals))]
    missing = int(values.isna().sum())
    if missing:
        legend.append((None, _("No data"), missing))
    average = float(values.mean()) if values.notna().any() else None
    return RegionView(values, classes, style, legend, summarise(values, names, fmt_value, _),
                      names, value_texts, average, lang)


def summarise(
    values: pd.Series, names: dict[str, str], fmt_value: Callable[[float], str], _: Callable[[str], str]
) -> str:
    """One or two sentences naming the highest, lowest and median region, and what has no data.

    >>> s = pd.Series({"A": 1.0, "B": 3.0, "C": None})
    >>> summarise(s, {"A": "a", "B": "b", "C": "c"}, lambda x: f"{x:g} t", str)
    'Highest: b (3 t). Lowest: a (1 t). Median: 2 t. No data: c.'
    """
    known = values.dropna().sort_values()
    if known.empty:
        return _("No region has data.")
    hi, lo = known.index[-1], known.index[0]
    parts = [
        _(N_("Highest: {name} ({value}).")).format(name=names[hi], value=fmt_value(known[hi])),
        _(N_("Lowest: {name} ({value}).")).format(name=names[lo], value=fmt_value(known[lo])),
        _(N_("Median: {value}.")).format(value=fmt_value(float(known.median()))),
    ]
    gaps = [names[c] for c in values.index if pd.isna(values[c])]
    if gaps:
        parts.append(_(N_("No data: {names}.")).format(names=", ".join(gaps)))
    return " ".join(parts)


def legend_decimals(edges: list[float]) -> int | None:
    """Enough decimals that neighbouring class edges never print alike ("0.02 – 0.02").

    >>> legend_decimals([0.012, 0.018, 0.031]), legend_decimals([10.0, 250.0])
    (3, None)
    """
    finite = sorted({float(e) for e in edges if e == e})
    gaps = [b - a for a, b in zip(finite, finite[1:], strict=False) if b > a]
    if not gaps or min(gaps) >= 1:
        return None  # the default formatting is fine for values this far apart
    return min(4, max(0, -math.floor(math.log10(min(gaps)))))
