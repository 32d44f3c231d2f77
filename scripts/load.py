"""Load test that speaks Streamlit's own protocol: N simulated participants, no browsers.

    .venv/bin/python scripts/load.py [--sessions 40] [--seconds 300] [--runs 3] [--think 10] [--ramp 60]
                                     [--seed 1] [--replicas N | --target 127.0.0.1:8501 ...]

Each session is a websocket client of ``/_stcore/stream`` (package ``websockets``) that sends
``BackMsg.rerun_script`` with widget states and reads ForwardMsgs (the protobuf classes shipped with
streamlit) until ``script_finished``. It learns widget ids from the deltas (a widget made with
``key="k"`` has an id ending in ``-k``), keeps the widget states as a browser does, and echoes the
hashes of the cacheable messages it holds (``ClientState.cached_message_hashes``), so the server sends
``ref_hash`` references instead of the elements it already sent: a warm browser. Uploads go through the
uploader's HTTP endpoint as the browser does: ``file_urls_request`` over the socket, then a multipart
``PUT /_stcore/upload_file/<session>/<file>`` with the XSRF cookie echoed in ``X-Xsrftoken``.

The workshop script is the table ``STEPS`` below (find widgets by their ``key=``; update it there).

Targets: without ``--target`` it starts its own server (``--replicas 1``, the default: one Streamlit
process on SQLite) or the ``make serve`` stack (``--replicas N``: N processes, one PostgreSQL, nginx;
see scripts/serve.py). ``--target`` points at servers already running (loopback addresses only; several
targets spread the sessions round robin). Prints ``LOAD key value`` lines.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import random
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atlas import timing  # noqa: E402

WAIT_S = 60.0  # longest wait for one rerun or one HTTP request; a session that waits longer fails
MAX_LOOPS = 1000  # a session never loops through the script more often than this
CACHE_MAX = 4000  # cached messages a session keeps (oldest dropped first), as a browser's cache is bounded
XSRF_COOKIE = "_streamlit_xsrf"

# --------------------------------------------------------------------------- the workshop script
# One row per step: (name, page url path, actions). Actions, run in order:
#   ("choose", key)          pick another option of the selectbox/radio with this key
#   ("slide", key)           move the slider (or select_slider) with this key one step left or right
#   ("upload", key)          upload a generated messy CP1251 CSV into the file uploader with this key
#   ("fix", key_prefix)      pick a region in the first selectbox whose key starts with key_prefix
#   ("pick", key)            choose the first option of a selectbox / multiselect (form fields: no rerun)
#   ("type", key, text)      type text into a text input or area (form fields: no rerun)
#   ("click", key)           press the button (or form submit button) with this key
#   ("expect", text)         the page must show this text (else the step counts as skipped)
#   ("see", key)             the widget with this key must be on the page
#   ("remember", name, re)   keep the first group of this regex over the page's text as {name}
# A page path may carry a query with remembered names: "present?view={view}".
# A step whose page or first widget is missing is skipped and counted, not failed.
STEPS: list[tuple[str, str, list[tuple]]] = [
    ("overview", "", [("choose", "overview_sdg_series"), ("slide", "overview_sdg_year")]),
    ("builder", "builder", [("choose", "builder_scheme"), ("slide", "builder_k")]),
    ("upload", "upload", [("upload", "upload_file"), ("expect", "Your map")]),
    ("fix", "upload", [("fix", "upload_fix_")]),
    ("save_view", "builder", [("type", "save_view_title", "Load test view {n}"), ("click", "save_view_submit"),
                              ("expect", "Saved. You find it under"),
                              ("remember", "view", r"present\?view=([A-Za-z0-9_-]+)")]),
    ("report", "reports", [("pick", "new_commitment"), ("pick", "new_regions"), ("pick", "new_status"),
                           ("type", "new_evidence", "https://example.kg/minutes"),
                           ("type", "new_organisation", "Load NGO {n}"), ("click", "new_submit"),
                           ("expect", "is saved")]),
    ("present", "present?view={view}", [("see", "present_prev")]),
]


def messy_csv(rng: random.Random) -> bytes:
    """A CP1251 file as Excel on Windows saves it: title row, ';', decimal commas, totals, one 'Ош'.

    >>> messy_csv(random.Random(1)).decode("cp1251").splitlines()[1]
    'Область;Проекты;Бюджет, сом'
    """
    names = ["Баткенская обл.", "Чуйская область", "Jalal-Abad region", "Нарын облусу", "Ош",
             "Талас облусу", "Ысык-К?л облусу", "г. Бишкек", "Osh city"]
    lines = ["Отчёт НКО по областям;;", "Область;Проекты;Бюджет, сом"]
    total = 0
    for name in names:
        n = rng.randint(1, 60)
        total += n
        lines.append(f"{name};{n};{rng.randint(1000, 9_999_999)},{rng.randint(0, 99):02d}")
    lines.append(f"Итого;{total};")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


# --------------------------------------------------------------------------- measuring


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (0 for no values).

    >>> percentile([1, 2, 3, 4], 0.5)
    2
    """
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(round(q * len(ordered) + 0.5)) - 1))]


def rss_mb(pids: list[int]) -> float:
    """Resident memory of these processes (VmRSS from /proc), in MB; a gone process counts 0."""
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


class Sampler(threading.Thread):
    """Samples the servers' summed RSS every half second until stopped."""

    def __init__(self, pids: list[int]):
        super().__init__(daemon=True)
        self.pids, self.samples, self.stop = pids, [0.0], threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.samples.append(rss_mb(self.pids))
            self.stop.wait(0.5)


def check_loopback(host: str) -> str:
    """Only this machine may be loaded: refuse any host that does not resolve to loopback.

    >>> check_loopback("127.0.0.1")
    '127.0.0.1'
    """
    for info in socket.getaddrinfo(host, None):
        if not ipaddress.ip_address(info[4][0]).is_loopback:
            raise SystemExit(f"refusing to load {host}: only loopback addresses may be targets")
    return host


# --------------------------------------------------------------------------- one protocol client


class StepSkipped(Exception):
    """The page or widget a step needs is not there (counted, the session goes on)."""


@dataclass
class Outcome:
    failed: bool = False
    error: str = ""
    steps: int = 0
    loops: int = 0
    refs: int = 0
    skipped: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)


class Client:
    """One participant's browser tab, as far as the server can tell."""

    def __init__(self, host: str, port: int, rng: random.Random, times: list[float]):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        self.host, self.port, self.rng, self.times = host, port, rng, times
        self.base = f"http://{host}:{port}"
        self.cookies: dict[str, str] = {}
        self.ws = None
        self.session_id = ""
        self.pages: dict[str, str] = {}  # url path → page_script_hash
        self.page_hash = ""
        self.query = "lang=en"
        self.memory: dict[str, str] = {}  # what "remember" kept, for page queries
        self.cache: dict[str, ForwardMsg] = {}  # hash → cacheable message, insertion-ordered
        self.elements: dict[tuple, object] = {}  # delta path → Element of the last run
        self.states: dict[str, object] = {}  # widget id → WidgetState sent with each rerun
        self.errors: Counter = Counter()
        self.refs = 0  # elements the server sent as a ref_hash to one we held
        self.served_by = ""

    # ---- HTTP
    def _http(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.base + path, data=body, method=method, headers=dict(headers or {}))
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        with urllib.request.urlopen(request, timeout=WAIT_S) as response:
            for value in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(value).items():
                    self.cookies[name] = morsel.value
            self.served_by = response.headers.get("X-Achyk-Replica", self.served_by)
            return response.read()

    # ---- websocket
    async def connect(self) -> None:
        import websockets

        await asyncio.to_thread(self._http, "GET", "/_stcore/health")  # XSRF cookie (and nginx's affinity cookie)
        headers = {"Origin": self.base}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        protocols = ["streamlit", self.cookies.get(XSRF_COOKIE, "")]
        self.ws = await asyncio.wait_for(websockets.connect(
            f"ws://{self.host}:{self.port}/_stcore/stream", subprotocols=[p for p in protocols if p],
            additional_headers=headers, max_size=None, open_timeout=WAIT_S), WAIT_S)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()

    async def _recv(self, deadline: float):
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("no script_finished within the wait")
        return ForwardMsg.FromString(await asyncio.wait_for(self.ws.recv(), left))

    def _keep(self, msg) -> object:
        """Resolve a ref_hash against the cache; remember cacheable messages. Returns the full message."""
        if msg.WhichOneof("type") == "ref_hash":
            full = self.cache.get(msg.ref_hash)
            if full is None:
                self.errors["cache_miss"] += 1
                return msg
            self.cache[msg.ref_hash] = self.cache.pop(msg.ref_hash)  # recently used: keep longest
            self.refs += 1
            copy = type(msg)()
            copy.CopyFrom(full)
            copy.metadata.CopyFrom(msg.metadata)
            return copy
        if msg.metadata.cacheable and msg.hash:
            self.cache[msg.hash] = msg
            while len(self.cache) > CACHE_MAX:
                self.cache.pop(next(iter(self.cache)))
        return msg

    async def rerun(self, page: str | None = None) -> None:
        """Send rerun_script with the widget states; read until the run finished (timed)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg

        if page is not None:
            path, _, query = page.partition("?")
            if path not in self.pages and self.pages:
                raise StepSkipped(f"page:{path}")
            try:
                self.query = "&".join(["lang=en", *([query.format(**self.memory)] if query else [])])
            except KeyError as missing:
                raise StepSkipped(f"nothing remembered as {missing}") from None
            self.page_hash = self.pages.get(path, "")
            self.states.clear()  # a page switch starts from the new page's defaults, as in the browser
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.widget_states.widgets.extend(self.states.values())
        state.cached_message_hashes.extend(self.cache)
        self.states = {k: v for k, v in self.states.items() if v.WhichOneof("value") != "trigger_value"}
        start = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        await self._read_run(time.monotonic() + WAIT_S)
        self.times.append((time.perf_counter() - start) * 1000)

    async def _read_run(self, deadline: float) -> None:
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        early = ForwardMsg.ScriptFinishedStatus.Value("FINISHED_EARLY_FOR_RERUN")
        while True:
            msg = self._keep(await self._recv(deadline))
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.elements = {}
                if msg.new_session.initialize.session_id:
                    self.session_id = msg.new_session.initialize.session_id
                self.page_hash = msg.new_session.page_script_hash or self.page_hash
            elif kind == "navigation":
                self.pages = {p.url_pathname: p.page_script_hash for p in msg.navigation.app_pages}
                self.page_hash = msg.navigation.page_script_hash or self.page_hash
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.elements[tuple(msg.metadata.delta_path)] = msg.delta.new_element
            elif kind == "script_finished" and msg.script_finished != early:
                break
        for element in self.elements.values():
            if element.WhichOneof("type") == "exception":
                self.errors["exception_shown"] += 1
                raise RuntimeError("the page shows an exception: " + element.exception.message[:200])
            if element.WhichOneof("type") == "alert" and element.alert.format == element.alert.ERROR:
                self.errors["error_box"] += 1

    # ---- what the page shows
    def widget(self, key: str, prefix: bool = False):
        """The widget element whose id ends with -key (or whose key starts with ``key``); None if absent."""
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            wid = getattr(getattr(element, kind), "id", "") if kind else ""
            if not isinstance(wid, str) or not wid.startswith("$$ID-"):
                continue
            user_key = wid.split("-", 2)[2] if wid.count("-") >= 2 else ""
            if (user_key.startswith(key) if prefix else user_key == key):
                return kind, getattr(element, kind)
        return None

    def text(self) -> str:
        parts = []
        for element in self.elements.values():
            kind = element.WhichOneof("type")
            for attr in ("body", "label", "code_text"):
                value = getattr(getattr(element, kind), attr, "") if kind else ""
                if isinstance(value, str):
                    parts.append(value)
        return "\n".join(parts)

    def set_state(self, wid: str, kind: str, value) -> None:
        from streamlit.proto.WidgetStates_pb2 import WidgetState

        state = WidgetState(id=wid)
        if kind in ("double_array_value", "string_array_value"):
            getattr(state, kind).data.extend(value)
        elif kind == "file_uploader_state_value":
            state.file_uploader_state_value.CopyFrom(value)
        else:
            setattr(state, kind, value)
        self.states[wid] = state

    # ---- actions
    async def act(self, action: tuple, n: int) -> None:
        verb, arg = action[0], action[1]
        if verb == "expect":
            if arg not in self.text():
                raise StepSkipped(f"text:{arg}")
            return
        if verb == "remember":
            found = re.search(action[2], self.text())
            if found is None:
                raise StepSkipped(f"remember:{arg}")
            self.memory[arg] = found.group(1)
            return
        found = self.widget(arg, prefix=verb == "fix")
        if found is None:
            raise StepSkipped(f"widget:{arg}")
        kind, w = found
        if verb == "see":
            return
        if verb in ("choose", "fix"):
            current = w.raw_value if kind == "selectbox" and w.HasField("raw_value") else None
            options = [o for o in w.options if o != current] or list(w.options)
            value_kind = "string_value"
            self.set_state(w.id, value_kind, self.rng.choice(options))
            await self.rerun()
        elif verb == "slide" and len(w.options):  # a select_slider: its state is the formatted option
            now = int((list(w.value) or list(w.default) or [0])[0])
            index = min(len(w.options) - 1, max(0, now + self.rng.choice([-1, 1])))
            self.set_state(w.id, "string_array_value", [w.options[index]])
            await self.rerun()
        elif verb == "slide":
            now = (list(w.value) or list(w.default) or [w.min])[0]
            step = w.step or 1
            value = min(w.max, max(w.min, now + self.rng.choice([-step, step])))
            self.set_state(w.id, "double_array_value", [value])
            await self.rerun()
        elif verb == "pick":
            if kind == "multiselect":
                self.set_state(w.id, "string_array_value", [w.options[0]])
            else:
                self.set_state(w.id, "string_value", w.options[0])
            if not w.form_id:
                await self.rerun()
        elif verb == "type":
            self.set_state(w.id, "string_value", action[2].format(n=n))
            if not w.form_id:
                await self.rerun()
        elif verb == "click":
            if getattr(w, "disabled", False):
                raise StepSkipped(f"disabled:{arg}")
            self.set_state(w.id, "trigger_value", True)
            await self.rerun()
        elif verb == "upload":
            await self.upload(w.id, "ngo_report.csv", messy_csv(self.rng))
        else:
            raise ValueError(f"unknown action {verb}")

    async def upload(self, wid: str, name: str, data: bytes) -> None:
        """The browser's upload: ask for URLs over the socket, PUT the file, rerun with its info."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.Common_pb2 import FileUploaderState

        back = BackMsg()
        request_id = uuid.uuid4().hex
        back.file_urls_request.request_id = request_id
        back.file_urls_request.file_names.append(name)
        back.file_urls_request.session_id = self.session_id
        await self.ws.send(back.SerializeToString())
        deadline = time.monotonic() + WAIT_S
        while True:
            msg = self._keep(await self._recv(deadline))
            if msg.WhichOneof("type") == "file_urls_response" and msg.file_urls_response.response_id == request_id:
                break
        if msg.file_urls_response.error_msg or not msg.file_urls_response.file_urls:
            self.errors["upload_urls"] += 1
            raise RuntimeError("no upload URL: " + msg.file_urls_response.error_msg[:200])
        urls = msg.file_urls_response.file_urls[0]
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
        path = urls.upload_url if urls.upload_url.startswith("/") else "/" + urls.upload_url.split("/", 3)[-1]
        try:
            await asyncio.to_thread(self._http, "PUT", path, body, {
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "X-Xsrftoken": self.cookies.get(XSRF_COOKIE, "")})
        except OSError:
            self.errors["upload_put"] += 1
            raise
        info = FileUploaderState()
        item = info.uploaded_file_info.add()
        item.name, item.size, item.file_id = name, len(data), urls.file_id
        item.file_urls.CopyFrom(urls)
        self.set_state(wid, "file_uploader_state_value", info)
        await self.rerun()


async def session(host: str, port: int, seconds: float, seed: int, think: float, times: list[float]) -> Outcome:
    """One participant: open the app, then loop through STEPS until the time is up."""
    rng = random.Random(seed)
    out = Outcome()
    client = Client(host, port, rng, times)
    deadline = time.monotonic() + seconds
    where = ""
    try:
        await client.connect()
        await client.rerun(page=None)
        n = 0
        while time.monotonic() < deadline and out.loops < MAX_LOOPS:
            for name, page, actions in STEPS:
                if time.monotonic() >= deadline:
                    break
                n, where = n + 1, name
                try:
                    path, _, query = page.partition("?")
                    if query or client.page_hash != client.pages.get(path, client.page_hash):
                        await client.rerun(page=page)
                    for action in actions:
                        await client.act(action, rng.randint(1, 10**6))
                    out.steps += 1
                except StepSkipped as why:
                    out.skipped[f"{name} ({why})"] += 1
                if think:
                    await asyncio.sleep(rng.uniform(0.5 * think, 1.5 * think))
            out.loops += 1
    except Exception as exc:  # a failed session is counted and described, not raised
        kind = "timeout" if isinstance(exc, TimeoutError) else type(exc).__name__
        if "ConnectionClosed" in kind:
            kind = "disconnected"
        out.failed, out.error = True, f"{kind} in step {where or 'open'}: {str(exc)[:200]}"
        client.errors[kind] += 1
    finally:
        try:
            await asyncio.wait_for(client.close(), 10)
        except Exception:
            pass
    out.errors, out.refs = client.errors, client.refs
    return out


async def run_sessions(targets: list[tuple[str, int]], sessions: int, seconds: float, think: float, ramp: float,
                       seed: int, times: list[float]) -> list[Outcome]:
    """All sessions at once, joining over ``ramp`` seconds, spread over the targets round robin."""

    async def delayed(k: int) -> Outcome:
        await asyncio.sleep(ramp * k / max(1, sessions))
        host, port = targets[k % len(targets)]
        return await session(host, port, seconds, seed * 100_000 + k, think, times)

    return await asyncio.gather(*(delayed(k) for k in range(sessions)))


# --------------------------------------------------------------------------- runs and figures


@dataclass
class Servers:
    """What is being loaded: where to connect, which processes to measure, which timing logs to read."""

    targets: list[tuple[str, int]]
    pids: list[int] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)


def _in_own_thread(coro):
    """``asyncio.run(coro)`` in a thread of its own: a caller that already runs an event loop in this
    thread (Playwright's sync API in the same test process) would make asyncio.run refuse."""
    result: dict = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coro)
        except BaseException as exc:  # handed back to the caller's thread below
            result["error"] = exc

    worker = threading.Thread(target=target, name="load-sessions")
    worker.start()
    worker.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


def one_run(servers: Servers, sessions: int, seconds: float, think: float, ramp: float, seed: int) -> dict:
    """Run the sessions once; returns the figures of this run."""
    starts = [len(timing.read_log(log)) for log in servers.logs]
    sampler = Sampler(servers.pids)
    sampler.start()
    times: list[float] = []
    began = time.monotonic()
    outcomes = _in_own_thread(run_sessions(servers.targets, sessions, seconds, think, ramp, seed, times))
    wall = time.monotonic() - began
    sampler.stop.set()
    sampler.join()
    server = [ms for log, start in zip(servers.logs, starts, strict=True)
              for _t, ms, _l in timing.read_log(log)[start:]]
    errors: Counter = Counter()
    skipped: Counter = Counter()
    for o in outcomes:
        errors.update(o.errors)
        skipped.update(o.skipped)
    return {
        "sessions": len(outcomes), "sessions_failed": sum(o.failed for o in outcomes),
        "failures": [o.error for o in outcomes if o.failed][:5], "errors": dict(errors),
        "steps": sum(o.steps for o in outcomes), "cached_refs": sum(o.refs for o in outcomes),
        "skipped": dict(skipped), "reruns": len(times),
        "reruns_per_s": len(times) / wall if wall else 0.0,
        "rerun_ms_p50": percentile(times, 0.5), "rerun_ms_p95": percentile(times, 0.95),
        "server_reruns": len(server), "server_rerun_ms_p50": percentile(server, 0.5),
        "server_rerun_ms_p95": percentile(server, 0.95), "rss_mb_max": max(sampler.samples),
    }


def report(fig: dict, prefix: str, echo) -> None:
    echo(f"LOAD {prefix}sessions {fig['sessions']}")
    echo(f"LOAD {prefix}sessions_failed {fig['sessions_failed']}")
    echo(f"LOAD {prefix}rerun_ms_p50 {fig['rerun_ms_p50']:.0f}")
    echo(f"LOAD {prefix}rerun_ms_p95 {fig['rerun_ms_p95']:.0f}  (client side, {fig['reruns']} reruns, "
         f"{fig['reruns_per_s']:.1f}/s)")
    if fig["server_reruns"]:
        echo(f"LOAD {prefix}server_rerun_ms_p50 {fig['server_rerun_ms_p50']:.0f}")
        echo(f"LOAD {prefix}server_rerun_ms_p95 {fig['server_rerun_ms_p95']:.0f}  ({fig['server_reruns']} script runs)")
    else:
        echo(f"LOAD {prefix}server_rerun_ms_p95 n/a (no timing log: pass --timing-log for a --target)")
    echo(f"LOAD {prefix}rss_mb_max {fig['rss_mb_max']:.0f}" + ("" if fig["rss_mb_max"] else "  (no pid to watch)"))
    echo(f"LOAD {prefix}steps {fig['steps']}")
    echo(f"LOAD {prefix}cached_refs {fig['cached_refs']}  (elements sent as a hash the client held)")
    for kind, count in sorted(fig["errors"].items()):
        echo(f"LOAD {prefix}errors {kind} {count}")
    for kind, count in sorted(fig["skipped"].items()):
        echo(f"LOAD {prefix}skipped {kind} {count}")
    for failure in fig["failures"]:
        echo(f"LOAD {prefix}failure {failure}")


def start_one(tmp: Path, log: Path):
    """One Streamlit process on SQLite in ``tmp`` (tests/browserkit.py's start_server)."""
    from tests.browserkit import free_port, start_server

    port = free_port()
    proc = start_server(tmp / "var", port, {timing.ENV: str(log)})
    return proc, port


def run_load(sessions: int = 40, seconds: float = 300, runs: int = 1, think: float = 10.0, ramp: float = 60.0,
             seed: int = 1, replicas: int = 1, targets: list[tuple[str, int]] | None = None,
             timing_logs: list[Path] | None = None, pids: list[int] | None = None, echo=print) -> list[dict]:
    """Start the servers (unless ``targets``), run the load ``runs`` times, print and return the figures."""
    echo(f"LOAD setup {sessions} sessions × {seconds:g} s, joining over {ramp:g} s, {think:g} s mean think "
         f"time, seed {seed}, " + (f"targets {targets}" if targets else f"{replicas} replica(s)"))
    figures = []
    with tempfile.TemporaryDirectory(prefix="achyk-load-") as tmp_name:
        tmp = Path(tmp_name)
        stop = lambda: None  # noqa: E731
        if targets:
            servers = Servers([(check_loopback(h), p) for h, p in targets], pids or [], timing_logs or [])
        elif replicas <= 1:
            log = tmp / "timing.log"
            proc, port = start_one(tmp, log)
            servers = Servers([("127.0.0.1", port)], [proc.pid], [log])

            def stop() -> None:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except Exception:
                    proc.kill()
        else:
            sys.path.insert(0, str(ROOT / "scripts"))
            from serve import Stack

            stack = Stack(replicas, run_dir=tmp, timing=True)
            stack.start()
            servers = Servers([("127.0.0.1", stack.proxy_port)], stack.pids(), stack.timing_logs())
            stop = stack.stop
        try:
            for run_no in range(1, runs + 1):
                fig = one_run(servers, sessions, seconds, think, ramp, seed + run_no - 1)
                figures.append(fig)
                report(fig, "" if run_no == 1 else f"run{run_no}_", echo)
        finally:
            stop()
    return figures


def parse_target(text: str) -> tuple[str, int]:
    """'127.0.0.1:8501' → ('127.0.0.1', 8501).

    >>> parse_target("localhost:8501")
    ('localhost', 8501)
    """
    host, _, port = text.rpartition(":")
    return host or "127.0.0.1", int(port)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=300, help="duration of each run")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--think", type=float, default=10.0, help="mean seconds between actions (0: back to back)")
    parser.add_argument("--ramp", type=float, default=60.0, help="seconds over which the sessions join")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--replicas", type=int, default=1, help="start N processes behind nginx (scripts/serve.py)")
    parser.add_argument("--target", action="append", default=[], help="HOST:PORT of a running server (loopback)")
    parser.add_argument("--timing-log", action="append", default=[], type=Path, help="ACHYK_TIMING_LOG of a target")
    parser.add_argument("--pid", action="append", default=[], type=int, help="server pid to sample RSS of")
    args = parser.parse_args()
    if not (0 < args.sessions <= 1000 and 0 < args.seconds <= 3600 and 0 < args.runs <= 10):
        parser.error("sessions 1–1000, seconds up to 3600, runs 1–10")
    figures = run_load(args.sessions, args.seconds, args.runs, args.think, args.ramp, args.seed, args.replicas,
                       [parse_target(t) for t in args.target] or None, args.timing_log, args.pid)
    return 0 if all(f["sessions_failed"] == 0 for f in figures) else 1


if __name__ == "__main__":
    sys.exit(main())
