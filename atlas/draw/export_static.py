"""Static handouts (PNG, PDF, SVG) on one A4 landscape page, drawn with matplotlib, no browser.

Every figure is a ``matplotlib.figure.Figure`` with its own Agg canvas: pyplot's global state is
never touched, so threads of the app cannot see each other's figures. Every text is drawn with
``parse_math=False`` because a "$" in a title must print as a dollar sign, not start mathtext.
"""

from __future__ import annotations

import io
from functools import lru_cache
from xml.sax.saxutils import escape

import matplotlib
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.patheffects import withStroke
from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from atlas.draw.export_model import (
    CITY_POINT,
    COS_MID_LAT,
    INK,
    MAP_BOUNDS,
    MUTED,
    NO_DATA_EDGE,
    NO_DATA_FILL,
    Handout,
    city_lonlat,
    clip_text,
    label_anchor,
    neighbour_shapes,
    shapes,
)

# TrueType (Type 42) glyphs in PDFs, set once at import and never toggled (rc_context would race
# between the app's threads): with the default Type 3, pdftotext and copy-paste split bold words
# at punctuation ("маалыматтар:" came out as "маалыматтар" and a stray ":").
matplotlib.rcParams["pdf.fonttype"] = 42

A4_LANDSCAPE_IN = (11.69, 8.27)
FONT = "DejaVu Sans"  # bundled with matplotlib; has Kyrgyz ө ү ң
HATCH = "////"
HALO = [withStroke(linewidth=2.6, foreground="white")]
# Where the two cities' labels go (lon, lat): their own spot is too small for words.
CITY_LABELS = {"KG-GB": (75.35, 43.32, "left"), CITY_POINT: (72.0, 40.66, "right")}


def _ring_path(geom: BaseGeometry) -> Path:
    """One matplotlib Path for a (multi)polygon, holes included (Batken has enclaves)."""
    vertices: list[tuple[float, float]] = []
    codes: list[int] = []
    for polygon in getattr(geom, "geoms", [geom]):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [(x * COS_MID_LAT, y) for x, y in ring.coords]
            vertices.extend(points)
            codes.extend([Path.MOVETO] + [Path.LINETO] * (len(points) - 2) + [Path.CLOSEPOLY])
    return Path(vertices, codes)


@lru_cache(maxsize=1)
def _paths() -> tuple[dict[str, Path], tuple[Path, ...], Path]:
    """Projected paths of the units, the neighbours and the national outline, built once."""
    units = {code: _ring_path(geom) for code, geom in shapes().items()}
    neighbours = tuple(_ring_path(geom) for geom in neighbour_shapes())
    outline = _ring_path(unary_union(list(shapes().values())).buffer(0))
    return units, neighbours, outline


def _xy(lon: float, lat: float) -> tuple[float, float]:
    return lon * COS_MID_LAT, lat


def _fill_style(h: Handout, code: str) -> dict:
    """Patch style of a unit: its class colour, or grey hatching for no data (never like zero)."""
    if h.missing(code):
        return {"facecolor": NO_DATA_FILL, "hatch": HATCH, "hatchcolor": NO_DATA_EDGE}
    return {"facecolor": h.colors[code]}


def _text(target, x: float, y: float, s: str, **kw):
    """A text in the handout font that never parses mathtext."""
    kw.setdefault("color", INK)
    return target.text(x, y, s, fontfamily=FONT, parse_math=False, **kw)


def _draw_map(ax: Axes, h: Handout) -> None:
    """Neighbours, units, outline, Osh city symbol and labels on equirectangular axes."""
    units, neighbours, outline = _paths()
    # add_artist, not add_patch: the limits are fixed below, and add_patch would walk every
    # vertex to update them (a third of the drawing time).
    for path in neighbours:
        ax.add_artist(PathPatch(path, facecolor="#efefef", edgecolor="#d4d4d4", linewidth=0.6))
    for code, path in units.items():
        edge = NO_DATA_EDGE if h.missing(code) else "white"
        ax.add_artist(PathPatch(path, edgecolor=edge, linewidth=0.8, **_fill_style(h, code)))
    ax.add_artist(PathPatch(outline, facecolor="none", edgecolor="#6f6f6f", linewidth=0.9))
    lon, lat = city_lonlat()
    ax.add_patch(Circle(_xy(lon, lat), 0.13, edgecolor=INK, linewidth=1.3, zorder=5, **_fill_style(h, CITY_POINT)))
    if h.labels:
        _draw_labels(ax, h)
    ax.set_facecolor("#efefef")  # the neighbours' colour, so gaps in their outlines do not show
    x0, y0, x1, y1 = MAP_BOUNDS
    ax.set_xlim(x0 * COS_MID_LAT, x1 * COS_MID_LAT)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_axis_off()


def _label(h: Handout, code: str, width: int = 16) -> str:
    """Name and value in a few short lines, so neighbouring labels keep clear of each other."""
    return "\n".join(clip_text(h.name(code), width, 2) + clip_text(h.value_text(code), width + 2, 2)).strip()


def _draw_labels(ax: Axes, h: Handout) -> None:
    """Name and value of each unit; the two cities get a leader line to an open spot."""
    for code in shapes():
        if code in CITY_LABELS:
            continue
        _text(
            ax,
            *_xy(*label_anchor(code)),
            _label(h, code),
            fontsize=8,
            ha="center",
            va="center",
            linespacing=1.15,
            path_effects=HALO,
            zorder=6,
        )
    city_ends = {"KG-GB": label_anchor("KG-GB"), CITY_POINT: city_lonlat()}
    for code, (lon, lat, align) in CITY_LABELS.items():
        start, end = _xy(*city_ends[code]), _xy(lon, lat)
        ax.plot([start[0], end[0]], [start[1], end[1]], color=MUTED, linewidth=0.7, zorder=4)
        _text(
            ax,
            *end,
            _label(h, code, 22),
            fontsize=8,
            ha=align,
            va="center",
            fontweight="bold",
            linespacing=1.15,
            path_effects=HALO,
            zorder=6,
        )


def _legend_rows(h: Handout) -> list[tuple[dict, str, str, bool]]:
    """(swatch style, label, count text, round swatch) for each legend line."""
    rows = [({"facecolor": colour}, label, str(count), False) for colour, label, count in h.legend]
    if h.no_data_count():
        no_data = {"facecolor": NO_DATA_FILL, "hatch": HATCH, "hatchcolor": NO_DATA_EDGE}
        rows.append((no_data, h.no_data_label, str(h.no_data_count()), False))
    rows.append(({"facecolor": "white"}, h.name(CITY_POINT), "", True))
    return rows


def _draw_legend(ax: Axes, h: Handout) -> None:
    """Classes with their counts, "No data" when any, and the Osh city symbol, in 1 or 2 columns."""
    ax.set_xlim(0, 2)
    ax.set_ylim(0, 1)
    ax.set_axis_off()
    top = 0.93
    if h.unit:
        _text(
            ax,
            0,
            top,
            _wrap(ax.figure, h.unit, 0.6, 1, size=9.5, weight="bold"),
            fontsize=9.5,
            fontweight="bold",
            va="top",
        )
        top -= 0.2
    rows = _legend_rows(h)
    per_column = len(rows) if len(rows) <= 5 else -(-len(rows) // 2)
    step = min(0.17, (top - 0.02) / max(per_column, 1))
    for i, (style, label, count, round_) in enumerate(rows):
        x, y = (i // per_column) * 1.0, top - (i % per_column) * step - step / 2
        if round_:
            # A marker, not a Circle patch: the legend axes are not square, a patch would be an ellipse.
            ax.plot(
                [x + 0.045],
                [y],
                marker="o",
                markersize=9,
                markerfacecolor=style["facecolor"],
                markeredgecolor=INK,
                markeredgewidth=1.2,
            )
        else:
            ax.add_patch(
                Rectangle((x, y - step * 0.3), 0.09, step * 0.6, edgecolor=NO_DATA_EDGE, linewidth=0.6, **style)
            )
        _text(ax, x + 0.13, y, _wrap(ax.figure, label, 0.17, 1, size=9), fontsize=9, va="center")
        _text(ax, x + 0.8, y, count, fontsize=9, va="center", ha="right", color=MUTED)


def _draw_bars(ax: Axes, h: Handout) -> None:
    """Ranked horizontal bars in the map's colours; each name sits above its bar, each value text
    beside it, with room measured so that the longest value text stays on the page."""
    fig, order = ax.figure, h.ranked()
    axes_width = ax.get_position().width
    texts = {c: _wrap(fig, h.value_texts.get(c, ""), axes_width * 0.62, 1, size=8.5) for c in order}
    values = [float(h.values[c]) for c in order if not h.missing(c)]
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    # Page fraction the value texts need, beyond the bars' ends, on either side of zero.
    room = max([_width(fig, texts[c], size=8.5) for c in order if not h.missing(c)] + [0.0]) + 0.006
    bars = max(axes_width - room * ((high > 0 or low == 0) + (low < 0)), axes_width * 0.3)
    for i, code in enumerate(order):
        name = _wrap(fig, h.name(code), axes_width, 1, size=8.5)
        _text(ax, low, i - 0.1, name, fontsize=8.5, va="bottom")
        if h.missing(code):
            # Muted, not italic: an oblique face would be one more font to embed in every PDF.
            _text(ax, low, i + 0.25, h.no_data_label, fontsize=8, va="center", color=MUTED)
            continue
        value = float(h.values[code])
        ax.barh(i + 0.25, value, height=0.42, color=h.colors[code], edgecolor="#8f8f8f", linewidth=0.4)
        gap = 0.012 * span * (1 if value >= 0 else -1)
        _text(ax, value + gap, i + 0.25, texts[code], fontsize=8.5, va="center", ha="left" if value >= 0 else "right")
    ax.axvline(0, color="#9a9a9a", linewidth=0.6)
    per_page = span / bars  # data units per page-width fraction
    ax.set_xlim(low - (room * per_page if low < 0 else 0), high + (room * per_page if high > 0 or low == 0 else 0))
    ax.set_ylim(len(order) - 0.4, -0.75)
    ax.set_axis_off()


def _width(fig: Figure, text: str, **font) -> float:
    """Width of a one-line ``text`` as a fraction of the page width."""
    prop = FontProperties(family=FONT, **font)
    pixels = fig.canvas.get_renderer().get_text_width_height_descent(text, prop, ismath=False)[0]
    return pixels / (fig.get_figwidth() * fig.dpi)


def _wrap(fig: Figure, text: str, width: float, max_lines: int, **font) -> str:
    """``text`` wrapped to ``width`` (a fraction of the page width) by measuring the rendered words,
    at most ``max_lines`` lines, an ellipsis marking a cut."""

    def fits(line: str) -> bool:
        return _width(fig, line, **font) <= width

    lines: list[str] = []
    for word in " ".join((text or "").split()).split(" "):
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] += "…"
    while lines and not fits(lines[-1]) and len(lines[-1]) > 2:  # one very long word
        lines[-1] = lines[-1][:-2] + "…"
    return "\n".join(lines)


def _draw_texts(fig: Figure, h: Handout) -> None:
    """Title block at the top, note and source line at the bottom."""
    # A long title steps down in size before it is cut: the title is what the room reads first.
    for size in (20, 17, 15):
        title = _wrap(fig, h.title, 0.92, 2, size=size, weight="bold")
        if not title.endswith("…"):
            break
    _text(fig, 0.04, 0.955, title, fontsize=size, fontweight="bold", va="top", linespacing=1.1)
    if h.subtitle:
        y = 0.955 - 0.043 * size / 20 * (title.count("\n") + 1) - 0.006
        _text(fig, 0.04, y, _wrap(fig, h.subtitle, 0.92, 2, size=12), fontsize=12, va="top", color=MUTED)
    if h.chart_title:
        chart_title = _wrap(fig, h.chart_title, 0.275, 1, size=12, weight="bold")
        _text(fig, 0.685, 0.795, chart_title, fontsize=12, fontweight="bold", va="bottom")
    fig.add_artist(Rectangle((0.04, 0.112), 0.92, 0.0012, transform=fig.transFigure, color="#c8c8c8"))
    if h.note:
        note = _wrap(fig, h.note, 0.92, 3, size=8.5)
        _text(fig, 0.04, 0.098, note, fontsize=8.5, va="top", linespacing=1.25)
    footer = "  ·  ".join(t for t in (h.source, h.author) if t)
    _text(fig, 0.04, 0.025, _wrap(fig, footer, 0.75, 1, size=8), fontsize=8, color=MUTED)
    _text(fig, 0.96, 0.025, h.date_text, fontsize=8, color=MUTED, ha="right")


def handout_figure(h: Handout) -> Figure:
    """The whole handout as a matplotlib Figure (A4 landscape) with an Agg canvas; axes are
    labelled "map", "legend" and "bars" so callers and tests can find them.

    >>> handout_figure(Handout(title="T")).get_size_inches().round(2).tolist()
    [11.69, 8.27]
    """
    fig = Figure(figsize=A4_LANDSCAPE_IN, facecolor="white")
    FigureCanvasAgg(fig)
    _draw_map(fig.add_axes((0.04, 0.33, 0.6, 0.48), label="map"), h)
    _draw_legend(fig.add_axes((0.04, 0.13, 0.6, 0.19), label="legend"), h)
    _draw_bars(fig.add_axes((0.685, 0.13, 0.275, 0.66), label="bars"), h)
    _draw_texts(fig, h)
    return fig


def _save(h: Handout, fmt: str, **kw) -> bytes:
    buffer = io.BytesIO()
    handout_figure(h).savefig(buffer, format=fmt, facecolor="white", **kw)
    return buffer.getvalue()


def render_png(h: Handout, dpi: int = 150) -> bytes:
    """The handout as a PNG image (A4 landscape at ``dpi``: 1754 × 1240 pixels at 150).

    >>> render_png(Handout(title="T"), dpi=20)[:4]
    b'\\x89PNG'
    """
    return _save(h, "png", dpi=dpi, metadata={"Title": h.title, "Author": h.author, "Description": h.caption})


def render_pdf(h: Handout) -> bytes:
    """The handout as a one-page A4 landscape PDF whose text can be searched and copied.

    >>> render_pdf(Handout(title="T"))[:5]
    b'%PDF-'
    """
    meta = {"Title": h.title, "Author": h.author, "Subject": h.caption, "Creator": "Achyk Atlas"}
    return _save(h, "pdf", metadata=meta)


def render_svg(h: Handout) -> bytes:
    """The handout as SVG: glyphs are drawn as paths (looks the same without DejaVu Sans), and the
    texts are kept in comments plus a ``<title>``/``<desc>`` for search and screen readers.

    >>> b"<svg" in render_svg(Handout(title="T"))
    True
    """
    meta = {"Title": h.title, "Description": h.caption, "Language": h.lang, "Creator": "Achyk Atlas"}
    svg = _save(h, "svg", metadata=meta).decode("utf-8")
    head_end = svg.index(">", svg.index("<svg")) + 1
    accessible = f"\n <title>{escape(h.title)}</title>\n <desc>{escape(h.caption or h.subtitle)}</desc>"
    return (svg[:head_end] + accessible + svg[head_end:]).encode("utf-8")
