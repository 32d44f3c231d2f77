"""The "Your data" page in a real browser: a CP1251 `;` file goes through the real file input."""

from __future__ import annotations

import pytest

from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e

# A file as Excel on Windows saves it: a title row, `;`, decimal commas, a totals row, CP1251.
ROWS = [("Баткенская обл.", "1 250,5"), ("Чуйская область", "4 031,0"), ("Нарын облусу", "812,25"),
        ("Таласская обл.", "705,0"), ("г. Бишкек", "6 880,0"), ("Ош", "3 104,75"), ("Osh city", "2 010,0")]


def messy_file() -> bytes:
    lines = ["Бюджет НКО по областям, 2021;;", "Область;Бюджет, тыс. сом;Год"]
    lines += [f"{name};{value};2021" for name, value in ROWS]
    lines.append("Итого;18 793,5;2021")
    return "\r\n".join(lines).encode("cp1251")


def test_upload_cp1251_file_shows_matches_and_map(page, app_url):
    page.set_viewport_size({"width": 1400, "height": 3000})  # the whole page in one picture
    page.goto(f"{app_url}/upload?lang=en")
    wait_for_app(page)
    page.locator("input[type='file']").set_input_files(
        {"name": "budget.csv", "mimeType": "text/csv", "buffer": messy_file()})
    # bare "Ош" beside "Osh city" is the oblast (issue 14); the totals row is not counted as a row
    page.get_by_text(f"Rows matched to a region: {len(ROWS)} of {len(ROWS)}").wait_for(timeout=30_000)
    page.locator("canvas").first.wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.get_by_role("combobox", name="Encoding").input_value() == "cp1251", "the guess is shown"
    assert page.get_by_role("combobox", name="Separator").input_value() == "Semicolon ( ; )"
    assert page.get_by_text("“Ош” was read as Osh oblast").count() == 1, "the reading from context is said"
    assert page.get_by_text("“Ош” — rows: 1").count() == 1, "and the value stays in the fixer, to change"
    page.wait_for_timeout(1500)  # let deck.gl draw before the picture
    screenshot(page, "upload_cp1251", full_page=True)
