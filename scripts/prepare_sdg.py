"""Prepare the NSC's official SDG indicators by region for the app (data/sdg/, data/sources/sdg_kg/).

Reads the 75 SDMX-ML 2.1 files of ../shared/reference/sdg_kg/data/ and the structure file
SDG_DSD.KG_1.7.xml with sdmx1, and writes:

- ``data/sdg/values.parquet``: one row per observation of every series kept (region rows with
  the app's ISO keys, national rows with ``iso == "KG"``), every breakdown, value, unit, unit
  multiplier, status and the source's comments;
- ``data/sdg/catalogue.csv``: one row per series kept: SDG goal/target/indicator, names in en
  and ru (structure file) and ky (``data/sdg/names_ky.csv``, the project's translation), unit,
  whether it is a rate, the years with regional values, the default ("total") breakdown and the
  breakdowns present for the regions, the source file;
- ``data/sdg/codes.csv``: names of the unit and breakdown codes used (en/ru from the structure
  file, ky the project's translation);
- ``data/sdg/left_out.csv``: every series of the files that is not kept, with the reason;
- ``data/sources/sdg_kg/``: the SDMX files, unchanged, with the licence, so tests can compare.

Run by a maintainer: ``.venv/bin/python scripts/prepare_sdg.py``. The app never reads SDMX.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pandas as pd
import sdmx

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "reference" / "sdg_kg"
OUT = ROOT / "data" / "sdg"
SOURCES = ROOT / "data" / "sources" / "sdg_kg"
DSD_FILE = "SDG_DSD.KG_1.7.xml"

#: REF_AREA (OCHA p-code prefix) -> the app's ISO 3166-2 key; "KG" is the whole country.
AREA_TO_ISO = {
    "KG": "KG",
    "KG02": "KG-Y",
    "KG03": "KG-J",
    "KG04": "KG-N",
    "KG05": "KG-B",
    "KG06": "KG-O",
    "KG07": "KG-T",
    "KG08": "KG-C",
    "KG11": "KG-GB",
    "KG21": "KG-GO",
}
#: SDMX breakdown dimension -> column in values.parquet, with the code list naming its codes.
DIMS = {
    "SEX": ("sex", "CL_SEX"),
    "AGE": ("age", "CL_AGE"),
    "URBANISATION": ("urbanisation", "CL_URBANISATION"),
    "INCOME_WEALTH_QUANTILE": ("income", "CL_QUANTILE"),
    "EDUCATION_LEV": ("education", "CL_EDUCATION_LEV"),
    "OCCUPATION": ("occupation", "CL_OCCUPATION"),
    "COMPOSITE_BREAKDOWN": ("composite", "CL_COMP_BREAKDOWN"),
    "DISABILITY_STATUS": ("disability", "CL_DISABILITY"),
}
#: Dimensions that are "_T" in every file; checked, so a new file that splits them fails loudly.
ALWAYS_TOTAL = ("CUST_BREAKDOWN", "ACTIVITY", "PRODUCT")
#: Units that are amounts (may be summed over regions); every other unit is a rate, share or index.
AMOUNT_UNITS = {"NUMBER", "CUR_LCU", "M_M3_PER_YR", "HA"}
#: Series whose unit code says amount but whose definition is per person (their name says so).
RATE_SERIES = {"_L_KG_110701_1A": "hectares of green space per 1,000 people"}
# Published zeros that are not measurements, taken out as "no data" (written to corrections.csv, shown
# on the About page). Osh city's national poverty rate is 0.0 for every breakdown in 2007-2012 and about
# 40 % from 2013; other series of the same source say Osh oblast included Osh city in those years.
NOT_MEASURED = [
    (
        "SI_POV_NAHC",
        "KG-GO",
        range(2007, 2013),
        "0.0 in the source for every breakdown, about 40 % from 2013: not a measurement (Osh city was "
        "counted with Osh oblast in those years, as other series of the source say)",
    ),
]

#: Unit names in Kyrgyz: the project's translation (the structure file has en and ru only).
UNIT_KY = {
    "CUR_LCU": "Улуттук валюта (сом)",
    "HA": "Гектар",
    "IX": "Индекс",
    "M_M3_PER_YR": "Жылына миллион куб метр",
    "NUMBER": "Саны",
    "PER_100000_LIVE_BIRTHS": "100 000 тирүү төрөлгөнгө",
    "PER_100000_POP": "100 000 калкка",
    "PER_100000_WKRS_EMP": "100 000 иштеген кызматкерге",
    "PER_10000_POP": "10 000 калкка",
    "PER_1000_LIVE_BIRTHS": "1000 тирүү төрөлгөнгө",
    "PER_1000_POP": "1000 калкка",
    "PER_1000_UNINFECTED_POP": "1000 жуктурбаган адамга",
    "PT": "Пайыз",
}
#: Breakdown code names in Kyrgyz (the project's translation), for the codes regions are split by.
CODE_KY = {
    ("SEX", "_T"): "Эки жыныс тең",
    ("SEX", "F"): "Аялдар",
    ("SEX", "M"): "Эркектер",
    ("SEX", "_U"): "Белгисиз",
    ("URBANISATION", "_T"): "Бардыгы",
    ("URBANISATION", "U"): "Шаар",
    ("URBANISATION", "R"): "Айыл",
    ("COMPOSITE_BREAKDOWN", "_T"): "Бөлүнбөгөн",
    ("COMPOSITE_BREAKDOWN", "_L_WS_AQUIFER"): "Суу булагы: жер астындагы суу катмары",
    ("COMPOSITE_BREAKDOWN", "_L_WS_NATURAL"): "Суу булагы: табигый",
    ("OCCUPATION", "ISCO08_221"): "Дарыгерлер",
    ("OCCUPATION", "_T"): "Бардыгы",
    ("INCOME_WEALTH_QUANTILE", "B50"): "Төмөнкү 50%",
    ("DISABILITY_STATUS", "_T"): "Бөлүнбөгөн",
    ("INCOME_WEALTH_QUANTILE", "_T"): "Бардыгы",
    ("EDUCATION_LEV", "_T"): "Бардыгы",
}
_AGE = re.compile(r"^(?P<u>[YM])(?:(?P<a>\d+)(?:T(?P<b>\d+))?|_GE(?P<ge>\d+))$")


def age_ky(code: str) -> str | None:
    """Kyrgyz name of an SDMX age code, built from its pattern.

    >>> age_ky("Y15T28"), age_ky("Y_GE58"), age_ky("M0T11"), age_ky("Y8")
    ('15–28 жаш', '58 жаш жана андан улуу', '0–11 ай', '8 жаш')
    """
    if code == "_T":
        return "Бардык курактар"
    m = _AGE.match(code)
    if not m:
        return None
    unit = "жаш" if m["u"] == "Y" else "ай"
    if m["ge"]:
        return f"{m['ge']} {unit} жана андан улуу"
    if m["b"]:
        return f"{m['a']}–{m['b']} {unit}"
    return f"{m['a']} {unit}" if m["a"] != "0" else f"1 {unit}га чейин"


def name_of(codelist, code: str, lang: str) -> str | None:
    """The ``lang`` name of ``code`` in an sdmx1 code list, None where the list has none."""
    if code not in codelist:
        return None
    return codelist[code].name.localizations.get(lang)


def read_all(dsd) -> pd.DataFrame:
    """Every observation of every file as one flat table (one row per file and observation)."""
    frames = []
    for path in sorted((SRC / "data").glob("*.xml")):
        msg = sdmx.read_sdmx(path, structure=dsd)
        for ds in msg.data:
            df = sdmx.to_pandas(ds, attributes="dgso").reset_index()
            df["file"] = path.stem
            frames.append(df)
    df = pd.concat(frames, ignore_index=True)
    for dim in ALWAYS_TOTAL:
        assert (df[dim] == "_T").all(), f"{dim} is split in some file: extend DIMS"
    return df


def primary_file(series: str, files: list[str], indicator_of: dict[str, str]) -> str:
    """Where a series shown in several files is taken from: the file of its own SDG indicator
    (the structure file's 'Indicator' annotation), else the first file. The files can disagree
    (VC_DSR_MORT, Issyk-Kul 2019: 7 deaths in 1.5.1, 5 in 11.5.1 and 13.1.1)."""
    own = indicator_of.get(series)
    return own if own in files else sorted(files, key=_file_order)[0]


def _file_order(stem: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 100 + ord(p[0]) for p in stem.split("."))


def default_breakdown(regional: pd.DataFrame) -> dict[str, str] | None:
    """The "total" a map shows: per dimension, ``_T`` where the regions have it, else the one
    code they all share (SEX=F for maternal mortality, AGE=Y0T4 for under-5 mortality).
    None when some dimension has several codes and no total (no honest default exists)."""
    out = {}
    for dim in DIMS:
        codes = set(regional[dim])
        if "_T" in codes:
            out[dim] = "_T"
        elif len(codes) == 1:
            out[dim] = codes.pop()
        else:
            return None
    return out


def regional_breakdowns(regional: pd.DataFrame, default: dict[str, str]) -> dict[str, list[str]]:
    """Dimensions a regional map can be split by: codes present for the regions while every
    other dimension stays at its default."""
    out = {}
    for dim in DIMS:
        others = (regional[d] == default[d] for d in DIMS if d != dim)
        mask = pd.concat(list(others), axis=1).all(axis=1)
        codes = sorted(set(regional.loc[mask, dim]), key=lambda c: (c != default[dim], c))
        if len(codes) > 1:
            out[DIMS[dim][0]] = codes
    return out


def main() -> None:
    structure = sdmx.read_sdmx(SRC / DSD_FILE)
    dsd = structure.structure["SDG"]
    cl = structure.codelist
    series_cl = cl["CL_SERIES"]
    indicator_of = {s.id: str(a.text) for s in series_cl for a in s.annotations if a.type == "Indicator"}
    raw = read_all(dsd)
    names_ky = pd.read_csv(OUT / "names_ky.csv", dtype=str).set_index("series")["name_ky"]

    kept, left_out, rows = [], [], []
    for series, obs in raw.groupby("SERIES", sort=True):
        files = sorted(set(obs["file"]), key=_file_order)
        src = primary_file(series, files, indicator_of)
        obs = obs[obs["file"] == src]
        name_en, name_ru = name_of(series_cl, series, "en"), name_of(series_cl, series, "ru")
        regional = obs[obs["REF_AREA"] != "KG"]
        default = default_breakdown(regional) if len(regional) else None
        if not (name_en and name_ru):
            reason = "the structure file SDG_DSD.KG_1.7.xml has no name for this series code"
        elif regional.empty:
            reason = "national figures only: no value for any region"
        elif default is None:
            split = [d for d in DIMS if "_T" not in set(regional[d]) and regional[d].nunique() > 1]
            reason = f"no total for the regions: only split by {', '.join(split)}"
        elif series not in names_ky.index:
            reason = "no Kyrgyz name written yet (data/sdg/names_ky.csv)"
        else:
            reason = None
        if reason:
            left_out.append({"series": series, "source_file": f"{src}.xml", "name_en": name_en or "", "reason": reason})
            continue
        units = set(obs["UNIT_MEASURE"])
        assert len(units) == 1, f"{series}: several units {units}"
        unit = units.pop()
        at_default = regional[(regional[list(DIMS)] == pd.Series(default)).all(axis=1)]
        years = sorted(int(y) for y in set(at_default["TIME_PERIOD"]))
        goal, target = src.split(".")[0], ".".join(src.split(".")[:2])
        kept.append(
            {
                "series": series,
                "goal": goal,
                "target": target,
                "indicator": src,
                "sdg_indicator": indicator_of.get(series, ""),
                "name_en": name_en.strip(),
                "name_ru": name_ru.strip(),
                "name_ky": names_ky[series].strip(),
                "name_ky_note": "Achyk Atlas project translation",
                "unit": unit,
                "unit_en": name_of(cl["CL_UNIT_MEASURE"], unit, "en"),
                "unit_ru": name_of(cl["CL_UNIT_MEASURE"], unit, "ru"),
                "unit_ky": UNIT_KY[unit],
                "unit_mult": int(obs["UNIT_MULT"].astype(int).max()),
                "is_rate": unit not in AMOUNT_UNITS or series in RATE_SERIES,
                "years": ";".join(map(str, years)),
                "default": json.dumps({DIMS[d][0]: c for d, c in default.items()}),
                "breakdowns": json.dumps(regional_breakdowns(regional, default)),
                "source_file": f"{src}.xml",
                "also_in": ";".join(f"{f}.xml" for f in files if f != src),
            }
        )
        rows.append(obs)

    values = pd.concat(rows, ignore_index=True)
    tidy = pd.DataFrame(
        {
            "series": values["SERIES"],
            "iso": values["REF_AREA"].map(AREA_TO_ISO),
            "ref_area": values["REF_AREA"],
            "year": values["TIME_PERIOD"].astype(int),
            **{col: values[dim] for dim, (col, _) in DIMS.items()},
            "value": values["value"].astype(float),
            "unit": values["UNIT_MEASURE"],
            "unit_mult": values["UNIT_MULT"].astype(int),
            "obs_status": values["OBS_STATUS"],
            "comment": values["COMMENT_OBS"].fillna("").str.strip(),
            "series_comment": values["COMMENT_TS"].fillna("").str.strip(),
            "source_detail": values["SOURCE_DETAIL"].fillna("").str.strip(),
        }
    )
    assert tidy["iso"].notna().all(), "a REF_AREA outside the 9 units and the country"
    tidy, corrections = drop_not_measured(tidy)
    for col in ("series", "iso", "ref_area", "unit", "obs_status", *(c for c, _ in DIMS.values())):
        tidy[col] = tidy[col].astype("category")
    tidy = tidy.sort_values(["series", "year", "iso"]).reset_index(drop=True)
    OUT.mkdir(parents=True, exist_ok=True)
    tidy.to_parquet(OUT / "values.parquet", index=False, compression="zstd")
    pd.DataFrame(kept).to_csv(OUT / "catalogue.csv", index=False)
    pd.DataFrame(left_out).to_csv(OUT / "left_out.csv", index=False)
    corrections.to_csv(OUT / "corrections.csv", index=False)
    write_codes(tidy, cl)
    copy_sources()
    print(f"{len(kept)} series kept, {len(left_out)} left out, {len(tidy)} values")
    for row in left_out:
        print(f"  left out {row['series']}: {row['reason']}")


def drop_not_measured(tidy: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Take out the zeros listed in NOT_MEASURED (only exact zeros: a real value is never touched)."""
    drop = pd.Series(False, index=tidy.index)
    rows = []
    for series, iso, years, reason in NOT_MEASURED:
        hit = (tidy["series"] == series) & (tidy["iso"] == iso) & tidy["year"].isin(years) & (tidy["value"] == 0)
        drop |= hit
        for year in sorted(set(tidy.loc[hit, "year"])):
            rows.append({"series": series, "iso": iso, "year": year, "reason": reason})
    return tidy[~drop].reset_index(drop=True), pd.DataFrame(rows, columns=["series", "iso", "year", "reason"])


def write_codes(tidy: pd.DataFrame, cl) -> None:
    """Names of every breakdown code the regional rows use, in en/ru (structure) and ky (ours)."""
    rows = []
    regional = tidy[tidy["iso"] != "KG"]
    for dim, (col, listname) in DIMS.items():
        for code in sorted(set(regional[col])):
            ky = age_ky(code) if dim == "AGE" else CODE_KY.get((dim, code))
            rows.append(
                {
                    "dimension": col,
                    "code": code,
                    "name_en": name_of(cl[listname], code, "en") or code,
                    "name_ru": name_of(cl[listname], code, "ru") or code,
                    "name_ky": ky or "",
                }
            )
    pd.DataFrame(rows).to_csv(OUT / "codes.csv", index=False)


def copy_sources() -> None:
    """The SDMX files unchanged, so a test can parse them with sdmx1 without ../shared."""
    (SOURCES / "data").mkdir(parents=True, exist_ok=True)
    for path in sorted((SRC / "data").glob("*.xml")):
        shutil.copyfile(path, SOURCES / "data" / path.name)
    for name in (DSD_FILE, "LICENSE.repo.txt", "README.md"):
        shutil.copyfile(SRC / name, SOURCES / name)


if __name__ == "__main__":
    main()
