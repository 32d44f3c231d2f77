"""Your own geography: name matching, compact screen shapes, aggregation and the drawn map."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from atlas.draw import customgeo, maps
from atlas.errors import UserError


def _districts() -> gpd.GeoDataFrame:
    # Four neighbouring squares with wiggly shared borders (many vertices, as real boundaries).
    names = ["Ала-Бука", "Токтогул", "Кара-Кулжа", "Ноокат"]
    boxes = []
    for i in range(4):
        x0, y0 = 71 + (i % 2), 40 + i // 2
        edge = [(x0 + 1, y0 + t / 200) for t in range(201)]
        ring = [(x0, y0), *edge, (x0, y0 + 1)]
        boxes.append(shapely.Polygon(ring).union(shapely.box(x0, y0, x0 + 1, y0 + 1)))
    return gpd.GeoDataFrame({"district": names, "pop": [1, 2, 3, 4]}, geometry=boxes, crs=4326)


@pytest.mark.parametrize(("value", "matched", "how"), [
    ("Ала-Бука", "Ала-Бука", "exact"),
    ("  ала-бука ", "Ала-Бука", "exact"),
    ("Ала-Букинский район", "Ала-Бука", "fuzzy"),
    ("Тоголок", None, "none"),
    ("Ноокатский", "Ноокат", "exact"),  # the region-name stemmer drops adjective endings
    ("Paris", None, "none"),
])
def test_match_names(value, matched, how):
    row = customgeo.match_names([value], _districts()["district"]).iloc[0]
    assert (row["matched"], row["how"]) == (matched, how)


def test_screen_shapes_are_compact_rounded_and_keep_every_polygon():
    fc = customgeo.screen_shapes(_districts(), "district")
    assert [f["properties"]["id"] for f in fc["features"]] == list(_districts()["district"])
    coords = [c for f in fc["features"] for c in shapely.get_coordinates(shapely.geometry.shape(f["geometry"]))]
    assert all(round(x, 4) == x and round(y, 4) == y for x, y in coords)
    assert len(json.dumps(fc)) < 4_000


@pytest.mark.parametrize(("column", "message"), [("nope", "no column"), ("pop", "no polygons")])
def test_screen_shapes_refuses_what_it_cannot_draw(column, message):
    gdf = _districts() if column == "nope" else gpd.GeoDataFrame(
        {"pop": [1]}, geometry=[shapely.Point(74, 41)], crs=4326)
    with pytest.raises(UserError) as err:
        customgeo.screen_shapes(gdf, column)
    assert message in err.value.msg.render(str).lower()


@pytest.mark.parametrize(("how", "expected"), [("sum", 30.0), ("mean", 15.0), ("count", 2.0), ("max", 20.0)])
def test_aggregate_through_the_match_report(how, expected):
    df = pd.DataFrame({"name": ["Ала-Букинский район", "Ала-Бука", "Тоголок"], "v": [10, 20, 99]})
    report = customgeo.match_names(df["name"], _districts()["district"])
    values = customgeo.aggregate(df, "name", None if how == "count" else "v", how, report)
    assert values["Ала-Бука"] == expected
    assert "Тоголок" not in values.index  # unmatched rows are left out, not guessed


def test_custom_map_colours_matched_polygons_and_marks_the_rest_no_data():
    df = pd.DataFrame({"name": ["Ала-Бука", "Токтогул", "Ноокатский", "Марс"], "v": [0.0, 5.0, 9.0, 1.0]})
    result = customgeo.custom_map(_districts(), "district", df, "name", "v", "sum", k=3)
    layer = json.loads(result.deck.to_json())["layers"][-1]
    props = {f["properties"]["id"]: f["properties"] for f in layer["data"]["features"]}
    assert props["Кара-Кулжа"]["fill"] == list(maps.NO_DATA_FILL)
    assert props["Ала-Бука"]["fill"] != list(maps.NO_DATA_FILL)  # zero is a value
    assert result.legend[-1][1:] == ("No data", 1)
    assert any("matches no polygon" in w.render(str) for w in result.warnings)
    assert len(result.deck.to_json()) < 50_000
