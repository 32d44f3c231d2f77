"""Accessibility: axe-core (the standard engine, from npm, pinned in tests/a11y/) on every page in every
language finds no critical and no serious violation (issue 16, part 3).

Excluded, and why (Streamlit's own markup, which no app code can change):
- ``list`` and ``listitem`` inside the sidebar navigation (``[data-testid='stSidebarNav']``): Streamlit's
  page menu puts its section headers between ``<li>`` elements of one ``<ul>``; a bare Streamlit app
  shows the same.
Nothing else is excluded: the map, our legend, captions and every widget are checked.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from atlas.i18n import LANGS
from tests.browserkit import ROOT, wait_for_app

pytestmark = pytest.mark.e2e
AXE = ROOT / "tests" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
# Every page the router registers (the default page has no url_path), so a new page is checked too.
PAGES = ["", *re.findall(r'url_path="([^"]+)"', (ROOT / "app.py").read_text(encoding="utf-8"))]
# (rule id, CSS selector of Streamlit's own element it may fire on)
EXCLUDED = {("list", "[data-testid='stSidebarNav']"), ("listitem", "[data-testid='stSidebarNav']")}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not Path(AXE).exists():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests/a11y` (make test does)")
    return AXE.read_text(encoding="utf-8")


def settle(page, timeout: float = 60_000) -> None:
    """Wait until the script has run and no element is faded as stale (a rerun fades the page, which
    axe would measure as low contrast), twice with a pause: the map's probe asks for one rerun."""
    for _ in range(2):
        wait_for_app(page, timeout)
        page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", timeout=timeout)
        page.wait_for_timeout(1000)
    # The house CSS (readable captions) is in place, not mid-way through a rerun.
    page.wait_for_function("() => [...document.querySelectorAll('style')].some(s => s.textContent.includes('#4a565d'))",
                           timeout=timeout)


def _violations(page, axe_source: str) -> list[dict]:
    page.add_script_tag(content=axe_source)
    result = page.evaluate("""async (excluded) => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['critical', 'serious'].includes(v.impact)).map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.filter(n => !excluded.some(([rule, sel]) => rule === v.id &&
                       document.querySelector(sel)?.contains(document.querySelector(n.target[0]))))
                   .map(n => n.target.join(' ') + ' :: ' + n.failureSummary.slice(0, 160))
        })).filter(v => v.nodes.length);
    }""", [list(e) for e in EXCLUDED])
    return result


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_no_critical_or_serious_axe_violation(page, app_url, axe_source, path, lang):
    page.goto(f"{app_url}/{path}?lang={lang}")
    settle(page)
    found = _violations(page, axe_source)
    assert found == [], "\n".join(f"{v['impact']} {v['id']}: {n}" for v in found for n in v["nodes"][:6])
