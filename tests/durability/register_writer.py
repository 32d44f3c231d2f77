"""Durability helper, run as a subprocess: add register entries one by one, print each id once committed.

Usage: python tests/durability/register_writer.py DATABASE_URL COUNT
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from atlas.keep import Store  # noqa: E402
from atlas.ogp.register import Activity, Entry  # noqa: E402


def main(url: str, count: int) -> None:
    """Add ``count`` entries (two activities each), acknowledging each on stdout after its commit."""
    store = Store(url)
    print("ready", flush=True)
    for n in range(count):
        acts = (Activity("water", ("oblast:KG-N",), 2022, None, n), Activity("health", ("KG02205000000",), 2021))
        org_id, _key = store.add_entry(Entry(f"Kill test {n}", "ngo", acts, contact="x"))
        print(org_id, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
