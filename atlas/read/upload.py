"""The one entry point: bytes of any supported kind → ``Upload``; pasted ranges too.

The kind is judged by magic bytes (``safety.sniff``), never by the file name, which is used only in
messages.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import jsontable, safety
from atlas.read.excel import read_xlsx
from atlas.read.model import Guess, Progress, ReadOptions, Upload, tick
from atlas.read.ods import is_ods, read_ods
from atlas.read.text import read_text
from atlas.read.vector import read_geojson, read_shapefile, read_vector_path
from atlas.read.xls import read_xls

# --------------------------------------------------------------------------- entry points

_HASHER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="atlas-hash")


def read_upload(
    data: bytes, filename: str = "", options: ReadOptions | None = None, progress: Progress = None
) -> Upload:
    """Read uploaded bytes of any supported kind.

    >>> read_upload("Область;Сумма\\nТалас;1 234,5\\n".encode("cp1251")).table["Сумма"].tolist()
    [1234.5]
    """
    opts = options or ReadOptions()
    safety.check_size(data)
    kind = safety.sniff(data)
    # sha256 releases the GIL: the key is computed on the other core while the file is parsed
    key = _HASHER.submit(safety.content_key, data) if len(data) > 1 << 20 else None
    tick(progress, 0.05)
    if kind == "zip":
        up = _read_zip(data, filename, opts, progress)
    elif kind == "gpkg":
        up = read_vector_path(data, "upload.gpkg", opts)
    elif kind == "xls":
        up = read_xls(data, opts, progress)
    elif kind == "json":
        value = jsontable.parse(data)
        if jsontable.is_geojson(value):
            del value  # pyogrio reads the bytes again; the parsed copy is not kept
            up = read_geojson(data, opts)
        else:
            up = jsontable.read_json_table(value, opts, progress)
    else:
        up = read_text(data, opts, progress)
    up.key, up.filename = key.result() if key else safety.content_key(data), filename
    _warn_extension(up, filename, kind)
    tick(progress, 1.0)
    return up


def read_pasted(text: str, options: ReadOptions | None = None) -> Upload:
    """Read a range copied from Excel (tab-separated unless the text says otherwise).

    >>> read_pasted("Region\\tN\\nNaryn\\t3\\n").table.to_dict("list")
    {'Region': ['Naryn'], 'N': [3]}
    """
    data = text.encode("utf-8")
    safety.check_size(data)
    opts = options or ReadOptions()
    if opts.encoding is None:
        opts = ReadOptions(**{**opts.__dict__, "encoding": "utf-8"})
    up = read_text(data, opts, None)
    up.report.guesses["encoding"] = Guess("text", [], "pasted text")
    up.key = safety.content_key(data)
    return up


_KIND_NAMES = {"gpkg": "gpkg", "xls": "xls", "text": "csv"}
_EXPECTED = {".csv": "csv", ".txt": "csv", ".tsv": "csv", ".xlsx": "xlsx", ".xls": "xls", ".ods": "ods",
             ".geojson": "geojson", ".json": "json", ".zip": "zip", ".gpkg": "gpkg"}


def _warn_extension(up: Upload, filename: str, kind: str) -> None:
    """Say so when the extension disagrees with the content (we trust the content)."""
    ext = Path(filename).suffix.lower()
    if kind == "zip":
        real = up.report.guesses.get("container", Guess("zip")).value
    elif kind == "json":
        real = "geojson" if up.kind == "vector" else "json"
    else:
        real = _KIND_NAMES[kind]
    expected = _EXPECTED.get(ext)
    if expected == "json" and real == "geojson" or expected == "geojson" and real == "json":
        return  # a JSON table named .geojson, or GeoJSON named .json: both are JSON, nothing to say
    if expected and expected != real:
        up.report.messages.append(
            Msg(
                N_("The file is named {name} but its content is {real}; it was read as {real}."),
                {"name": filename, "real": real},
            )
        )


# --------------------------------------------------------------------------- zip: xlsx or shapefile


def _read_zip(data: bytes, filename: str, opts: ReadOptions, progress: Progress) -> Upload:
    """A zip is an .xlsx workbook or a zipped shapefile; anything else is refused."""
    zf = safety.open_zip(data)
    names = zf.namelist()
    if "xl/workbook.xml" in names:
        return _contained(read_xlsx(data, zf, opts, progress), "xlsx")
    if is_ods(zf):
        return _contained(read_ods(zf, opts, progress), "ods")
    if any(n.lower().endswith(".shp") for n in names):
        return _contained(read_shapefile(zf, opts), "zip")
    if any(n.lower().endswith(".gpkg") for n in names):
        info = next(i for i in zf.infolist() if i.filename.lower().endswith(".gpkg"))
        return _contained(read_vector_path(safety.read_member(zf, info), "upload.gpkg", opts), "zip")
    raise UserError(
        Msg(
            N_("{name} is a zip archive but holds no workbook (.xlsx, .ods) and no shapefile (.shp)."),
            {"name": filename or "The file"},
        )
    )


def _contained(up: Upload, what: str) -> Upload:
    up.report.guesses["container"] = Guess(what, [], "zip contents")
    return up
