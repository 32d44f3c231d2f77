"""Deck builders: layer types per map type, compact JSON, bubble sizes, no-data styling."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from atlas.draw import maps
from atlas.draw.builder import build
from atlas.draw.views import ViewSpec
from atlas.places import gazetteer
from atlas.values.datasets import DatasetTable, builtin_table

CODES = list(gazetteer.CODES)


def _style(colors=None, highlight=None, labels=True) -> maps.RegionStyle:
    colors = colors if colors is not None else {c: "#336699" for c in CODES}
    return maps.RegionStyle(colors=colors, names={c: c for c in CODES}, value_texts={c: "1" for c in CODES},
                            labels=labels, highlight=highlight)


def _layers(deck) -> dict[str, dict]:
    return {layer["id"]: layer for layer in json.loads(deck.to_json())["layers"]}


@pytest.mark.parametrize(("map_type", "expected"), [
    ("choropleth", {"regions": "GeoJsonLayer", "cities": "ScatterplotLayer", "labels": "TextLayer"}),
    ("bubbles", {"regions": "GeoJsonLayer", "bubbles": "ScatterplotLayer"}),
    ("points", {"regions": "GeoJsonLayer", "points": "ScatterplotLayer"}),
    ("choropleth_points", {"regions": "GeoJsonLayer", "cities": "ScatterplotLayer",
                           "points": "ScatterplotLayer"}),
    ("hexbin", {"hexbins": "HexagonLayer"}),
    ("heatmap", {"heatmap": "HeatmapLayer"}),
])
def test_each_map_type_has_its_layers(map_type, expected):
    deck = build(ViewSpec(map_type=map_type, lang="en"), builtin_table("ngo_sample")).deck
    layers = _layers(deck)
    assert {k: layers[k]["@@type"] for k in expected if k in layers} == expected
    assert "neighbours" in layers  # the offline base is always drawn


@pytest.mark.parametrize("map_type", ["choropleth", "bubbles", "points", "hexbin", "heatmap"])
def test_no_map_type_asks_for_a_basemap(map_type):
    # No provider and pydeck's placeholder style: Streamlit's front end then starts no MapLibre (no style
    # request, no worker, no tiles) and picks no default basemap; the backdrop is the first deck.gl layer.
    spec = json.loads(build(ViewSpec(map_type=map_type, lang="en"), builtin_table("ngo_sample")).deck.to_json())
    assert "mapProvider" not in spec and spec["mapStyle"] == "__MAP_STYLE__"
    assert spec["layers"][0]["id"] == "sea" and spec["layers"][0]["pickable"] is False


@pytest.mark.parametrize("map_type", ["choropleth", "bubbles", "hexbin", "heatmap"])
def test_map_json_is_compact_and_under_50_kb(map_type):
    text = build(ViewSpec(map_type=map_type, lang="en"), builtin_table("ngo_sample")).deck.to_json()
    assert "\n" not in text and ": " not in text[:2000]
    assert len(text.encode()) < 50_000, len(text.encode())


def test_point_coordinates_are_rounded_to_four_decimals():
    pts = pd.DataFrame({"lon": [74.123456789, 75.0], "lat": [42.987654321, None], "tooltip": ["a", "b"]})
    data = maps.compact_points(pts)
    assert data == [{"p": [74.1235, 42.9877], "tooltip": "a"}]


@pytest.mark.parametrize("values", [
    [1.0, 4.0, 9.0, 16.0, 100.0],
    [0.5, 0.6, 300.0, 2000.0, 2001.0],
    [7.0, 7.5, 8.0, 1e6, 3.0],
])
def test_bubble_radius_grows_with_value_and_area_is_proportional(values):
    s = pd.Series(values, index=CODES[: len(values)])
    radius = maps.bubble_radius(s)
    order = np.argsort(values)
    assert np.all(np.diff(radius.to_numpy()[order]) > 0)
    areas = radius.to_numpy() ** 2
    assert np.allclose(areas / areas.max(), np.asarray(values) / max(values))


def test_bubble_layer_draws_no_data_as_a_hollow_ring_not_a_small_bubble():
    values = pd.Series({c: float(i) for i, c in enumerate(CODES)})
    values["KG-N"] = np.nan
    values["KG-T"] = 0.0
    deck = maps.bubble_deck(_style(), values)
    rows = {r["code"]: r for r in _layers(deck)["bubbles"]["data"]}
    assert rows["KG-N"]["fill"][3] == 0 and rows["KG-N"]["line"] == list(maps.NO_DATA_LINE)
    assert rows["KG-T"]["fill"][3] > 0  # zero is a (tiny) bubble, drawn in the data colour
    radii = [rows[c]["r"] for c in CODES if c not in ("KG-N", "KG-T")]
    values_sorted = [values[c] for c in CODES if c not in ("KG-N", "KG-T")]
    assert radii == sorted(radii) and values_sorted == sorted(values_sorted)


def test_choropleth_no_data_region_differs_from_zero_region():
    table = DatasetTable("t", "t", pd.DataFrame({"code": ["KG-T", "KG-B", "KG-C"], "v": [0.0, 5.0, 9.0]}),
                         "code", ["v"])
    spec = ViewSpec(dataset="t", column="v", aggregation="sum", normalisation="none", lang="en")
    features = {f["properties"]["code"]: f["properties"] for f in
                _layers(build(spec, table).deck)["regions"]["data"]["features"]}
    assert features["KG-T"]["fill"] != features["KG-N"]["fill"]
    assert features["KG-N"]["fill"] == list(maps.NO_DATA_FILL)
    assert features["KG-N"]["line"] == list(maps.NO_DATA_LINE)
    assert features["KG-T"]["line"] != list(maps.NO_DATA_LINE)
    assert "No data" in features["KG-N"]["tooltip"]


def test_few_rows_are_flagged_in_the_tooltip():
    table = DatasetTable("t", "t", pd.DataFrame({"code": ["KG-T"] + ["KG-B"] * 5, "v": [1.0] * 6}),
                         "code", ["v"])
    spec = ViewSpec(dataset="t", column="v", aggregation="mean", normalisation="none", lang="en")
    built = build(spec, table)
    features = {f["properties"]["code"]: f["properties"] for f in
                _layers(built.deck)["regions"]["data"]["features"]}
    assert "only 1 row behind this value" in features["KG-T"]["tooltip"]
    assert "only" not in features["KG-B"]["tooltip"]
    assert any("Talas" in n.render(str) for n in built.notes)


def test_tooltip_names_the_unit_even_when_labels_leave_it_out():
    deck = build(ViewSpec(lang="en"), builtin_table("ngo_sample")).deck
    template = deck._tooltip["text"]  # what the browser fills in for the unit under the pointer
    tips = [template.replace("{tooltip}", f["properties"]["tooltip"])
            for f in _layers(deck)["regions"]["data"]["features"]]
    assert all("per 10,000 people" in t and "Source: " in t for t in tips), tips[0]
    assert all("<" not in t for t in tips)


def test_lines_shared_by_every_tooltip_are_sent_once_not_per_unit():
    deck = build(ViewSpec(lang="en", level=2, dataset="elevation_rayons", column="elev_median_m",
                          aggregation="mean", normalisation="none"),
                 builtin_table("elevation_rayons")).deck
    features = _layers(deck)["regions"]["data"]["features"]
    assert len(features) == 55
    assert not any("Source" in f["properties"]["tooltip"] for f in features)
    assert deck.to_json().count("Source: ") == 0  # the template travels beside the JSON, once
    assert deck._tooltip["text"].startswith("{tooltip}\n") and "Source: " in deck._tooltip["text"]


def test_custom_geojson_deck_colours_by_id():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "a"},
         "geometry": {"type": "Polygon", "coordinates": [[[74, 41], [75, 41], [75, 42], [74, 41]]]}},
        {"type": "Feature", "properties": {"id": "b"},
         "geometry": {"type": "Polygon", "coordinates": [[[76, 41], [77, 41], [77, 42], [76, 41]]]}},
    ]}
    layer = _layers(maps.geojson_deck(fc, {"a": "#ff0000"}, {"a": "A: 3"}))["custom"]
    props = [f["properties"] for f in layer["data"]["features"]]
    assert props[0]["fill"] == [255, 0, 0, 255] and props[0]["tooltip"] == "A: 3"
    assert props[1]["fill"] == list(maps.NO_DATA_FILL) and props[1]["line"] == list(maps.NO_DATA_LINE)


@pytest.mark.parametrize(("values", "first"), [([3.0, 870.0], 1000.0), ([0.4], 0.5), ([20.0], 20.0)])
def test_bubble_legend_starts_at_a_round_value_at_or_above_the_maximum(values, first):
    steps = maps.bubble_legend_values(pd.Series(values))
    assert steps[0] == first and steps == sorted(steps, reverse=True)
