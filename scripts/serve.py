"""`make serve REPLICAS=N`: N Streamlit processes, one shared PostgreSQL, Debian's nginx in front.

    .venv/bin/python scripts/serve.py [--replicas 2] [--port 8501] [--pg-dir var/pg]

- PostgreSQL: started the way the tests start theirs (tests/pg.py), with its data in ``--pg-dir``
  (default ``var/pg``, kept between runs); or none when ``ACHYK_DATABASE_URL`` is already set.
- Replicas on consecutive ports after the proxy's (8502, 8503, …), all with the same
  ``server.cookieSecret`` (``ACHYK_COOKIE_SECRET`` or one drawn and kept in ``var/cookie_secret``),
  the same ``ACHYK_DATABASE_URL`` and the same trainer PIN (``var/demo_pin``).
- nginx: a config written into the run dir (no system-wide change), run as a child in the
  foreground. Session affinity by a cookie nginx sets itself (``achyk_replica``, a random id hashed
  onto the replicas), not by address: participants behind one NAT still spread. Websocket upgrade,
  uploads up to the app's limit, ``X-Achyk-Replica`` response header naming the replica that answered.
  When a replica dies, nginx sends its sessions to a live one (the browser reconnects by itself).

Ctrl-C (or SIGTERM) stops nginx, the replicas and PostgreSQL. Listens on 127.0.0.1 only unless
``--host`` says otherwise.
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atlas import timing  # noqa: E402
from atlas.paths import var_dir  # noqa: E402
from tests.pg import PgServer, find_bindir, free_port  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
AFFINITY_COOKIE = "achyk_replica"
UPLOAD_MB = 60  # the app takes 50 MB per file (.streamlit/config.toml); room for the multipart framing

NGINX_CONF = """\
worker_processes 1;
{user}pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {run}/client_body;
  proxy_temp_path {run}/proxy;
  fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi;
  scgi_temp_path {run}/scgi;
  client_max_body_size {upload_mb}m;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  # affinity: the cookie nginx set on the first answer, else this request's id (which that answer sets)
  map $cookie_{cookie} $achyk_route {{ '' $request_id; default $cookie_{cookie}; }}
  map $cookie_{cookie} $achyk_set_cookie {{ '' '{cookie}=$request_id; Path=/; HttpOnly; SameSite=Lax'; default ''; }}
  upstream achyk {{
    hash $achyk_route consistent;
{servers}
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://achyk;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 1d;
      proxy_send_timeout 1d;
      proxy_buffering off;
      proxy_connect_timeout 5s;
      proxy_next_upstream error timeout http_502 http_503;
      add_header Set-Cookie $achyk_set_cookie always;
      add_header X-Achyk-Replica $upstream_addr always;
    }}
  }}
}}
"""


def shared_secret(folder: Path) -> str:
    """The cookie secret every replica must share: ACHYK_COOKIE_SECRET, else one kept in ``folder``."""
    if os.environ.get("ACHYK_COOKIE_SECRET"):
        return os.environ["ACHYK_COOKIE_SECRET"]
    path = folder / "cookie_secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def wait_healthy(port: int, proc: subprocess.Popen | None = None, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the process for port {port} exited with {proc.returncode}")
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2).read() == b"ok":
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing healthy on port {port} after {seconds:g} s")


class Stack:
    """PostgreSQL + N replicas + nginx; ``start()``, ``stop()``, ``kill_replica(i)``."""

    def __init__(self, replicas: int = 2, run_dir: Path | None = None, port: int | None = None,
                 host: str = "127.0.0.1", pg_dir: Path | None = None, state_dir: Path | None = None,
                 timing: bool = False, quiet: bool = True):
        if not 1 <= replicas <= 32:
            raise ValueError("1 to 32 replicas")
        self.replicas, self.host, self.timing, self.quiet = replicas, host, timing, quiet
        self.run = Path(run_dir or tempfile.mkdtemp(prefix="achyk-serve-"))
        self.state = Path(state_dir or self.run / "var")  # shared var dir: trainer PIN, cookie secret
        self.proxy_port = port or free_port()
        self.replica_ports = [self.proxy_port + 1 + i for i in range(replicas)] if port else \
            [free_port() for _ in range(replicas)]
        self.pg_dir = pg_dir
        self.pg: PgServer | None = None
        self.procs: list[subprocess.Popen | None] = []
        self.nginx: subprocess.Popen | None = None
        self.database_url = os.environ.get("ACHYK_DATABASE_URL", "")

    # ---- parts
    def _start_pg(self) -> None:
        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL is missing: run scripts/system_deps.sh (apt-get install postgresql)")
        self.pg = PgServer(bindir)
        if self.pg_dir is not None:  # a lasting cluster instead of the temp one
            shutil.rmtree(self.pg.root, ignore_errors=True)
            self.pg.root = self.pg_dir.resolve()
            self.pg.data = self.pg.root / "data"
            self.pg.root.mkdir(parents=True, exist_ok=True)
            if self.pg.as_root:
                entry = pwd.getpwnam("postgres")
                os.chown(self.pg.root, entry.pw_uid, entry.pw_gid)
            os.chmod(self.pg.root, 0o700)
        if not (self.pg.data / "PG_VERSION").exists():
            self.pg.init()
        if (self.pg.data / "postmaster.pid").exists():  # left by a crash: pg_ctl start copes
            pass
        self.pg.start()
        self.database_url = self.pg.url("postgres")

    def _env(self, index: int) -> dict:
        env = dict(os.environ)
        env.update({"ACHYK_DATABASE_URL": self.database_url, "ACHYK_VAR_DIR": str(self.state),
                    "ACHYK_REPLICA": str(index),
                    # Streamlit takes the secret from its config or environment only, never the command line
                    "STREAMLIT_SERVER_COOKIE_SECRET": shared_secret(self.state)})
        if self.timing:
            env[timing.ENV] = str(self.timing_logs()[index])
        return env

    def start_replica(self, index: int) -> subprocess.Popen:
        port = self.replica_ports[index]
        out = open(self.run / f"replica{index}.log", "ab")  # noqa: SIM115 (the child keeps it)
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true"],
            cwd=ROOT, env=self._env(index), stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        out.close()
        while len(self.procs) <= index:
            self.procs.append(None)
        self.procs[index] = proc
        return proc

    def _start_nginx(self) -> None:
        if not Path(NGINX).exists():
            raise RuntimeError("nginx is missing: run scripts/system_deps.sh (apt-get install nginx)")
        user = ""
        if os.geteuid() == 0:  # workers would run as 'nobody'; give them a user that owns the temp dirs
            name = "www-data" if _has_user("www-data") else "nobody"
            user = f"user {name};\n"
        for sub in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run / sub).mkdir(exist_ok=True)
            if os.geteuid() == 0:
                entry = pwd.getpwnam(user.split()[1].rstrip(";"))
                os.chown(self.run / sub, entry.pw_uid, entry.pw_gid)
        servers = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in self.replica_ports)
        conf = self.run / "nginx.conf"
        conf.write_text(NGINX_CONF.format(user=user, run=self.run, upload_mb=UPLOAD_MB, cookie=AFFINITY_COOKIE,
                                          servers=servers, host=self.host, port=self.proxy_port))
        check = subprocess.run([NGINX, "-t", "-q", "-p", str(self.run), "-e", str(self.run / "nginx-error.log"),
                                "-c", str(conf)], capture_output=True, text=True, check=False)
        if check.returncode != 0:
            raise RuntimeError("nginx refused the config:\n" + check.stderr)
        self.nginx = subprocess.Popen([NGINX, "-p", str(self.run), "-e", str(self.run / "nginx-error.log"),
                                       "-c", str(conf)], start_new_session=True)

    # ---- whole stack
    def start(self) -> None:
        self.state.mkdir(parents=True, exist_ok=True)
        self.run.mkdir(parents=True, exist_ok=True)
        try:
            if not self.database_url:
                self._start_pg()
            from atlas.keep import Store

            Store(self.database_url).close()  # migrate once, before N processes race to do it
            if not os.environ.get("ACHYK_TRAINER_PIN"):
                subprocess.run([sys.executable, "-m", "atlas.demo_pin"], cwd=ROOT, check=False,
                               env={**os.environ, "ACHYK_VAR_DIR": str(self.state)},
                               stdout=subprocess.DEVNULL if self.quiet else None)
            for i in range(self.replicas):
                self.start_replica(i)
            for i, port in enumerate(self.replica_ports):
                wait_healthy(port, self.procs[i])
            self._start_nginx()
            wait_healthy(self.proxy_port, self.nginx, 30)
        except BaseException:
            self.stop()
            raise

    def pids(self) -> list[int]:
        return [p.pid for p in self.procs if p is not None]

    def timing_logs(self) -> list[Path]:
        return [self.run / f"timing{i}.log" for i in range(self.replicas)]

    def kill_replica(self, index: int) -> None:
        """Kill one replica hard (SIGKILL), as a crash would."""
        proc = self.procs[index]
        if proc is not None:
            proc.kill()
            proc.wait(timeout=20)

    def stop(self) -> None:
        if self.nginx is not None and self.nginx.poll() is None:
            self.nginx.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            _wait_or_kill(self.nginx)
        for proc in self.procs:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            if proc is not None:
                _wait_or_kill(proc)
        if self.pg is not None:
            if self.pg_dir is None:
                self.pg.cleanup()
            elif (self.pg.data / "postmaster.pid").exists():
                self.pg.stop()
            self.pg = None

    def describe(self) -> str:
        lines = [f"Achyk Atlas on http://{self.host}:{self.proxy_port} (nginx, affinity cookie {AFFINITY_COOKIE})"]
        lines += [f"  replica {i}: 127.0.0.1:{p} (pid {pid})"
                  for i, (p, pid) in enumerate(zip(self.replica_ports, self.pids(), strict=True))]
        lines.append(f"  database: {self.database_url}")
        lines.append(f"  run dir (nginx config, logs): {self.run}")
        return "\n".join(lines)


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _wait_or_kill(proc: subprocess.Popen, seconds: float = 20) -> None:
    try:
        proc.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8501, help="nginx's port; replicas take the next ones")
    parser.add_argument("--host", default="127.0.0.1", help="address nginx listens on (0.0.0.0 for a room)")
    parser.add_argument("--pg-dir", type=Path, default=var_dir() / "pg", help="PostgreSQL data, kept between runs")
    args = parser.parse_args()
    stack = Stack(args.replicas, port=args.port, host=args.host, pg_dir=args.pg_dir, state_dir=var_dir(),
                  run_dir=Path(tempfile.mkdtemp(prefix="achyk-serve-")), quiet=False)
    def interrupt(*_args) -> None:
        raise KeyboardInterrupt

    # Ctrl-C and SIGTERM both stop everything, also when a shell started us in the background with
    # SIGINT ignored; the children run in sessions of their own, so only this process gets the signal.
    signal.signal(signal.SIGINT, interrupt)
    signal.signal(signal.SIGTERM, interrupt)
    try:
        stack.start()
        print(stack.describe(), flush=True)
        print("Ctrl-C stops everything.", flush=True)
        reported: set[int] = set()
        while True:
            time.sleep(1)
            for i, proc in enumerate(stack.procs):
                if proc is not None and proc.poll() is not None and i not in reported:
                    reported.add(i)
                    print(f"replica {i} exited ({proc.returncode}); nginx sends its sessions to the others; "
                          f"log: {stack.run / f'replica{i}.log'}", flush=True)
            if stack.nginx is not None and stack.nginx.poll() is not None:
                print("nginx exited; stopping", flush=True)
                return 1
    except KeyboardInterrupt:
        print("stopping…", flush=True)
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
