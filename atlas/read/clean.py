"""From raw cells to a clean table: numbers with any separators, blank, notes and totals rows dropped
with their reasons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg, plural_msg
from atlas.places import regions
from atlas.read import safety
from atlas.read.labels import clean_labels
from atlas.read.model import NUM_SPACES, TOTAL_HINT, ReadOptions, ReadReport


def unique_names(names: list[str]) -> list[str]:
    """Blank names become column_N; repeats get .2, .3 (pandas/Excel habit).

    >>> unique_names(["a", "", "a"])
    ['a', 'column_2', 'a.2']
    """
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() if name and not name.startswith("Unnamed:") else f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


# --------------------------------------------------------------------------- cleaning


def to_number(series: pd.Series, decimal: str = ".") -> pd.Series:
    """Vectorised text → float: spaces, no-break spaces and the other thousands mark removed.

    >>> to_number(pd.Series(["1 234,5", "2.334,01", "x"]), ",").tolist()
    [1234.5, 2334.01, nan]
    """
    s = series.astype("string").str.replace(NUM_SPACES, "", regex=True).str.rstrip("%")
    if decimal == ",":
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    return pd.to_numeric(s, errors="coerce").astype(float)


def is_texty(col: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)


def clean_table(df: pd.DataFrame, first_line: int, decimal: str, opts: ReadOptions, report: ReadReport) -> pd.DataFrame:
    """Drop blank/totals/notes rows (reported with their lines) and convert number-like text columns."""
    # index = file line, for reporting (a new frame: with copy-on-write the columns are not copied)
    df = df.set_axis(pd.RangeIndex(first_line, first_line + len(df)), axis=0)
    blank = _blank_rows(df)
    keep = ~blank
    texty = [c for c in df.columns if is_texty(df[c])]
    seen: dict = {}  # distinct values already computed, reused by the footnote check
    if opts.drop_totals:
        for col in [c for c in texty if _holds_text(df[c])][:3]:
            uniq = seen[col] = pd.Series(df[col].unique()).dropna()
            # a vectorised first-word filter keeps is_total off thousands of dates and names
            maybe = uniq[uniq.astype(str).str.contains(TOTAL_HINT, regex=True)]
            totals = [v for v in maybe if regions.is_total(v)]
            if totals and _breakdown_total(df[col], uniq, totals):
                continue  # "Всего" beside "мужчины"/"женщины": a breakdown's total, kept for the filter step
            if totals:
                hit = df[col].isin(totals) & keep
                _drop(report, df[hit], "total row")
                keep &= ~hit
    for line in df.index[blank][:1000]:
        report.dropped.append({"line": int(line), "reason": "blank", "text": ""})
    if not keep.all():
        df = df[keep]
    df = _drop_notes(df, report)
    safety.check_rows(len(df))
    for col in [c for c in df.columns if is_texty(df[c])]:
        df[col] = _maybe_numeric(df[col], decimal, report)
    if df.empty:
        raise UserError(Msg(N_("The file has a header (line {line}) but no data rows."), {"line": first_line - 1}))
    df, _ = clean_labels(df, report, seen)
    report.messages.insert(0, Msg(N_("Read {rows} rows and {cols} columns."), {"rows": len(df), "cols": df.shape[1]}))
    if report.dropped:
        report.messages.append(
            plural_msg(
                "{n} row was left out (totals, notes, blank); see the list.",
                "{n} rows were left out (totals, notes, blank); see the list.",
                len(report.dropped),
            )
        )
    return df.reset_index(drop=True)


def _holds_text(col: pd.Series) -> bool:
    """True when the column's first values are text (an object column of dates holds no "Итого")."""
    if pd.api.types.is_string_dtype(col) and not pd.api.types.is_object_dtype(col):
        return True
    head = col.iloc[:50].dropna()
    return bool(len(head)) and any(isinstance(v, str) for v in head)


def _breakdown_total(col: pd.Series, uniq: pd.Series, totals: list) -> bool:
    """True when the total label repeats in a short list of labels that are not regions (sex, age,
    area type): each block of the long table has its own total row, which is data, not a footer.

    >>> _breakdown_total(pd.Series(["Всего", "муж", "Всего", "муж"]), pd.Series(["Всего", "муж"]), ["Всего"])
    True
    """
    if len(uniq) > 30 or len(uniq) <= len(totals):
        return False
    if int(col.isin(totals).sum()) < 2:
        return False
    others = [v for v in uniq if v not in totals]
    return not any(regions.match_value(v).method in ("code", "alias", "ambiguous") for v in others)


def _blank_rows(df: pd.DataFrame) -> pd.Series:
    """Rows empty in every column; numeric columns first, stopping as soon as no row can be blank."""
    mask = np.ones(len(df), dtype=bool)
    for col in sorted(df.columns, key=lambda c: is_texty(df[c])):
        mask &= df[col].isna().to_numpy()
        if not mask.any():
            break
    return pd.Series(mask, index=df.index)


def _drop(report: ReadReport, rows: pd.DataFrame, reason: str) -> None:
    for line, row in rows.head(1000).iterrows():
        text = " | ".join(str(v) for v in row.tolist() if v is not None and v == v)
        report.dropped.append({"line": int(line), "reason": reason, "text": text[:200]})


def _drop_notes(df: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
    """Trailing rows with text in one cell only ("Источник: …") are notes, not data."""
    if df.shape[1] < 2 or df.empty:
        return df
    tail = df.tail(20)
    filled = tail.notna().sum(axis=1)
    cut = len(df)
    for n in reversed(filled.tolist()):
        if n > 1:
            break
        cut -= 1
    if cut < len(df) and cut > 0:
        _drop(report, df.iloc[cut:], "note below the table")
        return df.iloc[:cut]
    return df


def _maybe_numeric(col: pd.Series, decimal: str, report: ReadReport) -> pd.Series:
    """Convert a text column when most of it reads as numbers; count and show the cells that do not."""
    # decide on a sample first: most text columns are names and cost nothing more
    sample = col.head(2000).dropna()
    is_object = pd.api.types.is_object_dtype(col)
    if is_object:  # Excel cells or parsed dates: only text cells can be blank; one pass in Python
        cells = [v for v in sample.tolist() if not (isinstance(v, str) and not v.strip())][:500]
        if not cells:
            return col
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in cells):
            return pd.to_numeric(col, errors="coerce")  # Excel cells that are all real numbers
        if not any(isinstance(v, str) for v in cells):
            return col  # dates or other objects: not numbers
        text = pd.Series([str(v) for v in cells], dtype=object)
    else:
        text = sample[sample.str.strip() != ""].head(500)
        if text.empty:
            return col
    if text.str.contains(r"\d", regex=True).mean() < 0.6:
        return col  # names: too few cells with a digit to be numbers (and cheaper to tell than parsing)
    if to_number(text, decimal).notna().mean() < 0.6:
        return col
    if is_object:  # Excel cells: real numbers stay as they are, only text cells are parsed
        is_text = col.map(lambda v: isinstance(v, str))
        num = pd.to_numeric(col.where(~is_text), errors="coerce").astype(float)
        num[is_text] = to_number(col[is_text].astype(str), decimal)
    else:
        num = to_number(col, decimal)
    present = col.dropna()
    present = present[present.astype(str).str.strip() != ""]
    bad = present[num.loc[present.index].isna()]
    if len(bad):
        examples = [str(v) for v in bad.astype(str).unique()[:5]]
        report.bad_numbers[str(col.name)] = {"count": int(len(bad)), "examples": examples}
        report.messages.append(
            plural_msg(
                "Column {col}: {n} cell could not be read as a number (e.g. {ex}).",
                "Column {col}: {n} cells could not be read as numbers (e.g. {ex}).",
                len(bad),
                {"col": col.name, "ex": ", ".join(examples[:3])},
            )
        )
    return num
