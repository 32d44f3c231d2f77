"""Datathon gallery (app_pages/gallery.py): publish, feature/hide/delete with the PIN, reset with a backup."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from present_kit import fresh_store_for, page, texts, unlock

from atlas.keep import SavedView, Story
from ui.present import MINE


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    yield from fresh_store_for(tmp_path, monkeypatch)


def own(store, key: str, title: str, published: bool = False) -> dict:
    view_id = store.save_view(SavedView(spec={}, title=title, team="Team Naryn", published=published), key)
    return {"editor_key": key, MINE: {"views": [view_id], "stories": []}}


def test_team_publishes_its_view(fresh_store, editor_key):
    state = own(fresh_store, editor_key, "Water points")
    view_id = state[MINE]["views"][0]
    at = page("app_pages/gallery.py", state=state).run()
    assert "Nothing published yet" in texts(at, "info")
    at.button(key=f"gallery_publish_{view_id}").click().run()
    assert not at.exception, at.exception
    assert "Water points" in texts(at, "markdown") and "Team Naryn" in texts(at, "markdown")
    assert [v.short_id for v in fresh_store.list_gallery("views")] == [view_id]


def test_trainer_controls_need_the_pin(fresh_store, editor_key):
    fresh_store.save_view(SavedView(spec={}, title="Published", published=True), editor_key)
    at = page("app_pages/gallery.py").run()
    assert "Published" in texts(at, "markdown")
    assert not [b for b in at.button if (b.key or "").startswith("gallery_feature_")]
    at = unlock(at, "000000")
    assert "not right" in texts(at, "error")
    assert not [b for b in at.button if (b.key or "").startswith("gallery_feature_")]


def test_trainer_features_and_hides(fresh_store, editor_key):
    old = fresh_store.save_view(SavedView(spec={}, title="Older work", published=True), editor_key)
    new = fresh_store.save_view(SavedView(spec={}, title="Newer work", published=True), editor_key)
    at = unlock(page("app_pages/gallery.py").run())
    at.button(key=f"gallery_feature_{old}").click().run()
    assert [v.short_id for v in fresh_store.list_gallery("views")] == [old, new]  # featured first
    assert "⭐ **Older work**" in texts(at, "markdown")
    at.button(key=f"gallery_hide_{new}").click().run()
    assert not at.exception, at.exception
    assert [v.short_id for v in fresh_store.list_gallery("views")] == [old]
    visitor = page("app_pages/gallery.py").run()
    assert "Newer work" not in texts(visitor, "markdown")
    at.button(key=f"gallery_delete_{old}").click().run()
    assert fresh_store.get_view(old, include_hidden=True) is None


def test_reset_needs_confirmation_and_leaves_a_backup(fresh_store, editor_key, tmp_path):
    view_id = fresh_store.save_view(SavedView(spec={}, title="Team map", published=True), editor_key)
    fresh_store.save_story(Story("Team story", (view_id,), published=True), editor_key)
    at = unlock(page("app_pages/gallery.py").run())
    assert at.button(key="reset_run").disabled
    at.checkbox(key="reset_confirm").check().run()
    at.button(key="reset_run").click().run()
    assert not at.exception, at.exception
    assert "Reset done: 1 views, 1 stories" in texts(at, "success")
    backups = list((tmp_path / "backups").glob("*.zip"))
    assert len(backups) == 1
    zf = zipfile.ZipFile(io.BytesIO(backups[0].read_bytes()))
    assert [v["title"] for v in json.loads(zf.read("views.json"))] == ["Team map"]
    assert [b.key for b in at.get("download_button")] == ["reset_backup_get"]
    assert fresh_store.list_gallery("views", include_unpublished=True, include_hidden=True) == []
    assert fresh_store.list_gallery("stories", include_unpublished=True, include_hidden=True) == []
    assert at.checkbox(key="reset_confirm").value is False  # a second reset needs a fresh confirmation
