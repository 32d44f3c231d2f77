"""Files as publishers make them, generated in code: .xls, .ods, .xlsx, CSV, JSON tables, point layers.

Each builder takes rows (the first is the header unless said otherwise) and returns bytes. Used by
the unit tests, the fuzz seeds, the AppTests and the browser test; nothing here reads a fixture.
"""

from __future__ import annotations

import io
import json
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

#: A year × region × sex table with a total row per breakdown, as the statistics office prints it.
LONG_ROWS = [["Год", "Область", "Пол", "Численность"]] + [
    [year, region, sex, value]
    for year, base in ((2021, 100), (2022, 200))
    for region, k in (("Нарынская область", 1), ("Таласская область", 2), ("Баткенская область", 3))
    for sex, value in (("Всего", base * k), ("мужчины", base * k * 0.4), ("женщины", base * k * 0.6))
]

OBLAST_ROWS = [["Область", "Школы"], ["Нарынская область", 12], ["Таласская область", 7],
               ["г. Бишкек", 30], ["Баткенская область", 9]]

#: Points inside known units (lon, lat): Bishkek, Naryn town, Talas town, Karakol.
POINTS = [("school 1", 74.59, 42.87), ("school 2", 75.99, 41.43), ("school 3", 72.24, 42.52),
          ("school 4", 78.39, 42.49), ("school 5", 74.61, 42.88)]


def xls(sheets: dict[str, list[list]], merges: dict[str, list[tuple[int, int, int, int]]] | None = None) -> bytes:
    """An Excel 97–2003 workbook (BIFF8 in OLE2) written with xlwt; merges are (r0, r1, c0, c1) inclusive."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    for name, rows in sheets.items():
        ws = wb.add_sheet(name)
        merged = (merges or {}).get(name, [])
        skip = {(r, c) for r0, r1, c0, c1 in merged for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        for r0, r1, c0, c1 in merged:
            ws.write_merge(r0, r1, c0, c1, rows[r0][c0])
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None and (r, c) not in skip:
                    ws.write(r, c, v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def ods(sheets: dict[str, list[list]], merges: dict[str, list[tuple[int, int, int, int]]] | None = None,
        trailing_repeat: int = 1_048_000) -> bytes:
    """An OpenDocument spreadsheet as LibreOffice writes it, with the huge repeated empty tail row."""
    tables = []
    for name, rows in sheets.items():
        spans = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, r1, c0, c1 in (merges or {}).get(name, [])}
        covered = {(r, c) for (r0, c0), (dr, dc) in spans.items() for r in range(r0, r0 + dr)
                   for c in range(c0, c0 + dc)} - set(spans)
        body = []
        for r, row in enumerate(rows):
            cells = []
            for c, v in enumerate(row):
                if (r, c) in covered:
                    cells.append("<table:covered-table-cell/>")
                    continue
                attrs = ""
                if (r, c) in spans:
                    dr, dc = spans[(r, c)]
                    attrs = f' table:number-rows-spanned="{dr}" table:number-columns-spanned="{dc}"'
                if v is None:
                    cells.append(f"<table:table-cell{attrs}/>")
                elif isinstance(v, (int, float)) and not isinstance(v, bool):
                    cells.append(f'<table:table-cell{attrs} office:value-type="float" office:value="{v}">'
                                 f"<text:p>{v}</text:p></table:table-cell>")
                else:
                    cells.append(f'<table:table-cell{attrs} office:value-type="string">'
                                 f"<text:p>{escape(str(v))}</text:p></table:table-cell>")
            cells.append('<table:table-cell table:number-columns-repeated="16380"/>')
            body.append("<table:table-row>" + "".join(cells) + "</table:table-row>")
        body.append(f'<table:table-row table:number-rows-repeated="{trailing_repeat}">'
                    '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>')
        tables.append(f'<table:table table:name="{escape(name)}">' + "".join(body) + "</table:table>")
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        "<office:body><office:spreadsheet>" + "".join(tables) + "</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        zf.writestr("META-INF/manifest.xml", "<manifest/>")
    return buf.getvalue()


def xlsx(rows: list[list], title: str = "Лист1") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv(rows: list[list], sep: str = ";") -> bytes:
    return "\r\n".join(sep.join("" if v is None else str(v) for v in r) for r in rows).encode("utf-8")


def json_records(rows: list[list], wrap: str | None = None) -> bytes:
    records = [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]
    return json.dumps({wrap: records} if wrap else records, ensure_ascii=False).encode("utf-8")


def json_arrays(rows: list[list]) -> bytes:
    return json.dumps(rows, ensure_ascii=False).encode("utf-8")


def points_geojson(points=POINTS) -> bytes:
    """OSM-style points: an osm_id, a name and an addr:city that is not where the point lies."""
    feats = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
              "properties": {"osm_id": 1000 + i, "name": name, "addr:city": "Ош", "amenity": "school"}}
             for i, (name, lon, lat) in enumerate(points)]
    return json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False).encode("utf-8")


def _points_frame(points=POINTS):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame({"fid_1": list(range(len(points))), "name": [p[0] for p in points],
                             "objectid": [500 + i for i in range(len(points))]},
                            geometry=[shapely.Point(lon, lat) for _, lon, lat in points], crs=4326)


def points_shapefile_zip(points=POINTS) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        _points_frame(points).to_file(Path(tmp) / "schools.shp", engine="pyogrio")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as zf:
            for f in sorted(Path(tmp).iterdir()):
                zf.write(f, f.name)
        return buf.getvalue()


def points_gpkg(points=POINTS) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schools.gpkg"
        _points_frame(points).to_file(path, driver="GPKG", engine="pyogrio")
        return path.read_bytes()
