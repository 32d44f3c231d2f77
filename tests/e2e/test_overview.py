"""The Overview page in a real browser: the map is drawn in colour, tooltips are text, nothing leaves."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image

from atlas.draw import classify
from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def _rgb(hex_color: str) -> np.ndarray:
    return np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)])


def _canvas_pixels(page) -> np.ndarray:
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    return np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)


def _share_near(pixels: np.ndarray, color: np.ndarray, tolerance: int = 12) -> float:
    close = np.abs(pixels - color).max(axis=2) <= tolerance
    return float(close.mean())


def test_map_shows_the_regions_in_palette_colours(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
    page.wait_for_timeout(2000)
    pixels = _canvas_pixels(page)
    colours = classify.palette_colors(classify.DEFAULT_PALETTE, 5)
    shares = [_share_near(pixels, _rgb(c)) for c in colours]
    # Each of the five classes covers some of the map (9 regions, 5 classes: no class is empty).
    assert sum(share > 0.002 for share in shares) >= 4, shares
    assert sum(shares) > 0.08, shares  # the country fills a good part of the canvas
    screenshot(page, "overview_en", full_page=True)


def test_tooltip_is_plain_text_with_name_and_value(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").first
    canvas.wait_for(timeout=30_000)
    page.wait_for_timeout(1500)
    box = canvas.bounding_box()
    text = ""
    for fx in np.linspace(0.35, 0.75, 6):
        for fy in np.linspace(0.35, 0.7, 5):
            page.mouse.move(box["x"] + box["width"] * fx, box["y"] + box["height"] * fy)
            page.wait_for_timeout(120)
            tip = page.locator(".deck-tooltip")
            if tip.count() and tip.first.is_visible() and tip.first.inner_text().strip():
                text = tip.first.inner_text()
                html = tip.first.inner_html()
                break
        if text:
            break
    assert text, "no tooltip appeared over the map"
    assert "Region" in text or "City" in text
    assert "%" in text  # the official default: a value and its unit
    assert "SI_POV_NAHC" in text  # the series code and year travel with every value
    assert "<" not in text and "<b>" not in html  # plain text, not markup
    screenshot(page, "overview_tooltip")


def test_switching_indicator_redraws_with_sample_warning(page, app_url):
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    page.get_by_text("Population, area, elevation and the illustrative NGO sample").click()
    wait_for_app(page)
    page.locator(".st-key-overview_indicator input").first.wait_for(timeout=30_000)
    page.get_by_test_id("stSelectbox").first.click()  # the official picker is gone: this is the indicator
    page.get_by_role("option", name="NGO projects (sample)").click()
    wait_for_app(page)
    page.get_by_text("Illustrative sample — not real data").first.wait_for(timeout=15_000)
    # The legend names the indicator and its unit.
    page.get_by_text("NGO projects (sample), projects").first.wait_for(timeout=15_000)


def test_kyrgyz_page_title(page, app_url):
    page.goto(f"{app_url}/?lang=ky")
    wait_for_app(page)
    page.wait_for_selector("h1")
    title = page.locator("h1").first.inner_text()
    assert title and title != "Kyrgyzstan by region"
    # the whole first screen in Kyrgyz, once drawn: the map, its indicator and the ranking
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=30_000)
    page.locator(".st-key-overview_sdg_series input").first.wait_for(timeout=30_000)
    assert "SI_POV_NAHC" in page.locator(".st-key-overview_sdg_series input").first.input_value()
    screenshot(page, "overview_ky", full_page=True)


def test_overview_draws_an_official_series_map_and_its_change_map_in_kyrgyz(page, app_url):
    page.goto(f"{app_url}/?lang=ky")
    wait_for_app(page)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
    page.wait_for_timeout(2000)
    pixels = _canvas_pixels(page)
    colours = classify.palette_colors(classify.DEFAULT_PALETTE, 5)
    shares = [_share_near(pixels, _rgb(c)) for c in colours]
    assert sum(share > 0.002 for share in shares) >= 4, shares  # the poverty rate, in five classes
    page.get_by_text("SI_POV_NAHC · 2023").first.wait_for(timeout=15_000)  # source, series, year
    page.get_by_text("Кыргызстан: 29,8 %").first.wait_for(timeout=15_000)  # the country's value
    screenshot(page, "overview_official_ky", full_page=True)
    page.locator(".st-key-overview_sdg_change label").first.click()
    wait_for_app(page)
    page.locator("[data-testid='stDeckGlJsonChart'] canvas").nth(1).wait_for(timeout=30_000)
    page.wait_for_timeout(2500)
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas").nth(1)
    canvas.scroll_into_view_if_needed()
    change = np.asarray(Image.open(io.BytesIO(canvas.screenshot())).convert("RGB")).astype(int)
    diverging = classify.palette_colors("PuOr", 6)
    found = [_share_near(change, _rgb(c)) > 0.002 for c in diverging]
    assert found[:3].count(True) >= 1 and found[3:].count(True) >= 1, found  # both sides of 0 are drawn
    screenshot(page, "overview_change_ky", full_page=True)
