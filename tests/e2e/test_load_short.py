"""A short load test in `make test`: 8 browser sessions for 30 s run the workshop script; none may fail.

The full one (40 sessions, 300 s, 3 runs, with the figures) is `make load` (scripts/load.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_eight_sessions_for_thirty_seconds_none_fails() -> None:
    if not Path("/usr/bin/chromium").exists():
        pytest.skip("/usr/bin/chromium is missing")
    sys.path.insert(0, str(ROOT / "scripts"))
    import load

    lines: list[str] = []
    [fig] = load.run_load(sessions=8, seconds=30, runs=1, workers=2, echo=lines.append)
    print("\n".join(lines))
    assert fig["sessions"] == 8
    assert fig["sessions_failed"] == 0, fig["errors"]
    assert fig["steps"] >= 8  # every session got through at least one step of the script
