"""Durability helper, run as a subprocess: save reports one by one, print each id once its commit returned.

Usage: python tests/durability/writer.py DATABASE_URL COUNT
The parent kills this process with SIGKILL mid-burst; every id printed must be in the database.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from atlas.keep import Store  # noqa: E402
from atlas.ogp.reports import Report  # noqa: E402


def main(url: str, count: int) -> None:
    """Write ``count`` reports, acknowledging each on stdout (flushed) after its commit."""
    store = Store(url)
    print("ready", flush=True)
    for n in range(count):
        report = Report(
            "KG0001", ("KG-B",), "in_progress", f"ack test {n}", date(2020, 1, 1), "Durability NGO"
        )
        print(store.add_report(report, "writer-key"), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
