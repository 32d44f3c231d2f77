"""Old Excel workbooks (.xls, Excel 97–2003), read with xlrd into the same grids as .xlsx.

xlrd reads the values Excel stored; it never evaluates a formula (a formula cell gives the result
Excel saved). Untrusted bytes: the upload size cap applies before, rows are checked per sheet, and
any failure of the parser becomes one clear message.
"""

from __future__ import annotations

import io

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.excel import fill_merged, grids_to_upload
from atlas.read.model import Progress, ReadOptions, Upload, tick

#: At most this many cells per workbook (an .xls sheet holds at most 65,536 × 256).
MAX_CELLS = 20_000_000


def read_xls(data: bytes, opts: ReadOptions, progress: Progress) -> Upload:
    """An OLE2 file holding an Excel 97–2003 workbook → the chosen sheet as a clean table."""
    import xlrd  # imported here: the text path must not pay for it

    book = None
    for formatting in (True, False):  # merged cells need formatting_info, which older BIFF lacks
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=formatting, ragged_rows=True,
                                      logfile=io.StringIO(), verbosity=0)
            break
        except NotImplementedError:
            continue
        except Exception as exc:  # xlrd raises XLRDError, struct.error, IndexError, … on damaged files
            raise UserError(_open_error(exc)) from exc
    if book is None:
        raise UserError(_open_error(ValueError("unsupported")))
    tick(progress, 0.3)
    sheets = {}
    cells = 0
    try:
        for sh in book.sheets():
            safety.check_rows(sh.nrows)
            raw = [[_value(sh.cell(r, c), book.datemode) for c in range(sh.row_len(r))] for r in range(sh.nrows)]
            cells += sum(len(r) for r in raw)
            if cells > MAX_CELLS:
                raise UserError(Msg(N_("The workbook has more than {n} cells; the limit was reached."),
                                    {"n": MAX_CELLS}))
            sheets[sh.name] = (raw, fill_merged(raw, list(sh.merged_cells)))
    except UserError:
        raise
    except Exception as exc:
        raise UserError(_open_error(exc)) from exc
    finally:
        book.release_resources()
    return grids_to_upload(sheets, opts, progress)


def _value(cell, datemode: int) -> object:
    """A cell as Python: text, float, bool, datetime; errors and blanks as None."""
    import xlrd

    kind = cell.ctype
    if kind in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return None
    if kind == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if kind == xlrd.XL_CELL_DATE:
        try:
            return xlrd.xldate_as_datetime(cell.value, datemode)
        except Exception:  # an impossible date number: keep the number, the user sees it
            return float(cell.value)
    if kind == xlrd.XL_CELL_NUMBER:
        return float(cell.value)
    text = str(cell.value)
    return text if text.strip() else None


def _open_error(exc: Exception) -> Msg:
    """What to tell the user: a Word file, a password, or a damaged workbook (no paths, no trace)."""
    text = str(exc).lower()
    if "workbook is encrypted" in text:
        return Msg(N_("The workbook is password-protected; save it without a password."))
    if "can't find workbook" in text:
        return Msg(N_("This is an old Office file but holds no Excel workbook (a Word .doc?); it was not opened."))
    return Msg(N_("The old Excel workbook (.xls) could not be opened: {detail}"), {"detail": type(exc).__name__})


