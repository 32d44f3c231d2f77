"""Server-side rerun times for the load test: one line per script run when ``ACHYK_TIMING_LOG`` is set.

Public API:

- ``timed(label) -> context manager``: appends ``<unix time>\\t<milliseconds>\\t<label>`` to the file
  named by ``ACHYK_TIMING_LOG`` when the block ends (also when it ends by Streamlit's rerun or stop
  exceptions); does nothing when the variable is unset.
- ``read_log(path) -> list[tuple[float, float, str]]``: the lines back as (time, ms, label).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ENV = "ACHYK_TIMING_LOG"


@contextmanager
def timed(label: str = "") -> Iterator[None]:
    """Time the block and append one line to the timing log (if one is configured).

    >>> with timed("overview"):
    ...     pass
    """
    path = os.environ.get(ENV)
    if not path:
        yield
        return
    start = time.perf_counter()
    try:
        yield
    finally:
        ms = (time.perf_counter() - start) * 1000
        clean = str(label).replace("\t", " ").replace("\n", " ")[:80]
        # one short write in append mode: lines from concurrent sessions do not interleave
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{time.time():.3f}\t{ms:.2f}\t{clean}\n")


def read_log(path: str | Path) -> list[tuple[float, float, str]]:
    """The timing log as (unix time, milliseconds, label); a missing file or a torn line is skipped.

    >>> read_log("/nonexistent/timing.log")
    []
    """
    out = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    for line in lines:
        parts = line.split("\t")
        try:
            out.append((float(parts[0]), float(parts[1]), parts[2] if len(parts) > 2 else ""))
        except (ValueError, IndexError):
            continue
    return out
