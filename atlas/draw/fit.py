"""Open every map on its extent: a Web Mercator view (lon, lat, zoom) that fits bounds into a frame.

deck.gl's opening view is a centre and a zoom, and the server does not know how wide the map's
column is. The page measures it in the browser (``ui/probe.py``) and passes a ``Frame``; until the
first measure arrives, ``PHONE`` (the narrowest column we serve) is used, so the first paint fits on
any screen and a wider column only zooms in. The same projection places the labels
(``atlas/draw/labels.py``), so what the tests compute is what the browser draws.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pydeck as pdk
import shapely

#: deck.gl's world is 512 px wide at zoom 0.
TILE = 512.0
#: Empty pixels kept between the data and the canvas edge on every side.
PADDING = 14
MIN_HEIGHT, MAX_HEIGHT = 260, 520
#: Height added to the data's own for the labels the cities carry beside them.
LABEL_ROOM = 44


@dataclass(frozen=True)
class Frame:
    """The map's canvas in CSS pixels. ``height`` None: choose it from the data's shape.

    >>> Frame(475).width
    475
    """

    width: int
    height: int | None = None


#: A phone's column (390 px screen less Streamlit's padding): what is assumed before a measure.
PHONE = Frame(340)


def _merc_y(lat: float) -> float:
    """Web Mercator y of ``lat`` in the 512-px world at zoom 0 (0 at the top)."""
    phi = math.radians(max(min(lat, 85.0), -85.0))
    return TILE / 2 - TILE / (2 * math.pi) * math.log(math.tan(math.pi / 4 + phi / 2))


def _merc_x(lon: float) -> float:
    return TILE * (lon + 180.0) / 360.0


@dataclass(frozen=True)
class View:
    """A fitted view: centre, zoom and canvas size; projects lon/lat to canvas pixels and back.

    >>> v = fit((70.0, 39.0, 80.0, 43.0), Frame(400, 300))
    >>> x, y = v.project(75.0, v.latitude)
    >>> round(x), round(y)
    (200, 150)
    """

    longitude: float
    latitude: float
    zoom: float
    width: int
    height: int

    @property
    def scale(self) -> float:
        return 2.0**self.zoom

    def project(self, lon: float, lat: float) -> tuple[float, float]:
        """Canvas pixel (x right, y down) of a point."""
        x = (_merc_x(lon) - _merc_x(self.longitude)) * self.scale + self.width / 2
        y = (_merc_y(lat) - _merc_y(self.latitude)) * self.scale + self.height / 2
        return x, y

    def unproject(self, x: float, y: float) -> tuple[float, float]:
        """Longitude and latitude of a canvas pixel."""
        mx = _merc_x(self.longitude) + (x - self.width / 2) / self.scale
        my = _merc_y(self.latitude) + (y - self.height / 2) / self.scale
        lon = mx / TILE * 360.0 - 180.0
        lat = math.degrees(2 * math.atan(math.exp((TILE / 2 - my) * 2 * math.pi / TILE)) - math.pi / 2)
        return lon, lat

    def view_state(self) -> pdk.ViewState:
        """The pydeck opening view; users may zoom out a little and in a lot from it."""
        return pdk.ViewState(longitude=round(self.longitude, 5), latitude=round(self.latitude, 5),
                             zoom=round(self.zoom, 3), min_zoom=round(min(4.0, self.zoom - 0.5), 2), max_zoom=11)


def fit(bounds: tuple[float, float, float, float], frame: Frame = PHONE, padding: int = PADDING,
        max_height: int = MAX_HEIGHT) -> View:
    """The largest zoom at which ``bounds`` (lon_min, lat_min, lon_max, lat_max) fit inside the frame.

    Without a frame height, the height follows the data's shape (between 240 px and ``max_height``),
    so a wide country does not sit in a tall empty box.

    >>> v = fit((69.2, 39.1, 80.3, 43.3), Frame(475))
    >>> v.height < 320, 4.5 < v.zoom < 5.0
    (True, True)
    """
    lon0, lat0, lon1, lat1 = bounds
    span_x = max(_merc_x(lon1) - _merc_x(lon0), 1e-6)
    span_y = max(_merc_y(lat0) - _merc_y(lat1), 1e-6)
    inner_w = max(frame.width - 2 * padding, 40)
    height = frame.height
    if height is None:
        height = int(round(min(max(span_y * inner_w / span_x + 2 * padding + LABEL_ROOM, MIN_HEIGHT), max_height)))
    inner_h = max(height - 2 * padding, 40)
    zoom = math.log2(min(inner_w / span_x, inner_h / span_y))
    cx = (_merc_x(lon0) + _merc_x(lon1)) / 2
    cy = (_merc_y(lat0) + _merc_y(lat1)) / 2
    lon = cx / TILE * 360.0 - 180.0
    lat = math.degrees(2 * math.atan(math.exp((TILE / 2 - cy) * 2 * math.pi / TILE)) - math.pi / 2)
    return View(float(lon), float(lat), min(float(zoom), 11.0), frame.width, height)


def bounds_of(geometries: Iterable) -> tuple[float, float, float, float]:
    """Bounds of shapely geometries or GeoJSON geometry dicts (the data's extent).

    >>> bounds_of([{"type": "Point", "coordinates": [74, 42]}, {"type": "Point", "coordinates": [75, 41]}])
    (74.0, 41.0, 75.0, 42.0)
    """
    geoms = [g if isinstance(g, shapely.Geometry) else shapely.geometry.shape(g) for g in geometries]
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if not geoms:
        raise ValueError("no geometry to fit")
    x0, y0, x1, y1 = shapely.total_bounds(np.array(geoms, dtype=object))
    return float(x0), float(y0), float(x1), float(y1)


def collection_bounds(collection: Mapping) -> tuple[float, float, float, float]:
    """Bounds of a GeoJSON FeatureCollection."""
    return bounds_of(f["geometry"] for f in collection.get("features", []) if f.get("geometry"))
