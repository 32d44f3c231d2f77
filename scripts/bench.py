"""`make bench`: the project's figures, one line each as `BENCH <name> <value> <unit>`.

Browser figures are measured in Debian's Chromium against a real app server started here;
each has a baseline measured in the same run where one makes sense, so machine noise cancels.
The builder, upload and store figures come from scripts/bench_builder.py, bench_upload.py and
bench_store.py, run as they are.
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
from PIL import Image
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browserkit import ARGS, CHROMIUM, free_port, start_server  # noqa: E402

BARE_APP = textwrap.dedent(
    """
    import json, pydeck as pdk, streamlit as st
    shapes = json.load(open("geo/kg_level1_screen.geojson"))
    layer = pdk.Layer("GeoJsonLayer", shapes, get_fill_color=[40, 120, 160], pickable=True)
    st.pydeck_chart(pdk.Deck(layers=[layer], map_style=None,
                    initial_view_state=pdk.ViewState(longitude=74.7, latitude=41.3, zoom=5)))
    """
)


def report(name: str, value: float, unit: str) -> None:
    print(f"BENCH {name} {value:.4g} {unit}", flush=True)


def _painted(page) -> bool:
    canvas = page.locator("[data-testid='stDeckGlJsonChart'] canvas")
    if not canvas.count():
        return False
    pixels = np.asarray(Image.open(io.BytesIO(canvas.first.screenshot())).convert("RGB")).astype(int)
    # Painted = a good share of strongly coloured pixels (the regions), not the blank base.
    saturation = pixels.max(axis=2) - pixels.min(axis=2)
    return float((saturation > 40).mean()) > 0.03


def time_to_map(browser, script: str, query: str = "") -> float:
    """Seconds from starting a server for ``script`` to its map being painted in a fresh browser."""
    port = free_port()
    with tempfile.TemporaryDirectory() as var:
        started = time.perf_counter()
        if script == "app.py":
            proc = start_server(Path(var), port)
        else:
            proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
                 "--server.headless", "true", "--server.address", "127.0.0.1"], cwd=ROOT,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/{query}", timeout=5000)
                    break
                except Exception:
                    time.sleep(0.2)
            deadline = time.perf_counter() + 90
            while not _painted(page):
                if time.perf_counter() > deadline:
                    raise RuntimeError(f"the map of {script} was not painted within 90 s")
                page.wait_for_timeout(100)
            elapsed = time.perf_counter() - started
            context.close()
            return elapsed
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def first_map(browser) -> None:
    ours, bare, rayons = [], [], []
    bare_script = ROOT / "var" / "bench_bare_app.py"
    bare_script.parent.mkdir(exist_ok=True)
    bare_script.write_text(BARE_APP)
    for _ in range(3):
        ours.append(time_to_map(browser, "app.py", "?lang=en"))
        bare.append(time_to_map(browser, str(bare_script)))
        rayons.append(time_to_map(browser, "app.py", "?lang=en&lv=2&i=elev_median"))
    report("first_map_s", statistics.median(ours), "s")
    report("first_rayon_map_s", statistics.median(rayons), "s")
    report("first_map_bare_s", statistics.median(bare), "s")
    report("first_map_vs_bare", statistics.median(ours) / statistics.median(bare), "x")


def websocket_bytes(browser, url: str, action) -> int:
    """Bytes the server sends over the websocket while ``action(page)`` runs and the app settles."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    frames: list[int] = []
    recording = {"on": False}

    def on_ws(ws):
        ws.on("framereceived", lambda payload: frames.append(len(payload)) if recording["on"] else None)

    page.on("websocket", on_ws)
    page.goto(url)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
    page.wait_for_timeout(1500)
    recording["on"] = True
    action(page)
    page.wait_for_timeout(2500)
    context.close()
    return sum(frames)


def choose(label: str, option: str):
    def act(page):
        page.get_by_label(label).first.click()
        page.get_by_role("option", name=option).click()

    return act


def warm_first_map(browser, url: str) -> float:
    """Seconds to the painted map with the front end already cached, over 1 Mbit/s and 100 ms."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)  # the first visit fills the browser cache with Streamlit's JavaScript
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=60_000)
    page.wait_for_timeout(1500)
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": 100, "downloadThroughput": 125_000, "uploadThroughput": 125_000,
    })
    started = time.perf_counter()
    page.goto(url)
    while not _painted(page):
        page.wait_for_timeout(100)
    elapsed = time.perf_counter() - started
    context.close()
    return elapsed


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def one_server(browser) -> None:
    """Figures measured on one running server: payload of a change, a warm slow-link load, memory."""
    port = free_port()
    with tempfile.TemporaryDirectory() as var:
        proc = start_server(Path(var), port)
        try:
            url = f"http://127.0.0.1:{port}/?lang=en"
            report("map_payload_bytes", websocket_bytes(browser, url, choose("Indicator", "Area")), "bytes")
            report("warm_first_map_1mbit_s", warm_first_map(browser, url), "s")
            report("rss_mb", rss_mb(proc.pid), "MB")
        finally:
            proc.terminate()
            proc.wait(timeout=20)


def main() -> None:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        first_map(browser)
        one_server(browser)
        browser.close()
    for script in ("bench_builder.py", "bench_upload.py", "bench_store.py"):
        subprocess.run([sys.executable, str(ROOT / "scripts" / script)], check=False)


if __name__ == "__main__":
    main()
