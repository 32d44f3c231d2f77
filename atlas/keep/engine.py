"""Database engines: a SQLite file (WAL, full sync, busy timeout) by default, PostgreSQL by URL."""

from __future__ import annotations

import os
import random
import sqlite3
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from atlas.keep.schema import DB_FILE, PATH_ENV
from atlas.paths import var_dir

# ---------------------------------------------------------------------------------------------
# Engine set-up


def default_sqlite_path() -> Path:
    """The SQLite file used when no URL is given: ``ACHYK_SQLITE_PATH`` or ``var_dir()/achyk.sqlite3``.

    >>> default_sqlite_path().name
    'achyk.sqlite3'
    """
    configured = os.environ.get(PATH_ENV, "").strip()
    return Path(configured) if configured else var_dir() / DB_FILE


def normalise_url(url: str) -> str:
    """Make a PostgreSQL URL use psycopg 3 (``postgres://`` and ``postgresql://`` are common spellings).

    >>> normalise_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _enter_wal(cursor: Any, patience_s: float = 30.0) -> None:
    # WAL is stored in the file, so this is a read once the database has it. Switching a new file needs an
    # exclusive lock and SQLite does not wait through busy_timeout for it: connections opened together on
    # a fresh file (several app processes, or threads) retry here instead of failing with "locked".
    deadline = time.monotonic() + patience_s
    delay = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(delay + random.random() * delay)
        delay = min(delay * 2, 0.2)


def _sqlite_engine(url: str) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": 30}, pool_size=5, max_overflow=20, pool_timeout=60)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN itself (pysqlite's own handling skips DDL).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        _enter_wal(cursor)
        # FULL: an acknowledged commit survives a power cut too, not only a killed process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front, so they queue on busy_timeout instead of failing with
        # SQLITE_BUSY when a read transaction tries to upgrade itself.
        write = conn.get_execution_options().get("achyk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # pre_ping: after a database restart the pool would otherwise hand out dead connections.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=40, pool_timeout=60)
