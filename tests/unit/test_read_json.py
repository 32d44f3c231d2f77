"""JSON tables: records, rows with a header, a wrapped list; GeoJSON still goes to the map reader."""

from __future__ import annotations

import json

import pytest

from atlas import read
from atlas.errors import UserError
from tests import filekit as fk

EXPECTED = {"Область": ["Нарынская область", "Таласская область", "г. Бишкек", "Баткенская область"],
            "Школы": [12, 7, 30, 9]}


@pytest.mark.parametrize("data", [
    fk.json_records(fk.OBLAST_ROWS),
    fk.json_records(fk.OBLAST_ROWS, wrap="DataList"),
    fk.json_arrays(fk.OBLAST_ROWS),
    json.dumps({"meta": {"source": "stat.kg"}, "result": {"rows": fk.OBLAST_ROWS}}, ensure_ascii=False).encode(),
    b"\xef\xbb\xbf" + fk.json_arrays(fk.OBLAST_ROWS),
], ids=["records", "wrapped", "arrays", "nested", "bom"])
def test_json_tables_are_read_as_tables(data: bytes) -> None:
    up = read.read_upload(data, "t.json")
    assert up.kind == "table"
    assert up.table.to_dict("list") == EXPECTED
    assert up.roles.region == "Область" and up.roles.values == ["Школы"]
    assert any("read as a table" in m.render() for m in up.report.messages)


def test_array_of_arrays_is_never_read_as_csv_text() -> None:
    up = read.read_upload(json.dumps([["id_1", "region", "n"], [1, "Naryn", 3], [2, "Talas", 4]]).encode(), "t.csv")
    assert list(up.table.columns) == ["id_1", "region", "n"]
    assert up.roles.values == ["n"], "an id column is never a value"


def test_nested_records_are_flattened() -> None:
    data = json.dumps([{"region": {"name": "Naryn"}, "n": 3}, {"region": {"name": "Talas"}, "n": 4}]).encode()
    up = read.read_upload(data, "t.json")
    assert up.table["region.name"].tolist() == ["Naryn", "Talas"]


@pytest.mark.parametrize(("data", "says"), [
    (b'[{"a": 1}, ', "not valid JSON (line 1, column"),
    (b'{"a": 1, "b": "x"}', "holds no table"),
    (b"[1, 2, 3]", "holds no table"),
])
def test_bad_json_says_why_without_a_path(data: bytes, says: str) -> None:
    with pytest.raises(UserError) as err:
        read.read_upload(data, "t.json")
    text = err.value.msg.render()
    assert says in text and "/tmp" not in text and "atlas-" not in text


def test_broken_map_file_names_no_server_path() -> None:
    with pytest.raises(UserError) as err:  # GDAL names the file it was given in its errors
        read.read_upload(b"SQLite format 3\x00" + b"\x01" * 2000, "x.gpkg")
    text = err.value.msg.render()
    assert "/tmp" not in text and "atlas-" not in text, text


def test_geojson_is_still_a_map_file() -> None:
    assert read.read_upload(fk.points_geojson(), "p.json").kind == "vector"
