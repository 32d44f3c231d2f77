"""The ``Store`` facade: one object, thread-safe, that pages use for all persistence.

SQLite file by default (``var_dir()/achyk.sqlite3``); PostgreSQL when ``ACHYK_DATABASE_URL`` is set (several app
processes behind one database). Pages never write SQL: all they need is a ``Store`` method, which the mixins
in ``reports``, ``reference`` and ``views`` provide.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.engine import Connection, Engine

from atlas.keep import migrations
from atlas.keep.engine import _make_engine, default_sqlite_path, normalise_url
from atlas.keep.reference import ReferenceMixin
from atlas.keep.register import RegisterMixin
from atlas.keep.reports import ReportsMixin
from atlas.keep.schema import URL_ENV
from atlas.keep.views import ViewsMixin


def get_store(url: str | None = None, path: str | Path | None = None) -> Store:
    """The app's store: ``url``, else ``ACHYK_DATABASE_URL``, else the SQLite file (``path`` or default).

    >>> get_store(path="/tmp/achyk-doc.sqlite3").backend
    'sqlite'
    """
    url = url or os.environ.get(URL_ENV, "").strip() or None
    if url is None:
        sqlite_path = Path(path) if path else default_sqlite_path()
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{sqlite_path}"
    return Store(url)


# ---------------------------------------------------------------------------------------------
# The store


@dataclass(eq=False)  # identity equality and hashing: one Store is one shared resource
class Store(ReportsMixin, ReferenceMixin, ViewsMixin, RegisterMixin):
    """All persistence for the app. Create with ``get_store()``; safe to share between threads.

    >>> store = get_store(path="/tmp/achyk-doc.sqlite3"); store.schema_version() == migrations.LATEST
    True
    """

    url: str
    engine: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.url = normalise_url(self.url)
        self.engine = _make_engine(self.url)
        # SQLite allows one writer at a time: queue this process's writers on a lock instead of letting
        # them spin on the file lock; other processes still wait through busy_timeout.
        self._write_lock = threading.Lock() if self.backend == "sqlite" else None
        with self._tx(write=True) as conn:
            migrations.upgrade(conn)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release all connections (tests and scripts; the app keeps its store for the process life)."""
        self.engine.dispose()

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Connection]:
        lock = self._write_lock if write else None
        if lock:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(achyk_write=write)
                with conn.begin():
                    yield conn
        finally:
            if lock:
                lock.release()

    def schema_version(self) -> int:
        """The schema version of the database (``migrations.LATEST`` after start)."""
        with self._tx() as conn:
            return migrations.current_version(conn)
