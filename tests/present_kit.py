"""Shared set-up for the present/stories/gallery/workshop AppTests: a fresh store, a known PIN, helpers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PIN = "913577"


def fresh_store_for(tmp_path, monkeypatch) -> Iterator:
    """Body of each test module's ``fresh_store`` fixture: a fresh var dir, PIN, PIN gate and cached store."""
    import ui.state
    import ui.trainer
    from atlas.security import PinGate

    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ACHYK_TRAINER_PIN", PIN)
    monkeypatch.delenv("ACHYK_DATABASE_URL", raising=False)
    monkeypatch.setattr(ui.trainer, "PIN_GATE", PinGate(max_failures=3))
    ui.state.store.clear()
    yield ui.state.store()
    ui.state.store.clear()


def page(path: str, params: dict | None = None, state: dict | None = None) -> AppTest:
    """An AppTest of one page in English (not yet run)."""
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in (state or {}).items():
        at.session_state[key] = value
    return at


def unlock(at: AppTest, pin: str = PIN) -> AppTest:
    at.text_input(key="trainer_pin_input").input(pin)
    return at.button(key="trainer_pin_submit").click().run()


def texts(at: AppTest, *kinds: str) -> str:
    """Everything of these element kinds the user reads, joined."""
    return " | ".join(str(e.value) for kind in kinds for e in getattr(at, kind))
