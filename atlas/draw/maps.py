"""pydeck Deck builders. Offline by construction: no tile server, no token, no CDN.

There is no basemap at all: the deck has no map provider (pydeck's way to say so), so Streamlit's
front end does not start MapLibre (no style, no worker, no tiles). A pale "sea" rectangle, the
neighbours, the country and its regions are all deck.gl layers drawn from the bundled geometry.
Decks serialise to compact JSON (pydeck indents by default, about 5× the bytes), so each map costs
the websocket as little as the shapes need.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import pydeck as pdk
from pydeck.types import String as Text

from atlas.draw import fit as fit_module
from atlas.draw import labels, lens
from atlas.draw.fit import PHONE, Frame, View, bounds_of, collection_bounds, fit
from atlas.places import geo

SEA_FILL = (223, 231, 234, 255)
NO_DATA_FILL = (222, 222, 218, 255)
NO_DATA_LINE = (120, 120, 120, 255)
REGION_LINE = (255, 255, 255, 255)
HIGHLIGHT_LINE = (20, 20, 20, 255)
# pydeck turns every plain string property into a JavaScript expression; literals must be wrapped.
PIXELS = Text("pixels")


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: the same map in a fifth of the bytes. ``fitted`` is the
    view it opens on (with the canvas height the page should give it); it stays out of the JSON,
    which is made on first use and kept (build a new deck to change a map)."""

    fitted: View | None = None
    _json: str | None = None

    def to_json(self) -> str:  # noqa: D401 - same contract as pydeck's
        """Made once: a deck is not changed after it is built, and a cached view's deck is drawn
        on every rerun of every session that shows it."""
        if self._json is None:
            data = json.loads(super().to_json())
            data.pop("fitted", None)
            self._json = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
        return self._json

    @property
    def height(self) -> int:
        """The canvas height the fitted view was made for, in CSS pixels."""
        return self.fitted.height if self.fitted else fit_module.MAX_HEIGHT


def hex_to_rgba(color: str | None, alpha: int = 255) -> list[int]:
    """``#rrggbb`` → ``[r, g, b, a]``; ``None`` (no data) → the no-data grey.

    >>> hex_to_rgba("#ff8000")
    [255, 128, 0, 255]
    """
    if not color:
        return list(NO_DATA_FILL)
    color = color.lstrip("#")
    return [int(color[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]


@dataclass
class RegionStyle:
    """What the map shows for each ISO code: fill colour (None = no data) and plain-text lines."""

    colors: Mapping[str, str | None]
    names: Mapping[str, str]
    value_texts: Mapping[str, str]
    tooltip_extra: Sequence[str] = field(default_factory=tuple)
    labels: bool = True
    highlight: str | None = None
    tooltip_notes: Mapping[str, str] = field(default_factory=dict)  # per code, e.g. "only 2 rows"
    level: int = 1  # 1: the 9 units keyed by ISO code; 2: the 55 keyed by p-code
    relief: bool = False  # draw the shaded relief over the fills


# The screen files in geo/ are simplified offline by scripts/prepare_geo_cod.py (0.035°, about a
# pixel at the opening zoom, shared borders kept shared, both levels drawing the same lines).
@lru_cache(maxsize=2)
def _shapes(level: int = 1) -> list[dict]:
    return json.loads(geo.geojson_text("screen", level))["features"]


@lru_cache(maxsize=1)
def _sea_layer() -> pdk.Layer:
    # The backdrop the blank style used to paint: one rectangle well beyond what zoom 4 shows, its edges
    # split so that no edge spans more than 90 degrees.
    ring = [[-10, -10], [80, -10], [170, -10], [170, 80], [80, 80], [-10, 80]]
    return pdk.Layer("SolidPolygonLayer", [{"polygon": ring}], id="sea", get_polygon="polygon",
                     get_fill_color=list(SEA_FILL), pickable=False)


@lru_cache(maxsize=1)
def _neighbour_layer() -> pdk.Layer:
    data = json.loads(geo.neighbours().to_json(drop_id=True))
    return pdk.Layer(
        "GeoJsonLayer", data, id="neighbours", stroked=True, filled=True, pickable=False,
        get_fill_color=[236, 236, 230, 255], get_line_color=[190, 190, 185, 255],
        line_width_min_pixels=1, line_width_units=PIXELS,
    )


def _tooltip(style: RegionStyle, code: str) -> str:
    value = style.value_texts.get(code) or ""
    notes = [style.tooltip_notes[code]] if style.tooltip_notes.get(code) else []
    return "\n".join([style.names.get(code, code), value, *notes]).strip()


def region_layers(style: RegionStyle, view: View | None = None) -> list[pdk.Layer]:
    """The unit polygons at ``style.level``, the lakes as water, the relief when asked, a symbol at
    each city (a 40 km² polygon is a few pixels at country zoom), and labels when asked."""
    key = "pcode" if style.level == 2 else "iso_3166_2"
    features = []
    for feature in _shapes(style.level):
        code = feature["properties"][key]
        color = style.colors.get(code)
        line = HIGHLIGHT_LINE if code == style.highlight else REGION_LINE if color else NO_DATA_LINE
        width = 3 if code == style.highlight else (1.5 if color else 2) / style.level
        features.append({
            "type": "Feature",
            "geometry": feature["geometry"],
            "properties": {"code": code, "fill": hex_to_rgba(color), "line": list(line), "width": width,
                           "tooltip": _tooltip(style, code)},
        })
    regions = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="regions",
        pickable=True, stroked=True, filled=True, auto_highlight=True,
        highlight_color=[255, 255, 255, 70], get_fill_color="properties.fill",
        get_line_color="properties.line", get_line_width="properties.width",
        line_width_units=PIXELS,
    )
    cities = lens.city_layer([
        {"code": code, "position": [lon, lat], "fill": hex_to_rgba(style.colors.get(code)),
         "line": list(HIGHLIGHT_LINE if style.highlight == code else (40, 40, 40, 255)),
         "tooltip": _tooltip(style, code)}
        for code, (lon, lat) in lens.city_points(style.level).items()
    ])
    layers = [regions, lens.lakes_layer(), *([lens.relief_layer()] if style.relief else []), cities]
    # 55 names cannot be read at country zoom: at level 2 the tooltips and the ranking name the units.
    if style.labels and style.level == 1:
        layers.extend(label_layers(style, view))
    return layers


def country_view(frame: Frame | None = None) -> View:
    """The opening view that fits the whole country into ``frame`` (a phone's column if unknown).

    >>> country_view(Frame(475)).zoom > country_view(Frame(340)).zoom
    True
    """
    return fit(_country_bounds(), frame or PHONE)


@lru_cache(maxsize=1)
def _country_bounds() -> tuple[float, float, float, float]:
    return bounds_of(f["geometry"] for f in _shapes(1))


def label_anchors(level: int = 1) -> dict[str, tuple[float, float]]:
    """Where each unit's label is anchored: its label point, or for a city the centre of its symbol.

    >>> label_anchors()["KG-GO"] == lens.city_points(1)["KG-GO"]
    True
    """
    return {**geo.label_points(level), **lens.city_points(level)}


def label_layers(style: RegionStyle, view: View | None = None) -> list[pdk.Layer]:
    """Unit names (and values, where room is left) as text with a pale halo, placed by
    ``atlas.draw.labels`` so that no two overlap in ``view``; the cities' labels beside their
    symbols on leader lines. (At level 2, 55 names cannot be read at country zoom: no labels.)"""
    view = view or country_view()
    anchors = label_anchors(style.level)
    names = {code: style.names.get(code, code) for code in anchors}
    size = labels.font_px(view.width)
    placed = labels.place(anchors, names, style.value_texts, view, size=size)
    rows, lines = [], []
    for label in placed:
        lon, lat = view.unproject(label.box.x, label.box.y)
        rows.append({"position": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)], "text": label.text})
        if label.leader_from:
            lines.append({"from": list(anchors[label.code]), "to": rows[-1]["position"]})
    leaders = pdk.Layer("LineLayer", lines, id="leaders", get_source_position="from", get_target_position="to",
                        get_color=[40, 40, 40, 230], get_width=1.2, width_units=PIXELS, pickable=False)
    text = pdk.Layer(
        "TextLayer", rows, id="labels", pickable=False, get_position="position", get_text="text",
        get_size=size, size_units=PIXELS, get_color=[25, 35, 40, 255],
        # The font atlas is built in the browser from these characters only (Cyrillic included);
        character_set=Text("".join(sorted({ch for row in rows for ch in row["text"]} | set(" 0123456789")))),
        font_family=Text("'DejaVu Sans', 'Noto Sans', Arial, sans-serif"), font_weight=600,
        background=True, get_background_color=[255, 255, 255, 225],
        background_padding=[labels.PAD_X, labels.PAD_Y], line_height=labels.LINE_HEIGHT,
    )
    return [leaders, text]


def region_deck(style: RegionStyle, extra_layers: Sequence[pdk.Layer] = (), frame: Frame | None = None
                ) -> CompactDeck:
    """The whole offline map: neighbours, regions, Osh city, labels, and any extra layers on top.

    >>> style = RegionStyle(colors={"KG-N": "#336699"}, names={"KG-N": "Naryn"}, value_texts={})
    >>> [layer.id for layer in region_deck(style).layers]
    ['sea', 'neighbours', 'regions', 'lakes', 'cities', 'leaders', 'labels']
    """
    view = country_view(frame)
    layers = region_layers(style, view)
    top = [layer for layer in layers if layer.id in ("leaders", "labels")]
    base = [layer for layer in layers if layer.id not in ("leaders", "labels")]
    return _deck([_neighbour_layer(), *base, *extra_layers, *top], view, style.tooltip_extra)


def points_layer(points: pd.DataFrame, color: str = "#c0392b") -> pdk.Layer:
    """Points (``lon``, ``lat``, ``tooltip`` columns) drawn as small dots."""
    data = points[["lon", "lat", "tooltip"]].to_dict("records")
    return pdk.Layer(
        "ScatterplotLayer", data, id="points", pickable=True, get_position=["lon", "lat"],
        get_fill_color=hex_to_rgba(color, 200), get_radius=4, radius_units=PIXELS,
        stroked=True, get_line_color=[255, 255, 255, 220], line_width_units=PIXELS, get_line_width=1,
    )


# --- map builder layers ---------------------------------------------------------------------------

#: Largest bubble radius in screen pixels; the smallest value with data still gets a visible dot.
BUBBLE_MAX_PX = 34.0
BUBBLE_MIN_PX = 2.5
NEUTRAL_FILL = "#f3f0e8"
BUBBLE_FILL = (31, 111, 139, 190)
COORD_DECIMALS = 4  # ~11 m: finer than any map on screen, and it keeps the websocket message small


def bubble_radius(values: pd.Series, max_px: float = BUBBLE_MAX_PX) -> pd.Series:
    """Radius in pixels so that a bubble's *area* is proportional to its value (NaN: no bubble).

    Negative values cannot have an area, so they are treated like no data.

    >>> bubble_radius(pd.Series({"a": 100.0, "b": 25.0, "c": None})).round(1).tolist()
    [34.0, 17.0, nan]
    """
    x = pd.to_numeric(values, errors="coerce").astype(float)
    x = x.where(x >= 0)
    top = float(x.max()) if x.notna().any() else 0.0
    if top <= 0:
        return x * 0.0 + BUBBLE_MIN_PX
    return (x / top).pow(0.5) * max_px


def bubble_legend_values(values: pd.Series, n: int = 3) -> list[float]:
    """Round values for the size legend: the maximum and smaller "nice" steps below it.

    >>> bubble_legend_values(pd.Series([3.0, 870.0]))
    [1000.0, 500.0, 100.0]
    """
    x = pd.to_numeric(values, errors="coerce").dropna()
    x = x[x > 0]
    if x.empty:
        return []
    top = float(x.max())
    magnitude = 10 ** int(np.floor(np.log10(top)))
    nice = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= top)
    steps = [nice, nice / 2, nice / 10][:n]
    return [float(f"{s:.6g}") for s in steps]


def bubble_layer(style: RegionStyle, values: pd.Series, max_px: float = BUBBLE_MAX_PX) -> pdk.Layer:
    """Circles at each unit's label point, area ∝ value; units without data get a small hollow
    dark ring, so "no data" never looks like "zero"."""
    anchors = geo.label_points(style.level)
    radius = bubble_radius(values.reindex(list(anchors)), max_px)
    rows = []
    for code, (lon, lat) in anchors.items():
        r = radius.get(code)
        missing = r is None or pd.isna(r)
        rows.append({
            "code": code, "position": [round(lon, COORD_DECIMALS), round(lat, COORD_DECIMALS)],
            "r": 5.0 if missing else round(max(float(r), BUBBLE_MIN_PX), 1),
            "fill": [0, 0, 0, 0] if missing else list(BUBBLE_FILL),
            "line": list(NO_DATA_LINE if missing else HIGHLIGHT_LINE if code == style.highlight
                         else (255, 255, 255, 255)),
            "tooltip": _tooltip(style, code),
        })
    # Largest first, so small bubbles stay on top and clickable.
    rows.sort(key=lambda row: -row["r"])
    return pdk.Layer(
        "ScatterplotLayer", rows, id="bubbles", pickable=True, stroked=True, filled=True,
        radius_units=PIXELS, get_radius="r", get_position="position", get_fill_color="fill",
        get_line_color="line", line_width_units=PIXELS, get_line_width=1.5,
    )


def bubble_deck(style: RegionStyle, values: pd.Series, frame: Frame | None = None) -> CompactDeck:
    """Graduated circles over pale regions. Regions without data keep the no-data look.

    >>> style = RegionStyle(colors={"KG-N": "#336699"}, names={}, value_texts={})
    >>> [layer.id for layer in bubble_deck(style, pd.Series({"KG-N": 4.0})).layers][-3:]
    ['bubbles', 'leaders', 'labels']
    """
    pale = {code: NEUTRAL_FILL if pd.notna(values.get(code)) else None for code in style.colors}
    base = dataclasses.replace(style, colors=pale)
    layers = [_neighbour_layer(), *region_layers(dataclasses.replace(base, labels=False))[:2],
              bubble_layer(style, values)]
    view = country_view(frame)
    if style.labels and style.level == 1:
        layers.extend(label_layers(style, view))
    return _deck(layers, view, style.tooltip_extra)


def _deck(layers: Sequence[pdk.Layer], view: View | None = None, footer: Sequence[str] = ()) -> CompactDeck:
    """``footer``: lines under every tooltip (source, unit), written once in the template rather than
    in each of 55 units' tooltips (the deck is resent whenever a colour changes)."""
    view = view or country_view()
    # braces would be read as the template's fields
    lines = [line.replace("{", "(").replace("}", ")") for line in footer if line]
    deck = CompactDeck(
        layers=[_sea_layer(), *layers], initial_view_state=view.view_state(), map_provider=None,
        tooltip={"text": "\n".join(["{tooltip}", *lines]), "style": {"whiteSpace": "pre-line", "fontSize": "13px"}},
    )
    deck.fitted = view
    return deck


def compact_points(points: pd.DataFrame) -> list[dict]:
    """Rows of ``lon``, ``lat``, ``tooltip`` (and optional ``w``) with rounded coordinates,
    dropping rows without a position.

    >>> compact_points(pd.DataFrame({"lon": [74.123456], "lat": [None], "tooltip": ["a"]}))
    []
    """
    ok = points.dropna(subset=["lon", "lat"])
    out = []
    for row in ok.itertuples(index=False):
        item = {"p": [round(float(row.lon), COORD_DECIMALS), round(float(row.lat), COORD_DECIMALS)]}
        if "tooltip" in ok.columns:
            item["tooltip"] = str(row.tooltip)
        if "w" in ok.columns:
            w = row.w
            item["w"] = 1.0 if pd.isna(w) else float(w)
        out.append(item)
    return out


def _ramp_rgb(colors: Sequence[str]) -> list[list[int]]:
    return [hex_to_rgba(c)[:3] for c in colors]


def point_layer(points: pd.DataFrame, kind: str = "points", colors: Sequence[str] = ("#c0392b",)
                ) -> pdk.Layer:
    """The dots, hexagon bins or heat map of ``points`` (columns ``lon``, ``lat``, ``tooltip``,
    optional weight ``w``). ``colors``: the palette ramp, light to dark, for bins and heat.

    >>> point_layer(pd.DataFrame({"lon": [74.0], "lat": [42.0], "tooltip": ["x"]}), "hexbin").type
    'HexagonLayer'
    """
    # Bins and heat are not pickable: their points need no tooltip text (half the bytes).
    data = compact_points(points if kind == "points" else points.drop(columns="tooltip", errors="ignore"))
    if kind == "hexbin":
        return pdk.Layer(
            "HexagonLayer", data, id="hexbins", get_position="p", radius=12_000, extruded=False,
            coverage=0.9, opacity=0.85, color_range=_ramp_rgb(colors), pickable=False,
            get_color_weight="w" if "w" in points.columns else 1, color_aggregation=Text("SUM"),
        )
    if kind == "heatmap":
        return pdk.Layer(
            "HeatmapLayer", data, id="heatmap", get_position="p", radius_pixels=40, opacity=0.8,
            color_range=_ramp_rgb(colors), get_weight="w" if "w" in points.columns else 1,
            pickable=False,
        )
    color = colors[-1] if colors else "#c0392b"
    return pdk.Layer(
        "ScatterplotLayer", data, id="points", pickable=True, get_position="p",
        get_fill_color=hex_to_rgba(color, 200), get_radius=4, radius_units=PIXELS,
        stroked=True, get_line_color=[255, 255, 255, 220], line_width_units=PIXELS, get_line_width=1,
    )


def points_deck(style: RegionStyle, points: pd.DataFrame, kind: str = "points",
                colors: Sequence[str] = ("#c0392b",), choropleth: bool = False, frame: Frame | None = None
                ) -> CompactDeck:
    """Points (or bins/heat) over the regions; ``choropleth``: regions keep their class colours,
    otherwise they are drawn pale (no-data regions keep the no-data look either way)."""
    base = style if choropleth else dataclasses.replace(
        style, colors={c: NEUTRAL_FILL for c in style.colors}, labels=False)
    if choropleth:
        return region_deck(base, [point_layer(points, kind, colors)], frame)
    view = country_view(frame)
    layers = [_neighbour_layer(), *region_layers(dataclasses.replace(base, labels=False))[:2],
              point_layer(points, kind, colors)]
    if style.labels and style.level == 1:
        layers.extend(label_layers(dataclasses.replace(style, value_texts={}), view))
    return _deck(layers, view, style.tooltip_extra)


def geojson_deck(collection: Mapping, colors: Mapping[str, str | None], tooltips: Mapping[str, str],
                 highlight: str | None = None, frame: Frame | None = None) -> CompactDeck:
    """A choropleth of your own polygons: features carry an ``id`` property matched to ``colors``.

    >>> fc = {"type": "FeatureCollection", "features": []}
    >>> geojson_deck(fc, {}, {}).layers[-1].id
    'custom'
    """
    features = []
    for feature in collection.get("features", []):
        fid = str(feature.get("properties", {}).get("id", ""))
        color = colors.get(fid)
        line = HIGHLIGHT_LINE if fid == highlight else REGION_LINE if color else NO_DATA_LINE
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {"id": fid, "fill": hex_to_rgba(color), "line": list(line),
                                        "tooltip": tooltips.get(fid, fid)}})
    layer = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="custom",
        pickable=True, stroked=True, filled=True, auto_highlight=True, highlight_color=[255, 255, 255, 70],
        get_fill_color="properties.fill", get_line_color="properties.line", get_line_width=1.5,
        line_width_units=PIXELS,
    )
    # Your own polygons open on their own extent.
    view = fit(collection_bounds(collection), frame or PHONE) if features else country_view(frame)
    return _deck([_neighbour_layer(), layer], view)
