"""HTML and javascript: payloads in every text a user controls run no script in a real browser.

Payloads go in through the Upload page (paste box: region names, column names; file uploader: the
file name) and the builder's texts (title, subtitle, note, source, author). A payload that ran would
set ``window.__xss`` or open a dialog; both are watched.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browserkit import screenshot, wait_for_app

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
RUN = "window.__xss=(window.__xss||0)+1;alert(1)"
PAYLOADS = [
    f'<img src=x onerror="{RUN}">',
    f"<script>{RUN}</script>",
    f'<svg onload="{RUN}"></svg>',
    f"[click me](javascript:{RUN})",
    f'"><iframe src="javascript:{RUN}"></iframe>',
]


def _need(page_file: str) -> None:
    if not (ROOT / "app_pages" / page_file).exists():
        pytest.skip(f"app_pages/{page_file} is not there yet")


def _cell(text: str) -> str:
    """A cell as Excel copies it: quoted, inner quotes doubled, when it holds a quote."""
    return '"' + text.replace('"', '""') + '"' if '"' in text else text


def _watch(page) -> list[str]:
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def _assert_inert(page, dialogs: list[str]) -> None:
    page.wait_for_timeout(800)  # onerror of a broken image fires asynchronously
    assert page.evaluate("() => window.__xss || 0") == 0
    assert dialogs == []
    hrefs = page.evaluate("() => [...document.querySelectorAll('a[href], iframe[src]')]"
                          ".map(a => a.getAttribute('href') || a.getAttribute('src'))")
    assert not [h for h in hrefs if h.strip().lower().startswith("javascript:")], hrefs
    assert page.locator("img[src='x'], svg[onload], iframe[src^='javascript']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0


def test_payloads_pasted_as_region_and_column_names(page, app_url) -> None:
    _need("upload.py")
    dialogs = _watch(page)
    page.goto(f"{app_url}/upload?lang=en")
    wait_for_app(page)
    rows = ["Region\t" + _cell(PAYLOADS[0]) + "\tN"]
    rows += [f"{_cell(p)}\t1\t2" for p in PAYLOADS] + ["Naryn\t3\t4", "Talas\t5\t6", "Chui\t7\t8", "Batken\t9\t10",
                                                "Osh city\t1\t1", "Bishkek\t2\t2"]
    box = page.locator(".st-key-upload_paste textarea")
    box.fill("\n".join(rows))
    box.press("Control+Enter")
    wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(1500)
    wait_for_app(page, timeout=60_000)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "Your map" in text, text[:1500]
    # the payloads are shown as text in the fixer (inert), not turned into elements
    assert "<script>" in text or "onerror" in page.content()
    _assert_inert(page, dialogs)
    screenshot(page, "xss_upload_paste", full_page=True)


def test_payload_in_uploaded_file_name(page, app_url) -> None:
    _need("upload.py")
    dialogs = _watch(page)
    page.goto(f"{app_url}/upload?lang=en")
    wait_for_app(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(
        files=[{"name": f'<img src=x onerror="{RUN}">.csv', "mimeType": "text/csv",
                "buffer": b"Region,N\nNaryn,3\nTalas,4\n"}])
    page.wait_for_timeout(1500)
    wait_for_app(page, timeout=60_000)
    assert "Your map" in page.locator("[data-testid='stMain']").inner_text()
    _assert_inert(page, dialogs)


def test_payloads_in_builder_texts(page, app_url) -> None:
    _need("builder.py")
    dialogs = _watch(page)
    page.goto(f"{app_url}/builder?lang=en")
    wait_for_app(page)
    page.get_by_text("Labels and texts").first.click()
    for name, payload in zip(("title", "subtitle", "note", "source", "author"), PAYLOADS, strict=True):
        field = page.locator(f".st-key-builder_{name} textarea, .st-key-builder_{name} input").first
        field.fill(payload)
        field.press("Control+Enter" if name == "note" else "Enter")
        wait_for_app(page, timeout=60_000)
    page.wait_for_timeout(1000)
    wait_for_app(page, timeout=60_000)
    text = page.locator("[data-testid='stMain']").inner_text()
    assert "onerror" in text  # the title is shown, as text
    _assert_inert(page, dialogs)
    screenshot(page, "xss_builder_texts", full_page=True)
