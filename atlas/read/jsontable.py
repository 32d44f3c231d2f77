"""JSON files: GeoJSON goes to the vector reader; a table in JSON becomes a grid like a sheet's.

A table in JSON comes as an array of records (``[{"region": "Naryn", "n": 3}, …]``), an array of
arrays whose first row is the header, or an object wrapping such a list (``{"DataList": […]}``,
also one level deeper). Nested records are flattened (``region.name``). Messages never show a
path on the server: the bytes are parsed in memory.
"""

from __future__ import annotations

import json

import orjson
import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.excel import grids_to_upload
from atlas.read.model import Guess, Progress, ReadOptions, Upload

GEOJSON_TYPES = frozenset({"FeatureCollection", "Feature", "Point", "MultiPoint", "LineString",
                           "MultiLineString", "Polygon", "MultiPolygon", "GeometryCollection"})
MAX_COLUMNS = 2_000
_DEPTH = 3


def parse(data: bytes) -> object:
    """The JSON value of the bytes (UTF-8, with or without BOM; UTF-16 with BOM), or a clear error.

    >>> parse(b'\\xef\\xbb\\xbf[1, 2]')
    [1, 2]
    """
    raw = data
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError as exc:
            raise UserError(Msg(N_("The JSON file is not valid text (UTF-16 expected)."))) from exc
    raw = raw.removeprefix(b"\xef\xbb\xbf")
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if getattr(exc, "lineno", None) else ""
        raise UserError(Msg(N_("The file looks like JSON but is not valid JSON ({where})."), {"where": where})) from exc


def is_geojson(value: object) -> bool:
    """True for a GeoJSON object (a FeatureCollection, a Feature or a bare geometry).

    >>> is_geojson({"type": "FeatureCollection", "features": []}), is_geojson({"DataList": []})
    (True, False)
    """
    return isinstance(value, dict) and value.get("type") in GEOJSON_TYPES


def read_json_table(value: object, opts: ReadOptions, progress: Progress) -> Upload:
    """A JSON value that is a table → the same clean table a sheet would give.

    >>> up = read_json_table({"DataList": [{"Region": "Naryn", "N": 3}]}, ReadOptions(), None)
    >>> up.table.to_dict("list"), up.report.guesses["sheet"].value
    ({'Region': ['Naryn'], 'N': [3]}, 'DataList')
    """
    where, rows = _find_rows(value, "", 0)
    if rows is None:
        raise UserError(Msg(N_(
            "The JSON file holds no table: expected a list of records ([{{…}}, {{…}}]), a list of rows "
            "([[…], […]]) with the header first, or an object holding such a list.")))
    safety.check_rows(len(rows))
    if all(isinstance(r, dict) for r in rows):
        grid = _records_grid(rows)
    else:
        grid = [[_cell(v) for v in r] if isinstance(r, list) else [_cell(r)] for r in rows]
    up = grids_to_upload({where or "JSON": (grid, grid)}, opts, progress)
    up.sheets = []
    up.report.guesses["sheet"] = Guess(where or "JSON", [], "the list in the file")
    up.report.messages.append(Msg(N_("The JSON file was read as a table (not a map file).")))
    return up


def _find_rows(value: object, path: str, depth: int) -> tuple[str, list | None]:
    """The table's list: the value itself, or the largest list of records/rows inside an object."""
    if isinstance(value, list):
        rows = [r for r in value if r is not None]
        if rows and (all(isinstance(r, dict) for r in rows) or all(isinstance(r, list) for r in rows)):
            return path, rows
        return path, None
    if isinstance(value, dict) and depth < _DEPTH:
        found = [_find_rows(v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items()]
        found = [f for f in found if f[1] is not None]
        if found:
            return max(found, key=lambda f: len(f[1]))
    return path, None


def _records_grid(rows: list[dict]) -> list[list]:
    """Records → header row plus one row per record; nested objects become ``a.b`` columns."""
    flat = pd.json_normalize(rows, max_level=2) if any(isinstance(v, dict) for r in rows[:200]
                                                       for v in r.values()) else None
    if flat is not None:
        names = [str(c) for c in flat.columns]
        body = flat.astype(object).where(flat.notna(), None).values.tolist()
    else:
        names = list(dict.fromkeys(k for r in rows for k in r))
        body = [[r.get(k) for k in names] for r in rows]
    if len(names) > MAX_COLUMNS:
        raise UserError(Msg(N_("The JSON records have {n} different fields; the limit is {limit}."),
                            {"n": len(names), "limit": MAX_COLUMNS}))
    return [[str(n) for n in names], *[[_cell(v) for v in r] for r in body]]


def _cell(v: object) -> object:
    """Scalars stay; lists and objects inside a cell become their JSON text."""
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)[:500]
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
        return str(v)
    return v
