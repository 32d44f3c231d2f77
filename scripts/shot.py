"""Take a screenshot of a running app page in Debian's Chromium: python scripts/shot.py URL OUT.png [WxH]."""

from __future__ import annotations

import sys

from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def main(url: str, out: str, size: str = "1400x1000") -> None:
    width, height = (int(x) for x in size.split("x"))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": width, "height": height})
        outside = []
        page.on("request", lambda r: None if "localhost" in r.url or "127.0.0.1" in r.url
                or r.url.startswith(("data:", "blob:")) else outside.append(r.url))
        page.goto(url)
        page.wait_for_selector("canvas", timeout=30000)
        page.wait_for_timeout(2500)
        page.screenshot(path=out, full_page=True)
        print("outside requests:", outside)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
