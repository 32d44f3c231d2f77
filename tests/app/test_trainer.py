"""Trainer tools (app_pages/trainer.py): PIN refused/accepted, lockout, moderation, samples, reference versions."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ogp
from atlas.keep import get_store
from atlas.ogp.reports import Report
from atlas.security import PinGate

ROOT = Path(__file__).resolve().parents[2]
PIN = "913577"


@pytest.fixture(autouse=True)
def own_store(tmp_path, monkeypatch):
    """A fresh var dir, a known PIN and a fresh PIN gate per test; the cached store is dropped."""
    import ui.state
    import ui.trainer

    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    monkeypatch.setenv("ACHYK_TRAINER_PIN", PIN)
    monkeypatch.delenv("ACHYK_DATABASE_URL", raising=False)
    monkeypatch.setattr(ui.trainer, "PIN_GATE", PinGate(max_failures=3))
    ui.state.store.clear()
    yield
    ui.state.store.clear()


def run() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/trainer.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def enter(at: AppTest, pin: str) -> AppTest:
    at.text_input(key="trainer_pin_input").input(pin)
    return at.button(key="trainer_pin_submit").click().run()


def unlocked() -> AppTest:
    at = enter(run(), PIN)
    assert not at.exception, at.exception
    return at


def texts(at: AppTest, kind: str) -> str:
    return " | ".join(e.value for e in getattr(at, kind))


def test_wrong_pin_is_refused_and_tools_stay_hidden():
    at = enter(run(), "000000")
    assert "That PIN is not right" in texts(at, "error")
    assert not at.header
    with pytest.raises(KeyError):
        at.button(key="samples_load")


def test_right_pin_unlocks_and_lock_closes_again():
    at = unlocked()
    assert [h.value for h in at.header] == [
        "Moderate monitoring reports", "Illustrative sample reports", "Commitments reference table"]
    with pytest.raises(KeyError):
        at.text_input(key="trainer_pin_input")
    at.button(key="trainer_lock").click().run()
    assert at.text_input(key="trainer_pin_input") is not None
    assert not at.header


def test_too_many_wrong_pins_lock_the_session_and_show_the_wait():
    at = run()
    for _ in range(3):
        at = enter(at, "111111")
    at = enter(at, PIN)  # even the right PIN waits now
    assert "Try again in" in texts(at, "error")
    assert at.button(key="trainer_pin_submit").disabled
    assert not at.header


def test_no_pin_configured_explains_how_to_set_one(monkeypatch):
    monkeypatch.delenv("ACHYK_TRAINER_PIN")
    at = run()
    assert "No trainer PIN is set" in texts(at, "warning")
    text = " ".join(m.value for m in at.markdown)
    assert "ACHYK_TRAINER_PIN" in text and "secrets.toml" in text and "make run" in text


def test_samples_load_and_clear():
    at = unlocked()
    assert "Sample reports stored now: **0**" in " ".join(m.value for m in at.markdown)
    at.button(key="samples_load").click().run()
    assert "60 sample reports loaded" in texts(at, "success")
    store = get_store()
    assert store.count_samples() == 60
    at.button(key="samples_clear").click().run()
    assert "60 sample reports deleted" in texts(at, "success")
    assert store.count_samples() == 0
    store.close()


@pytest.mark.parametrize("action, hidden, exists", [("mod_hide", True, True), ("mod_delete", None, False)])
def test_moderation_hides_or_deletes(action, hidden, exists):
    store = get_store()
    rid = store.add_report(Report("KG0001", ("KG-B",), "completed", "seen", date(2020, 5, 1), "NGO"), "k")
    at = unlocked()
    if action == "mod_delete":
        assert at.button(key="mod_delete").disabled
        at.checkbox(key="mod_sure").check().run()
    at.button(key=action).click().run()
    assert not at.exception
    report = store.get_report(rid)
    assert (report is not None) == exists
    if exists:
        assert report.hidden is hidden
        assert store.list_reports() == []  # hidden from the public list
    store.close()


def _table_with(rows: list[str]) -> bytes:
    header = ",".join(ogp.COLUMNS)
    return ("\n".join([header, *rows]) + "\n").encode()


def test_reference_upload_bad_rows_then_good_then_restore():
    good = ogp.bundled_csv() + b"KG0027,New commitment,,,,,2021-01-01,2021-12-31,national,,,,,,,https://x.org/a\n"
    bad = _table_with(["KG01,Title,,,,,2021-13-01,,national,,,,,,,", "KG0002,,,,,,,,Osh,,,,,,,"])
    at = unlocked()
    at.file_uploader(key="ref_file").upload("bad.csv", bad, "text/csv")
    at.button(key="ref_submit").click().run()
    assert "4 problems found" in texts(at, "error")
    listed = " ".join(m.value for m in at.markdown)
    for expected in ('Row 2: commitment ID "KG01"', 'Row 2: start_date "2021-13-01"', "Row 3: the title is empty",
                     'Row 3: level "Osh"'):
        assert expected in listed
    store = get_store()
    assert len(ogp.active_commitments(store)) == 20  # nothing changed

    at.file_uploader(key="ref_file").upload("good.csv", good, "text/csv")
    at.text_input(key="ref_note").input("adds KG0027")
    at.button(key="ref_submit").click().run()
    assert "Version 1 is now in force" in texts(at, "success")
    assert len(ogp.active_commitments(store)) == 21
    versions = at.dataframe[-1].value
    assert versions.loc[versions["active"], "version"].tolist() == [1]

    at.selectbox(key="ref_restore_version").select(0)
    at.button(key="ref_restore").click().run()
    assert len(ogp.active_commitments(store)) == 20
    versions = at.dataframe[-1].value
    assert versions.loc[versions["active"], "version"].tolist() == [0]
    store.close()
