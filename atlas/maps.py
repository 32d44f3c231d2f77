"""pydeck Deck builders. Offline by construction: no tile server, no token, no CDN.

The base is a blank MapLibre style served by the app itself (static/blank_style.json), so the
browser never fetches a basemap; the country, its regions and the neighbours are drawn from
the bundled geometry. Decks serialise to compact JSON (pydeck indents by default, about 5×
the bytes), so each map costs the websocket as little as the shapes need.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import pydeck as pdk
from pydeck.types import String as Text

from atlas import geo

BLANK_STYLE = "app/static/blank_style.json"
NO_DATA_FILL = (222, 222, 218, 255)
NO_DATA_LINE = (120, 120, 120, 255)
REGION_LINE = (255, 255, 255, 255)
HIGHLIGHT_LINE = (20, 20, 20, 255)
# pydeck turns every plain string property into a JavaScript expression; literals must be wrapped.
PIXELS = Text("pixels")
VIEW = pdk.ViewState(longitude=74.7, latitude=41.3, zoom=5.0, min_zoom=4, max_zoom=11)


class CompactDeck(pdk.Deck):
    """A Deck whose JSON has no indentation: the same map in a fifth of the bytes."""

    def to_json(self) -> str:  # noqa: D401 - same contract as pydeck's
        return json.dumps(json.loads(super().to_json()), separators=(",", ":"), ensure_ascii=False)


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


@lru_cache(maxsize=1)
def _shapes() -> list[dict]:
    return json.loads(geo.geojson_text("screen"))["features"]


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
    return "\n".join([style.names.get(code, code), value, *style.tooltip_extra]).strip()


def region_layers(style: RegionStyle) -> list[pdk.Layer]:
    """The polygon layer of 7 oblasts + Bishkek, Osh city's own symbol, and optional labels."""
    features = []
    for feature in _shapes():
        code = feature["properties"]["iso_3166_2"]
        color = style.colors.get(code)
        line = HIGHLIGHT_LINE if code == style.highlight else REGION_LINE if color else NO_DATA_LINE
        features.append({
            "type": "Feature",
            "geometry": feature["geometry"],
            "properties": {"code": code, "fill": hex_to_rgba(color), "line": list(line),
                           "width": 3 if code == style.highlight else 1.5 if color else 2,
                           "tooltip": _tooltip(style, code)},
        })
    regions = pdk.Layer(
        "GeoJsonLayer", {"type": "FeatureCollection", "features": features}, id="regions",
        pickable=True, stroked=True, filled=True, auto_highlight=True,
        highlight_color=[255, 255, 255, 70], get_fill_color="properties.fill",
        get_line_color="properties.line", get_line_width="properties.width",
        line_width_units=PIXELS,
    )
    lon, lat = geo.osh_city_lonlat()
    osh = pdk.Layer(
        "ScatterplotLayer",
        [{"code": "KG-GO", "position": [lon, lat], "fill": hex_to_rgba(style.colors.get("KG-GO")),
          "tooltip": _tooltip(style, "KG-GO")}],
        id="osh-city", pickable=True, stroked=True, filled=True, radius_units=PIXELS,
        get_radius=11, get_position="position", get_fill_color="fill",
        get_line_color=list(HIGHLIGHT_LINE if style.highlight == "KG-GO" else (40, 40, 40, 255)),
        line_width_units=PIXELS, get_line_width=2.5,
    )
    layers = [regions, osh]
    if style.labels:
        layers.append(label_layer(style))
    return layers


def label_layer(style: RegionStyle) -> pdk.Layer:
    """Region names (and values) as text with a pale halo, readable over any fill."""
    points = geo.label_points()
    rows = []
    for code, (lon, lat) in points.items():
        text = style.names.get(code, code)
        if style.value_texts.get(code):
            text += "\n" + style.value_texts[code]
        # Osh city's label sits above its circle; Bishkek's above the small city polygon.
        offset = [0, -26] if code == "KG-GO" else [0, -14] if code == "KG-GB" else [0, 0]
        rows.append({"position": [lon, lat], "text": text, "offset": offset})
    return pdk.Layer(
        "TextLayer", rows, id="labels", pickable=False, get_position="position", get_text="text",
        get_size=12, size_units=PIXELS, get_color=[25, 35, 40, 255],
        # The font atlas is built in the browser from these characters only (Cyrillic included);
        character_set=Text("".join(sorted({ch for row in rows for ch in row["text"]} | set(" 0123456789")))),
        font_family=Text("'DejaVu Sans', 'Noto Sans', Arial, sans-serif"), font_weight=600,
        get_pixel_offset="offset", background=True, get_background_color=[255, 255, 255, 185],
        background_padding=[3, 1], line_height=1.15,
    )


def region_deck(style: RegionStyle, extra_layers: Sequence[pdk.Layer] = ()) -> CompactDeck:
    """The whole offline map: neighbours, regions, Osh city, labels, and any extra layers on top.

    >>> style = RegionStyle(colors={"KG-N": "#336699"}, names={"KG-N": "Naryn"}, value_texts={})
    >>> len(region_deck(style).layers)
    4
    """
    layers = [_neighbour_layer(), *region_layers(style)[:2], *extra_layers, *region_layers(style)[2:]]
    return CompactDeck(
        layers=layers, initial_view_state=VIEW, map_provider="mapbox", map_style=BLANK_STYLE,
        tooltip={"text": "{tooltip}", "style": {"whiteSpace": "pre-line", "fontSize": "13px"}},
    )


def points_layer(points: pd.DataFrame, color: str = "#c0392b") -> pdk.Layer:
    """Points (``lon``, ``lat``, ``tooltip`` columns) drawn as small dots."""
    data = points[["lon", "lat", "tooltip"]].to_dict("records")
    return pdk.Layer(
        "ScatterplotLayer", data, id="points", pickable=True, get_position=["lon", "lat"],
        get_fill_color=hex_to_rgba(color, 200), get_radius=4, radius_units=PIXELS,
        stroked=True, get_line_color=[255, 255, 255, 220], line_width_units=PIXELS, get_line_width=1,
    )
