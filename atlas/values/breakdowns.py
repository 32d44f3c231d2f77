"""Long tables (year × region × sex, with a total row per breakdown): which rows to map.

A statistics table often has several rows per region and year: one per sex, age group or area
type, plus a total row for each block. Adding them all up counts every person twice. The upload
page offers a filter step instead: ``breakdowns`` finds the columns that split a region's rows and
proposes each one's total row by default; ``apply_where`` keeps the rows the user picked (the
same filter as ``python -m atlas check --where COLUMN=VALUE``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import regions

MAX_LEVELS = 30
_TOTAL_WORDS = re.compile(
    r"(?i)^\W*(всего|итого|total|all|both sexes|оба пола|обоих полов|бардыгы|баары|жалпы|эки жыныс|"
    r"все|всё|жыйынтык)\b")


@dataclass
class Breakdown:
    """A column splitting each region's rows; ``default`` is its total label (None: no total row)."""

    column: str
    values: list
    default: object | None


def is_total_label(value: object) -> bool:
    """A label naming all of a breakdown: "Всего", "Both sexes", "бардыгы".

    >>> is_total_label("Всего"), is_total_label("оба пола"), is_total_label("женщины")
    (True, True, False)
    """
    return isinstance(value, str) and (bool(_TOTAL_WORDS.match(value.strip())) or regions.is_total(value))


def breakdowns(df: pd.DataFrame, region_col: str | None, year_col: str | None,
               skip: set | None = None) -> list[Breakdown]:
    """Text columns that split the rows of one region (and year) into a few labelled parts.

    >>> d = pd.DataFrame({"obl": ["Нарын"] * 3, "sex": ["Всего", "муж", "жен"], "n": [3, 1, 2]})
    >>> [(b.column, b.default) for b in breakdowns(d, "obl", None)]
    [('sex', 'Всего')]
    """
    if not region_col or region_col not in df.columns or df.empty:
        return []
    keys = [region_col, *([year_col] if year_col in df.columns else [])]
    if not df.duplicated(subset=keys).any():
        return []
    out = []
    for col in df.columns:
        if col in keys or col in (skip or set()) or col == "geometry":
            continue
        series = df[col]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        levels = list(pd.unique(series.dropna()))
        if not 2 <= len(levels) <= MAX_LEVELS:
            continue
        # the column must vary inside a region's rows, or it does not split them
        if df.groupby(keys, dropna=False)[col].nunique().max() < 2:
            continue
        totals = [v for v in levels if is_total_label(v)]
        levels = totals + [v for v in levels if v not in totals]
        out.append(Breakdown(str(col), levels, totals[0] if totals else None))
    return out


def apply_where(df: pd.DataFrame, where: dict) -> pd.DataFrame:
    """Keep the rows whose ``column`` equals ``value`` for every pair (text compared as written,
    numbers as numbers: "2022" finds 2022 and 2022.0).

    >>> apply_where(pd.DataFrame({"y": [2021.0, 2022.0], "n": [1, 2]}), {"y": "2022"})["n"].tolist()
    [2]
    """
    for col, value in where.items():
        if value is None:
            continue
        if col not in df.columns:
            raise UserError(Msg(N_("There is no column {col}; the columns are {all}."),
                                {"col": col, "all": ", ".join(map(str, df.columns))}))
        df = df[_equals(df[col], value)]
        if df.empty:
            raise UserError(Msg(N_("No rows have {col} = {value}."), {"col": col, "value": value}))
    return df


def _equals(series: pd.Series, value: object) -> pd.Series:
    text = series.astype("string").str.strip() == str(value).strip()
    number = pd.to_numeric(pd.Series([value]), errors="coerce").iloc[0]
    if pd.notna(number):
        text |= pd.to_numeric(series, errors="coerce") == number
    return text.fillna(False).astype(bool)
