"""Two replicas behind nginx (scripts/serve.py), in Chromium: what one session saves, a session on the other
replica sees; killing a replica loses no saved data, and its page reconnects to the live one and works.

The stack sets itself up (PostgreSQL as tests/pg.py starts it, nginx as a child). Without nginx or
PostgreSQL the tests are skipped, except as root or in CI, where scripts/system_deps.sh installs them.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import sys
from pathlib import Path
from urllib.parse import urlparse

import pytest

from tests.browserkit import LOCAL_HOSTS, wait_for_app

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from load import messy_csv  # noqa: E402
from serve import NGINX, Stack  # noqa: E402

from tests.pg import find_bindir  # noqa: E402

HEADER = "x-achyk-replica"
SHORT_ID = re.compile(r"present\?view=([A-Za-z0-9_-]+)")


@pytest.fixture
def stack(tmp_path):
    missing = [name for name, ok in (("nginx", Path(NGINX).exists()), ("postgresql", find_bindir() is not None))
               if not ok]
    if missing:
        message = f"missing {', '.join(missing)}: run scripts/system_deps.sh (apt-get install {' '.join(missing)})"
        if os.geteuid() == 0 or os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    saved_url = os.environ.pop("ACHYK_DATABASE_URL", None)  # the stack starts its own database
    stack = Stack(2, run_dir=tmp_path / "run", state_dir=tmp_path / "var")
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()
        if saved_url is not None:
            os.environ["ACHYK_DATABASE_URL"] = saved_url
        shutil.rmtree(tmp_path / "run", ignore_errors=True)


class Tab:
    """A fresh browser context (its own cookies: a new participant) that records non-local requests."""

    def __init__(self, browser):
        self.context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
        self.page = self.context.new_page()
        self.outside: list[str] = []
        self.sockets: list[str] = []
        self.page.on("request", self._check)
        self.page.on("websocket", lambda ws: self.sockets.append(ws.url))

    def _check(self, request) -> None:
        url = urlparse(request.url)
        if url.scheme not in ("data", "blob", "about", "file") and url.hostname not in LOCAL_HOSTS:
            self.outside.append(request.url)

    def open(self, url: str) -> str:
        """Open ``url``; returns the replica (host:port) nginx says answered.

        nginx lists every replica it tried ("dead:port, live:port"); the last one answered.
        """
        response = self.page.goto(url)
        assert response is not None and response.ok, url
        wait_for_app(self.page, 60_000)
        return response.headers.get(HEADER, "").split(",")[-1].strip()

    def close(self) -> None:
        self.context.close()
        assert self.outside == [], f"the browser asked hosts other than this machine: {self.outside}"


def save_upload_view(tab: Tab, base: str, title: str) -> str:
    """Upload a messy CSV, see its map, open it in the builder and save it; returns the view's short id."""
    page = tab.page
    page.locator("input[type='file']").first.set_input_files(
        files=[{"name": "ngo_report.csv", "mimeType": "text/csv", "buffer": messy_csv(random.Random(3))}])
    page.get_by_text("Your map").first.wait_for(timeout=60_000)
    page.locator("[data-testid='stDeckGlJsonChart']").first.wait_for(timeout=60_000)
    page.locator(".st-key-upload_open_builder button").first.click()
    title_box = page.locator(".st-key-save_view_title input").first
    title_box.wait_for(state="attached", timeout=60_000)
    wait_for_app(page, 60_000)
    if not title_box.is_visible():  # the form sits in a closed expander
        page.locator("[data-testid='stExpander'] summary").filter(has_text="Save as a slide").first.click()
        title_box.wait_for(state="visible", timeout=30_000)
    title_box.fill(title)
    page.locator(".st-key-save_view_submit button").first.click()
    page.get_by_text("Saved. You find it under").first.wait_for(timeout=60_000)
    code = page.locator("[data-testid='stCode']").filter(has_text="view=").first
    code.wait_for(state="attached", timeout=30_000)
    found = SHORT_ID.search(code.text_content() or "")
    assert found, f"no link to the saved view on the page: {code.text_content()!r}"
    return found.group(1)


def landing_elsewhere(browser, base: str, avoid: str, tries: int = 16) -> tuple[Tab, str]:
    """New participants until one lands on a replica other than ``avoid`` (each has 1/2 odds)."""
    for _ in range(tries):
        tab = Tab(browser)
        replica = tab.open(f"{base}/?lang=en")
        if replica and replica != avoid:
            return tab, replica
        tab.close()
    raise AssertionError(f"{tries} new sessions all landed on {avoid}: the affinity cookie does not spread them")


def test_a_view_saved_on_one_replica_shows_on_the_other(stack, browser):
    base = f"http://127.0.0.1:{stack.proxy_port}"
    first = Tab(browser)
    replica_a = first.open(f"{base}/upload?lang=en")
    assert replica_a in {f"127.0.0.1:{p}" for p in stack.replica_ports}
    short_id = save_upload_view(first, base, "Projects by region, proxy test")
    assert first.open(f"{base}/?lang=en") == replica_a  # the cookie keeps this participant on one replica
    first.close()

    second, replica_b = landing_elsewhere(browser, base, replica_a)
    assert second.open(f"{base}/present?view={short_id}&lang=en") == replica_b
    second.page.get_by_text("Projects by region, proxy test").first.wait_for(timeout=60_000)
    assert second.page.get_by_text("This link points to nothing").count() == 0
    second.close()


def test_killing_a_replica_loses_no_saved_data_and_its_page_reconnects(stack, browser):
    base = f"http://127.0.0.1:{stack.proxy_port}"
    tab = Tab(browser)
    replica = tab.open(f"{base}/upload?lang=en")
    short_id = save_upload_view(tab, base, "Saved before the crash")
    index = [f"127.0.0.1:{p}" for p in stack.replica_ports].index(replica)
    sockets_before = len(tab.sockets)

    stack.kill_replica(index)

    # the page notices, reconnects through nginx to the live replica and runs its script again
    for _ in range(90):  # seconds
        if len(tab.sockets) > sockets_before:
            break
        tab.page.wait_for_timeout(1000)
    assert len(tab.sockets) > sockets_before, "the page opened no new websocket after its replica died"
    wait_for_app(tab.page, 60_000)
    tab.page.locator("[data-testid='stSidebarNav'] a[href$='/reports']").first.click()
    tab.page.locator(".st-key-new_organisation input").first.wait_for(timeout=60_000)
    assert tab.page.locator("[data-testid='stException']").count() == 0

    # the view saved through the dead replica is still there, served by the live one
    live = f"127.0.0.1:{stack.replica_ports[1 - index]}"
    assert tab.open(f"{base}/present?view={short_id}&lang=en") == live
    tab.page.get_by_text("Saved before the crash").first.wait_for(timeout=60_000)
    tab.close()
