"""The layers that make the geography readable: lakes as water, city symbols, the shaded relief.

All offline: the lakes and cities come from the bundled COD-AB files, and the relief PNG travels
inside the deck JSON as a data URL (about 313 KB as base64, so it is off unless asked for).
"""

from __future__ import annotations

import base64
import json
from functools import lru_cache

import pydeck as pdk

from atlas.places import geo, units

WATER_FILL = (170, 205, 224, 255)
WATER_LINE = (120, 160, 185, 255)
CITY_RADIUS_PX = 6
#: Level-1 ISO code → its p-code among the 55 level-2 units (the cities stand at both levels).
CITY_PCODES = {"KG-GB": "KG11000000000", "KG-GO": "KG21000000000"}


@lru_cache(maxsize=1)
def lakes_layer() -> pdk.Layer:
    """Issyk-Kul and Son-Kul drawn as water (they are holes in the unit polygons).

    >>> lakes_layer().id
    'lakes'
    """
    data = json.loads(geo.lakes_text())
    for feature in data["features"]:
        props = feature["properties"]
        props["tooltip"] = " / ".join(dict.fromkeys([props["name_ky"], props["name_ru"], props["name_en"]]))
    return pdk.Layer(
        "GeoJsonLayer", data, id="lakes", stroked=True, filled=True, pickable=True,
        get_fill_color=list(WATER_FILL), get_line_color=list(WATER_LINE), get_line_width=1,
        line_width_units=pdk.types.String("pixels"),
    )


def city_points(level: int) -> dict[str, tuple[float, float]]:
    """Where each city's symbol goes, keyed like the units of ``level``.

    >>> sorted(city_points(2))
    ['KG11000000000', 'KG21000000000']
    """
    points = geo.city_points()
    return {CITY_PCODES[c] if level == 2 else c: xy for c, xy in points.items()}


def city_layer(rows: list[dict]) -> pdk.Layer:
    """A dot over each city polygon, so a 40 km² city stays visible and clickable at country zoom.

    ``rows``: ``code``, ``position``, ``fill``, ``line``, ``tooltip`` per city.
    """
    return pdk.Layer(
        "ScatterplotLayer", rows, id="cities", pickable=True, stroked=True, filled=True,
        radius_units=pdk.types.String("pixels"), get_radius=CITY_RADIUS_PX, get_position="position",
        get_fill_color="fill", get_line_color="line", line_width_units=pdk.types.String("pixels"),
        get_line_width=2,
    )


@lru_cache(maxsize=1)
def relief_data_url() -> str:
    """The bundled hillshade PNG as a data URL: the browser needs no request to draw it.

    >>> relief_data_url().startswith("data:image/png;base64,")
    True
    """
    raw = units.relief()["path"].read_bytes()
    return "data:image/png;base64," + base64.b64encode(raw).decode("ascii")


@lru_cache(maxsize=1)
def relief_layer() -> pdk.Layer:
    """The shaded relief over the unit fills (grey, semi-transparent), bounds from geo/relief.json.

    >>> relief_layer().type
    'BitmapLayer'
    """
    west, south, east, north = units.relief()["bounds"]
    return pdk.Layer(
        "BitmapLayer", data=None, id="relief", image=pdk.types.String(relief_data_url()),
        bounds=[west, south, east, north], opacity=0.3, pickable=False,
    )
