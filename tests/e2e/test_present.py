"""Presentation mode in a real browser at projector size (1280×720): big title, map drawn, no chrome, offline."""

from __future__ import annotations

import re

import pytest

from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def test_presentation_is_readable_on_a_projector(page, demo_story_server):
    app_url, story_id = demo_story_server
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(f"{app_url}/present?story={story_id}&lang=en")
    wait_for_app(page)
    page.wait_for_selector("canvas", timeout=30_000)
    page.wait_for_timeout(1500)  # let deck.gl draw before the screenshot
    screenshot(page, "present_1280x720")
    title = page.locator("h1.achyk-slide-title")
    assert "NGO projects per 10,000 people" in title.inner_text()
    size = lambda sel: float(page.eval_on_selector(sel, "e => parseFloat(getComputedStyle(e).fontSize)"))  # noqa: E731
    assert size("h1.achyk-slide-title") >= 36
    assert size(".st-key-slide_side [role='list'] span") >= 20  # legend labels
    assert size(".st-key-slide_side [data-testid='stMarkdownContainer'] p") >= 20  # the note
    canvas = page.locator("canvas").first.bounding_box()
    assert canvas["width"] > 500 and canvas["height"] > 350 and canvas["y"] + 100 < 720  # on the first screen
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    assert not page.locator("[data-testid='stHeader']").is_visible()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => /2 \\/ 4/.test(document.body.innerText)", timeout=15_000)
    wait_for_app(page)
    assert re.search("Health projects only", title.inner_text())
