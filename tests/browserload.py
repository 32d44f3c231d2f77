"""Browser smoke load (tests/e2e/test_load_short.py): a few Chromium sessions run the workshop script.

Only for what only a browser shows (pages that open, dropdowns that take a click, maps that draw);
the server's figures come from the protocol-level load test, scripts/load.py (`make load`).
Each session loops through: Overview (indicator, classes) → Your data (upload a generated messy CSV,
fix one region) → Map builder (save a view) → Monitoring reports (file one) → Presentation.
Rerun times are read off the WebSocket frames (BackMsg rerun_script → ForwardMsg script_finished).
"""

from __future__ import annotations

import asyncio
import json
import multiprocessing as mp
import random
import re
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from atlas import timing
from tests.browserkit import ARGS, CHROMIUM, free_port, start_server

ROOT = Path(__file__).resolve().parents[1]

ACTION_TIMEOUT = 60_000
# Load clients may draw no WebGL: on a small machine, dozens of maps rasterised in software starve the
# clients and the server that shares the CPU with them. The server's work is the same either way: it
# builds and sends every map.
NO_WEBGL = ["--disable-3d-apis"]
VIEWPORT = {"width": 1280, "height": 900}
URLS = {"overview": ""}  # the default page is served at the root
PAGES = {"overview": "overview.py", "upload": "upload.py", "builder": "builder.py", "reports": "reports.py",
         "present": "present.py"}


# --------------------------------------------------------------------------- measuring


def rss_mb(pid: int) -> float:
    """Resident memory of the server process and its children, in MB."""
    try:
        import psutil

        proc = psutil.Process(pid)
        return sum(p.memory_info().rss for p in [proc, *proc.children(recursive=True)]) / 2**20
    except ImportError:
        pass
    except Exception:
        return 0.0
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


class Sampler(threading.Thread):
    """Samples the server's RSS every half second until stopped."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.samples, self.stop = pid, [], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mb(self.pid))
            self.stop.wait(0.5)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values).

    >>> percentile([1, 2, 3, 4], 0.5)
    2
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(q * len(ordered) + 0.5)) - 1))]


def watch_reruns(page, times: list[float]) -> None:
    """Record client-observed rerun times from the app's WebSocket frames."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    pending: list[float] = []

    def sent(payload) -> None:
        if isinstance(payload, (bytes, bytearray)):
            try:
                if BackMsg.FromString(bytes(payload)).WhichOneof("type") == "rerun_script":
                    pending.append(time.perf_counter())
            except Exception:
                pass

    def received(payload) -> None:
        if pending and isinstance(payload, (bytes, bytearray)):
            try:
                if ForwardMsg.FromString(bytes(payload)).WhichOneof("type") == "script_finished":
                    times.append((time.perf_counter() - pending.pop(0)) * 1000)
                    pending.clear()  # a rerun that replaced a queued one finishes once
            except Exception:
                pass

    def on_ws(ws) -> None:
        if "_stcore/stream" in ws.url:
            ws.on("framesent", sent)
            ws.on("framereceived", received)

    page.on("websocket", on_ws)


# --------------------------------------------------------------------------- the workshop script


def messy_csv(rng: random.Random) -> bytes:
    """A CP1251 file as Excel on Windows saves it: title row, ';', decimal commas, totals, one 'Ош'."""
    names = ["Баткенская обл.", "Чуйская область", "Jalal-Abad region", "Нарын облусу", "Ош",
             "Талас облусу", "Ысык-К?л облусу", "г. Бишкек", "Osh city"]
    lines = ["Отчёт НКО по областям;;", "Область;Проекты;Бюджет, сом"]
    total = 0
    for name in names:
        n = rng.randint(1, 60)
        total += n
        lines.append(f"{name};{n};{rng.randint(1000, 9_999_999):,},{rng.randint(0, 99):02d}".replace(",", " ", 1))
    lines.append(f"Итого;{total};")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


async def idle(page) -> None:
    """Wait until the script run triggered last has finished (the status widget is gone)."""
    await page.wait_for_timeout(120)
    await page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                 timeout=ACTION_TIMEOUT)
    if await page.locator("[data-testid='stException']").count():
        raise RuntimeError("the page shows an exception: "
                           + (await page.locator("[data-testid='stException']").first.inner_text())[:300])


async def go(page, base: str, name: str, ready: str) -> bool:
    """Open a page through the sidebar (same session), or by URL; False if ``ready`` never shows."""
    path = URLS.get(name, name)
    link = page.locator(f"[data-testid='stSidebarNav'] a[href$='/{path}']")
    clicked = False
    if await link.count() and await link.first.is_visible():
        try:
            await link.first.click(timeout=10_000)
            clicked = True
        except Exception:
            pass  # a link that takes no click within 10 s (covered, or its page still busy): use the address
    if not clicked:
        await page.goto(f"{base}/{path}?lang=en")
    if path:
        await page.wait_for_url(f"**/{path}*", timeout=ACTION_TIMEOUT)
    try:
        await page.locator(ready).first.wait_for(state="attached", timeout=30_000)
    except Exception:
        return False
    await idle(page)
    return True


async def open_options(page, box):
    """Click a select box until its list of options shows; returns the options' locator.

    A click can land while the page scrolls the box into view or another dropdown closes, and the list
    opens and shuts at once: close whatever is open and click again rather than wait on one click.
    """
    options = page.locator("[role='listbox'] [role='option']")
    for wait_ms in (5_000, 10_000, 15_000):
        await box.click()
        try:
            await options.first.wait_for(timeout=wait_ms)
            return options
        except Exception:
            await page.keyboard.press("Escape")
            await idle(page)
    await box.click()
    await options.first.wait_for(timeout=20_000)  # the last try reports its own timeout
    return options


async def choose(page, key: str, index: int | None = None) -> bool:
    """Open the select widget with ``key`` and click an option (random if index is None)."""
    box = page.locator(f".st-key-{key} input").first
    try:
        await box.wait_for(state="attached", timeout=15_000)
    except Exception:
        return False
    for _ in range(3):
        options = await open_options(page, box)
        n = await options.count()
        if n:
            await options.nth(index if index is not None else random.randrange(n)).click()
            await idle(page)
            return True
        # the list shut again between opening and counting (a rerun redrew the widget): open it again
        await page.keyboard.press("Escape")
        await idle(page)
    return False


async def step_overview(page, base: str, rng: random.Random) -> bool:
    if not await go(page, base, "overview", ".st-key-overview_sdg_series"):
        return False
    await choose(page, "overview_sdg_series")
    slider = page.locator(".st-key-overview_sdg_year [role='slider']").first
    if await slider.count():
        await slider.focus()
        await slider.press(rng.choice(["ArrowLeft", "ArrowRight"]))
        await idle(page)
    return True


async def step_upload(page, base: str, rng: random.Random) -> bool:
    if not await go(page, base, "upload", "[data-testid='stFileUploaderDropzoneInput']"):
        return False
    drop = page.locator("[data-testid='stFileUploaderDropzoneInput']").first
    await drop.set_input_files(files=[{"name": "ngo_report.csv", "mimeType": "text/csv", "buffer": messy_csv(rng)}])
    await page.wait_for_selector("text=Your map", timeout=ACTION_TIMEOUT)
    await idle(page)
    return True


async def step_fix(page, base: str, rng: random.Random) -> bool:
    fixers = page.locator("[class*='st-key-upload_fix_'] input")
    try:
        await fixers.first.wait_for(state="attached", timeout=10_000)
    except Exception:
        return False
    await fixers.first.scroll_into_view_if_needed()
    await (await open_options(page, fixers.first)).first.click()
    await idle(page)
    return True


async def step_save_view(page, base: str, rng: random.Random) -> bool:
    if not await go(page, base, "builder", ".st-key-save_view_title input"):
        return False
    title = page.locator(".st-key-save_view_title input").first
    if not await title.is_visible():  # the form sits in a closed expander
        await page.locator("[data-testid='stExpander'] summary").filter(has_text="Save as a slide").first.click()
        await title.wait_for(state="visible", timeout=ACTION_TIMEOUT)
    await title.fill(f"Load test view {rng.randint(1, 10**6)}")
    await page.locator(".st-key-save_view_submit button").first.click()
    await page.get_by_text("Saved. You find it under").first.wait_for(timeout=ACTION_TIMEOUT)
    await idle(page)
    return True


async def fill_report(page, organisation: str, first: bool = True) -> int:
    """Fill and submit the 'new' report form; waits for "Report N is saved" and returns N.

    The form keeps its values after a save: with ``first=False`` only the texts are filled again.
    """
    if first:
        await choose(page, "new_commitment", 0)
        regions = page.locator(".st-key-new_regions input").first
        await regions.click()
        await regions.type("Naryn")
        await page.keyboard.press("Enter")
        await page.keyboard.press("Escape")
        await page.locator("h1").first.click()  # close any open dropdown
        await choose(page, "new_status", 0)
    await page.locator(".st-key-new_evidence textarea").first.fill("https://example.kg/minutes")
    await page.locator(".st-key-new_organisation input").first.fill(organisation)
    saved = re.compile(r"Report (\d+) is saved")
    before = saved.findall(await page.locator("body").inner_text())
    await page.locator(".st-key-new_submit button").first.click()
    await page.wait_for_function(
        "(before) => { const m = document.body.innerText.match(/Report (\\d+) is saved/g) || [];"
        " return m.length && m.join() !== before; }", arg=",".join(f"Report {b} is saved" for b in before),
        timeout=ACTION_TIMEOUT)
    await idle(page)
    after = saved.findall(await page.locator("body").inner_text())
    return int(after[-1])


async def step_report(page, base: str, rng: random.Random) -> bool:
    if not await go(page, base, "reports", ".st-key-new_organisation input"):
        return False
    await fill_report(page, f"Load NGO {rng.randint(1, 10**6)}")
    return True


async def step_present(page, base: str, rng: random.Random) -> bool:
    if not await go(page, base, "present", "[data-testid='stMain']"):
        return False
    nxt = page.locator(".st-key-present_next button").first
    if await nxt.count() and await nxt.is_enabled():
        await nxt.click()
        await idle(page)
    return True


STEPS = [("overview", "overview", step_overview), ("upload", "upload", step_upload), ("fix", "upload", step_fix),
         ("save_view", "builder", step_save_view), ("report", "reports", step_report),
         ("present", "present", step_present)]


@dataclass(frozen=True)
class Clients:
    """How the simulated participants behave, and what their browsers cost the machine.

    think: mean seconds a participant looks at the screen between two actions (uniform between half and
        one and a half times it); 0 runs the steps back to back.
    ramp: seconds over which the sessions join (session k of n at ramp * k / n).
    webgl: draw the maps (see NO_WEBGL).

    Each session has a browser context (window) of its own. Tabs of one shared context were tried: a tab
    that is not in front gets no animation frames, so Playwright never finds its dropdowns stable.
    """

    think: float = 0.0
    ramp: float = 10.0
    webgl: bool = True

    def describe(self) -> str:
        webgl = "on" if self.webgl else "off"
        return f"joining over {self.ramp:g} s, {self.think:g} s mean think time, WebGL {webgl} in the clients"


async def session(browser, base: str, seconds: float, seed: int, times: list[float], think: float = 0.0) -> dict:
    """One participant: loop through the workshop script until the time is up."""
    from playwright.async_api import TimeoutError as PlaywrightTimeout

    rng = random.Random(seed)
    out = {"failed": False, "error": "", "steps": 0, "skipped": {}, "timeouts": {}, "loops": 0}
    context = await browser.new_context(viewport=VIEWPORT, locale="en-US")
    context.set_default_timeout(ACTION_TIMEOUT)
    page = await context.new_page()
    watch_reruns(page, times)
    deadline = time.monotonic() + seconds
    try:
        await page.goto(f"{base}/?lang=en", timeout=ACTION_TIMEOUT)
        await idle(page)
        while time.monotonic() < deadline:
            for name, page_name, step in STEPS:
                if time.monotonic() >= deadline:
                    break
                try:
                    done = (ROOT / "app_pages" / PAGES[page_name]).exists() and await step(page, base, rng)
                except PlaywrightTimeout:
                    # a click that raced a rerun (the option list redrawn under the pointer) is the
                    # client's miss, not the server's: count it, close what is open and go on. The test
                    # bounds these; a dead or erroring server still fails (no steps, or stException).
                    out["timeouts"][name] = out["timeouts"].get(name, 0) + 1
                    await page.keyboard.press("Escape")
                    continue
                if done:
                    out["steps"] += 1
                else:
                    out["skipped"][name] = out["skipped"].get(name, 0) + 1
                if think:
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            out["loops"] += 1
    except Exception as exc:  # any failure of a session is counted and described, not raised
        out["failed"], out["error"] = True, f"{type(exc).__name__}: {str(exc)[:300]}"
    finally:
        await context.close()
    return out


def worker(base: str, seeds: list[int], ranks: list[int], total: int, seconds: float, queue, clients: Clients) -> None:
    """One Chromium process running its share of the sessions concurrently."""

    async def main() -> None:
        from playwright.async_api import async_playwright

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM,
                                              args=ARGS + ([] if clients.webgl else NO_WEBGL))
            times: list[float] = []
            # a room of people does not press Enter in the same millisecond: session k of n joins at
            # ramp * k / n seconds, counted over all workers
            async def delayed(k: int, seed: int) -> dict:
                await asyncio.sleep(clients.ramp * k / total)
                return await session(browser, base, seconds, seed, times, clients.think)

            results = await asyncio.gather(*(delayed(k, s) for k, s in zip(ranks, seeds, strict=True)))
            await browser.close()
            queue.put({"sessions": results, "times": times})

    asyncio.run(main())


# --------------------------------------------------------------------------- one run, several runs


def one_run(base: str, sessions: int, seconds: float, workers: int, pid: int, log: Path, run_no: int,
            clients: Clients) -> dict:
    """Run ``sessions`` concurrent sessions; returns the figures of this run."""
    log_start = len(timing.read_log(log))
    sampler = Sampler(pid)
    sampler.start()
    queue = mp.get_context("spawn").Queue()
    seeds = [run_no * 1000 + i for i in range(sessions)]
    ranks = list(range(sessions))
    procs = [mp.get_context("spawn").Process(target=worker, args=(base, seeds[w::workers], ranks[w::workers], sessions,
                                                                  seconds, queue, clients))
             for w in range(workers)]
    for proc in procs:
        proc.start()
    parts = [queue.get(timeout=seconds + 900) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    sampler.stop.set()
    sampler.join()
    results = [s for part in parts for s in part["sessions"]]
    times = [t for part in parts for t in part["times"]]
    server = [ms for _t, ms, _label in timing.read_log(log)[log_start:]]
    skipped: dict[str, int] = {}
    timeouts: dict[str, int] = {}
    for r in results:
        for k, v in r["skipped"].items():
            skipped[k] = skipped.get(k, 0) + v
        for k, v in r["timeouts"].items():
            timeouts[k] = timeouts.get(k, 0) + v
    return {
        "sessions": len(results),
        "sessions_failed": sum(r["failed"] for r in results),
        "errors": [r["error"] for r in results if r["failed"]][:5],
        "steps": sum(r["steps"] for r in results),
        "skipped": skipped,
        "timeouts": timeouts,
        "reruns": len(times),
        "rerun_ms_p50": percentile(times, 0.5),
        "rerun_ms_p95": percentile(times, 0.95),
        "server_reruns": len(server),
        "server_rerun_ms_p50": percentile(server, 0.5),
        "server_rerun_ms_p95": percentile(server, 0.95),
        "rss_mb_max": max(sampler.samples or [0.0]),
    }


def run_load(sessions: int, seconds: float, runs: int = 1, workers: int | None = None,
             echo=print, clients: Clients = Clients()) -> list[dict]:
    """Start a server, run the load ``runs`` times against it, print and return the figures."""
    workers = workers or max(1, min(4, -(-sessions // 10)))
    with tempfile.TemporaryDirectory(prefix="achyk-load-") as tmp:
        log = Path(tmp) / "timing.log"
        port = free_port()
        server = start_server(Path(tmp) / "var", port, {timing.ENV: str(log)})
        base = f"http://127.0.0.1:{port}"
        figures = []
        try:
            for run_no in range(1, runs + 1):
                fig = one_run(base, sessions, seconds, workers, server.pid, log, run_no, clients)
                figures.append(fig)
                prefix = "" if run_no == 1 else f"run{run_no}_"
                echo(f"LOAD {prefix}sessions {fig['sessions']}  ({seconds:.0f} s each, {clients.describe()})")
                echo(f"LOAD {prefix}sessions_failed {fig['sessions_failed']}")
                echo(f"LOAD {prefix}rerun_ms_p50 {fig['rerun_ms_p50']:.0f}  (client: BackMsg rerun → script_finished)")
                echo(f"LOAD {prefix}rerun_ms_p95 {fig['rerun_ms_p95']:.0f}  (client, {fig['reruns']} reruns)")
                if fig["server_reruns"]:
                    echo(f"LOAD {prefix}server_rerun_ms_p50 {fig['server_rerun_ms_p50']:.0f}")
                    echo(f"LOAD {prefix}server_rerun_ms_p95 {fig['server_rerun_ms_p95']:.0f}"
                         f"  ({fig['server_reruns']} script runs)")
                else:
                    echo(f"LOAD {prefix}server_rerun_ms n/a (app.py has no atlas.timing hook)")
                echo(f"LOAD {prefix}rss_mb_max {fig['rss_mb_max']:.0f}")
                echo(f"LOAD {prefix}steps {fig['steps']} skipped {json.dumps(fig['skipped'])}"
                     f" timed out {json.dumps(fig['timeouts'])}")
                for err in fig["errors"]:
                    echo(f"LOAD {prefix}error {err}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except Exception:
                server.kill()
    return figures
