"""The HTML handout in a real browser, opened from a file: no request leaves it, tooltips are text."""

from __future__ import annotations

import pytest

from atlas.draw.export import Handout, render_html
from atlas.places.gazetteer import CODES, region_name

pytestmark = pytest.mark.e2e

ATTACK = "<img src=x onerror=alert(1)>"


def _handout() -> Handout:
    values = {c: float(i) for i, c in enumerate(CODES)} | {"KG-T": None}
    names = {c: region_name(c, "ky") for c in CODES} | {"KG-C": ATTACK}
    return Handout(
        title="<script>alert(1)</script> Өкмөт",
        region_names=names,
        values=values,
        value_texts={c: "" if v is None else f"{v:g} долбоор" for c, v in values.items()},
        colors={c: None if v is None else "#6baed6" for c, v in values.items()},
        legend=[("#6baed6", "0 – 8", 8)],
        no_data_label="Маалымат жок",
        lang="ky",
    )


@pytest.fixture(scope="module")
def handout_tab(browser, tmp_path_factory):
    file = tmp_path_factory.mktemp("html") / "handout.html"
    file.write_text(render_html(_handout()), encoding="utf-8")
    tab = browser.new_page(viewport={"width": 1280, "height": 900})  # the shared Chromium
    seen = {"requests": [], "dialogs": [], "errors": []}
    tab.on("request", lambda r: seen["requests"].append(r.url))
    tab.on("dialog", lambda d: (seen["dialogs"].append(d.message), d.dismiss()))
    tab.on("pageerror", lambda e: seen["errors"].append(str(e)))
    tab.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    tab.goto(file.as_uri())
    tab.wait_for_load_state("load")
    yield tab, seen, file.as_uri()
    tab.close()


def test_no_request_but_the_file_itself(handout_tab):
    tab, seen, uri = handout_tab
    tab.hover("[data-code='KG-N']")
    assert seen["requests"] == [uri]
    assert seen["errors"] == []  # a CSP refusal of our own script would show up here


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("KG-N", ["Нарын облусу", "3 долбоор"]),
        ("KG-T", ["Талас облусу", "Маалымат жок"]),
        ("KG-GO", ["Ош шаары", "8 долбоор"]),
        ("KG-C", [ATTACK, "1 долбоор"]),
    ],
)
def test_hover_shows_a_text_tooltip(handout_tab, code, expected):
    tab, seen, _ = handout_tab
    tab.mouse.move(0, 0)
    tab.locator(f"[data-code='{code}']").last.hover()  # a city: its symbol, drawn over its tiny polygon
    tip = tab.locator("#tip")
    assert tip.is_visible()
    assert tip.inner_text().split("\n") == expected
    assert tip.locator("img").count() == 0 and seen["dialogs"] == []


def test_title_with_a_script_tag_shows_as_text(handout_tab):
    tab, seen, _ = handout_tab
    assert tab.locator("h1").inner_text() == "<script>alert(1)</script> Өкмөт"
    assert tab.title() == "<script>alert(1)</script> Өкмөт"
    assert seen["dialogs"] == []


def test_keyboard_focus_shows_the_tooltip(handout_tab):
    tab, _, _ = handout_tab
    tab.mouse.move(0, 0)
    tab.focus("[data-code='KG-Y']")
    assert tab.locator("#tip").inner_text().startswith("Ысык-Көл облусу")
