"""Editor keys, short ids, the trainer PIN source and the rate-limited PIN gate."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from atlas import security
from atlas.errors import UserError

ROOT = Path(__file__).resolve().parents[2]


class Clock:
    """A hand-driven clock for the gate."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_editor_keys_are_random_and_only_their_hash_matches():
    keys = {security.new_editor_key() for _ in range(200)}
    assert len(keys) == 200
    key = keys.pop()
    digest = security.hash_editor_key(key)
    assert key not in digest and security.key_matches(key, digest)
    assert not security.key_matches(key + "x", digest)
    assert not security.key_matches("", digest) and not security.key_matches(key, "")


def test_short_ids_are_url_safe_and_distinct():
    ids = {security.new_short_id() for _ in range(500)}
    assert len(ids) == 500
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{8}", i) for i in ids)


@pytest.mark.parametrize(
    ("env", "secret", "file", "expected"),
    [
        ("1111", "2222", "3333", "1111"),
        (None, "2222", "3333", "2222"),
        (None, None, "3333", "3333"),
        (None, "  ", None, None),
        (None, None, None, None),  # no default PIN
        ("  ", None, None, None),
    ],
)
def test_trainer_pin_sources_in_order(monkeypatch, tmp_path, env, secret, file, expected):
    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv(security.PIN_ENV, raising=False)
    if env is not None:
        monkeypatch.setenv(security.PIN_ENV, env)
    if file is not None:
        (tmp_path / "demo_pin").write_text(file + "\n")
    assert security.trainer_pin(secret) == expected


def test_right_pin_passes_wrong_pin_fails():
    gate = security.PinGate(clock=Clock())
    assert gate.check("4821", "s1", expected="4821") is True
    assert gate.check("4820", "s1", expected="4821") is False
    assert gate.check("", "s1", expected="4821") is False


def test_no_configured_pin_turns_trainer_actions_off(monkeypatch, tmp_path):
    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    monkeypatch.delenv(security.PIN_ENV, raising=False)
    with pytest.raises(UserError, match="No trainer PIN"):
        security.PinGate().check("", "s1")


def test_session_is_locked_after_five_failures_for_the_window():
    clock = Clock()
    gate = security.PinGate(clock=clock)
    for _ in range(5):
        assert gate.check("0000", "s1", expected="4821") is False
    with pytest.raises(UserError, match="Too many wrong PINs") as caught:
        gate.check("4821", "s1", expected="4821")  # even the right PIN waits
    assert caught.value.msg.params["seconds"] == 300
    assert gate.check("4821", "s2", expected="4821") is True  # another session is not punished
    clock.now += 299
    assert gate.wait_seconds("s1") == 1
    clock.now += 1
    assert gate.wait_seconds("s1") == 0 and gate.check("4821", "s1", expected="4821") is True


def test_global_backoff_stops_guessing_from_many_sessions():
    clock = Clock()
    gate = security.PinGate(global_max=20, backoff_s=10, clock=clock)
    for n in range(19):
        assert gate.check("0000", f"s{n}", expected="4821") is False
    assert gate.wait_seconds("fresh") == 0
    assert gate.check("0001", "s19", expected="4821") is False  # the 20th failure starts the back-off
    assert gate.wait_seconds("fresh") == 10
    clock.now += 10
    assert gate.check("0002", "s20", expected="4821") is False
    assert gate.wait_seconds("fresh") == 20  # doubles with every further failure
    with pytest.raises(UserError, match="Too many wrong PINs"):
        gate.check("4821", "fresh", expected="4821")


def run_demo_pin(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != security.PIN_ENV}
    environment.update(ACHYK_VAR_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "atlas.demo_pin"],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        check=True,
    )


def test_demo_pin_module_prints_and_writes_a_private_one_time_pin(tmp_path):
    first = run_demo_pin(tmp_path)
    pin = re.search(r"PIN for this run: (\d{6})", first.stdout).group(1)
    path = tmp_path / "demo_pin"
    assert path.read_text().strip() == pin
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    second = run_demo_pin(tmp_path)
    assert re.search(r"PIN for this run: (\d{6})", second.stdout).group(1) == path.read_text().strip()


def test_demo_pin_module_defers_to_the_configured_pin(tmp_path):
    (tmp_path / "demo_pin").write_text("123456\n")
    result = run_demo_pin(tmp_path, ACHYK_TRAINER_PIN="9999")
    assert "ACHYK_TRAINER_PIN" in result.stdout and not re.search(r"\d{6}", result.stdout)
    assert not (tmp_path / "demo_pin").exists()
