"""Trainer's guide and demo (app_pages/workshop.py): the offline guide for all, demo load and clear with the PIN."""

from __future__ import annotations

import pytest
from present_kit import fresh_store_for, page, texts, unlock

from atlas.keep import SavedView
from atlas.share import workshop


@pytest.fixture
def fresh_store(tmp_path, monkeypatch):
    yield from fresh_store_for(tmp_path, monkeypatch)


def test_guide_is_readable_without_the_pin(fresh_store):
    at = page("app_pages/workshop.py").run()
    assert not at.exception, at.exception
    guide = texts(at, "markdown", "code")
    for words in ("make run", "--server.address 0.0.0.0", "http://<ip>:8501", "phone hotspot", "needs no internet",
                  "save views to keep them"):
        assert words in guide
    assert "workshop_load" not in [b.key for b in at.button]


def test_demo_loads_and_clears(fresh_store, editor_key):
    mine = fresh_store.save_view(SavedView(spec={}, title="Real", published=True), editor_key)
    at = unlock(page("app_pages/workshop.py").run())
    at.button(key="workshop_load").click().run()
    assert not at.exception, at.exception
    assert "Loaded 4 sample views" in texts(at, "success")
    stories = [s for s in fresh_store.list_gallery("stories") if workshop.is_sample(s)]
    assert [s.title for s in stories] == ["Sample: Where are NGO projects per capita lowest?"]
    assert f"present?story={stories[0].short_id}" in texts(at, "code")
    assert fresh_store.count_samples() > 0
    at.button(key="workshop_clear").click().run()
    assert "The app is clean" in texts(at, "success") and "No sample story" in texts(at, "info")
    assert [v.short_id for v in fresh_store.list_gallery("views")] == [mine]
    assert fresh_store.count_samples() == 0
