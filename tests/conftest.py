"""Shared fixtures. Store fixtures: one test suite, run against SQLite and a real PostgreSQL server.

The PostgreSQL server is started once per test run (session fixture) by tests/pg.py and stopped at the
end. Without PostgreSQL binaries its tests fail when ``CI`` is set and are skipped (with the reason shown
by ``-ra``) otherwise.
"""

from __future__ import annotations

import itertools
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# The repo root (for ``import atlas``) and tests/ (for the ``pg`` helper) on the import path.
sys.path[:0] = [str(Path(__file__).parents[1]), str(Path(__file__).parent)]

from pg import PgServer, find_bindir  # noqa: E402

# One live app server and one Chromium for every browser test (tests/e2e, tests/adversarial):
# two Playwright instances in one thread cannot coexist.
from tests.browserkit import app_url, browser, demo_story_server, page  # noqa: E402, F401 (fixtures)

_db_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL server of our own for this test run."""
    bindir = find_bindir()
    if bindir is None:
        reason = (
            "PostgreSQL binaries not found (initdb/pg_ctl/postgres under /usr/lib/postgresql/*/bin): "
            "install them with `sudo apt-get install postgresql` or run scripts/system_deps.sh"
        )
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip("SKIPPING POSTGRESQL TESTS: " + reason)
    try:
        server = PgServer(bindir)
    except KeyError:  # running as root, but there is no "postgres" system user to run the server as
        reason = "running as root and no 'postgres' system user exists to run the PostgreSQL server"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip("SKIPPING POSTGRESQL TESTS: " + reason)
    try:
        server.init()
        server.start()
    except Exception:
        server.cleanup()
        raise
    yield server
    server.cleanup()


BACKENDS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="pg", marks=pytest.mark.postgres),
]


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A URL to a fresh, empty database on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'achyk.sqlite3'}"
    server: PgServer = request.getfixturevalue("pg_server")
    # A schema per test isolates tests like a database would, in a fraction of the time.
    return server.create_schema(f"achyk_test_{next(_db_numbers)}")


@pytest.fixture
def store(store_url: str):
    """A Store on a fresh database (SQLite file or PostgreSQL database), closed afterwards."""
    from atlas.keep import Store

    opened = Store(store_url)
    yield opened
    opened.close()


@pytest.fixture
def editor_key() -> str:
    """A fresh editor key, as one browser session would get."""
    from atlas.security import new_editor_key

    return new_editor_key()


@pytest.fixture
def own_store(tmp_path, monkeypatch):
    """A fresh var dir (and so a fresh SQLite file) for one test; the app's cached store is dropped."""
    import ui.state

    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("ACHYK_DATABASE_URL", raising=False)
    ui.state.store.clear()
    yield
    ui.state.store.clear()
