"""kill -9 of the real app server right after reports were acknowledged on screen loses none of them.

Reports are filed through the Monitoring reports page in a real browser, one after another as fast as
the form allows; each "Report N is saved" seen on screen is recorded. Then the streamlit process is
killed with SIGKILL, started again on the same ACHYK_VAR_DIR, and every acknowledged report must be in
the store, which must pass ``PRAGMA integrity_check``.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browserkit import ARGS, CHROMIUM, SHOTS, free_port, start_server

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]
BURST = 5


async def _file_reports(base: str, n: int) -> list[int]:
    from playwright.async_api import async_playwright

    from tests import browserload as load

    acked: list[int] = []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = await (await browser.new_context(viewport={"width": 1280, "height": 900})).new_page()
        await page.goto(f"{base}/reports?lang=en")
        await page.locator(".st-key-new_organisation input").first.wait_for(state="attached", timeout=60_000)
        await load.idle(page)
        try:
            for i in range(n):
                acked.append(await load.fill_report(page, f"Crash test NGO {i}", first=i == 0))
        finally:
            SHOTS.mkdir(parents=True, exist_ok=True)
            await page.screenshot(path=str(SHOTS / "crash_reports_burst.png"), full_page=True)
        await browser.close()
    return acked


def test_acknowledged_reports_survive_kill_9(tmp_path: Path) -> None:
    if not (ROOT / "app_pages" / "reports.py").exists():
        pytest.skip("app_pages/reports.py is not there yet")
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is missing")
    var = tmp_path / "var"
    port = free_port()
    server = start_server(var, port)
    try:
        # A thread of its own: the shared sync Playwright of the other browser tests keeps an event
        # loop in this thread, where asyncio.run() is refused.
        with ThreadPoolExecutor(1) as pool:
            acked = pool.submit(asyncio.run, _file_reports(f"http://127.0.0.1:{port}", BURST)).result()
    finally:
        os.kill(server.pid, signal.SIGKILL)  # no shutdown, no flush: as if the power went
        server.wait(timeout=20)
    assert len(acked) == BURST and len(set(acked)) == BURST
    db = next(var.rglob("*.sqlite3"))
    # the restarted server opens the same store (migrations, WAL recovery) and serves it
    again = start_server(var, free_port())
    try:
        con = sqlite3.connect(db)
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        con.close()
        from atlas.keep import Store

        store = Store(f"sqlite:///{db}")
        listed = {r.id: r.organisation for r in store.list_reports()}
        store.close()
        assert set(acked) <= set(listed), (acked, listed)
        assert sorted(listed[i] for i in acked) == [f"Crash test NGO {i}" for i in range(BURST)]
    finally:
        again.terminate()
        again.wait(timeout=20)
