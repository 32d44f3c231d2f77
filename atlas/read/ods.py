"""OpenDocument spreadsheets (.ods, LibreOffice) read from their ``content.xml`` with defusedxml.

Why our own reader and not pandas' ``odf`` engine: odfpy builds a full DOM with the standard
library's XML parser (no guard against entity declarations), and it expands repeated rows and
columns as written — LibreOffice writes an empty row "repeated 1,048,576 times" at the end of
many sheets. Here the XML streams through ``defusedxml`` (DTDs and entities refused), repeats of
empty cells are counted, never materialised, unless a filled cell follows, and every sheet is
capped in rows and cells. The grids then take the same path as .xlsx (``excel.grids_to_upload``).
"""

from __future__ import annotations

import datetime as dt
import zipfile

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.excel import fill_merged, grids_to_upload
from atlas.read.model import Progress, ReadOptions, Upload, tick

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
MAX_COLUMNS = 16_384
MAX_CELLS = 20_000_000
_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"


def is_ods(zf: zipfile.ZipFile) -> bool:
    """True when the zip's ``mimetype`` member names an OpenDocument spreadsheet."""
    try:
        info = zf.getinfo("mimetype")
    except KeyError:
        return False
    return info.file_size < 200 and safety.read_member(zf, info).strip() == MIMETYPE


def read_ods(zf: zipfile.ZipFile, opts: ReadOptions, progress: Progress) -> Upload:
    """An .ods workbook → the chosen (or the most table-like) sheet as a clean table."""
    try:
        info = zf.getinfo("content.xml")
    except KeyError as exc:
        raise UserError(Msg(N_("The OpenDocument file has no content.xml; it is damaged."))) from exc
    content = safety.read_member(zf, info)
    if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
        raise UserError(Msg(N_("The workbook contains XML entity declarations, which Excel never writes; "
                               "it was refused as unsafe.")))
    tick(progress, 0.2)
    try:
        sheets = _parse(content)
    except UserError:
        raise
    except Exception as exc:  # defusedxml and expat raise ParseError, DTDForbidden, ValueError …
        raise UserError(Msg(N_("The OpenDocument spreadsheet could not be read: {detail}"),
                            {"detail": type(exc).__name__})) from exc
    tick(progress, 0.4)
    return grids_to_upload({name: (raw, fill_merged(raw, spans)) for name, (raw, spans) in sheets.items()},
                           opts, progress)


def _parse(content: bytes) -> dict[str, tuple[list[list], list[tuple[int, int, int, int]]]]:
    """Sheets as raw rows plus merged spans, streaming ``content.xml``."""
    import io

    from defusedxml.ElementTree import iterparse

    sheets: dict = {}
    rows: list[list] = []
    spans: list[tuple[int, int, int, int]] = []
    pending_rows = 0  # empty rows seen, added only if a filled row follows
    cells = 0
    name = ""
    for event, elem in iterparse(io.BytesIO(content), events=("start", "end")):
        tag = elem.tag
        if event == "start":
            if tag == _T + "table":
                name, rows, spans, pending_rows = elem.get(_T + "name") or f"Sheet{len(sheets) + 1}", [], [], 0
            continue
        if tag == _T + "table-row":
            row, row_spans = _row(elem, len(rows) + pending_rows)
            repeat = _count(elem, "number-rows-repeated")
            if not row:
                pending_rows += repeat
            else:
                safety.check_rows(len(rows) + pending_rows + repeat)  # before a single row is copied
                cells += len(row) * repeat + pending_rows
                if cells > MAX_CELLS:
                    raise UserError(Msg(N_("The workbook has more than {n} cells; the limit was reached."),
                                        {"n": MAX_CELLS}))
                rows.extend([] for _ in range(pending_rows))
                pending_rows = 0
                rows.extend(list(row) for _ in range(repeat))
                spans.extend(row_spans)
            elem.clear()
        elif tag == _T + "table":
            sheets[name] = (rows, spans)
            elem.clear()
    return sheets


def _count(elem, attr: str) -> int:
    try:
        return max(1, int(elem.get(_T + attr) or 1))
    except ValueError:
        return 1


def _row(row_elem, row_index: int) -> tuple[list, list[tuple[int, int, int, int]]]:
    """One row's values (trailing blanks dropped) and the merged spans that start in it."""
    out: list = []
    spans = []
    pending = 0  # empty cells seen, added only if a filled cell follows
    col = 0
    for cell in row_elem:
        if cell.tag not in (_T + "table-cell", _T + "covered-table-cell"):
            continue
        repeat = _count(cell, "number-columns-repeated")
        value = _value(cell) if cell.tag == _T + "table-cell" else None
        across, down = _count(cell, "number-columns-spanned"), _count(cell, "number-rows-spanned")
        if across > 1 or down > 1:
            spans.append((row_index, row_index + down, col, col + across))
        if value is None:
            pending += repeat
        else:
            if len(out) + pending + repeat > MAX_COLUMNS:
                raise UserError(Msg(N_("A sheet is wider than {n} columns; it was refused."), {"n": MAX_COLUMNS}))
            out.extend([None] * pending)
            out.extend([value] * repeat)
            pending = 0
        col += repeat
    return out, spans


def _value(cell) -> object:
    """The typed value of a cell (number, date, boolean) or its text."""
    kind = cell.get(_O + "value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            return float(cell.get(_O + "value"))
        except (TypeError, ValueError):
            pass
    elif kind == "boolean":
        return (cell.get(_O + "boolean-value") or "").lower() == "true"
    elif kind == "date":
        raw = cell.get(_O + "date-value") or ""
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            pass
    paragraphs = [_text(p) for p in cell if p.tag == _X + "p"]
    text = "\n".join(paragraphs)
    return text if text.strip() else None


def _text(elem) -> str:
    """The text of a paragraph: spans followed, ``text:s`` as spaces, tabs and line breaks kept."""
    parts = [elem.text or ""]
    for child in elem:
        if child.tag == _X + "s":
            parts.append(" " * min(_count_text(child), 100))
        elif child.tag == _X + "tab":
            parts.append("\t")
        elif child.tag == _X + "line-break":
            parts.append("\n")
        else:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _count_text(elem) -> int:
    try:
        return max(1, int(elem.get(_X + "c") or 1))
    except ValueError:
        return 1
