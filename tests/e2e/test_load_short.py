"""A short browser smoke load in `make test`: 4 Chromium sessions for 30 s run the workshop script; none may fail.

The server's figures come from the protocol-level load test (`make load`, scripts/load.py; its short
version is tests/e2e/test_load_protocol.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_four_browser_sessions_for_thirty_seconds_none_fails() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing")
    from tests import browserload

    lines: list[str] = []
    [fig] = browserload.run_load(sessions=4, seconds=30, runs=1, workers=2, echo=lines.append)
    print("\n".join(lines))
    assert fig["sessions"] == 4
    assert fig["sessions_failed"] == 0, fig["errors"]
    assert fig["steps"] >= 4  # every session got through at least one step of the script
    # a click that raced a rerun is retried on the next loop; most steps must still go through
    assert sum(fig["timeouts"].values()) <= fig["steps"] // 2, fig["timeouts"]
