"""A connection that drops in the middle of an upload: the server stays up, the page keeps working,
and the next attempt goes through."""

from __future__ import annotations

import urllib.request

import pytest

from tests.browserkit import wait_for_app

pytestmark = pytest.mark.e2e

CSV = "Область;Сумма\r\nНарын;10\r\nТалас;20\r\n".encode("cp1251")


def test_upload_aborted_mid_request_leaves_the_app_working(page, app_url):
    page.goto(f"{app_url}/upload?lang=en")
    wait_for_app(page)
    aborted = []

    def drop(route):
        aborted.append(route.request.url)
        route.abort("connectionreset")

    # The file's bytes travel in their own HTTP request to the upload endpoint: cut that one.
    page.route("**/_stcore/upload_file/**", drop)
    page.locator("input[type='file']").set_input_files({"name": "a.csv", "mimeType": "text/csv", "buffer": CSV})
    page.wait_for_timeout(2000)
    assert aborted, "the upload request was not intercepted"
    assert urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=5).read() == b"ok"
    assert page.get_by_text("Rows matched to a region").count() == 0  # nothing half-read is shown
    assert page.get_by_text("Traceback").count() == 0

    # The connection is back: the same file now goes through in the same session.
    page.unroute("**/_stcore/upload_file/**")
    page.locator("input[type='file']").set_input_files({"name": "b.csv", "mimeType": "text/csv", "buffer": CSV})
    page.get_by_text("Rows matched to a region: 2 of 2").wait_for(timeout=30_000)
    wait_for_app(page)
    assert page.get_by_text("Traceback").count() == 0
