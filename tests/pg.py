"""A throw-away PostgreSQL server for the test run: initdb in a temp dir, start, stop, restart.

PostgreSQL refuses to run as root, so as root the server runs as the ``postgres`` system user (via
``runuser``) in a temp dir that user owns. It listens on a free port on 127.0.0.1 and on a unix socket in
its own dir, so it never meets a cluster Debian may have auto-started on 5432.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def find_bindir() -> Path | None:
    """The newest PostgreSQL bin dir with initdb, pg_ctl and postgres, or ``None``.

    >>> find_bindir() is None or (find_bindir() / "initdb").exists()
    True
    """
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
    )
    which = shutil.which("pg_ctl")
    if which:
        candidates.append(str(Path(which).parent))
    for path in reversed(candidates):
        if all((Path(path) / tool).exists() for tool in ("initdb", "pg_ctl", "postgres")):
            return Path(path)
    return None


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PgServer:
    """One temporary cluster. ``start()`` / ``stop()`` / ``restart(mode)``; ``url(db)`` for SQLAlchemy."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.as_root = os.geteuid() == 0
        self.root = Path(tempfile.mkdtemp(prefix="achyk-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self.user = "postgres" if self.as_root else pwd.getpwuid(os.geteuid()).pw_name
        if self.as_root:
            entry = pwd.getpwnam("postgres")  # KeyError when the Debian package did not create the user
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        os.chmod(self.root, 0o700)

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, cwd=self.root, check=False
        )

    def _check(self, result: subprocess.CompletedProcess, what: str) -> None:
        if result.returncode != 0:
            raise RuntimeError(
                f"PostgreSQL {what} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}"
            )

    def init(self) -> None:
        """Create the cluster (trust auth: it listens only on loopback and its own socket)."""
        self._check(
            self._run(
                "initdb",
                "-D",
                str(self.data),
                "-U",
                self.user,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C",
                "--no-instructions",
                "--no-sync",
            ),
            "initdb",
        )  # no-sync: a throw-away cluster need not fsync its skeleton

    def start(self) -> None:
        """Start the server and wait until it accepts connections."""
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root} "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        self._check(
            self._run(
                "pg_ctl",
                "-D",
                str(self.data),
                "-l",
                str(self.root / "log"),
                "-w",
                "-t",
                "60",
                "-o",
                options,
                "start",
            ),
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server; ``mode="immediate"`` is a crash (no shutdown checkpoint, recovery on start)."""
        self._check(self._run("pg_ctl", "-D", str(self.data), "-w", "-m", mode, "stop"), "stop")

    def restart(self, mode: str = "immediate") -> None:
        """Stop (by default like a crash) and start again."""
        self.stop(mode)
        self.start()

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL for ``database`` over TCP on the loopback port."""
        return f"postgresql+psycopg://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str) -> str:
        """Create an empty database and return its URL."""
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            engine.dispose()
        return self.url(name)

    def create_schema(self, name: str, database: str = "postgres") -> str:
        """Create an empty schema and return a URL whose connections use it (much faster than a database).

        >>> server.create_schema("t1")  # doctest: +SKIP
        'postgresql+psycopg://postgres@127.0.0.1:5433/postgres?options=-csearch_path%3Dt1'
        """
        import sqlalchemy as sa

        engine = sa.create_engine(self.url(database), isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
        finally:
            engine.dispose()
        return f"{self.url(database)}?options=-csearch_path%3D{name}"

    def cleanup(self) -> None:
        """Stop if running and delete the temp dir."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "-D", str(self.data), "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
