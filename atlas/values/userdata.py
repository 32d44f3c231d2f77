"""A read upload plus the user's choices → a ``DatasetTable`` the map builder can draw.

Public API:

- ``sample_messy_csv() -> bytes``: a deterministic CP1251 file as Excel on Windows saves it
  (``;``, decimal commas, a title row, a totals row, a note, region names in three languages,
  one ambiguous "Ош", one misspelling, one Kyrgyz name whose letter CP1251 lost).
- ``Choices``: what the user chose (column roles, time series, fixes, duplicates, swap).
- ``default_choices(upload) -> Choices``: the roles ``atlas.read`` guessed.
- ``time_series_columns(upload) -> list[str]``: wide year columns that can become a time series.
- ``build(upload, choices) -> Built``: reshape, match names (``atlas.places.regions``), place points
  (``atlas.places.points``), resolve duplicates, and return the ``DatasetTable`` with every report.
- ``review_rows(match) -> list[Review]``: the values the fixer should show (unmatched,
  ambiguous, uncertain, and the ones the user already fixed).
- ``old_name_warnings(match) -> list[Msg]``: "Frunze" and other Soviet names that were read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from atlas import read
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import gazetteer, points, rayons, regions
from atlas.read import labels
from atlas.values import breakdowns, indicators
from atlas.values.datasets import DatasetTable

SAMPLE_FILENAME = "sample_messy_ngo_report.csv"
REGION_COL = "region_code"
#: Ground elevation of each uploaded point in metres (GEBCO 2023), added to the table.
ELEVATION_COL = "elevation_m"
DUPLICATE_CHOICES = ("sum", "mean", "count", "first")
#: The fixer's choice meaning "this value is not a region" (kept apart from the nine codes).
NOT_A_REGION = "-"
#: Text columns with at most this many distinct values are offered as categories (filters, colours).
MAX_CATEGORIES = 30
#: Methods whose values the fixer lists: not matched, ambiguous, fuzzy, or already fixed by hand.
REVIEW_METHODS = ("none", "ambiguous", "fuzzy", "context", "user", "excluded")
#: The reasons atlas.read gives for dropped rows, marked here so the page can translate them.
DROP_REASONS = (
    N_("above the header"),
    N_("total row"),
    N_("blank"),
    N_("wrong number of fields"),
    N_("note below the table"),
    N_("section heading"),
)
METHOD_LABELS = {
    "code": N_("code"),
    "alias": N_("name"),
    "fuzzy": N_("similar spelling"),
    "ambiguous": N_("ambiguous"),
    "total": N_("total"),
    "none": N_("not found"),
    "oblast": N_("a whole oblast"),
    "context": N_("read from the other names"),
    "user": N_("your fix"),
    "excluded": N_("not a region"),
}

_SAMPLE_ROWS = (
    # name as people type it, projects, beneficiaries, budget (som, decimal comma in the file)
    ("Баткнская обл.", 14, 3120, "1 250 400,50"),
    ("Чуйская область", 31, 8815, "4 031 220,00"),
    ("Jalal-Abad region", 22, 6040, "2 660 000,75"),
    ("Нарын облусу", 9, 1710, "812 300,00"),
    ("Ош", 27, 7400, "3 104 950,25"),
    ("Талас облусу", 8, 1530, "705 000,00"),
    ("Ысык-К?л облусу", 17, 4210, "1 530 880,40"),
    ("г. Бишкек", 46, 15900, "6 880 120,00"),
    ("Osh city", 19, 5230, "2 010 400,00"),
)


def sample_messy_csv() -> bytes:
    """A messy but typical NGO report: CP1251, ``;``, decimal commas, title, totals and a note.

    The Kyrgyz letter ө does not exist in CP1251: Excel writes "?" in its place, as here.

    >>> sample_messy_csv().decode("cp1251").splitlines()[1]
    'Область;Проекты;Бенефициары;Бюджет, сом;Год'
    """
    lines = ["Отчёт о проектах НКО по областям за 2020 год (пример, не реальные данные);;;;",
             "Область;Проекты;Бенефициары;Бюджет, сом;Год"]
    for name, projects, people, budget in _SAMPLE_ROWS:
        lines.append(f"{name};{projects};{people};{budget};2020")
    total_projects = sum(r[1] for r in _SAMPLE_ROWS)
    total_people = sum(r[2] for r in _SAMPLE_ROWS)
    lines.append(f"Итого;{total_projects};{total_people};;2020")
    lines.append("Источник: отчёты организаций;;;;")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


@dataclass
class Choices:
    """Everything the user decided on the page; ``None`` roles mean "not in this table"."""

    region_col: str | None = None
    value_cols: list[str] = field(default_factory=list)
    year_col: str | None = None
    lat_col: str | None = None
    lon_col: str | None = None
    time_series: bool = False
    fixes: dict = field(default_factory=dict)  # raw value → ISO code, or None for "not a region"
    duplicates: str = "sum"
    swap_points: bool = False
    where: dict = field(default_factory=dict)  # column → the one value to keep (the filter step)
    level: int = 1  # 1: names of oblasts and cities; 2: of rayons and towns (p-codes)
    oblast_col: str | None = None  # at level 2, the column naming each row's oblast, if any


@dataclass
class Review:
    """One distinct value for the fixer: how many rows carry it and which regions it might be."""

    raw: object
    rows: int
    method: str
    code: str | None
    suggestions: list[str]


@dataclass
class Built:
    """The table for the map builder plus what the page must show about how it was made."""

    table: DatasetTable
    frame: pd.DataFrame  # rows before duplicates were resolved, with their codes
    match: regions.MatchResult | None
    points: points.PointsResult | None
    duplicates: pd.DataFrame  # code (, by), rows: regions with more than one row
    collapsed: bool  # True when duplicate rows were combined by ``choices.duplicates``
    warnings: list[Msg] = field(default_factory=list)


def default_choices(upload: read.Upload) -> Choices:
    """The roles ``atlas.read`` guessed, as a starting point for the page.

    >>> up = read.read_pasted("Region\\tN\\nNaryn\\t3\\n"); default_choices(up).region_col
    'Region'
    """
    roles = upload.roles
    lat, lon = roles.lat, roles.lon
    if upload.kind == "vector" and not (lat and lon):
        lat, lon = "lat", "lon"  # filled from the shapes by ``_frame``
    unit_col, oblast_col = rayons.detect_columns(upload.table) if roles.region or roles.code else (None, None)
    # points are counted per region by default: their attributes are rarely amounts
    values = [] if upload.kind == "vector" and read.is_point_layer(upload.table) else list(roles.values)
    values = [v for v in values if v not in (unit_col, oblast_col)]
    return Choices(region_col=unit_col or roles.region or roles.code, value_cols=values,
                   year_col=roles.year, lat_col=lat, lon_col=lon, level=2 if unit_col else 1,
                   oblast_col=oblast_col)


def time_series_columns(upload: read.Upload) -> list[str]:
    """Columns headed by a year ("2019", "2020 г.") that can become one time series (two or more).

    >>> time_series_columns(read.read_pasted("Region\\t2019\\t2020\\nNaryn\\t1\\t2\\n"))
    ['2019', '2020']
    """
    cols = [c for c in upload.roles.wide_years if indicators.year_of_header(c) is not None]
    return cols if len(cols) >= 2 else []


def fix_key(raw: object) -> str:
    """A stable widget key for the fixer's choice about ``raw``.

    >>> fix_key("Ош") == fix_key("Ош"), fix_key("Ош") == fix_key("Osh")
    (True, False)
    """
    return "upload_fix_" + hashlib.sha1(repr(raw).encode("utf-8")).hexdigest()[:12]


def _frame(upload: read.Upload, choices: Choices) -> tuple[pd.DataFrame, Choices]:
    """The rows to match: shapes become lat/lon, wide years become (year, value) rows."""
    df = upload.table
    if upload.kind == "vector":
        lat, lon = read.vector_points(df)
        df = pd.DataFrame(df.drop(columns="geometry"))
        if choices.lat_col == "lat" and choices.lon_col == "lon" and "lat" not in df and "lon" not in df:
            df["lat"], df["lon"] = lat.to_numpy(), lon.to_numpy()
    if choices.where:
        df = breakdowns.apply_where(df, choices.where)
    df = df.reset_index(drop=True)
    wide = time_series_columns(upload) if choices.time_series else []
    if not wide:
        return df, choices
    # melt refuses id columns named like its output: keep the user's columns under a new name
    df = df.rename(columns={c: f"{c} (2)" for c in ("year", "value") if c in df.columns})
    long = indicators.wide_years_to_long(df, wide)
    values = ["value", *[c for c in choices.value_cols if c not in wide and c in long.columns]]
    new = Choices(**{**choices.__dict__, "value_cols": values, "year_col": "year"})
    return long, new


def _codes(df: pd.DataFrame, choices: Choices) -> tuple[pd.Series, regions.MatchResult | None,
                                                         points.PointsResult | None]:
    """A code per row: from the names where there is a region column, else (or where names failed)
    from the point coordinates."""
    codes = pd.Series([None] * len(df), index=df.index, dtype=object)
    match = pts = None
    if choices.region_col and choices.level == 2:
        oblasts = df[choices.oblast_col] if choices.oblast_col in df.columns else None
        match = rayons.match_column(df[choices.region_col], oblasts, choices.fixes)
        codes = match.codes.astype(object).where(match.codes.notna(), None)
    elif choices.region_col:
        years = df[choices.year_col] if choices.year_col in df.columns else None
        context, said = labels.osh_context(df[choices.region_col])
        context = {k: v for k, v in context.items() if k not in choices.fixes}
        match = regions.match_column(df[choices.region_col], {**context, **choices.fixes}, years)
        if context:  # read from the column's other names, not fixed by the user: say so, let them change it
            match.report.loc[match.report["raw"].isin(list(context)) & (match.report["method"] == "user"),
                             "method"] = "context"
            match.warnings[:0] = [m for m in said if m.params["raw"] in context]
        codes = match.codes.astype(object).where(match.codes.notna(), None)
    if choices.lat_col in df.columns and choices.lon_col in df.columns:
        pts = points.locate_points(df[choices.lat_col], df[choices.lon_col])
        if choices.swap_points:
            pts = pts.swap()
        codes = codes.where(codes.notna(), pts.rayons if choices.level == 2 else pts.codes)
    return codes, match, pts


def _numeric(df: pd.DataFrame, cols: list[str]) -> list[str]:
    return [c for c in cols if c in df.columns and pd.api.types.is_numeric_dtype(df[c])
            and not pd.api.types.is_bool_dtype(df[c])]


def _categories(df: pd.DataFrame, skip: set) -> list[str]:
    """Text columns with few distinct values (theme, organisation type): filters and colours."""
    out = []
    for col in df.columns:
        if col in skip or not (pd.api.types.is_object_dtype(df[col]) or pd.api.types.is_string_dtype(df[col])):
            continue
        n = df[col].nunique(dropna=True)
        if 1 <= n <= MAX_CATEGORIES and n < max(len(df), 2):
            out.append(col)
    return out


def collapse(df: pd.DataFrame, by: list[str], values: list[str], how: str) -> pd.DataFrame:
    """One row per ``by`` key (region, or region and year), values combined by ``how``; rows with no
    region are kept as they are, so nothing disappears.

    >>> d = pd.DataFrame({"c": ["KG-T", "KG-T", None], "v": [1.0, 2.0, 7.0]})
    >>> collapse(d, ["c"], ["v"], "sum")["v"].tolist()
    [3.0, 7.0]
    """
    if how not in DUPLICATE_CHOICES:
        raise UserError(Msg(N_("Unknown way to combine rows {how}; use one of {valid}."),
                            {"how": how, "valid": ", ".join(DUPLICATE_CHOICES)}))
    keyed = df[by].notna().all(axis=1)
    grouped = df[keyed].groupby(by, sort=False, dropna=True)
    if how == "first":
        combined = grouped.head(1)
    else:
        firsts = grouped.first().reset_index()
        func = {"sum": lambda g: g.sum(min_count=1), "mean": "mean", "count": "count"}[how]
        agg = grouped[values].agg(func).reset_index() if values else firsts[by]
        combined = firsts.drop(columns=values).merge(agg, on=by)[list(df.columns)]
    return pd.concat([combined, df[~keyed]], ignore_index=True)


def build(upload: read.Upload, choices: Choices, label: str = "") -> Built:
    """Match, place, resolve duplicates and wrap the rows as a ``DatasetTable``.

    >>> up = read.read_pasted("Область\\tN\\nНарын\\t3\\nТалас\\t4\\n")
    >>> b = build(up, default_choices(up)); b.table.frame[REGION_COL].tolist(), b.table.key[:7]
    (['KG-N', 'KG-T'], 'upload:')
    """
    df, choices = _frame(upload, choices)
    if not choices.region_col and not (choices.lat_col and choices.lon_col):
        raise UserError(Msg(N_("Choose the column that names the regions, or the latitude and "
                               "longitude columns.")))
    codes, match, pts = _codes(df, choices)
    if pts is not None and choices.swap_points:
        df = df.assign(**{choices.lat_col: pts.lat.to_numpy(), choices.lon_col: pts.lon.to_numpy()})
    if pts is not None and ELEVATION_COL not in df.columns:
        df = df.assign(**{ELEVATION_COL: pts.elevations().to_numpy()})  # GEBCO 2023, for table and tooltip
    code_col = REGION_COL
    while code_col in df.columns:
        code_col += "_"
    df = df.assign(**{code_col: codes.to_numpy()})
    values = _numeric(df, choices.value_cols)
    year = choices.year_col if choices.year_col in df.columns else None
    by = [code_col, year] if year else [code_col]
    dups = regions.find_duplicates(df[code_col], df[year] if year else None)
    # points are single events (projects, schools): many per region is their nature, not an error
    collapsed = not dups.empty and pts is None
    out = collapse(df, by, values, choices.duplicates) if collapsed else df
    skip = {code_col, choices.region_col, year, choices.lat_col, choices.lon_col}
    table = DatasetTable(
        key="upload:" + upload.key, label=label or upload.filename or N_("Pasted table"), frame=out,
        region_col=code_col, value_cols=values, category_cols=_categories(df, skip), year_col=year,
        lat_col=choices.lat_col if pts is not None else None, lon_col=choices.lon_col if pts is not None else None,
        source=upload.filename or N_("Pasted table"), level=choices.level)
    warnings = [*(match.warnings if match else []), *old_name_warnings(match), *(pts.messages() if pts else [])]
    return Built(table, df, match, pts, dups, collapsed, warnings)


def review_rows(match: regions.MatchResult, level: int = 1) -> list[Review]:
    """The values the fixer lists, worst first, each with the units (of ``level``) it could be.

    >>> [r.suggestions for r in review_rows(regions.match_column(pd.Series(["Ош", "Нарын"])))]
    [['KG-O', 'KG-GO']]
    """
    out = []
    for row in match.report.itertuples(index=False):
        if row.method not in REVIEW_METHODS or not regions._present(row.raw):
            continue
        if level == 2:
            sugg = [c for c, _ in rayons.match_value(row.raw).suggestions if c in rayons.PCODES]
        else:
            sugg = [c for c, _ in regions.match_value(row.raw).suggestions if c in gazetteer.CODES]
        code = row.code if isinstance(row.code, str) else None
        out.append(Review(row.raw, int(row.rows), row.method, code, list(dict.fromkeys(sugg))))
    return out


def fix_options(review: Review, level: int = 1) -> list[str]:
    """The fixer's choices: suggestions first, then every other unit of ``level``, then "not a region".

    >>> fix_options(Review("Ош", 1, "ambiguous", None, ["KG-O", "KG-GO"]))[:3]
    ['KG-O', 'KG-GO', 'KG-B']
    """
    units = rayons.PCODES if level == 2 else gazetteer.CODES
    rest = [c for c in units if c not in review.suggestions]
    return [*review.suggestions, *rest, NOT_A_REGION]


def old_name_warnings(match: regions.MatchResult | None) -> list[Msg]:
    """Soviet-era names (Frunze, Przhevalsk) are read as today's units; say so.

    >>> [m.params["raw"] for m in old_name_warnings(regions.match_column(pd.Series(["Фрунзе", "Нарын"])))]
    ['Фрунзе']
    """
    if match is None:
        return []
    out = []
    for row in match.report.itertuples(index=False):
        if regions._present(row.raw) and regions._stem(regions.normalise(str(row.raw))) in regions._OLD_NAMES:
            out.append(Msg(N_("“{raw}” is an old name; its rows were counted as {code} (today's unit)."),
                           {"raw": row.raw, "code": row.code or regions._OLD_NAMES[
                               regions._stem(regions.normalise(str(row.raw)))]}))
    return out


def first_value_column(table: DatasetTable) -> str:
    """The column the first map shows: the first numeric column ("" means: count the rows).

    >>> first_value_column(DatasetTable("k", "l", pd.DataFrame({"c": []}), "c", []))
    ''
    """
    return table.value_cols[0] if table.value_cols else ""


def latest_year(table: DatasetTable) -> int | None:
    """The most recent year of a table with years (the first map shows one year, not their sum)."""
    if not table.year_col:
        return None
    years = pd.to_numeric(table.frame[table.year_col], errors="coerce").dropna()
    years = years[np.isfinite(years)]
    return int(years.max()) if len(years) else None
