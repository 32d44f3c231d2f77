"""The map builder in AppTest: widgets by key, what the user reads, and the link round trip."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from atlas.values.datasets import DatasetTable

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _var(monkeypatch, tmp_path):
    import ui.state

    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path))
    ui.state.store.clear()
    yield
    ui.state.store.clear()


def page(params: dict | None = None, **state) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/builder.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    for key, value in (params or {}).items():
        at.query_params[key] = value
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def texts(at: AppTest) -> dict[str, str]:
    return {
        "caption": " ".join(c.value for c in at.caption),
        "markdown": " ".join(m.value for m in at.markdown),
        "warning": " ".join(w.value for w in at.warning),
        "info": " ".join(i.value for i in at.info),
        "error": " ".join(e.value for e in at.error),
    }


def test_default_view_has_caption_legend_counts_and_summary():
    at = page()
    assert not at.exception, at.exception
    t = texts(at)
    assert "per 10,000 people (population 2021), natural breaks (5 classes)" in t["caption"]
    assert "per 10,000 people (2021 population)" in t["markdown"]  # the unit in the legend title
    legend = next(m.value for m in at.markdown if "role='list'" in m.value)
    counts = [int(x) for x in pd.Series([legend]).str.findall(r"\((\d+)\)</span>")[0]]
    assert len(counts) == 5 and sum(counts) == 9  # each class says how many regions it holds
    assert "Highest:" in t["markdown"] and "Lowest:" in t["markdown"] and "Median:" in t["markdown"]
    assert "not real data" in t["warning"]


CHANGES = [
    # (widget kind, key, value, where, text the user then reads)
    ("selectbox", "builder_scheme", "quantiles", "caption", "quantiles (5 classes)"),
    ("slider", "builder_k", 3, "caption", "natural breaks (3 classes)"),
    ("radio", "builder_normalisation", "share", "caption", "% of the national total"),
    ("radio", "builder_normalisation", "per_1000km2", "info", ""),
    ("selectbox", "builder_map_type", "bubbles", "markdown", "Circle area shows the value"),
    ("selectbox", "builder_map_type", "points", "info", "points overlap: try hexagon bins"),
    ("selectbox", "builder_palette", "RdBu", "caption", "Colours diverge from"),
    ("selectbox", "builder_palette", "RdYlGn", "caption", "natural breaks"),
    ("checkbox", "builder_reverse", True, "caption", "natural breaks (5 classes)"),
    ("select_slider", "builder_year", 2019, "caption", "2019"),
    ("selectbox", "builder_column", "budget_kgs", "caption", "budget_kgs"),
    ("text_input", "builder_title", "Projects in 2024", "markdown", ""),
]


@pytest.mark.parametrize(("kind", "key", "value", "where", "expected"), CHANGES)
def test_each_widget_changes_what_the_user_reads(kind, key, value, where, expected):
    at = page()
    widget = getattr(at, kind)(key=key)
    (widget.select(value) if kind == "selectbox" else
     widget.input(value) if kind == "text_input" else widget.set_value(value)).run()
    assert not at.exception, at.exception
    assert not texts(at)["error"], texts(at)["error"]
    assert expected in texts(at)[where]
    assert getattr(at, kind)(key=key).value == value


def test_per_km2_says_why_bishkek_has_no_data_and_the_legend_has_a_no_data_row():
    at = page()
    at.radio(key="builder_normalisation").set_value("per_1000km2").run()
    assert "No data: Bishkek" in texts(at)["markdown"]
    assert "No data" in next(m.value for m in at.markdown if "role='list'" in m.value)


def test_aggregation_of_averages_offers_no_per_capita():
    at = page()
    at.selectbox(key="builder_column").select("beneficiaries").run()
    at.selectbox(key="builder_aggregation").select("median").run()
    assert at.radio(key="builder_normalisation").options == ["As counted (no adjustment)"]
    assert "Median of beneficiaries" in texts(at)["caption"] or "beneficiaries" in texts(at)["caption"]


def test_filter_and_few_rows_warning():
    at = page()
    at.selectbox(key="builder_column").select("budget_kgs").run()
    at.selectbox(key="builder_aggregation").select("mean").run()
    theme = at.multiselect(key="builder_filter_theme")
    theme.select(theme.options[0]).run()
    at.select_slider(key="builder_year").set_value(2018).run()
    t = texts(at)
    assert f"only theme: {theme.options[0]}" in t["caption"]
    assert "No data" in t["markdown"]  # the filter empties some regions
    assert "rest on fewer than 3 rows" in t["info"]
    assert "Classes with" in t["warning"]  # classes.warnings reach the user


@pytest.mark.parametrize(("text", "message"), [
    ("ten; twenty", "is not a number"),
    ("5; 1", "must increase"),
    ("0.1; 999", "outside the data"),
])
def test_manual_breaks_errors_are_explained(text, message):
    at = page()
    at.selectbox(key="builder_scheme").select("manual").run()
    at.text_input(key="builder_breaks").input(text).run()
    assert not at.exception
    assert message in texts(at)["error"]


def test_manual_breaks_draw_their_classes():
    at = page()
    at.selectbox(key="builder_scheme").select("manual").run()
    at.text_input(key="builder_breaks").input("1; 1,5").run()
    assert "manual breaks (3 classes)" in texts(at)["caption"]
    assert at.query_params["b"] == ["1,1.5"] or at.query_params["b"] == "1,1.5"


LINK = {"d": "ngo_sample", "c": "beneficiaries", "a": "sum", "n": "share", "m": "bubbles", "s": "quantiles",
        "k": "4", "p": "Greens", "r": "1", "y": "2020", "lb": "0", "t": "My map",
        "f": json.dumps({"theme": ["Health"]}, separators=(",", ":"))}


def _qp(at: AppTest) -> dict[str, str]:
    return {k: (v[-1] if isinstance(v, list) else v) for k, v in at.query_params.items()}


def test_link_sets_the_widgets_and_is_written_back_unchanged():
    at = page(LINK)
    assert not at.exception, at.exception
    assert at.selectbox(key="builder_column").value == "beneficiaries"
    assert at.radio(key="builder_normalisation").value == "share"
    assert at.selectbox(key="builder_map_type").value == "bubbles"
    assert at.selectbox(key="builder_scheme").value == "quantiles"
    assert at.slider(key="builder_k").value == 4
    assert at.selectbox(key="builder_palette").value == "Greens"
    assert at.checkbox(key="builder_reverse").value is True
    assert at.select_slider(key="builder_year").value == 2020
    assert at.toggle(key="builder_labels").value is False
    assert at.text_input(key="builder_title").value == "My map"
    assert at.multiselect(key="builder_filter_theme").value == ["Health"]
    # The link is written back as it came, less what is the default anyway (the dataset).
    assert _qp(at) == {**{k: v for k, v in LINK.items() if k != "d"}, "lang": "en"}
    assert "2020, only theme: Health" in texts(at)["caption"]


def test_changing_a_widget_updates_the_link():
    at = page()
    at.slider(key="builder_k").set_value(4).run()
    at.selectbox(key="builder_palette").select("Purples").run()
    assert _qp(at) == {"k": "4", "p": "Purples", "lang": "en"}


def test_bad_link_values_are_reported_and_replaced_by_defaults():
    at = page({"k": "99", "p": "Rainbow", "d": "upload:" + "0" * 64})
    assert not at.exception
    warnings = texts(at)["warning"]
    assert "k=99" in warnings and "p=Rainbow" in warnings
    assert "another session" in warnings
    assert at.slider(key="builder_k").value == 5


def test_an_upload_is_preselected_and_mapped():
    frame = pd.DataFrame({"code": ["KG-T", "KG-B", "KG-N", "KG-C"], "schools": [0, 12, 7, 30]})
    table = DatasetTable("upload:" + "a" * 64, "schools.xlsx", frame, "code", ["schools"])
    at = page(user_datasets={table.key: table}, builder_dataset=table.key)
    assert not at.exception, at.exception
    assert at.selectbox(key="builder_dataset").value == table.key
    at.selectbox(key="builder_column").select("schools").run()
    at.selectbox(key="builder_aggregation").select("sum").run()
    at.radio(key="builder_normalisation").set_value("none").run()
    t = texts(at)
    assert "No data: " in t["markdown"] and "Osh City" in t["markdown"]
    assert "Lowest: Talas Region (0)." in t["markdown"]  # zero is a value, not "no data"


def test_handouts_are_prepared_only_on_request():
    at = page()
    assert len(at.get("download_button")) == 0
    at.button(key="builder_prepare").click().run()
    assert not at.exception, at.exception
    labels = sorted(b.proto.label for b in at.get("download_button"))
    assert labels == ["CSV", "GEOJSON", "HTML", "PDF", "PNG", "SVG"]


def test_selecting_a_region_highlights_it_in_the_ranking():
    at = page(builder_highlight="KG-N")
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = spec["data"][0]
    widths = dict(zip(bar["customdata"], bar["marker"]["line"]["width"], strict=True))
    assert widths["KG-N"] > 0 and all(w == 0 for code, w in widths.items() if code != "KG-N")


def _custom_geography_script():
    import geopandas as gpd
    import pandas as pd
    import shapely

    from atlas.draw.views import ViewSpec
    from atlas.values.datasets import DatasetTable
    from ui.builder import show_custom_map

    gdf = gpd.GeoDataFrame({"name": ["Ала-Бука", "Токтогул", "Ноокат"]}, crs=4326,
                           geometry=[shapely.box(71, 41, 72, 42), shapely.box(72, 41, 73, 42),
                                     shapely.box(72, 40, 73, 41)])
    frame = pd.DataFrame({"district": ["Ала-Букинский район", "Токтогул", "Марс"], "v": [0.0, 4.0, 1.0]})
    table = DatasetTable("upload:" + "b" * 64, "d.csv", frame, "district", ["v"])
    spec = ViewSpec(column="v", aggregation="sum", normalisation="none", k=3, lang="en")
    show_custom_map(spec, table, (gdf, "name", "district"))


def test_own_polygons_are_coloured_with_a_match_report():
    at = AppTest.from_function(_custom_geography_script, default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    legend = next(m.value for m in at.markdown if "role='list'" in m.value)
    assert "No data" in legend  # Nookat has no row
    assert "1 name in the table matches no polygon" in texts(at)["warning"]
    report = at.dataframe[0].value
    assert dict(zip(report["value"], report["how"], strict=True)) == {
        "Ала-Букинский район": "fuzzy", "Токтогул": "exact", "Марс": "none"}


def _regions_layer(at: AppTest) -> dict:
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"]: layer for layer in deck["layers"]}


def test_level_switch_maps_the_sample_by_rayon_and_goes_into_the_link():
    at = page()
    assert len(_regions_layer(at)["regions"]["data"]["features"]) == 9
    at.radio(key="builder_level").set_value(2).run()
    assert not at.exception, at.exception
    layers = _regions_layer(at)
    features = layers["regions"]["data"]["features"]
    assert len(features) == 55
    # per 10,000 people is not offered at rayon level, and the page says why
    assert "per_10k" not in at.radio(key="builder_normalisation").options
    assert "No population by rayon" in texts(at)["caption"]
    # units whose rayon has no project stay in the no-data grey; the rest are coloured
    fills = [tuple(f["properties"]["fill"]) for f in features]
    assert (222, 222, 218, 255) in fills and len(set(fills)) >= 4
    assert _qp(at)["lv"] == "2"


def test_link_opens_rayons_with_relief():
    at = page({"lv": "2", "rl": "1", "n": "none"})
    assert not at.exception, at.exception
    assert at.radio(key="builder_level").value == 2 and at.toggle(key="builder_relief").value is True
    layers = _regions_layer(at)
    assert len(layers["regions"]["data"]["features"]) == 55 and layers["relief"]["@@type"] == "BitmapLayer"


def test_oblast_table_is_not_split_into_rayons():
    at = page({"d": "regions", "lv": "2", "n": "none"})
    assert "cannot be split into rayons" in texts(at)["error"]
