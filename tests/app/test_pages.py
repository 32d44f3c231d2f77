"""Every page runs in every language without an exception (Streamlit AppTest, widgets by key)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import LANGS
from atlas.values import datasets

ROOT = Path(__file__).resolve().parents[2]
PAGES = sorted(f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py"))


def run_page(path: str, lang: str = "en", **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / path), default_timeout=60)
    at.query_params["lang"] = lang
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", PAGES)
def test_page_runs_without_exception(path, lang):
    at = run_page(path, lang)
    assert not at.exception, at.exception
    assert at.title, "every page has a title"


@pytest.mark.parametrize("key", list(datasets.INDICATORS))
def test_overview_shows_every_indicator_with_its_source(key):
    at = run_page("app_pages/overview.py", overview_source="other")
    at.selectbox(key="overview_indicator").select(key).run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "Source" in captions
    assert "COD-AB" in captions and "Natural Earth" in captions
    dataset = datasets.DATASETS[datasets.indicator(key).dataset]
    warnings = " ".join(w.value for w in at.warning)
    assert ("not real data" in warnings) == dataset.is_sample


def _deck(at: AppTest) -> dict:
    import json

    return json.loads(at.get("deck_gl_json_chart")[0].proto.json)


def _layer(deck: dict, layer_id: str) -> dict | None:
    return next((layer for layer in deck["layers"] if layer["id"] == layer_id), None)


def test_overview_level_switch_draws_55_rayons_in_kyrgyz_with_lakes_and_relief():
    at = run_page("app_pages/overview.py", "ky", overview_source="other")
    at.selectbox(key="overview_indicator").select("elev_median").run()
    oblasts = _layer(_deck(at), "regions")["data"]["features"]
    assert len(oblasts) == 9 and _layer(_deck(at), "relief") is None  # relief off by default
    at.radio(key="overview_level").set_value(2).run()
    at.toggle(key="overview_relief").set_value(True).run()
    assert not at.exception
    deck = _deck(at)
    features = _layer(deck, "regions")["data"]["features"]
    assert len(features) == 55
    assert len({tuple(f["properties"]["fill"]) for f in features}) >= 5  # classes, not one colour
    tips = " ".join(f["properties"]["tooltip"] for f in features)
    assert "Айтматов району" in tips and "Ош шаары" in tips  # Kyrgyz names, Kara-Buura renamed
    assert _layer(deck, "lakes") and _layer(deck, "relief")["image"].startswith("data:image/png;base64,")
    assert {row["code"] for row in _layer(deck, "cities")["data"]} == {"KG11000000000", "KG21000000000"}


def test_overview_refuses_per_capita_at_rayon_level_and_keeps_units_grey():
    at = run_page("app_pages/overview.py", overview_source="other")
    at.selectbox(key="overview_indicator").select("density").run()
    at.radio(key="overview_level").set_value(2).run()
    assert any("No population by rayon" in i.value for i in at.info)
    fills = {tuple(f["properties"]["fill"]) for f in _layer(_deck(at), "regions")["data"]["features"]}
    assert fills == {(222, 222, 218, 255)}  # every unit in the no-data grey, none coloured as zero


def test_overview_names_the_gap_for_bishkek_density():
    at = run_page("app_pages/overview.py", overview_source="other")
    at.selectbox(key="overview_indicator").select("density").run()
    assert any("Bishkek" in i.value for i in at.info)
    assert any("No data" in m.value and "Bishkek" in m.value for m in at.markdown)


def test_overview_shows_ogp_headline_facts_with_sources():
    at = run_page("app_pages/overview.py")
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "38 members" in text
    assert "Resolution No. 360-r" in text
    assert "OSCE" in text


def test_about_page_lists_every_bundled_file():
    at = run_page("app_pages/about_data.py")
    text = " ".join(m.value for m in at.markdown)
    for name in ("regions.csv", "region_aliases.csv", "ogp_commitments.csv", "sample_ngo_projects.csv",
                 "kg_level1_full.geojson", "kg_level2_screen.geojson", "neighbours_screen.geojson"):
        assert name in text
