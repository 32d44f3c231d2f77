"""From a table of rows to one value per region: aggregate, normalise, filter, reshape time.

Values are always a ``pd.Series`` indexed by ``gazetteer.CODES``; a region without data is NaN,
never zero, so the map shows it as "no data".

>>> df = pd.DataFrame({"code": ["KG-B", "KG-B", "KG-C"], "budget": [10, 30, 5]})
>>> aggregate(df, "code", "budget", "sum").values["KG-B"]
np.float64(40.0)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas.errors import UserError, lookup
from atlas.i18n import N_, Msg, plural_msg
from atlas.places import gazetteer

#: A region whose value comes from fewer rows than this is flagged as resting on thin evidence.
FEW_ROWS = 3


@dataclass(frozen=True)
class AggregationInfo:
    """How many rows become one number. ``is_total``: the result adds up across regions, so it
    may be divided by population/area or shown as a share; ``flags_few_rows``: the result
    estimates a typical value, which is shaky when it rests on one or two rows."""

    key: str
    label: str
    is_total: bool
    flags_few_rows: bool


AGGREGATIONS: dict[str, AggregationInfo] = {
    a.key: a
    for a in (
        AggregationInfo("sum", N_("Sum"), True, False),
        AggregationInfo("count", N_("Number of rows"), True, False),
        AggregationInfo("mean", N_("Average"), False, True),
        AggregationInfo("median", N_("Median"), False, True),
        AggregationInfo("min", N_("Minimum"), False, True),
        AggregationInfo("max", N_("Maximum"), False, True),
    )
}


@dataclass(frozen=True)
class NormalisationInfo:
    """A way to make regions of different size comparable; ``unit`` is a msgid for captions."""

    key: str
    label: str
    unit: str
    source: str


NORMALISATIONS: dict[str, NormalisationInfo] = {
    n.key: n
    for n in (
        NormalisationInfo("none", N_("As counted (no adjustment)"), N_("as counted"), ""),
        NormalisationInfo(
            "per_10k", N_("Per 10,000 people"), N_("per 10,000 people ({year} population)"),
            gazetteer.POPULATION_SOURCE,
        ),
        NormalisationInfo("per_1000km2", N_("Per 1,000 km²"), N_("per 1,000 km²"), gazetteer.AREA_SOURCE),
        NormalisationInfo("share", N_("Share of the national total (%)"), N_("% of the national total"), ""),
    )
}


@dataclass(frozen=True)
class RegionValues:
    """One aggregated number per region (NaN = no data) and how much evidence is behind it."""

    values: pd.Series
    rows: pd.Series
    few_rows: pd.Series
    how: str
    warnings: tuple[Msg, ...] = field(default=())


def _empty_series(dtype: str = "float64") -> pd.Series:
    return pd.Series(np.nan if dtype == "float64" else 0, index=pd.Index(gazetteer.CODES), dtype=dtype)


def _require_columns(df: pd.DataFrame, columns: Iterable[str | None]) -> None:
    """Raise a ``UserError`` naming the missing column and the ones that exist."""
    for col in columns:
        if col is not None and col not in df.columns:
            names = ", ".join(map(str, df.columns))
            raise UserError(Msg(N_("There is no column “{column}”. Columns: {columns}"),
                                {"column": col, "columns": names}))


def aggregate(
    df: pd.DataFrame, code_col: str, value_col: str | None, how: str, empty_as_zero: bool = False,
    keys: Sequence[str] = gazetteer.CODES,
) -> RegionValues:
    """Combine the rows of each region into one number.

    Rows whose code is not one of ``keys`` are left out (and counted in a warning);
    values that are not numbers are left out of sums and averages. ``count`` counts rows, or
    rows with a value when ``value_col`` is given. A region without rows is NaN unless
    ``empty_as_zero`` (for counts from a table known to cover the whole country). ``keys``: the
    units to group by (the 55 level-2 p-codes for a rayon map).

    >>> df = pd.DataFrame({"code": ["KG-B", "KG-B", "KG-T"], "x": [1, 3, None]})
    >>> aggregate(df, "code", "x", "mean").values.dropna().to_dict()
    {'KG-B': 2.0}
    """
    info = lookup(AGGREGATIONS, how, "aggregation")
    keys = list(keys)
    _require_columns(df, [code_col, value_col])
    if value_col is None and how != "count":
        raise UserError(Msg(N_("Choose a column of numbers to calculate the {how}"), {"how": info.label}))
    warns: list[Msg] = []
    # Positional from here on: user tables may carry a duplicated or odd index.
    codes = df[code_col].astype("string").str.strip().reset_index(drop=True)
    known = codes.isin(keys).fillna(False).astype(bool)
    if n_unknown := int((~known).sum()):
        warns.append(Msg(N_("Rows with no recognised region, left out: {n}"), {"n": n_unknown}))
    rows = codes[known].value_counts().reindex(keys, fill_value=0).astype(int)
    if value_col is None:
        values = rows.astype(float)
        used = rows
    else:
        raw = df[value_col].reset_index(drop=True)[known]
        nums = pd.to_numeric(raw, errors="coerce")
        bad = int((nums.isna() & raw.notna() & (raw.astype("string").str.strip() != "")).sum())
        if bad:
            warns.append(plural_msg("{n} value in “{column}” is not a number and was left out",
                                    "{n} values in “{column}” are not numbers and were left out",
                                    bad, {"column": value_col}))
        numbers = nums.to_numpy(dtype=float, na_value=np.nan)
        grouped = pd.Series(numbers, index=codes[known].to_numpy()).groupby(level=0)
        used = grouped.count().reindex(keys, fill_value=0).astype(int)
        # min_count=1: a region whose values are all missing has no data, not a sum of zero.
        values = grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)
        values = values.reindex(keys).astype(float)
    values = values.where(used > 0)
    if empty_as_zero and how == "count":
        values = values.fillna(0.0)
    few = (used > 0) & (used < FEW_ROWS) if info.flags_few_rows else pd.Series(False, index=values.index)
    values.name, rows.name = value_col or "rows", "rows"
    return RegionValues(values, rows, few.astype(bool), how, tuple(warns))


def check_combination(how: str, normalisation: str) -> None:
    """Refuse dividing an average by population/area or taking shares of an average.

    >>> check_combination("sum", "per_10k")
    """
    agg = lookup(AGGREGATIONS, how, "aggregation")
    lookup(NORMALISATIONS, normalisation, "normalisation")
    if normalisation != "none" and not agg.is_total:
        raise UserError(Msg(
            N_("“{norm}” only makes sense for totals (sum or number of rows), not for “{how}”"),
            {"norm": NORMALISATIONS[normalisation].label, "how": agg.label},
        ))


def _by_code(values: pd.Series) -> pd.Series:
    return pd.to_numeric(values.reindex(gazetteer.CODES), errors="coerce").astype(float)


def population_year() -> int:
    """The year of the bundled population figures.

    >>> population_year()
    2021
    """
    return int(gazetteer.regions()["population_year"].max())


def normalise(values: pd.Series, how: str) -> tuple[pd.Series, Msg]:
    """Make totals comparable between regions; returns new values and their unit.

    Regions whose population or area is unknown become NaN (see ``no_data_reasons``).

    >>> v = pd.Series({"KG-GO": 322164.0})
    >>> normalise(v, "per_10k")[0]["KG-GO"]
    np.float64(10000.0)
    """
    info = lookup(NORMALISATIONS, how, "normalisation")
    x = _by_code(values)
    ref = gazetteer.regions()
    if how == "none":
        out = x
    elif how == "per_10k":
        out = x / ref["population"].reindex(x.index) * 10_000
    elif how == "per_1000km2":
        out = x / ref["area_km2"].reindex(x.index) * 1_000
    else:
        if (x < 0).any():
            raise UserError(Msg(N_("Shares of the national total need values that are not negative")))
        total = x.sum(min_count=1)
        out = x / total * 100 if total and total == total else x * np.nan
    unit = Msg(info.unit, {"year": population_year()} if how == "per_10k" else {})
    return out.replace([np.inf, -np.inf], np.nan), unit


def no_data_reasons(values: pd.Series, how: str) -> dict[str, Msg]:
    """Why each region has no value after ``normalise``: for tooltips and the legend note.

    >>> no_data_reasons(pd.Series({c: 1.0 for c in gazetteer.CODES}), "per_1000km2")["KG-GB"].text
    'Area unknown: the sources conflict'
    """
    lookup(NORMALISATIONS, how, "normalisation")
    x = _by_code(values)
    ref = gazetteer.regions()
    reasons: dict[str, Msg] = {}
    for code in gazetteer.CODES:
        if pd.isna(x[code]):
            reasons[code] = Msg(N_("No data for this region"))
        elif how == "per_1000km2" and pd.isna(ref.at[code, "area_km2"]):
            reasons[code] = Msg(N_("Area unknown: the sources conflict"))
        elif how == "per_10k" and pd.isna(ref.at[code, "population"]):
            reasons[code] = Msg(N_("Population unknown"))
    return reasons


def national_average(values: pd.Series, how: str = "none") -> float:
    """The national figure to centre a diverging palette on, for raw totals ``values``.

    Per-capita and per-area averages are total over total (not the mean of regional rates),
    counting only regions that have both a value and a population/area.

    >>> national_average(pd.Series({"KG-B": 2.0, "KG-C": 4.0}))
    3.0
    """
    lookup(NORMALISATIONS, how, "normalisation")
    x = _by_code(values)
    ref = gazetteer.regions()
    if how in ("per_10k", "per_1000km2"):
        col, scale = ("population", 10_000) if how == "per_10k" else ("area_km2", 1_000)
        denom = ref[col].reindex(x.index)
        ok = x.notna() & denom.notna()
        return float(x[ok].sum() / denom[ok].sum() * scale) if ok.any() else float("nan")
    if how == "share":
        n = int(x.notna().sum())
        return 100.0 / n if n else float("nan")
    return float(x.mean()) if x.notna().any() else float("nan")


def apply_filters(df: pd.DataFrame, filters: Mapping[str, Iterable[str]]) -> pd.DataFrame:
    """Keep rows whose value in each filtered column is one of the listed values.

    Values compare as trimmed text, so ``"2018"`` matches the number 2018; an empty list
    means "no filter on this column".

    >>> df = pd.DataFrame({"theme": ["Health", "Water"], "year": [2018, 2019]})
    >>> apply_filters(df, {"year": ["2019"]})["theme"].tolist()
    ['Water']
    """
    _require_columns(df, filters)
    keep = pd.Series(True, index=df.index)
    for col, allowed in filters.items():
        wanted = {_as_text(v) for v in allowed}
        if wanted:
            keep &= df[col].map(_as_text).isin(wanted)
    return df[keep]


def _as_text(value: object) -> str:
    """Canonical text of a cell: integers stored as floats (2018.0) read as "2018"."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


_YEAR_HEADER = re.compile(r"^\s*((?:19|20)\d\d)\s*(?:-?\s*(?:г\.?|год|году|жыл|ж\.?|y\.?|year))?\s*$", re.I)
_YEAR_NAMES = {"year", "years", "год", "годы", "жыл", "жылы", "yil", "année"}


@dataclass(frozen=True)
class YearLayout:
    """Where the years of a table are: ``long`` (one column of years), ``wide`` (one column
    per year) or ``none``."""

    kind: str
    column: str | None = None
    year_columns: Mapping[str, int] = field(default_factory=dict)
    years: tuple[int, ...] = ()


def year_of_header(name: object) -> int | None:
    """The year a column header names ("2019", "2019 г.", "2020-жыл"), or None.

    >>> year_of_header("2019 г."), year_of_header("Budget")
    (2019, None)
    """
    m = _YEAR_HEADER.match(str(name))
    return int(m.group(1)) if m else None


def detect_years(df: pd.DataFrame) -> YearLayout:
    """Find the years in a table: a column called year/год/жыл holding years, or two or more
    columns headed by years.

    >>> detect_years(pd.DataFrame({"region": ["a"], "2019": [1], "2020 г.": [2]})).years
    (2019, 2020)
    """
    for col in df.columns:
        if str(col).strip().lower() in _YEAR_NAMES:
            years = pd.to_numeric(df[col], errors="coerce").dropna()
            if len(years) and years.between(1900, 2100).all() and (years % 1 == 0).all():
                return YearLayout("long", str(col), {}, tuple(sorted({int(y) for y in years})))
    wide = {str(c): y for c in df.columns if (y := year_of_header(c)) is not None}
    if len(wide) >= 2:
        return YearLayout("wide", None, wide, tuple(sorted(set(wide.values()))))
    return YearLayout("none")


def wide_years_to_long(df: pd.DataFrame, year_columns: Iterable[str]) -> pd.DataFrame:
    """One row per (row, year): the other columns repeat, plus ``year`` (int) and ``value``.

    >>> wide = pd.DataFrame({"r": ["a"], "2019": [1], "2020": [2]})
    >>> wide_years_to_long(wide, ["2019", "2020"]).values.tolist()
    [['a', 2019, 1], ['a', 2020, 2]]
    """
    cols = list(year_columns)
    _require_columns(df, cols)
    years = {}
    for c in cols:
        year = year_of_header(c)
        if year is None:
            raise UserError(Msg(N_("Column “{column}” is not headed by a year"), {"column": c}))
        years[c] = year
    ids = [c for c in df.columns if c not in cols]
    long = df.reset_index(drop=True).melt(id_vars=ids, value_vars=cols, var_name="year", value_name="value",
                                          ignore_index=False)
    long["year"] = long["year"].map(years).astype(int)
    # Keep each source row's years together, in year order.
    long = long.rename_axis("_row").sort_values(["_row", "year"], kind="stable").reset_index(drop=True)
    return long


def values_for_year(df: pd.DataFrame, year: int | None, year_col: str = "year") -> pd.DataFrame:
    """Rows of ``year`` (all rows when ``year`` is None).

    >>> values_for_year(pd.DataFrame({"year": [2019, 2020], "v": [1, 2]}), 2020)["v"].tolist()
    [2]
    """
    if year is None:
        return df
    _require_columns(df, [year_col])
    years = pd.to_numeric(df[year_col], errors="coerce")
    return df[years == int(year)]


def latest_year(df: pd.DataFrame, year_col: str = "year") -> int | None:
    """The most recent year present, the natural first year to show.

    >>> latest_year(pd.DataFrame({"year": [2019, None, 2021]}))
    2021
    """
    years = pd.to_numeric(df[year_col], errors="coerce").dropna() if year_col in df.columns else pd.Series()
    return int(years.max()) if len(years) else None
