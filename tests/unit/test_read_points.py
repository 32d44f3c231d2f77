"""Point layers are placed by their geometry and counted per unit; id columns are never values."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import read
from atlas.values import userdata
from tests import filekit as fk

# filekit.POINTS: two in Bishkek, one each in Naryn, Talas and Ysyk-Köl oblasts
COUNTS = {"KG-GB": 2, "KG-N": 1, "KG-T": 1, "KG-Y": 1}


@pytest.mark.parametrize(("make", "name"), [
    (fk.points_geojson, "schools.geojson"),
    (fk.points_shapefile_zip, "schools.zip"),
    (fk.points_gpkg, "schools.gpkg"),
])
def test_points_are_counted_where_they_lie(make, name: str) -> None:
    up = read.read_upload(make(), name)
    assert up.kind == "vector" and read.is_point_layer(up.table)
    # addr:city says "Ош" for every point: an attribute never places a point
    assert up.roles.region is None and up.roles.code is None
    choices = userdata.default_choices(up)
    assert choices.value_cols == [] and choices.region_col is None
    built = userdata.build(up, choices)
    assert built.points.counts()["inside"] == len(fk.POINTS)
    codes = built.table.frame[built.table.region_col].value_counts().to_dict()
    assert codes == COUNTS
    assert userdata.first_value_column(built.table) == "", "the first map counts the points"


@pytest.mark.parametrize("name", ["id", "fid", "osm_id", "OBJECTID", "ogc_fid", "ADM2_PCODE", "Код", "soate",
                                  "region_id", "№"])
def test_id_like_columns_are_never_values(name: str) -> None:
    df = pd.DataFrame({"Область": ["Нарын", "Талас", "Баткен"], name: [101, 102, 103], "Школы": [5, 6, 7]})
    assert read.detect_roles(df).values == ["Школы"]


def test_level2_keys_of_points() -> None:
    lat = pd.Series([p[2] for p in fk.POINTS])
    lon = pd.Series([p[1] for p in fk.POINTS])
    level1 = read.codes_at(lat, lon, 1).tolist()
    level2 = read.codes_at(lat, lon, 2).tolist()
    assert level1 == ["KG-GB", "KG-N", "KG-T", "KG-Y", "KG-GB"]
    assert all(isinstance(c, str) and c.startswith("KG") and len(c) == 13 for c in level2)
    assert level2[0] == level2[4] and len(set(level2)) == 4, "two points in Bishkek share its unit"
