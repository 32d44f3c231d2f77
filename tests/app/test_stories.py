"""Saved views and stories (app_pages/stories.py) and the save form the map builder embeds."""

from __future__ import annotations

import pytest
from present_kit import fresh_store_for, page, texts
from streamlit.testing.v1 import AppTest

from atlas.keep import SavedView
from ui.present import MINE

UPLOAD = "upload:" + "cd" * 32
HARNESS = """
import pandas as pd
from atlas.values.datasets import DatasetTable, builtin_table
from atlas.draw.views import ViewSpec
from ui.present import save_view_form
upload = DatasetTable("{upload}", "schools.xlsx", pd.DataFrame({{"code": ["KG-N"], "n": [3]}}), "code", ["n"])
table = upload if "{dataset}" == "{upload}" else builtin_table("ngo_sample")
save_view_form(ViewSpec(dataset="{dataset}", year=2021), table)
"""


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    yield from fresh_store_for(tmp_path, monkeypatch)


def harness(tmp_path, dataset: str) -> AppTest:
    script = tmp_path / "save_harness.py"
    script.write_text(HARNESS.format(upload=UPLOAD, dataset=dataset), encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


@pytest.mark.parametrize(("dataset", "notice"), [("ngo_sample", False), (UPLOAD, True)])
def test_saved_view_appears_in_stories_with_its_link(fresh_store, tmp_path, dataset, notice):
    at = harness(tmp_path, dataset)
    assert ("copies your uploaded data" in texts(at, "warning")) == notice  # said before saving
    at.text_input(key="save_view_title").input("Schools per capita")
    at.text_area(key="save_view_note").input("Naryn has *fewest*.")
    at.text_input(key="save_view_team").input("Team Talas")
    at.button(key="save_view_submit").click().run()
    assert not at.exception, at.exception
    assert "Saved" in texts(at, "success")
    link = texts(at, "code")
    assert "present?view=" in link
    short_id = link.rsplit("=", 1)[1].strip()
    saved = fresh_store.get_view(short_id)
    assert (saved.title, saved.team, saved.spec["year"]) == ("Schools per capita", "Team Talas", 2021)
    assert (saved.dataset is not None) == notice
    # The same browser session opens the stories page (AppTest cannot switch to a page outside the harness).
    at = page("app_pages/stories.py", state={k: at.session_state[k] for k in ("editor_key", MINE)}).run()
    assert not at.exception, at.exception
    shown = texts(at, "markdown", "caption")
    assert "Schools per capita" in shown and "Team Talas" in shown and "Naryn has \\*fewest\\*" in shown


def test_empty_title_is_refused_without_saving(fresh_store, tmp_path):
    at = harness(tmp_path, "ngo_sample")
    at.button(key="save_view_submit").click().run()
    assert "Give the view a title" in texts(at, "error")
    assert fresh_store.list_gallery("views", include_unpublished=True) == []


def mine(store, key: str, titles: list[str]) -> dict:
    ids = [store.save_view(SavedView(spec={}, title=t), key) for t in titles]
    return {"editor_key": key, MINE: {"views": ids, "stories": []}}


def test_make_a_story_in_chosen_order(fresh_store, editor_key):
    state = mine(fresh_store, editor_key, ["First map", "Second map", "Third map"])
    ids = state[MINE]["views"]
    at = page("app_pages/stories.py", state=state).run()
    for view_id in (ids[0], ids[2], ids[1]):
        at.selectbox(key="stories_pick").select(view_id).run()
        at.button(key="stories_add").click().run()
    at.button(key="stories_down_0").click().run()  # third map first, then first, then second
    at.text_input(key="stories_title").input("Our findings")
    at.button(key="stories_save").click().run()
    assert not at.exception, at.exception
    assert "Story saved" in texts(at, "success")
    story_id = at.session_state[MINE]["stories"][0]
    assert fresh_store.get_story(story_id).view_ids == (ids[2], ids[0], ids[1])
    assert "Our findings" in texts(at, "markdown") and f"present?story={story_id}" in texts(at, "code")


def test_story_without_views_is_refused(fresh_store, editor_key):
    at = page("app_pages/stories.py", state=mine(fresh_store, editor_key, ["Map"])).run()
    at.text_input(key="stories_title").input("Empty")
    at.button(key="stories_save").click().run()
    assert "Add at least one saved view" in texts(at, "error")


def test_delete_own_view(fresh_store, editor_key):
    state = mine(fresh_store, editor_key, ["Keep me", "Delete me"])
    gone = state[MINE]["views"][1]
    at = page("app_pages/stories.py", state=state).run()
    at.button(key=f"stories_delete_view_{gone}").click().run()
    assert not at.exception
    shown = texts(at, "markdown")
    assert "Keep me" in shown and "Delete me" not in shown
    assert fresh_store.get_view(gone) is None


def test_reorder_an_existing_story_replaces_it(fresh_store, editor_key):
    state = mine(fresh_store, editor_key, ["A", "B"])
    a, b = state[MINE]["views"]
    at = page("app_pages/stories.py", state=state).run()
    for view_id in (a, b):
        at.selectbox(key="stories_pick").select(view_id).run()
        at.button(key="stories_add").click().run()
    at.text_input(key="stories_title").input("Order")
    at.button(key="stories_save").click().run()
    old = at.session_state[MINE]["stories"][0]
    at.button(key=f"stories_edit_{old}").click().run()
    assert at.text_input(key="stories_title").value == "Order"
    at.button(key="stories_up_1").click().run()
    at.button(key="stories_save").click().run()
    new = at.session_state[MINE]["stories"]
    assert len(new) == 1 and new[0] != old and fresh_store.get_story(old) is None
    assert fresh_store.get_story(new[0]).view_ids == (b, a)
