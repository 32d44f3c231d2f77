"""Acknowledged register entries survive a killed writer (and a PostgreSQL crash), whole: an entry is
never found without its activities. Runs on SQLite and on the test PostgreSQL server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.keep import Store
from tests.durability.test_durability import integrity_ok

WRITER = Path(__file__).with_name("register_writer.py")
ROOT = Path(__file__).resolve().parents[2]


def test_acked_entries_survive_kill_9_whole(store_url: str, request: pytest.FixtureRequest):
    Store(store_url).close()
    writer = subprocess.Popen([sys.executable, str(WRITER), store_url, "100000"], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)
    assert writer.stdout.readline().strip() == "ready"
    acked = [int(writer.stdout.readline()) for _ in range(40)]
    os.kill(writer.pid, signal.SIGKILL)  # mid-burst
    acked += [int(line) for line in writer.stdout.read().split()]
    writer.wait(timeout=10)
    assert writer.returncode == -signal.SIGKILL
    if not store_url.startswith("sqlite"):
        request.getfixturevalue("pg_server").restart("immediate")
    store = Store(store_url)
    try:
        saved = {e.id: e for e in store.list_entries(include_hidden=True)}
    finally:
        store.close()
    assert len(acked) >= 40 and set(acked) <= set(saved)
    assert all(len(e.activities) == 2 for e in saved.values())  # one transaction: whole or absent
    assert integrity_ok(store_url)
