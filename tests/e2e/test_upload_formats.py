"""Real files of every new kind reach a map in Chromium: an .xls, an .ods, a JSON table, a point layer."""

from __future__ import annotations

import pytest

from tests import filekit as fk
from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

TITLE = ["Число школ по областям, 2022 год (Нацстатком)", None]
TABLE = [TITLE, *fk.OBLAST_ROWS, ["Итого", 58]]

CASES = [
    ("schools.xls", "application/vnd.ms-excel", lambda: fk.xls({"Данные": TABLE}, {"Данные": [(0, 0, 0, 1)]}),
     "Rows matched to a region: 4 of 4"),
    ("schools.ods", "application/vnd.oasis.opendocument.spreadsheet",
     lambda: fk.ods({"Данные": TABLE}, {"Данные": [(0, 0, 0, 1)]}), "Rows matched to a region: 4 of 4"),
    ("schools.json", "application/json", lambda: fk.json_records(fk.OBLAST_ROWS, wrap="DataList"),
     "Rows matched to a region: 4 of 4"),
    ("schools.geojson", "application/geo+json", fk.points_geojson, None),
]


@pytest.mark.parametrize(("name", "mime", "make", "matched"), CASES, ids=[c[0] for c in CASES])
def test_file_reaches_a_map(page, app_url, name: str, mime: str, make, matched: str | None) -> None:
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.goto(f"{app_url}/upload?lang=en")
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files({"name": name, "mimeType": mime, "buffer": make()})
    try:
        page.get_by_role("heading", name="Your map").wait_for(timeout=60_000)
        page.locator("[data-testid='stDeckGlJsonChart'] canvas").first.wait_for(timeout=60_000)
    except Exception:
        screenshot(page, f"upload_{name.replace('.', '_')}_failed", full_page=True)
        raise
    wait_for_app(page)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator("[data-testid='stAlertContentError']").count() == 0
    if matched:
        page.get_by_text(matched).wait_for(timeout=10_000)
        assert page.get_by_text("Read 4 rows and 2 columns.").count() == 1
        assert page.get_by_text("Total of Школы").count() == 1, "the schools column is what the map shows"
        assert page.get_by_text("No data (5)").count() == 1, "four units have data, the five others none"
    else:  # the points were placed by their coordinates, all five inside a region, and counted
        metric = page.locator("[data-testid='stMetric']").filter(has_text="inside a region")
        assert metric.locator("[data-testid='stMetricValue']").inner_text().strip() == str(len(fk.POINTS))
        assert page.get_by_text("placed in the regions by their coordinates").count() == 1
        assert page.get_by_text("Number of rows").count() >= 1, "the legend counts points, no attribute is summed"
    page.wait_for_timeout(1000)
    screenshot(page, f"upload_{name.replace('.', '_')}", full_page=True)
