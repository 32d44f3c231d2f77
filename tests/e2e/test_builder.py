"""The map builder in a real browser: a region without data is painted differently from one with data."""

from __future__ import annotations

import io
import json
from urllib.parse import urlencode

import numpy as np
import pytest
from PIL import Image

from atlas.draw import maps
from atlas.draw.classify import palette_colors
from atlas.draw.fit import Frame
from atlas.places import geo
from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# Access to Information projects in 2018: none in Naryn (no data), two in Ysyk-Köl.
VIEW = {"f": json.dumps({"theme": ["Access to Information"]}, separators=(",", ":")), "y": "2018", "lb": "0",
        "p": "Blues", "k": "3", "lang": "en"}


def _screen_xy(lon: float, lat: float, width: float, height: float) -> tuple[int, int]:
    """Position of a point in the canvas of the initial view (the country fitted to the canvas)."""
    x, y = maps.country_view(Frame(int(round(width)), int(round(height)))).project(lon, lat)
    return int(round(x)), int(round(y))


def _colour_at(pixels: np.ndarray, x: int, y: int) -> np.ndarray:
    patch = pixels[y - 3 : y + 4, x - 3 : x + 4].reshape(-1, 3)
    return np.median(patch, axis=0)


def test_no_data_region_is_painted_unlike_a_region_with_data(page, app_url):
    page.goto(f"{app_url}/builder?{urlencode(VIEW)}")
    wait_for_app(page)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for(timeout=30_000)
    page.wait_for_timeout(2500)
    pixels = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    height, width = pixels.shape[:2]
    points = geo.label_points()
    naryn = _colour_at(pixels, *_screen_xy(*points["KG-N"], width, height))
    ysyk = _colour_at(pixels, *_screen_xy(*points["KG-Y"], width, height))
    screenshot(page, "builder_no_data", full_page=True)
    no_data = np.array(maps.NO_DATA_FILL[:3])
    palette = [np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)]) for c in palette_colors("Blues", 3)]
    assert np.abs(naryn - no_data).max() <= 10, (naryn, no_data)
    assert min(np.abs(ysyk - p).max() for p in palette) <= 10, (ysyk, palette)
    assert np.abs(naryn - ysyk).max() > 20
    assert page.get_by_text("No data: Naryn Region").first.is_visible()
