"""CSV that spreadsheet programs open as data, never as formulas (CSV/formula injection)."""

from __future__ import annotations

import pandas as pd

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Neutralise a text cell that a spreadsheet would run as a formula, by a leading apostrophe.

    Numbers are left alone, so a real negative number stays a number.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def to_safe_csv(df: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV with a BOM (so Excel on Windows reads Cyrillic), every text cell made safe.

    >>> to_safe_csv(pd.DataFrame({"a": ["=1+1"]})).decode("utf-8-sig").splitlines()[1]
    "'=1+1"
    """
    safe = df.copy()
    safe.columns = [str(safe_cell(str(c))) for c in safe.columns]
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(safe_cell)
    # CRLF rows make the writer quote any cell holding a CR or LF: an unquoted CR would start a
    # new row in a spreadsheet and let "x\r=1+2" through as a formula cell.
    return safe.to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
