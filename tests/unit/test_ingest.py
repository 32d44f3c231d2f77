"""Reading uploads: every file class, generated in code, and hostile input."""

from __future__ import annotations

import io
import json
import os
import tempfile
import zipfile

import geopandas as gpd
import openpyxl
import pandas as pd
import pytest
import shapely

from atlas import read
from atlas.errors import UserError
from atlas.places import regions
from atlas.read import safety

TITLED = (
    "Отчёт по областям за 2020 год\n\nОбласть;Сумма;Проекты\nЧуйская обл.;1 234,5;3\n"
    "г. Бишкек;2.334,01;4\nТаласская;н/д;5\nВсего;3 568,51;12\nИсточник: Нацстатком;;\n"
)


def test_cp1251_semicolon_decimal_comma_title_and_totals() -> None:
    up = read.read_upload(TITLED.encode("cp1251"), "report.csv")
    g = up.report.guesses
    assert (g["encoding"].value, g["separator"].value, g["header_row"].value, g["decimal"].value) == (
        "cp1251",
        ";",
        2,
        ",",
    )
    assert up.table["Сумма"].tolist()[:2] == [1234.5, 2334.01]
    assert up.report.bad_numbers["Сумма"] == {"count": 1, "examples": ["н/д"]}
    reasons = {(d["line"], d["reason"]) for d in up.report.dropped}
    assert {(1, "above the header"), (7, "total row"), (8, "note below the table")} <= reasons
    assert up.roles.region == "Область" and up.roles.values == ["Сумма", "Проекты"]


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-16", "\t"), ("cp866", ","), ("utf-8-sig", "|"), ("utf-8", ";"), ("cp1251", "\t")],
)
def test_encodings_and_separators(encoding: str, sep: str) -> None:
    text = (
        sep.join(["Область", "Население"])
        + "\n"
        + "\n".join(sep.join([name, str(n)]) for name, n in [("Нарынская область", 292140), ("Ош шаары", 322164)])
    )
    up = read.read_upload(text.encode(encoding), "x.txt")
    assert up.report.guesses["separator"].value == sep
    assert up.report.guesses["encoding"].value.replace("-le", "").startswith(encoding.split("-sig")[0])
    assert up.table["Область"].tolist() == ["Нарынская область", "Ош шаары"]
    assert up.table["Население"].tolist() == [292140, 322164]


def test_overrides_are_honoured() -> None:
    opts = read.ReadOptions(encoding="cp1251", separator=";", header_row=2, decimal=",")
    up = read.read_upload(TITLED.encode("cp1251"), "r.csv", opts)
    assert up.report.guesses["separator"].reason == "chosen"
    assert up.table.columns.tolist() == ["Область", "Сумма", "Проекты"]


def test_quoted_newlines_and_thousands_spaces() -> None:
    data = 'Region;Note;Amount\nNaryn;"two\nlines";"1\u00a0234,5"\nTalas;plain;2\n'.encode()
    up = read.read_upload(data, "q.csv")
    assert up.table["Note"].tolist() == ["two\nlines", "plain"]
    assert up.table["Amount"].tolist() == [1234.5, 2.0]


def test_pasted_range_with_wide_years() -> None:
    up = read.read_pasted("Область\t2019\t2020\nНарын\t1\t2\nТалас\t3\t4\n")
    assert up.roles.region == "Область" and up.roles.wide_years == ["2019", "2020"]
    assert up.table["2020"].sum() == 6


def test_roles_from_content() -> None:
    df = pd.DataFrame(
        {
            "kod": ["KG02000000000", "KG11000000000"],
            "place": ["Ысык-Көл", "Бишкек"],
            "y": [42.5, 42.87],
            "x": [78.4, 74.6],
            "год": [2019, 2020],
            "n": [1.5, 2.5],
        }
    )
    r = read.detect_roles(df)
    assert (r.code, r.region, r.lat, r.lon, r.year, r.values) == ("kod", "place", "y", "x", "год", ["n"])


def _xlsx() -> bytes:
    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "see the other sheet"
    ws = wb.create_sheet("Data")
    ws["A1"] = "Население по областям"
    ws.merge_cells("A1:D1")
    ws["A3"], ws["B3"], ws["D3"] = "Область", "Население", "Код"
    ws.merge_cells("A3:A4")
    ws.merge_cells("B3:C3")
    ws.merge_cells("D3:D4")
    ws["B4"], ws["C4"] = 2019, 2020
    rows = [
        ("Нарынская область", 280000, "290 000", "KG04000000000"),
        ("Ош шаары", 300000, 310000.5, "KG21000000000"),
        ("Кыргызская Республика", 6000000, 6100000, None),
        ("Источник: Нацстатком", None, None, None),
    ]
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(row=5 + i, column=1 + j, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_xlsx_sheets_title_merged_header_totals() -> None:
    up = read.read_upload(_xlsx(), "book.xlsx")
    assert up.sheets == ["Notes", "Data"] and up.report.guesses["sheet"].value == "Data"
    assert up.table.columns.tolist() == ["Область", "2019", "2020", "Код"]
    assert up.table["2020"].tolist() == [290000.0, 310000.5]
    assert up.roles.wide_years == ["2019", "2020"] and up.roles.code == "Код"
    assert {d["reason"] for d in up.report.dropped} >= {
        "above the header",
        "total row",
        "note below the table",
    }
    with pytest.raises(UserError, match="no data rows"):  # the one-cell sheet, chosen on purpose
        read.read_upload(_xlsx(), "book.xlsx", read.ReadOptions(sheet="Notes"))
    with pytest.raises(UserError, match="no sheet named"):
        read.read_upload(_xlsx(), "book.xlsx", read.ReadOptions(sheet="Missing"))


def test_billion_laughs_xlsx_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">&lol2;</workbook>'
    )
    src = zipfile.ZipFile(io.BytesIO(_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for info in src.infolist():
            z.writestr(info.filename, bomb if info.filename == "xl/workbook.xml" else src.read(info))
    with pytest.raises(UserError, match="entity"):
        read.read_upload(out.getvalue(), "laughs.xlsx")


def test_openpyxl_uses_defusedxml() -> None:
    from openpyxl.xml import functions

    assert functions.fromstring.__module__.startswith("defusedxml") or openpyxl.DEFUSEDXML


def _points_gdf() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"name": ["Бишкек", "Ош"]},
        geometry=[shapely.Point(74.6, 42.87), shapely.Point(72.8, 40.53)],
        crs=4326,
    )


def test_geojson_with_projected_crs_member() -> None:
    d = json.loads(_points_gdf().to_crs(32643).to_json())
    d["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32643"}}
    up = read.read_upload(json.dumps(d).encode(), "p.geojson")
    assert up.kind == "vector" and up.table.crs.to_epsg() == 4326
    assert up.table.geometry.x.round(4).tolist() == [74.6, 72.8]
    assert any("converted" in m.render() for m in up.report.messages)


def test_zipped_shapefile_in_subfolder_with_prj_and_cpg() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _points_gdf().to_crs(32643).to_file(f"{tmp}/pts.shp", encoding="cp1251")
        with open(f"{tmp}/pts.cpg", "w") as fh:
            fh.write("1251")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name in os.listdir(tmp):
                z.write(f"{tmp}/{name}", f"export/layer/{name}")
    up = read.read_upload(buf.getvalue(), "shapes.zip")
    assert up.table["name"].tolist() == ["Бишкек", "Ош"]
    assert up.table.geometry.y.round(3).tolist() == [42.87, 40.53]
    latin = read.read_upload(buf.getvalue(), "s.zip", read.ReadOptions(shapefile_encoding="latin-1"))
    assert latin.table["name"].tolist() != ["Бишкек", "Ош"]


def test_geopackage() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _points_gdf().to_file(f"{tmp}/x.gpkg", layer="sites")
        data = open(f"{tmp}/x.gpkg", "rb").read()
    up = read.read_upload(data, "x.gpkg")
    assert up.sheets == ["sites"] and len(up.table) == 2


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("data.csv", b"0" * (5 * 2**20))
    return buf.getvalue()


BAD = [
    (b"", "empty"),
    (b"  \n\n", "empty"),
    (b"Region;Value\n", "header \\(line 1\\) but no data"),
    (b'Region,Value\nNaryn,"12\nTalas,3\n', "Line 2 opens a quoted field"),
    (b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "Linux program"),
    (b"MZ\x90\x00" + b"\x00" * 50, "Windows program"),
    (b"PK\x03\x04not really a zip", "damaged"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "old Excel"),
]


@pytest.mark.parametrize(("data", "message"), BAD)
def test_bad_input_gets_a_message(data: bytes, message: str) -> None:
    with pytest.raises(UserError, match=message):
        read.read_upload(data, "upload.csv")


def test_zip_bomb_is_refused() -> None:
    with pytest.raises(UserError, match="unpacks to far more"):
        read.read_upload(_zip_bomb(), "bomb.zip")


def test_csv_that_is_a_zip_says_so() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("notes.txt", "hello")
    with pytest.raises(UserError, match="table.csv is a zip archive"):
        read.read_upload(buf.getvalue(), "table.csv")


def test_size_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safety, "MAX_BYTES", 10)
    with pytest.raises(UserError, match="limit"):
        read.read_upload(b"Region;Value\nNaryn;1\n", "a.csv")
    monkeypatch.setattr(safety, "MAX_BYTES", 10**6)
    monkeypatch.setattr(safety, "MAX_ROWS", 2)
    with pytest.raises(UserError, match="rows"):
        read.read_upload(b"Region;Value\nNaryn;1\nTalas;2\nChuy;3\n", "a.csv")


def test_content_key_is_full_sha256() -> None:
    up = read.read_upload(b"a;b\n1;2\n", "a.csv")
    assert up.key == safety.content_key(b"a;b\n1;2\n") and len(up.key) == 64


def test_mojibake_file_is_repaired() -> None:
    text = "Область;N\nБишкек;1\nНарын;2\nТалас;3\nЧуй;4\n"
    garbled = text.encode("utf-8").decode("cp1251").encode("utf-8")
    up = read.read_upload(garbled, "m.csv")
    assert up.table["Область"].tolist()[:2] == ["Бишкек", "Нарын"]


def test_progress_callback_is_called() -> None:
    seen: list[float] = []
    read.read_upload(TITLED.encode("cp1251"), "r.csv", progress=seen.append)
    assert seen[-1] == 1.0 and seen == sorted(seen)


def test_match_after_read_end_to_end() -> None:
    up = read.read_upload(TITLED.encode("cp1251"), "r.csv")
    res = regions.match_column(up.table[up.roles.region])
    assert res.codes.tolist() == ["KG-C", "KG-GB", "KG-T"]
