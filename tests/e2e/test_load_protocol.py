"""A short protocol-level load test in `make test`: 4 websocket clients run the workshop script for 30 s.

scripts/load.py speaks Streamlit's protocol (no browsers); `make load` runs the full one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def test_four_protocol_sessions_for_thirty_seconds_none_fails() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import load

    lines: list[str] = []
    [fig] = load.run_load(sessions=4, seconds=30, runs=1, think=1.0, ramp=2.0, seed=7, echo=lines.append)
    print("\n".join(lines))
    assert fig["sessions"] == 4
    assert fig["sessions_failed"] == 0, fig["failures"]
    # every client had its reruns timed, on its side and in the server's timing log
    assert fig["reruns"] >= 4 * len(load.STEPS)
    assert fig["server_reruns"] >= fig["reruns"] * 0.9
    assert 0 < fig["rerun_ms_p50"] <= fig["rerun_ms_p95"]
    # the whole script ran: uploads were read, views and reports saved (a missing step is skipped, not hidden)
    assert fig["skipped"] == {}, fig["skipped"]
    assert fig["errors"].get("exception_shown", 0) == 0
    # the clients echoed their cached hashes: the server sent references, and none was missing
    assert fig["cached_refs"] > 0
    assert fig["errors"].get("cache_miss", 0) == 0
    assert fig["rss_mb_max"] > 0


def test_only_loopback_targets() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import load

    assert load.check_loopback("localhost") == "localhost"
    with pytest.raises(SystemExit, match="only loopback"):
        load.check_loopback("192.0.2.10")
