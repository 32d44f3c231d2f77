"""The one entry point: bytes of any supported kind → ``Upload``; pasted ranges too.

The kind is judged by magic bytes (``safety.sniff``), never by the file name, which is used only in
messages.
"""

from __future__ import annotations

from pathlib import Path

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.excel import read_xlsx
from atlas.read.model import Guess, Progress, ReadOptions, Upload, tick
from atlas.read.text import read_text
from atlas.read.vector import read_geojson, read_shapefile, read_vector_path

# --------------------------------------------------------------------------- entry points


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
    tick(progress, 0.05)
    if kind == "zip":
        up = _read_zip(data, filename, opts, progress)
    elif kind == "gpkg":
        up = read_vector_path(data, "upload.gpkg", opts)
    elif kind == "json":
        up = read_geojson(data, opts)
    else:
        up = read_text(data, opts, progress)
    up.key, up.filename = safety.content_key(data), filename
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


def _warn_extension(up: Upload, filename: str, kind: str) -> None:
    """Say so when the extension disagrees with the content (we trust the content)."""
    ext = Path(filename).suffix.lower()
    real = {"zip": "xlsx" if up.kind == "table" else "zip", "gpkg": "gpkg", "json": "geojson", "text": "csv"}[kind]
    expected = {
        ".csv": "csv",
        ".txt": "csv",
        ".tsv": "csv",
        ".xlsx": "xlsx",
        ".geojson": "geojson",
        ".json": "geojson",
        ".zip": "zip",
        ".gpkg": "gpkg",
    }.get(ext)
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
        return read_xlsx(data, zf, opts, progress)
    if any(n.lower().endswith(".shp") for n in names):
        return read_shapefile(zf, opts)
    if any(n.lower().endswith(".gpkg") for n in names):
        info = next(i for i in zf.infolist() if i.filename.lower().endswith(".gpkg"))
        return read_vector_path(safety.read_member(zf, info), "upload.gpkg", opts)
    raise UserError(
        Msg(
            N_("{name} is a zip archive but holds no workbook (.xlsx) and no shapefile (.shp)."),
            {"name": filename or "The file"},
        )
    )
