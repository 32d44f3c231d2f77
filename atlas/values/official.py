"""Official statistics by region: the NSC's SDG indicators prepared in ``data/sdg/``.

``scripts/prepare_sdg.py`` turns the statistics office's SDMX files into a catalogue (one row per
series) and a tidy values table; this module only reads them. Missing stays missing: a region or
year without a value is ``None`` (never 0, never the previous year's value). Rates, shares and
indices (``is_rate``) are never summed over regions nor divided by population.

    >>> values("SI_POV_NAHC", 2023)["KG-GB"] is not None
    True
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.paths import DATA
from atlas.places.gazetteer import CODES

SDG_DIR = DATA / "sdg"
NATIONAL = "KG"
#: The breakdown columns of values.parquet, in the order the catalogue's "default" lists them.
DIMS: tuple[str, ...] = ("sex", "age", "urbanisation", "income", "education", "occupation", "composite", "disability")
SOURCE = "National Statistical Committee of the Kyrgyz Republic, national SDG platform"
_LANGS = ("en", "ru", "ky")


@lru_cache(maxsize=1)
def catalogue() -> pd.DataFrame:
    """Every series kept, indexed by its SDMX code (goal, target, names, unit, years, breakdowns).

    >>> len(catalogue()) >= 70
    True
    """
    cat = pd.read_csv(SDG_DIR / "catalogue.csv", dtype=str, keep_default_na=False).set_index("series")
    cat["is_rate"] = cat["is_rate"] == "True"
    cat["unit_mult"] = cat["unit_mult"].astype(int)
    return cat


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return pd.read_parquet(SDG_DIR / "values.parquet")


@lru_cache(maxsize=1)
def codes() -> pd.DataFrame:
    """Names of the breakdown codes, indexed by (dimension, code).

    >>> codes().loc[("sex", "F"), "name_en"]
    'Female'
    """
    return pd.read_csv(SDG_DIR / "codes.csv", dtype=str, keep_default_na=False).set_index(["dimension", "code"])


@lru_cache(maxsize=1)
def left_out() -> pd.DataFrame:
    """The series of the source files not offered, each with the reason."""
    return pd.read_csv(SDG_DIR / "left_out.csv", dtype=str, keep_default_na=False)


def _short(items: list[str], limit: int = 8) -> str:
    shown = ", ".join(items[:limit])
    return shown + (f" … ({len(items)})" if len(items) > limit else "")


def info(series: str) -> pd.Series:
    """The catalogue row of ``series``; an unknown code raises UserError naming some that exist.

    >>> info("SL_TLF_UEM")["unit"]
    'PT'
    """
    if series not in catalogue().index:
        raise UserError(
            Msg(
                N_("Unknown official series {series}. Series that exist: {known}"),
                {"series": series, "known": _short(list(catalogue().index))},
            )
        )
    return _info(series)


@cache  # one row per series of the catalogue, which never changes while the app runs
def _info(series: str) -> pd.Series:
    return catalogue().loc[series]


def goals() -> list[str]:
    """SDG goals that have at least one series, in numeric order.

    >>> goals()[:3]
    ['1', '2', '3']
    """
    return list(_tree()[0])


def targets(goal: str) -> list[str]:
    """Targets of ``goal`` that have series ("3.2", "3.b"), numbers before letters.

    >>> targets("1")[:2]
    ['1.1', '1.2']
    """
    return list(_tree()[0].get(str(goal), ()))


def series_of(target: str) -> list[str]:
    """Series codes under ``target`` in the catalogue's order.

    >>> "SH_DYN_MORT" in series_of("3.2")
    True
    """
    return list(_tree()[1].get(str(target), ()))


@lru_cache(maxsize=1)
def _tree() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """goal → its targets (numbers before letters) and target → its series (catalogue order), built once."""
    cat = catalogue()
    by_goal = {
        goal: tuple(sorted(set(cat.loc[cat["goal"] == goal, "target"]),
                           key=lambda t: (len(t.split(".")[1]) if t.split(".")[1].isdigit() else 9, t)))
        for goal in sorted(set(cat["goal"]), key=int)
    }
    by_target = {t: tuple(cat.index[cat["target"] == t]) for ts in by_goal.values() for t in ts}
    return by_goal, by_target


def name(series: str, lang: str = "en") -> str:
    """The series name in ``lang`` (ky is the project's translation, the others the NSC's).

    >>> name("SL_TLF_UEM", "ky")
    'Жумушсуздуктун деңгээли'
    """
    return str(info(series)[f"name_{lang if lang in _LANGS else 'en'}"])


def unit_label(series: str, lang: str = "en") -> str:
    """The unit in ``lang``, e.g. 'Percent', 'Per 100,000 population'."""
    return str(info(series)[f"unit_{lang if lang in _LANGS else 'en'}"])


def is_rate(series: str) -> bool:
    """True when values are rates, shares or indices: never sum them, never divide by population.

    >>> is_rate("SL_TLF_UEM"), is_rate("VC_DSR_MORT")
    (True, False)
    """
    return bool(info(series)["is_rate"])


def years(series: str) -> list[int]:
    """Years with a value for at least one region (at the default breakdown), ascending.

    >>> years("SH_STA_STNT")
    [2014, 2018, 2023]
    """
    return [int(y) for y in str(info(series)["years"]).split(";") if y]


def default_breakdown(series: str) -> dict[str, str]:
    """The "total" of a series: ``_T`` or the one population it describes (SEX=F, AGE=Y0T4…)."""
    return json.loads(info(series)["default"])


def breakdowns(series: str) -> dict[str, list[str]]:
    """Dimensions the regions can be split by, with their codes, the total first.

    >>> breakdowns("SL_TLF_UEM")["sex"]
    ['_T', 'F', 'M']
    """
    return json.loads(info(series)["breakdowns"])


def _rows(series: str, breakdown: dict[str, str] | None) -> pd.DataFrame:
    """The observations of ``series`` at ``breakdown`` (the default for every dimension not named);
    kept per (series, breakdown): the table never changes while the app runs. Read-only."""
    return _rows_at(series, tuple(sorted((breakdown or {}).items())))


@lru_cache(maxsize=1024)
def _rows_at(series: str, breakdown: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    key = default_breakdown(series)
    for dim, code in breakdown:
        offered = breakdowns(series).get(dim) or ([key[dim]] if dim in key else [])
        if code not in offered:
            raise UserError(
                Msg(
                    N_("The series {series} has no breakdown {dim}={code}. Offered: {known}"),
                    {"series": series, "dim": dim, "code": code, "known": _short(offered or ["-"])},
                )
            )
        key[dim] = code
    t = _table()
    mask = t["series"] == series
    for dim in DIMS:
        mask &= t[dim] == key[dim]
    return t.loc[mask]


def _check_year(series: str, year: int) -> int:
    if int(year) not in years(series):
        raise UserError(
            Msg(
                N_("The series {series} has no regional values for {year}. Years: {known}"),
                {"series": series, "year": year, "known": _short([str(y) for y in years(series)], 30)},
            )
        )
    return int(year)


def values(series: str, year: int, breakdown: dict[str, str] | None = None) -> dict[str, float | None]:
    """Value per region (the 9 ISO codes, ``None`` where the source has none) for one year.

    >>> v = values("SH_DYN_MORT", 2020, {"sex": "F"}); sorted(v) == sorted(CODES)
    True
    """
    rows = _rows(series, breakdown)
    at = rows[rows["year"] == _check_year(series, year)]
    found = dict(zip(at["iso"].astype(str), at["value"], strict=True))
    return {code: _number(found.get(code)) for code in CODES}


def national(series: str, year: int, breakdown: dict[str, str] | None = None) -> float | None:
    """The country's value for the year (the reference line), ``None`` where not published."""
    rows = _rows(series, breakdown)
    at = rows[(rows["year"] == int(year)) & (rows["iso"] == NATIONAL)]
    return _number(at["value"].iloc[0]) if len(at) else None


def comments(series: str, year: int, breakdown: dict[str, str] | None = None) -> dict[str, str]:
    """The source's notes on the values shown, by ISO code ("including Osh city"…); only non-empty."""
    return dict(_comments(series, int(year), tuple(sorted((breakdown or {}).items()))))


@lru_cache(maxsize=1024)
def _comments(series: str, year: int, breakdown: tuple[tuple[str, str], ...]) -> dict[str, str]:
    rows = _rows_at(series, breakdown)
    at = rows[(rows["year"] == year) & (rows["comment"] != "")]
    return dict(zip(at["iso"].astype(str), at["comment"], strict=True))


def time_series(series: str, breakdown: dict[str, str] | None = None) -> pd.DataFrame:
    """Years × (9 ISO codes + "KG"); NaN where a year has no value (a gap, not a zero). Kept per
    (series, breakdown) and shared: read-only.

    >>> time_series("SL_TLF_UEM").columns[-1]
    'KG'
    """
    return _time_series(series, tuple(sorted((breakdown or {}).items())))


@lru_cache(maxsize=512)
def _time_series(series: str, breakdown: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    rows = _rows_at(series, breakdown)
    wide = rows.pivot_table(index="year", columns="iso", values="value", observed=True, aggfunc="first")
    wide.columns = wide.columns.astype(str)
    return wide.reindex(columns=[*CODES, NATIONAL]).sort_index()


def change_since(
    series: str, base_year: int, year: int, breakdown: dict[str, str] | None = None
) -> dict[str, float | None]:
    """Difference ``year`` − ``base_year`` per region, in the series' unit (percentage points for
    a percentage); ``None`` where either end is missing: nothing is carried forward.

    >>> d = change_since("SL_TLF_UEM", 2010, 2020); len(d)
    9
    """
    then = values(series, base_year, breakdown)
    now = values(series, year, breakdown)
    return {c: None if now[c] is None or then[c] is None else now[c] - then[c] for c in CODES}


def _number(x: object) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


# ---------------------------------------------------------------- command line


def cli_catalogue() -> list[dict]:
    """What ``python -m atlas indicators --json`` prints: one object per series."""
    out = []
    for series, row in catalogue().iterrows():
        out.append(
            {
                "id": series,
                "names": {lang: row[f"name_{lang}"] for lang in _LANGS},
                "unit": row["unit"],
                "years": years(series),
                "breakdowns": breakdowns(series),
                "source": f"{SOURCE}, {row['source_file']}",
            }
        )
    return out


def cli_values(series: str, year: int) -> dict:
    """What ``python -m atlas indicators --values SERIES --year YEAR --json`` prints (totals)."""
    return {
        "series": series,
        "year": int(year),
        "unit": str(info(series)["unit"]),
        "values": values(series, year),
        "national": national(series, year),
    }


# ---------------------------------------------------------------- OGP commitments


@lru_cache(maxsize=1)
def commitment_links() -> pd.DataFrame:
    """The reviewed table of which official series speak to which OGP commitment, with a one-line
    reason in en/ru/ky (``data/ogp_indicator_links.csv``).

    >>> "_L_KG_160501_1A" in series_for_commitment("KG0026")
    True
    """
    return pd.read_csv(DATA / "ogp_indicator_links.csv", dtype=str, keep_default_na=False)


def series_for_commitment(commitment_id: str) -> list[str]:
    """Series linked to one commitment, in the table's order; [] when none speaks to it."""
    links = commitment_links()
    return list(links.loc[links["commitment_id"] == commitment_id, "series"])


def link_reason(commitment_id: str, series: str, lang: str = "en") -> str:
    """Why ``series`` speaks to ``commitment_id``, in ``lang``; "" when they are not linked."""
    links = commitment_links()
    row = links[(links["commitment_id"] == commitment_id) & (links["series"] == series)]
    return str(row[f"reason_{lang if lang in _LANGS else 'en'}"].iloc[0]) if len(row) else ""
