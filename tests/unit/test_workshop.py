"""Workshop tools and saved-view helpers: demo load/clear, reset with a backup that holds everything."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import zipfile
from dataclasses import replace

import pandas as pd
import pytest

from atlas.draw.compose import compose
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.keep import SavedView, Story
from atlas.ogp.reports import Report
from atlas.share import saved, workshop
from atlas.values.datasets import DatasetTable, builtin_table

UPLOAD_KEY = "upload:" + "ab" * 32
NOW = dt.datetime(2024, 5, 1, 10, 30, 0)


@pytest.fixture
def sqlite_store(tmp_path, monkeypatch):
    """A fresh SQLite store in a tmp var dir (the backups land there too)."""
    from atlas.keep import Store

    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    opened = Store(f"sqlite:///{tmp_path / 'achyk.sqlite3'}")
    yield opened
    opened.close()


def upload_table() -> DatasetTable:
    frame = pd.DataFrame({"oblast": ["KG-N", "KG-T", "KG-B"], "schools": [12.5, 7.0, 3.0],
                          "name": ["Нарын", "=cmd()", "Баткен"]})
    return DatasetTable(UPLOAD_KEY, "schools.xlsx", frame, "oblast", ["schools"], ["name"], units={"schools": "x"})


def test_upload_round_trips_through_pack():
    back = saved.unpack_table(saved.pack_table(upload_table()))
    pd.testing.assert_frame_equal(back.frame, upload_table().frame)
    roles = (back.key, back.region_col, back.value_cols, back.units)
    assert roles == (UPLOAD_KEY, "oblast", ["schools"], {"schools": "x"})


@pytest.mark.parametrize("data", [b"", b"junk", gzip.compress(b"{}"), gzip.compress(b"[1, 2]")])
def test_unreadable_pack_is_a_user_error(data):
    with pytest.raises(UserError):
        saved.unpack_table(data)


@pytest.mark.parametrize(("dataset", "copied"), [("ngo_sample", False), (UPLOAD_KEY, True)])
def test_only_uploads_are_copied_when_saving(dataset, copied):
    record = saved.new_saved_view(ViewSpec(dataset=dataset), upload_table(), "T", "Note", team="Team A")
    assert (record.dataset is not None) == copied
    assert (record.spec["title"], record.spec["note"], record.spec["author"]) == ("T", "Note", "Team A")


def test_saved_upload_view_resolves_without_the_session(sqlite_store, editor_key):
    spec = ViewSpec(dataset=UPLOAD_KEY, column="schools", aggregation="sum", normalisation="none")
    vid = sqlite_store.save_view(saved.new_saved_view(spec, upload_table(), "Schools"), editor_key)
    slide = saved.resolve(sqlite_store.get_view(vid))
    values = compose(slide.spec, slide.table).view.values
    assert values["KG-N"] == 12.5 and pd.isna(values["KG-C"])


@pytest.mark.parametrize("record", [
    SavedView(spec={"dataset": UPLOAD_KEY}, title="no data kept"),
    SavedView(spec={"dataset": "gone_dataset"}, title="unknown dataset"),
])
def test_unresolvable_views_raise_user_errors(record):
    with pytest.raises(UserError):
        saved.resolve(record)


def test_story_views_keep_order_and_skip_deleted(sqlite_store, editor_key):
    ids = [sqlite_store.save_view(SavedView(spec={}, title=f"V{i}"), editor_key) for i in range(3)]
    sqlite_store.delete_item("views", ids[1], editor_key)
    story = Story("S", (ids[2], ids[1], ids[0]))
    assert [v.title for v in saved.story_views(sqlite_store, story)] == ["V2", "V0"]


@pytest.mark.parametrize(("kind", "magic"), [
    ("png", b"\x89PNG\r\n\x1a\n"), ("pdf", b"%PDF-"), ("svg", b"<?xml"), ("html", b"<!DOCTYPE html>"),
    ("csv", b"\xef\xbb\xbf"), ("geojson", b'{"type": "FeatureCollection"'),
])
def test_every_export_of_a_saved_view_is_produced(sqlite_store, editor_key, kind, magic):
    vid = sqlite_store.save_view(saved.new_saved_view(ViewSpec(), builtin_table("ngo_sample"), "NGOs: Naryn"),
                                 editor_key)
    slide = saved.resolve(sqlite_store.get_view(vid))
    out = saved.export_file(kind, compose(slide.spec, slide.table), str, dt.date(2024, 5, 1))
    assert out.data.lstrip()[: len(magic)] == magic
    assert out.name == f"ngos-naryn_2024-05-01.{saved.EXPORTS[kind][1]}"


def test_demo_load_makes_a_published_sample_story_and_clear_removes_only_samples(sqlite_store, editor_key):
    mine = sqlite_store.save_view(SavedView(spec={}, title="Sample: my own title", published=True), editor_key)
    result = workshop.load_demo(sqlite_store, True, str, editor_key)
    story = sqlite_store.get_story(result.story_id)
    assert story.title == "Sample: Where are NGO projects per capita lowest?" and story.published
    assert len(result.view_ids) == len(workshop.sample_specs()) == 4
    notes = [sqlite_store.get_view(v).note for v in result.view_ids]
    assert all("{" not in n and any(name in n for name in ("Osh", "Batken", "Bishkek", "Naryn")) for n in notes)
    assert sqlite_store.count_samples() == result.reports > 0
    workshop.load_demo(sqlite_store, True, str, editor_key)  # loading twice replaces, not doubles
    assert len(sqlite_store.list_gallery("stories")) == 1
    workshop.clear_demo(sqlite_store, True)
    assert [v.short_id for v in sqlite_store.list_gallery("views")] == [mine]
    assert sqlite_store.list_gallery("stories") == [] and sqlite_store.count_samples() == 0


@pytest.mark.parametrize("action", [
    lambda s, k: workshop.load_demo(s, False, str, k),
    lambda s, k: workshop.clear_demo(s, False),
    lambda s, k: workshop.reset_workshop(s, False),
])
def test_workshop_actions_need_the_pin(sqlite_store, editor_key, action):
    with pytest.raises(UserError):
        action(sqlite_store, editor_key)


def _fill(store, key) -> dict[str, str]:
    upload = saved.new_saved_view(ViewSpec(dataset=UPLOAD_KEY), upload_table(), "Упload view", published=True)
    ids = {"upload": store.save_view(upload, key),
           "plain": store.save_view(SavedView(spec={}, title="=HYPERLINK(1)", note="private"), key)}
    ids["story"] = store.save_story(Story("Team story", (ids["plain"], ids["upload"]), published=True), key)
    store.set_gallery_flags("views", ids["plain"], hidden=True, pin_ok=True)
    report = Report("KG0001", ("KG-B",), "completed", "Seen at the akimiat", dt.date(2020, 1, 5), "NGO",
                    contact="+996 555 000")
    store.add_report(report, key)
    store.load_samples(pin_ok=True, count=5)
    return ids


def test_reset_backs_up_everything_then_empties(sqlite_store, editor_key, tmp_path):
    ids = _fill(sqlite_store, editor_key)
    result = workshop.reset_workshop(sqlite_store, True, NOW)
    assert result.path.parent == tmp_path / "backups" and result.path.read_bytes() == result.data
    zf = zipfile.ZipFile(io.BytesIO(result.data))
    views = {v["short_id"]: v for v in json.loads(zf.read("views.json"))}
    assert set(views) == {ids["upload"], ids["plain"]} and views[ids["plain"]]["hidden"] is True
    restored = saved.unpack_table(zf.read(views[ids["upload"]]["dataset"]))
    pd.testing.assert_frame_equal(restored.frame, upload_table().frame)
    readable = pd.read_csv(io.BytesIO(zf.read(f"datasets/{ids['upload']}.csv")), encoding="utf-8-sig")
    assert list(readable["schools"]) == [12.5, 7.0, 3.0] and "'=cmd()" in list(readable["name"])
    stories = json.loads(zf.read("stories.json"))
    assert [s["view_ids"] for s in stories] == [[ids["plain"], ids["upload"]]]
    reports = pd.read_csv(io.BytesIO(zf.read("reports.csv")), encoding="utf-8-sig")
    assert len(reports) == 6 and "+996 555 000" in zf.read("reports.json").decode("utf-8")
    assert "'=HYPERLINK(1)" in zf.read("views.csv").decode("utf-8-sig")  # formula-safe
    assert result.counts == {"views": 2, "stories": 1, "reports": 6}
    for kind in ("views", "stories"):
        assert sqlite_store.list_gallery(kind, include_unpublished=True, include_hidden=True) == []
    assert sqlite_store.list_reports(include_samples=True, include_hidden=True) == []


def test_two_resets_in_one_second_keep_both_backups(sqlite_store, editor_key):
    first = workshop.reset_workshop(sqlite_store, True, NOW)
    _fill(sqlite_store, editor_key)
    second = workshop.reset_workshop(sqlite_store, True, NOW)
    assert first.path != second.path and first.path.exists() and second.path.exists()


def test_is_sample_needs_both_marks():
    base = Story(workshop.SAMPLE_PREFIX + "x", ("a",), team=workshop.SAMPLE_TEAM)
    assert workshop.is_sample(base)
    assert not workshop.is_sample(replace(base, team="Team A"))
    assert not workshop.is_sample(replace(base, title="x"))
