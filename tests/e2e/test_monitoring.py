"""Monitoring in a real browser: file a report through the form, find it in the list, see it on the map."""

from __future__ import annotations

import pytest

from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e


def choose(page, key: str, text: str) -> None:
    """Pick an option of a select box or multiselect by typing part of its label."""
    box = page.locator(f".st-key-{key} input").first
    box.click()
    box.fill(text)
    page.locator("[role='option']").filter(has_text=text).first.click()
    if page.locator("[role='option']").count():  # a multiselect stays open after a choice
        page.keyboard.press("Escape")


def test_file_a_report_list_it_and_map_it(page, app_url):
    # Through the sidebar, as a participant would (and as the router registers the page).
    page.goto(f"{app_url}/?lang=en")
    wait_for_app(page)
    page.get_by_role("link", name="Monitoring reports").click()
    wait_for_app(page)
    choose(page, "new_commitment", "KG0003")
    choose(page, "new_regions", "Naryn")
    choose(page, "new_status", "stalled")
    page.locator(".st-key-new_activity input").fill("Health data portal: no new datasets since May")
    page.locator(".st-key-new_evidence textarea").fill("https://example.kg/portal-check")
    page.locator(".st-key-new_organisation input").fill("Naryn Youth Centre")
    page.locator(".st-key-new_submit button").click()
    page.get_by_text("is saved").wait_for(timeout=20_000)
    wait_for_app(page)
    # The code block is drawn by a lazily loaded part of Streamlit's front end: wait for it.
    page.locator("[data-testid='stCode']").first.wait_for(timeout=15_000)
    assert page.locator("[data-testid='stCode']").count() == 1  # the editor key, shown once
    page.get_by_text("1 report shown.").wait_for(timeout=10_000)
    screenshot(page, "monitoring_report_saved", full_page=True)

    page.get_by_role("link", name="Monitoring dashboard").click()
    wait_for_app(page)
    page.locator("[data-testid='stDeckGlJsonChart']").scroll_into_view_if_needed(timeout=30_000)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
    page.wait_for_timeout(1500)
    screenshot(page, "monitoring_dashboard_map")
    metric = page.locator("[data-testid='stMetric']").first
    assert "1" in metric.inner_text()
    assert page.get_by_text("Highest: Naryn Region").count() == 1
    screenshot(page, "monitoring_dashboard", full_page=True)
