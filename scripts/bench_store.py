"""Measure the store: median time of one report save, and writes/s with 40 concurrent writer threads.

Prints ``BENCH store_save_ms <x> ms`` and ``BENCH store_writes_per_s <x> writes/s`` for the SQLite default
(a fresh file in a temp dir), and the same with a ``_pg`` suffix when ``ACHYK_DATABASE_URL`` points to a
reachable PostgreSQL server (the benchmark writes into a fresh schema there and drops it afterwards).

    .venv/bin/python scripts/bench_store.py [--saves 200] [--per-writer 25]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa  # noqa: E402

from atlas.keep import Store, normalise_url  # noqa: E402
from atlas.ogp.reports import Report  # noqa: E402

WRITERS = 40


def sample(n: int) -> Report:
    """One realistic report."""
    return Report(
        "KG0001",
        ("KG-B", "KG-GO"),
        "in_progress",
        f"https://example.kg/evidence/{n}",
        date(2020, 5, 1),
        "Bench NGO",
        activity="Portal launched",
        contact="+996 555 000 000",
    )


def save_ms(store: Store, saves: int) -> float:
    """Median milliseconds of one ``add_report`` (validation + commit), one writer."""
    times = []
    for n in range(saves):
        start = time.perf_counter()
        store.add_report(sample(n), "bench-key")
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def writes_per_s(store: Store, per_writer: int) -> float:
    """Committed reports per second with ``WRITERS`` threads saving at once through one Store."""
    barrier = threading.Barrier(WRITERS + 1)
    errors: list[Exception] = []

    def work(w: int) -> None:
        barrier.wait()
        try:
            for n in range(per_writer):
                store.add_report(sample(w * per_writer + n), f"bench-{w}")
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    barrier.wait()
    start = time.perf_counter()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    if errors:
        raise errors[0]
    return WRITERS * per_writer / elapsed


def report(store: Store, suffix: str, saves: int, per_writer: int) -> None:
    """Run both measures on ``store`` and print the BENCH lines."""
    print(f"BENCH store_save_ms{suffix} {save_ms(store, saves):.2f} ms", flush=True)
    print(f"BENCH store_writes_per_s{suffix} {writes_per_s(store, per_writer):.0f} writes/s", flush=True)


def bench_postgres(url: str, saves: int, per_writer: int) -> None:
    """The same measures in a throw-away schema of the server at ``url``."""
    url = normalise_url(url)
    schema = f"achyk_bench_{os.getpid()}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    except sa.exc.OperationalError as exc:
        print(
            f"PostgreSQL not reachable at ACHYK_DATABASE_URL ({exc.__class__.__name__}); skipped", flush=True
        )
        return
    separator = "&" if "?" in url else "?"
    store = Store(f"{url}{separator}options=-csearch_path%3D{schema}")
    try:
        report(store, "_pg", saves, per_writer)
    finally:
        store.close()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def main() -> None:
    """Parse arguments, bench SQLite, then PostgreSQL if configured."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--per-writer", type=int, default=25)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}")
        try:
            report(store, "", args.saves, args.per_writer)
        finally:
            store.close()
    url = os.environ.get("ACHYK_DATABASE_URL", "").strip()
    if url:
        bench_postgres(url, args.saves, args.per_writer)


if __name__ == "__main__":
    main()
