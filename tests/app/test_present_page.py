"""Presentation mode (app_pages/present.py): a story slide by slide, a single view, bad links, handouts."""

from __future__ import annotations

import pytest
from present_kit import fresh_store_for, page, texts

from atlas.share import workshop


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    yield from fresh_store_for(tmp_path, monkeypatch)


@pytest.fixture
def demo(fresh_store, editor_key):
    return workshop.load_demo(fresh_store, True, str, editor_key)


def slide_title(at) -> str:
    return next(m.value for m in at.markdown if "<h1 class='achyk-slide-title'>" in m.value)


def test_story_shows_its_title_and_next_prev_change_the_slide(fresh_store, demo):
    at = page("app_pages/present.py", {"story": demo.story_id}).run()
    assert not at.exception, at.exception
    first = fresh_store.get_view(demo.view_ids[0])
    assert first.title in slide_title(at) and "1 / 4" in texts(at, "markdown")
    assert 'data-testid="stSidebar"' in texts(at, "markdown")  # the chrome is hidden
    assert at.button(key="present_prev").disabled
    at.button(key="present_next").click().run()
    assert fresh_store.get_view(demo.view_ids[1]).title in slide_title(at)
    assert "2 / 4" in texts(at, "markdown") and at.query_params["slide"] == "2"
    at.button(key="present_prev").click().run()
    assert first.title in slide_title(at)


def test_last_slide_has_no_next(fresh_store, demo):
    at = page("app_pages/present.py", {"story": demo.story_id, "slide": "4"}).run()
    assert at.button(key="present_next").disabled
    assert fresh_store.get_view(demo.view_ids[3]).title in slide_title(at)


@pytest.mark.parametrize(("slide", "expected"), [("99", 3), ("0", 0), ("-3", 0), ("two", 0)])
def test_a_hand_edited_slide_number_is_kept_in_range(fresh_store, demo, slide, expected):
    at = page("app_pages/present.py", {"story": demo.story_id, "slide": slide}).run()
    assert not at.exception
    assert fresh_store.get_view(demo.view_ids[expected]).title in slide_title(at)


def test_single_view_shows_note_legend_and_source(fresh_store, demo):
    view = fresh_store.get_view(demo.view_ids[0])
    at = page("app_pages/present.py", {"view": view.short_id}).run()
    assert not at.exception, at.exception
    shown = texts(at, "markdown", "caption")
    assert view.title in slide_title(at) and "1 / 1" in shown
    assert "per 10,000 people" in shown and "Source:" in shown
    assert "fewest" in shown  # the note
    assert "not real data" in texts(at, "warning")
    assert f"present?view={view.short_id}" in texts(at, "code")


@pytest.mark.parametrize("params", [{"view": "nothere1"}, {"story": "nothere1"}, {}])
def test_a_broken_or_missing_link_explains_itself(fresh_store, params):
    at = page("app_pages/present.py", params).run()
    assert not at.exception, at.exception
    assert ("points to nothing" in texts(at, "error")) == bool(params)
    assert "Open a saved view or a story" in texts(at, "info")


def test_handout_is_drawn_only_when_asked(fresh_store, demo):
    at = page("app_pages/present.py", {"view": demo.view_ids[0]}).run()
    key = f"handout_get_{demo.view_ids[0]}"
    assert key not in [b.key for b in at.get("download_button")]
    at.selectbox(key=f"handout_kind_{demo.view_ids[0]}").select("csv").run()
    at.button(key=f"handout_make_{demo.view_ids[0]}").click().run()
    assert not at.exception, at.exception
    buttons = [b for b in at.get("download_button") if b.key == key]
    assert len(buttons) == 1 and ".csv" in buttons[0].proto.label
