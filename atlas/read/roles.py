"""Which column is what: region, code, coordinates, year or date, values, wide year columns."""

from __future__ import annotations

import pandas as pd

from atlas.places import regions
from atlas.read.clean import is_texty
from atlas.read.model import DATE_NAMES, ID_NAMES, LAT_NAMES, LON_NAMES, YEAR_NAMES, YEAR_RX, ColumnRoles

# --------------------------------------------------------------------------- roles


def year_of(name: object) -> int | None:
    m = YEAR_RX.match(str(name).strip())
    return int(m.group(1)) if m else None


def detect_roles(df: pd.DataFrame) -> ColumnRoles:
    """Guess column roles from content (and names where content cannot tell).

    >>> r = detect_roles(pd.DataFrame({"obl": ["Нарын", "Талас"], "2019": [1, 2], "2020": [3, 4]}))
    >>> (r.region, r.wide_years)
    ('obl', ['2019', '2020'])
    """
    roles = ColumnRoles()
    cols = [c for c in df.columns if c != "geometry"]
    numeric = [c for c in cols if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])]
    # judge roles on an evenly spaced sample: a 1M-row table tells no more than 5,000 of its rows
    if len(df) > 6000:  # contiguous slices are views; a strided sample would copy every column
        mid = len(df) // 2
        df = pd.concat([df.iloc[:2000], df.iloc[mid : mid + 2000], df.iloc[-2000:]])
    roles.code = _code_column(df, cols)
    # a names column is preferred for display; a code column alone also serves
    names = [c for c in cols if c not in numeric and c != roles.code]
    roles.region = regions.detect_region_column(df[names]) or roles.code
    roles.lat, roles.lon = _latlon(df, numeric)
    roles.year, roles.date = _year_date(df, cols, numeric)
    roles.wide_years = [c for c in numeric if year_of(c) and not YEAR_NAMES.match(str(c))]
    if len(roles.wide_years) < 2:
        roles.wide_years = []
    skip = {roles.code, roles.lat, roles.lon, roles.year, roles.region}
    roles.values = [c for c in numeric if c not in skip and not is_id_like(c, df[c])]
    return roles


def is_id_like(name: object, col: pd.Series | None = None) -> bool:
    """An identifier or a code, never a value to add up: ``id``, ``fid``, ``osm_id``, ``objectid``,
    ``код``, ``soate``… (judged by the name: a column of 1, 2, 3… may well be counts).

    >>> is_id_like("osm_id"), is_id_like("OBJECTID"), is_id_like("Код СОАТЕ"), is_id_like("Школы")
    (True, True, True, False)
    """
    return bool(ID_NAMES.search(str(name).strip()))


def _code_column(df: pd.DataFrame, cols: list) -> str | None:
    """A column of ISO, HASC, OCHA or SOATE codes (≥ 80% of distinct values read as codes)."""
    for col in cols:
        if pd.api.types.is_float_dtype(df[col]):
            continue
        uniq = pd.Series(df[col].dropna().unique()[:300])
        # the first 30 distinct values settle most columns (dates, names, counts) at a tenth of the cost
        if len(uniq) > 30 and uniq.head(30).map(regions.match_code).notna().mean() < 0.5:
            continue
        if len(uniq) and uniq.map(regions.match_code).notna().mean() >= 0.8:
            return col
    return None


def _latlon(df: pd.DataFrame, numeric: list) -> tuple[str | None, str | None]:
    """Latitude/longitude by name, else by range (39–44 and 69–81 degrees for Kyrgyzstan)."""
    lat = next((c for c in numeric if LAT_NAMES.match(str(c).strip())), None)
    lon = next((c for c in numeric if LON_NAMES.match(str(c).strip())), None)
    if lat and lon:
        return lat, lon

    def share(c: str, lo: float, hi: float) -> float:
        s = df[c].dropna()
        return float(s.between(lo, hi).mean()) if len(s) else 0.0

    lats = [c for c in numeric if share(c, 39, 44) > 0.8 and not (df[c].dropna() % 1 == 0).all()]
    lons = [c for c in numeric if share(c, 69, 81) > 0.8 and not (df[c].dropna() % 1 == 0).all()]
    if lats and lons:
        return lats[0], lons[0]
    return None, None


def _year_date(df: pd.DataFrame, cols: list, numeric: list) -> tuple[str | None, str | None]:
    """A year column (by name, or integers 1950–2049) and a date column (datetime values)."""
    year = next((c for c in cols if YEAR_NAMES.match(str(c).strip())), None)
    if year is None:
        for c in numeric:
            s = df[c].dropna()
            if len(s) and (s % 1 == 0).all() and s.between(1950, 2049).all() and s.nunique() < 80:
                year = c
                break
    date = next((c for c in cols if pd.api.types.is_datetime64_any_dtype(df[c])), None)
    if date is None:
        for c in cols:
            if DATE_NAMES.search(str(c)) and is_texty(df[c]):
                parsed = pd.to_datetime(df[c].head(200), errors="coerce", dayfirst=True, format="mixed")
                if parsed.notna().mean() > 0.8:
                    date = c
                    break
    return year, date


def years_of(df: pd.DataFrame, roles: ColumnRoles) -> pd.Series | None:
    """The year of each row, from the year or date column (None when neither exists).

    >>> years_of(pd.DataFrame({"год": [2019]}), ColumnRoles(year="год")).tolist()
    [2019.0]
    """
    if roles.year:
        return pd.to_numeric(df[roles.year], errors="coerce").astype(float)
    if roles.date:
        return pd.to_datetime(df[roles.date], errors="coerce", dayfirst=True, format="mixed").dt.year.astype(float)
    return None
