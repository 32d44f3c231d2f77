"""Views of fixed built-in data are made once and shared by every session: what a reader sees must be
exactly what a fresh composition shows, per language, and private or live data is never shared."""

import threading

import pytest

from atlas.draw import maps
from atlas.draw.builder import build, build_fixed
from atlas.draw.compose import compose, compose_fixed
from atlas.draw.fit import Frame
from atlas.draw.views import ViewSpec
from atlas.i18n import translator
from atlas.values.datasets import builtin_table

SPECS = [
    ViewSpec(lang="ky"),
    ViewSpec(dataset="sdg:SI_POV_NAHC", column="value", aggregation="sum", normalisation="none", year=2020,
             lang="ru"),
    ViewSpec(dataset="sdg:SL_TLF_UEM", column="value", aggregation="sum", normalisation="none", year=2020,
             since=2010, palette="PuOr", lang="en"),
    ViewSpec(dataset="elevation_rayons", column="elev_median_m", aggregation="mean", normalisation="none", level=2,
             lang="ru"),
]


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: f"{s.dataset}-{s.lang}-{s.level}")
def test_a_shared_view_reads_as_a_fresh_one(spec: ViewSpec) -> None:
    shared = compose_fixed(spec)
    fresh = compose(spec, builtin_table(spec.dataset, spec.lang), translator(spec.lang))
    assert compose_fixed(spec) is shared
    assert (shared.caption, shared.unit, shared.source, shared.legend_title) == \
        (fresh.caption, fresh.unit, fresh.source, fresh.legend_title)
    assert shared.view.summary == fresh.view.summary
    assert shared.view.legend == fresh.view.legend
    assert shared.view.value_texts == fresh.view.value_texts
    frame = Frame(700)
    assert shared.view.deck(frame=frame).to_json() == maps.region_deck(fresh.view.style, frame=frame).to_json()


def test_each_language_has_its_own_view() -> None:
    key = dict(dataset="sdg:SI_POV_NAHC", column="value", aggregation="sum", normalisation="none", year=2020)
    ru, ky = compose_fixed(ViewSpec(**key, lang="ru")), compose_fixed(ViewSpec(**key, lang="ky"))
    assert ru is not ky and ru.caption != ky.caption
    assert ru.view.names["KG-GB"] != ky.view.names["KG-GB"] or ru.view.summary != ky.view.summary


@pytest.mark.parametrize("dataset", ["upload:" + "0" * 64, "ngo_register"])
def test_private_and_live_data_are_never_shared(dataset: str) -> None:
    with pytest.raises(ValueError):
        compose_fixed(ViewSpec(dataset=dataset))
    with pytest.raises(ValueError):
        build_fixed(ViewSpec(dataset=dataset))


def test_a_deck_is_drawn_once_per_map_width_even_from_many_threads() -> None:
    view = compose(ViewSpec(lang="en"), builtin_table("ngo_sample")).view
    frames = [Frame(w) for w in (340, 480, 700, 900, 1200, 1600)]
    seen: list = []

    def draw(frame: Frame) -> None:
        for _ in range(20):
            seen.append((frame, view.deck(frame=frame)))

    threads = [threading.Thread(target=draw, args=(frames[i % len(frames)],)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 12 * 20
    assert view.deck(frame=frames[-1]) is view.deck(frame=frames[-1])
    assert view.deck(frame=frames[0]).height != view.deck(frame=frames[-1]).height or \
        view.deck(frame=frames[0]).to_json() != view.deck(frame=frames[-1]).to_json()


def test_a_shared_build_keeps_its_charts_and_matches_a_fresh_one() -> None:
    spec = ViewSpec(lang="ru", palette="Blues")
    shared = build_fixed(spec, None, Frame(700))
    fresh = build(spec, builtin_table("ngo_sample"), translator("ru"), None, Frame(700))
    assert build_fixed(spec, None, Frame(700)) is shared
    assert shared.deck.to_json() == fresh.deck.to_json()
    assert shared.notes == fresh.notes
    bar = shared.kept("bar", lambda: shared.composed.view.ranked_bar("Нет данных", "среднее"))
    assert shared.kept("bar", lambda: None) is bar
