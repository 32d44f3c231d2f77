"""Who may change what, without accounts: editor keys for a session's own items, and the trainer PIN.

Public API:

- ``new_editor_key() -> str``: a fresh secret for one browser session, shown to the user once.
- ``hash_editor_key(key) -> str``: what the store keeps instead of the key.
- ``key_matches(key, digest) -> bool``: constant-time check of a key against a stored hash.
- ``new_short_id() -> str``: a url-safe random id (8 characters) for links to views and stories.
- ``trainer_pin(secret=None) -> str | None``: the configured PIN (env ``ACHYK_TRAINER_PIN``, else the
  value the page read from Streamlit secrets, else the demo PIN written by ``python -m atlas.demo_pin``).
- ``PinGate``: checks a PIN attempt in constant time, rate-limited per session and globally.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from pathlib import Path

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.paths import var_dir

PIN_ENV = "ACHYK_TRAINER_PIN"
DEMO_PIN_FILE = "demo_pin"


def new_editor_key() -> str:
    """A fresh editor key: 32 url-safe characters (192 random bits).

    >>> len(new_editor_key())
    32
    """
    return secrets.token_urlsafe(24)


def hash_editor_key(key: str) -> str:
    """The sha256 hex digest of a key; a plain hash suffices because keys are long random secrets.

    >>> len(hash_editor_key("abc"))
    64
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def key_matches(key: str | None, digest: str | None) -> bool:
    """Whether ``key`` hashes to ``digest``, compared in constant time; a missing side never matches.

    >>> key_matches("k", hash_editor_key("k")), key_matches("x", hash_editor_key("k"))
    (True, False)
    """
    if not key or not digest:
        return False
    return hmac.compare_digest(hash_editor_key(key), digest)


def new_short_id() -> str:
    """An 8-character url-safe random id (48 bits) for links.

    >>> len(new_short_id())
    8
    """
    return secrets.token_urlsafe(6)


def demo_pin_path() -> Path:
    """Where ``python -m atlas.demo_pin`` writes the PIN of the current demo run.

    >>> demo_pin_path().name
    'demo_pin'
    """
    return var_dir() / DEMO_PIN_FILE


def trainer_pin(secret: str | None = None) -> str | None:
    """The trainer PIN in force, or ``None`` when none is configured (then nobody can moderate).

    Order: env ``ACHYK_TRAINER_PIN``, then ``secret`` (read by the page from Streamlit secrets), then the
    demo PIN file. There is deliberately no built-in default.

    >>> trainer_pin(" 4321 ") if not os.environ.get(PIN_ENV) else "4321"
    '4321'
    """
    for value in (os.environ.get(PIN_ENV), secret):
        if value and value.strip():
            return value.strip()
    path = demo_pin_path()
    if path.is_file():
        value = path.read_text(encoding="utf-8").strip()
        return value or None
    return None


def _digest(text: str) -> bytes:
    # Hashing both sides first makes the comparison length-independent as well as constant-time.
    return hashlib.sha256(text.encode("utf-8")).digest()


class PinGate:
    """Checks trainer PIN attempts; thread-safe, one per process (the UI keeps it in cache_resource).

    Per session: at most ``max_failures`` wrong PINs in ``window_s`` seconds, then locked until the oldest
    failure leaves the window. Globally (guessing from many sessions): once ``global_max`` failures fall
    in the window, every check waits a back-off that doubles with each further failure (capped).

    >>> gate = PinGate(clock=lambda: 0.0)
    >>> gate.check("1234", "s1", expected="1234")
    True
    """

    def __init__(
        self,
        max_failures: int = 5,
        window_s: float = 300.0,
        global_max: int = 20,
        backoff_s: float = 10.0,
        max_backoff_s: float = 900.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.max_failures, self.window_s, self.global_max = max_failures, window_s, global_max
        self.backoff_s, self.max_backoff_s, self.clock = backoff_s, max_backoff_s, clock
        self._lock = threading.Lock()
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._global: deque[float] = deque()

    def _prune(self, now: float) -> None:
        for times in [*self._failures.values(), self._global]:
            while times and times[0] <= now - self.window_s:
                times.popleft()

    def wait_seconds(self, session_id: str) -> int:
        """Seconds until ``session_id`` may try again (0 when it may try now).

        >>> PinGate(clock=lambda: 0.0).wait_seconds("s1")
        0
        """
        with self._lock:
            now = self.clock()
            self._prune(now)
            return math.ceil(self._wait(session_id, now))

    def _wait(self, session_id: str, now: float) -> float:
        mine = self._failures.get(session_id) or deque()
        wait = mine[0] + self.window_s - now if len(mine) >= self.max_failures else 0.0
        extra = len(self._global) - self.global_max
        if extra >= 0:
            backoff = min(self.max_backoff_s, self.backoff_s * 2.0**extra)
            wait = max(wait, self._global[-1] + backoff - now)
        return max(wait, 0.0)

    def check(self, attempt: str, session_id: str, expected: str | None = None) -> bool:
        """True when ``attempt`` is the PIN; False when wrong; ``UserError`` when locked or no PIN is set.

        ``expected`` defaults to ``trainer_pin()``.

        >>> PinGate(clock=lambda: 0.0).check("0000", "s1", expected="1234")
        False
        """
        expected = expected if expected is not None else trainer_pin()
        if not expected:
            raise UserError(Msg(N_("No trainer PIN is set for this app, so trainer actions are off.")))
        with self._lock:
            now = self.clock()
            self._prune(now)
            wait = self._wait(session_id, now)
            if wait > 0:
                raise UserError(
                    Msg(
                        N_("Too many wrong PINs. Try again in {seconds} seconds."),
                        {"seconds": math.ceil(wait)},
                    )
                )
            ok = hmac.compare_digest(_digest(attempt or ""), _digest(expected))
            if not ok:
                self._failures[session_id].append(now)
                self._global.append(now)
            return ok


#: The process-wide gate; pages call ``PIN_GATE.check(attempt, session_id, trainer_pin(secret))``.
PIN_GATE = PinGate()
