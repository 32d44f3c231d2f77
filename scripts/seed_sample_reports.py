"""Seed illustrative monitoring reports for demos (flagged ``is_sample``; real reports are untouched).

Uses the same store function as the trainer's "load samples" button, on the database the app uses
(``ACHYK_DATABASE_URL``, else the SQLite default under var/). Running it again replaces the samples.

    .venv/bin/python scripts/seed_sample_reports.py [--count 60] [--seed 2018] [--clear]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from atlas.keep import get_store  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    """Load (or with ``--clear`` remove) the sample reports; print what was done; return the count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="how many sample reports (default 60)")
    parser.add_argument("--seed", type=int, default=2018, help="random seed, for the same samples each time")
    parser.add_argument("--clear", action="store_true", help="delete the sample reports instead")
    args = parser.parse_args(argv)
    store = get_store()
    try:
        # A maintainer at the shell stands in for the trainer: the PIN guards the web page, not this script.
        if args.clear:
            count = store.clear_samples(pin_ok=True)
            print(f"Deleted {count} sample reports from {store.backend} database.")
        else:
            count = store.load_samples(pin_ok=True, count=args.count, seed=args.seed)
            print(f"Loaded {count} sample reports (flagged is_sample) into {store.backend} database.")
    finally:
        store.close()
    return count


if __name__ == "__main__":
    main()
