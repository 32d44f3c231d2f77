"""The map without WebGL: the HTML handout's SVG renderer, inside the page, with no script at all.

Some laptops and browsers have WebGL off; deck.gl then draws nothing. The page shows this map
instead: the same units, classes, colours, legend and labels as the handout, each unit focusable
with a native tooltip (its name and value) and an ``aria-label``, so keyboard and screen-reader
users read it too. Styles are scoped under ``.achyk-svgmap`` so they touch nothing else on the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pandas as pd

from atlas.draw import export_html
from atlas.draw.export_model import Handout
from atlas.draw.mapview import RegionView

_SCOPE = "achyk-svgmap"


def handout_of(view: RegionView, title: str, unit: str, _: Callable[[str], str] = str) -> Handout:
    """The handout model of a region view (what the SVG renderer reads).

    >>> from atlas.draw.mapview import region_view
    >>> h = handout_of(region_view(pd.Series({"KG-N": 3.0}), "", "en", k=3), "T", "")
    >>> h.missing("KG-N"), h.missing("KG-T")
    (False, True)
    """
    return Handout(
        title=title, lang=view.lang, region_names=dict(view.names),
        values={k: (None if pd.isna(v) else float(v)) for k, v in view.values.items()},
        value_texts=dict(view.value_texts), colors=dict(view.style.colors),
        legend=[(c, label, n) for c, label, n in view.legend if c], no_data_label=_("No data"), unit=unit,
        labels=view.style.labels, caption=view.summary,
    )


def _scoped_css() -> str:
    """The handout's map and legend rules, each put under the wrapper's class."""
    keep = ("svg.map", ".unit", ".outline", ".lbl", ".legend", ".sw", ".hatch", ".legend-title")
    rules = []
    for selector, body in re.findall(r"([^{}]+)\{([^{}]*)\}", export_html._CSS):
        parts = [p.strip() for p in selector.split(",")]
        if all(p.startswith(keep) for p in parts):
            rules.append(",".join(f".{_SCOPE} {p}" for p in parts) + "{" + body.strip() + "}")
    return "".join(rules)


def svg_map_html(h: Handout, note: str) -> str:
    """The map, its legend and a one-line ``note`` (why this map is static), as one HTML block.

    >>> html = svg_map_html(Handout(title="T"), "Static map")
    >>> "<svg" in html and "<title>" in html and "<script" not in html
    True
    """
    return (
        f'<div class="{_SCOPE}" data-testid="achyk-svg-map"><style>{_scoped_css()}'
        f".{_SCOPE} .legend .count{{margin-left:auto}} .{_SCOPE} svg.map{{max-width:100%}}"
        f" .{_SCOPE} .lbl{{font-size:16px}}</style>"
        f"{export_html._map_svg(h, titles=True)}{export_html._legend_html(h)}"
        f'<p class="{_SCOPE}-note">{export_html.escape(note)}</p></div>'
    )
