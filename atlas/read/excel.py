"""Excel workbooks (.xlsx): sheet choice, title rows, merged headers; XML parts checked first."""

from __future__ import annotations

import io
import zipfile

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.clean import clean_table, unique_names
from atlas.read.model import SAMPLE_LINES, Guess, Progress, ReadOptions, ReadReport, Upload, tick
from atlas.read.roles import detect_roles, year_of
from atlas.read.text import guess_decimal, guess_header


def _check_xml_parts(zf: zipfile.ZipFile) -> None:
    """Refuse workbooks whose XML declares a DTD or entities (billion laughs), before openpyxl."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            head = safety.read_member(zf, info)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UserError(
                    Msg(
                        N_(
                            "The workbook contains XML entity declarations, which Excel never "
                            "writes; it was refused as unsafe."
                        )
                    )
                )


def read_xlsx(data: bytes, zf: zipfile.ZipFile, opts: ReadOptions, progress: Progress) -> Upload:
    """Workbook → the chosen (or the most table-like) sheet with merged headers filled in."""
    import openpyxl  # imported here: the text path must not pay for it

    _check_xml_parts(zf)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types (defusedxml, KeyError, ValueError) on bad files
        raise UserError(Msg(N_("The workbook could not be opened: {detail}"), {"detail": type(exc).__name__})) from exc
    tick(progress, 0.3)
    sheets = {}
    try:
        for ws in wb.worksheets:
            safety.check_rows(ws.max_row or 0)
            sheets[ws.title] = _sheet_grid(ws)
    except UserError:
        raise
    except Exception as exc:  # a damaged part surfaces only when its cells are read (zlib, ValueError)
        raise UserError(Msg(N_("The workbook could not be opened: {detail}"), {"detail": type(exc).__name__})) from exc
    return grids_to_upload(sheets, opts, progress)


def grids_to_upload(sheets: dict[str, tuple[list[list], list[list]]], opts: ReadOptions, progress: Progress) -> Upload:
    """Sheets as (raw cells, cells with merged ranges filled) → the chosen sheet as a clean table.

    The one path for every workbook format (.xlsx, .xls, .ods): sheet choice, title rows, merged
    two-row headers, section-header blocks, totals and notes.

    >>> grids_to_upload({"S": ([["Область", "N"], ["Нарын", 2]],) * 2}, ReadOptions(), None).table.shape
    (1, 2)
    """
    from atlas.read.sections import unfold_sections

    report = ReadReport()
    if not sheets:
        raise UserError(Msg(N_("The workbook has no sheets.")))
    raws = {name: raw for name, (raw, _) in sheets.items()}
    grids = {name: grid for name, (_, grid) in sheets.items()}
    names_ = list(grids)
    best = max(names_, key=lambda s: sum(1 for r in grids[s] if sum(v is not None for v in r) >= 2))
    if opts.sheet and opts.sheet not in grids:
        raise UserError(
            Msg(
                N_("There is no sheet named {sheet}; the sheets are {all}."),
                {"sheet": opts.sheet, "all": ", ".join(names_)},
            )
        )
    sheet = opts.sheet if opts.sheet in grids else best
    report.guesses["sheet"] = Guess(sheet, names_, "chosen" if opts.sheet else "holds the largest table")
    grid, raw = grids[sheet], raws[sheet]
    if not any(any(v is not None for v in r) for r in grid):
        raise UserError(Msg(N_("The sheet {sheet} is empty."), {"sheet": sheet}))
    # guessed on the raw cells: a title merged across the table must not look like a header
    header = opts.header_row if opts.header_row is not None else guess_header(raw[:SAMPLE_LINES])
    header = min(max(header, 0), len(grid) - 1)
    report.guesses["header_row"] = Guess(header, list(range(min(len(grid), 20))), "first well-filled row")
    names, start = _header_names(grid, header)
    for i in range(header):
        report.dropped.append(
            {
                "line": i + 1,
                "reason": "above the header",
                "text": " | ".join(str(v) for v in raw[i] if v is not None),
            }
        )
    widest = max((len(r) for r in grid[start : start + SAMPLE_LINES]), default=0)
    names += [""] * (widest - len(names))  # ragged readers (.xls, .ods) drop a blank last header cell
    width = len(names)
    rows = [(list(r[:width]) + [None] * (width - len(r)))[:width] for r in grid[start:]]
    rows, names = unfold_sections(rows, names, start + 1, report)
    df = pd.DataFrame(rows, columns=unique_names(names), dtype=object)
    texts = [[v for v in r if isinstance(v, str)] for r in grid[start : start + SAMPLE_LINES]]
    decimal = opts.decimal or guess_decimal(texts, ";")
    report.guesses["decimal"] = Guess(decimal, [".", ","], "numbers typed as text")
    df = clean_table(df, start + 1, decimal, opts, report)
    return Upload(df, "table", report, names_, detect_roles(df))


def _sheet_grid(ws) -> tuple[list[list], list[list]]:
    """Sheet values as rows (raw, and with merged ranges filled by their top-left value)."""
    raw = [list(r) for r in ws.iter_rows(values_only=True)]
    spans = [(r.min_row - 1, r.max_row, r.min_col - 1, r.max_col) for r in ws.merged_cells.ranges]
    return raw, fill_merged(raw, spans)


def fill_merged(raw: list[list], spans: list[tuple[int, int, int, int]]) -> list[list]:
    """A copy of ``raw`` with each merged span (row0, row1, col0, col1; ends excluded) filled by its
    top-left value, blank strings as None and trailing blank rows removed.

    >>> fill_merged([["Population", None], [2019, 2020]], [(0, 1, 0, 2)])
    [['Population', 'Population'], [2019, 2020]]
    """
    grid = [list(r) for r in raw]
    for r0, r1, c0, c1 in spans:
        if r0 >= len(grid) or c0 >= len(grid[r0]):
            continue
        value = grid[r0][c0]
        if value is None:
            continue
        width = max(len(r) for r in grid[:200]) if grid else 0
        for r in range(r0, min(r1, len(grid))):
            row = grid[r]
            end = min(c1, max(width, c0 + 1))
            if len(row) < end:  # readers drop trailing blanks; a merged span reaches past them
                row.extend([None] * (end - len(row)))
            for c in range(c0, end):
                row[c] = value
    for r in grid:
        for i, v in enumerate(r):
            if isinstance(v, str) and not v.strip():
                r[i] = None
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    return grid


def _header_names(grid: list[list], header: int) -> tuple[list[str], int]:
    """Header names; a merged two-row header ("Population" over "2019", "2020") becomes one row."""
    top = ["" if v is None else _cell_text(v) for v in grid[header]]
    filled = [t for t in top if t]
    if header + 1 < len(grid) and len(set(filled)) < len(filled):
        sub = ["" if v is None else _cell_text(v) for v in grid[header + 1]]
        under_dups = [sub[i] for i, t in enumerate(top) if t and top.count(t) > 1]
        if all(under_dups) and len(set(under_dups)) == len(under_dups):
            names = [
                t if (s == t or not s) else (s if year_of(s) or not t else f"{t} {s}")
                for t, s in zip(top, sub, strict=False)
            ]
            return names, header + 2
    return top, header + 1


def _cell_text(v: object) -> str:
    """A header cell as text; a year stored as the number 2020.0 reads "2020".

    >>> _cell_text(2020.0), _cell_text(" Район ")
    ('2020', 'Район')
    """
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()
