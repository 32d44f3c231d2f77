"""Small multiples in plain HTML and SVG: one line per unit across the years, no chart library.

The Overview shows an official series' time series with these, so the first page loads no plotly.
Every unit shares one vertical scale, so lines can be compared; a year without a value breaks the
line (nothing is drawn across a gap, nothing is carried forward).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from functools import lru_cache

import pandas as pd

from atlas.i18n import fmt_number, translator
from atlas.values import levels, official

WIDTH, HEIGHT, PAD = 180, 30, 3


def _segments(xs: list[float], ys: list[float | None]) -> list[list[tuple[float, float]]]:
    """Runs of consecutive points with a value; a missing value ends a run.

    >>> _segments([0, 1, 2, 3], [1.0, None, 2.0, 3.0])
    [[(0, 1.0)], [(2, 2.0), (3, 3.0)]]
    """
    runs: list[list[tuple[float, float]]] = [[]]
    for x, y in zip(xs, ys, strict=True):
        if y is None or pd.isna(y):
            runs.append([])
        else:
            runs[-1].append((x, y))
    return [r for r in runs if r]


def sparkline_svg(series: pd.Series, lo: float, hi: float, first: int, last: int, year: int | None = None,
                  color: str = "#1f6f8b") -> str:
    """One unit's line (index: years) on the shared scale ``lo``…``hi``; a dot marks ``year``.

    >>> svg = sparkline_svg(pd.Series({2020: 1.0, 2021: None, 2022: 3.0}), 0, 4, 2020, 2022)
    >>> svg.count("<polyline"), svg.count("<circle")
    (0, 2)
    """
    span_x, span_y = max(last - first, 1), (hi - lo) or 1.0

    def point(x: float, y: float) -> tuple[float, float]:
        return (PAD + (x - first) / span_x * (WIDTH - 2 * PAD), HEIGHT - PAD - (y - lo) / span_y * (HEIGHT - 2 * PAD))

    parts = []
    for run in _segments(list(series.index), list(series.values)):
        pts = [point(x, y) for x, y in run]
        if len(pts) == 1:  # a lone year between gaps: a dot, not an invisible line
            parts.append(f"<circle cx='{pts[0][0]:.1f}' cy='{pts[0][1]:.1f}' r='1.8' fill='{color}'/>")
        else:
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            parts.append(f"<polyline points='{coords}' fill='none' stroke='{color}' stroke-width='1.6'/>")
    if year is not None and year in series.index and pd.notna(series[year]):
        x, y = point(year, float(series[year]))
        parts.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='3' fill='#14181b'/>")
    return (f"<svg width='{WIDTH}' height='{HEIGHT}' viewBox='0 0 {WIDTH} {HEIGHT}' aria-hidden='true'>"
            f"{''.join(parts)}</svg>")


def sparklines_html(
    wide: pd.DataFrame,
    names: Mapping[str, str],
    fmt: Callable[[float], str],
    year: int | None = None,
    no_data_label: str = "no data",
) -> str:
    """A table of small lines: rows are the columns of ``wide`` (years × units), with the first and
    last published value beside each line. Texts are escaped.

    >>> wide = pd.DataFrame({"KG-N": [1.0, 2.0], "KG-T": [None, None]}, index=[2019, 2020])
    >>> out = sparklines_html(wide, {"KG-N": "Naryn", "KG-T": "<Talas>"}, str)
    >>> "2019: 1.0 → 2020: 2.0" in out, "&lt;Talas&gt;" in out, "no data" in out
    (True, True, True)
    """
    known = wide.stack().dropna()
    lo, hi = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
    lo = min(lo, 0.0) if lo >= 0 else lo  # rates start at 0, so a small change does not look huge
    first, last = int(wide.index.min()), int(wide.index.max())
    rows = []
    for code in wide.columns:
        series = wide[code]
        published = series.dropna()
        if published.empty:
            text = no_data_label
        else:
            a, b = published.index[0], published.index[-1]
            text = f"{a}: {fmt(published[a])} → {b}: {fmt(published[b])}" if a != b else f"{a}: {fmt(published[a])}"
        bold = code == "KG"
        name = html.escape(names.get(code, code))
        rows.append(
            f"<tr><td class='sl-name'>{'<b>' + name + '</b>' if bold else name}</td>"
            f"<td>{sparkline_svg(series, lo, hi, first, last, year, '#14181b' if bold else '#1f6f8b')}</td>"
            f"<td class='sl-text'>{html.escape(text)}</td></tr>"
        )
    return f"<table class='sl'>{''.join(rows)}</table>{_CSS}"


_CSS = """<style>
.sl{border-collapse:collapse;font-size:.85rem;border:none}
.sl td{border:none;padding:1px 6px;vertical-align:middle}
.sl-name{text-align:right;color:#44525a;white-space:nowrap}
.sl-text{color:#1d2b33;white-space:nowrap}
</style>"""


@lru_cache(maxsize=512)
def official_sparklines(series: str, breakdown: tuple[tuple[str, str], ...], lang: str, year: int | None) -> str:
    """``sparklines_html`` of an official series (the 9 units and the country) in ``lang``, made once per
    (series, breakdown, language, year) for every session.

    >>> "<svg" in official_sparklines("SL_TLF_UEM", (), "ru", 2020)
    True
    """
    _ = translator(lang)
    names = {**levels.names(1, lang), official.NATIONAL: _("Kyrgyzstan")}
    return sparklines_html(official.time_series(series, dict(breakdown) or None), names,
                           lambda x: fmt_number(x, lang), year, _("No data"))
