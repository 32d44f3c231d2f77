"""Acknowledged reports survive a killed writer and a database restart; concurrent writers lose nothing.

Runs on SQLite and on the test PostgreSQL server (the ``store_url`` fixture is parametrised).
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa

from atlas.keep import Store
from atlas.ogp.reports import Report

WRITER = Path(__file__).with_name("writer.py")
ROOT = Path(__file__).resolve().parents[2]
WRITERS = 40


def report(n: int) -> Report:
    return Report("KG0002", ("KG-C",), "completed", f"concurrent {n}", date(2020, 2, 2), "Concurrency NGO")


def stored_ids(url: str) -> set[int]:
    store = Store(url)
    try:
        return {r.id for r in store.list_reports(include_samples=True, include_hidden=True)}
    finally:
        store.close()


def integrity_ok(url: str) -> bool:
    if not url.startswith("sqlite"):
        return True  # PostgreSQL has no integrity_check pragma; its WAL recovery is checked by reading back
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    finally:
        engine.dispose()


def test_acked_reports_survive_kill_9_and_restart(store_url: str, request: pytest.FixtureRequest):
    Store(store_url).close()  # schema first, so the writer starts writing at once
    writer = subprocess.Popen(
        [sys.executable, str(WRITER), store_url, "100000"], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert writer.stdout.readline().strip() == "ready"
    acked = [int(writer.stdout.readline()) for _ in range(60)]
    os.kill(writer.pid, signal.SIGKILL)  # mid-burst: it is writing the next reports right now
    acked += [int(line) for line in writer.stdout.read().split()]  # acks printed before it died
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    if not store_url.startswith("sqlite"):
        request.getfixturevalue("pg_server").restart("immediate")  # a crash of the server, then recovery
    survivors = stored_ids(store_url)
    assert len(acked) >= 60
    assert set(acked) <= survivors
    assert integrity_ok(store_url)


def test_forty_writer_threads_lose_nothing(store_url: str):
    store = Store(store_url)
    per_writer, ids, errors = 5, [], []
    lock = threading.Lock()

    def write(w: int) -> None:
        try:
            for n in range(per_writer):
                new = store.add_report(report(w * 100 + n), f"key-{w}")
                with lock:
                    ids.append(new)
        except Exception as exc:  # collected: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(w,)) for w in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    store.close()
    assert errors == []
    assert len(ids) == len(set(ids)) == WRITERS * per_writer
    assert stored_ids(store_url) == set(ids)
    assert integrity_ok(store_url)


def _process_writer(url: str, w: int, per_writer: int, queue: multiprocessing.Queue) -> None:
    store = Store(url)
    queue.put([store.add_report(report(w * 100 + n), f"key-{w}") for n in range(per_writer)])
    store.close()


def test_forty_writer_processes_lose_nothing_on_sqlite(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'procs.sqlite3'}"  # new file: the 40 processes also race to migrate it
    per_writer = 3
    ctx = multiprocessing.get_context("fork")  # fast start; each child opens its own engine
    queue = ctx.Queue()
    procs = [ctx.Process(target=_process_writer, args=(url, w, per_writer, queue)) for w in range(WRITERS)]
    for p in procs:
        p.start()
    ids = [i for _ in procs for i in queue.get(timeout=60)]
    for p in procs:
        p.join(timeout=60)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    assert len(ids) == len(set(ids)) == WRITERS * per_writer
    assert stored_ids(url) == set(ids)
    assert integrity_ok(url)
