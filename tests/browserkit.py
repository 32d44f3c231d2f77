"""Helpers and fixtures for the browser tests (registered in tests/conftest.py): a real app server
on a free port and Debian's Chromium.

Every page a test opens records the requests the browser makes; a test fails if any of them
goes to a host other than this machine (the app must work with the network cut).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
SHOTS = ROOT / "artifacts" / "screens"
TRAINER_PIN = "2468"
LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(var_dir: Path, port: int, extra_env: dict | None = None) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("ACHYK_DATABASE_URL", None)  # the browser tests use their own SQLite file
    env.update({"ACHYK_VAR_DIR": str(var_dir), "ACHYK_TRAINER_PIN": TRAINER_PIN, **(extra_env or {})})
    var_dir.mkdir(parents=True, exist_ok=True)
    # The server's output goes to a file: a pipe nobody reads fills up and then blocks the server.
    log = open(var_dir / f"server-{port}.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    proc.wait(timeout=20)
    raise RuntimeError("the app server did not start:\n" + (var_dir / f"server-{port}.log").read_text(errors="replace"))


@pytest.fixture(scope="session")
def app_url(tmp_path_factory):
    port = free_port()
    proc = start_server(tmp_path_factory.mktemp("var"), port)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="module")
def demo_story_server(tmp_path_factory):
    """Our own server whose store already holds the workshop's demo story (the shared server's store is not
    reachable from a test): yields (url, story id)."""
    from atlas.keep import Store
    from atlas.share import workshop

    var = tmp_path_factory.mktemp("demo_var")
    store = Store(f"sqlite:///{var / 'achyk.sqlite3'}")
    try:
        story_id = workshop.load_demo(store, True, str, "e2e-editor-key-0123456789abcdef").story_id
    finally:
        store.close()
    port = free_port()
    proc = start_server(var, port)
    yield f"http://127.0.0.1:{port}", story_id
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US")
    pg = context.new_page()
    outside: list[str] = []

    def check(request):
        url = urlparse(request.url)
        if url.scheme in ("data", "blob", "about"):
            return
        if url.hostname not in LOCAL_HOSTS and url.scheme != "file":
            outside.append(request.url)

    pg.on("request", check)
    yield pg
    context.close()
    assert outside == [], f"the browser asked hosts other than this machine: {outside}"


def screenshot(pg, name: str, **kwargs) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    pg.screenshot(path=str(path), **kwargs)
    return path


def wait_for_app(pg, timeout: float = 30_000) -> None:
    """Wait until the script has finished running (Streamlit's status widget is gone)."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    # Twice, a moment apart: a page with a map asks for one more run once the browser has measured it.
    for _ in range(2):
        pg.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout
        )
        pg.wait_for_timeout(400)
