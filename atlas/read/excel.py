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
    report = ReadReport()
    grids, raws = {}, {}
    for ws in wb.worksheets:
        safety.check_rows(ws.max_row or 0)
        raws[ws.title], grids[ws.title] = _sheet_grid(ws)
    sheets = list(grids)
    best = max(sheets, key=lambda s: sum(1 for r in grids[s] if sum(v is not None for v in r) >= 2))
    sheet = opts.sheet if opts.sheet in grids else best
    if opts.sheet and opts.sheet not in grids:
        raise UserError(
            Msg(
                N_("There is no sheet named {sheet}; the sheets are {all}."),
                {"sheet": opts.sheet, "all": ", ".join(sheets)},
            )
        )
    report.guesses["sheet"] = Guess(sheet, sheets, "chosen" if opts.sheet else "holds the largest table")
    grid = grids[sheet]
    if not any(any(v is not None for v in r) for r in grid):
        raise UserError(Msg(N_("The sheet {sheet} is empty."), {"sheet": sheet}))
    # guessed on the raw cells: a title merged across the table must not look like a header
    header = opts.header_row if opts.header_row is not None else guess_header(raws[sheet][:SAMPLE_LINES])
    report.guesses["header_row"] = Guess(header, list(range(min(len(grid), 20))), "first well-filled row")
    names, start = _header_names(grid, header)
    for i in range(header):
        report.dropped.append(
            {
                "line": i + 1,
                "reason": "above the header",
                "text": " | ".join(str(v) for v in raws[sheet][i] if v is not None),
            }
        )
    df = pd.DataFrame([r[: len(names)] for r in grid[start:]], columns=unique_names(names), dtype=object)
    texts = [[v for v in r if isinstance(v, str)] for r in grid[start : start + SAMPLE_LINES]]
    decimal = opts.decimal or guess_decimal(texts, ";")
    report.guesses["decimal"] = Guess(decimal, [".", ","], "numbers typed as text")
    df = clean_table(df, start + 1, decimal, opts, report)
    return Upload(df, "table", report, sheets, detect_roles(df))


def _sheet_grid(ws) -> tuple[list[list], list[list]]:
    """Sheet values as rows (raw, and with merged ranges filled by their top-left value)."""
    raw = [list(r) for r in ws.iter_rows(values_only=True)]
    grid = [list(r) for r in raw]
    for rng in ws.merged_cells.ranges:
        value = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                grid[r][c] = value
    for r in grid:
        for i, v in enumerate(r):
            if isinstance(v, str) and not v.strip():
                r[i] = None
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    return raw, grid


def _header_names(grid: list[list], header: int) -> tuple[list[str], int]:
    """Header names; a merged two-row header ("Population" over "2019", "2020") becomes one row."""
    top = ["" if v is None else str(v).strip() for v in grid[header]]
    filled = [t for t in top if t]
    if header + 1 < len(grid) and len(set(filled)) < len(filled):
        sub = ["" if v is None else str(v).strip() for v in grid[header + 1]]
        under_dups = [sub[i] for i, t in enumerate(top) if t and top.count(t) > 1]
        if all(under_dups) and len(set(under_dups)) == len(under_dups):
            names = [
                t if (s == t or not s) else (s if year_of(s) or not t else f"{t} {s}")
                for t, s in zip(top, sub, strict=False)
            ]
            return names, header + 2
    return top, header + 1
