"""Official SDG statistics: the values the app shows equal the NSC's SDMX files.

The expected figures are read here, independently of the prepared parquet, from the SDMX files
copied into data/sources/sdg_kg/ with sdmx1 (the reader the preparation script uses, but on the
raw XML, so a wrong region mapping, year, breakdown or a filled gap would show).
"""

from __future__ import annotations

import math
import random
import re
from functools import cache, lru_cache

import pandas as pd
import pytest
import sdmx

from atlas.errors import UserError
from atlas.paths import DATA
from atlas.places.gazetteer import CODES
from atlas.values import official

SOURCES = DATA / "sources" / "sdg_kg"
#: REF_AREA of the source → ISO key, written out here (not imported) so a mapping error shows.
ISO = {
    "KG02": "KG-Y", "KG03": "KG-J", "KG04": "KG-N", "KG05": "KG-B", "KG06": "KG-O",
    "KG07": "KG-T", "KG08": "KG-C", "KG11": "KG-GB", "KG21": "KG-GO", "KG": "KG",
}  # fmt: skip
SDMX_DIMS = {
    "sex": "SEX", "age": "AGE", "urbanisation": "URBANISATION", "income": "INCOME_WEALTH_QUANTILE",
    "education": "EDUCATION_LEV", "occupation": "OCCUPATION", "composite": "COMPOSITE_BREAKDOWN",
    "disability": "DISABILITY_STATUS",
}  # fmt: skip


@lru_cache(maxsize=1)
def _dsd():
    return sdmx.read_sdmx(SOURCES / "SDG_DSD.KG_1.7.xml").structure["SDG"]


@cache
def source(filename: str) -> pd.DataFrame:
    """All observations of one SDMX file, flat."""
    msg = sdmx.read_sdmx(SOURCES / "data" / filename, structure=_dsd())
    return pd.concat([sdmx.to_pandas(ds, attributes="o").reset_index() for ds in msg.data])


def expected(series: str, year: int, key: dict[str, str]) -> dict[str, float | None]:
    """Values by ISO code (and "KG") straight from the source file, None where it has none."""
    obs = source(official.info(series)["source_file"])
    mask = (obs["SERIES"] == series) & (obs["TIME_PERIOD"] == str(year))
    for dim, code in key.items():
        mask &= obs[SDMX_DIMS[dim]] == code
    found = {ISO[a]: float(v) for a, v in zip(obs.loc[mask, "REF_AREA"], obs.loc[mask, "value"], strict=True)}
    not_measured = {(r.iso, int(r.year)) for r in corrections().itertuples() if r.series == series}
    return {code: None if (code, year) in not_measured else found.get(code) for code in (*CODES, "KG")}


@cache
def corrections() -> pd.DataFrame:
    """Published zeros the preparation script takes out as not measured, with the reason."""
    return pd.read_csv(DATA / "sdg" / "corrections.csv")


def sample() -> list[tuple[str, int, dict[str, str]]]:
    """A seeded sample: 30 series, a random year each, the total or a random regional breakdown."""
    rng = random.Random(13)
    picked = rng.sample(sorted(official.catalogue().index), 30)
    out = []
    for series in picked:
        key = official.default_breakdown(series)
        split = official.breakdowns(series)
        if split and rng.random() < 0.5:
            dim = rng.choice(sorted(split))
            key[dim] = rng.choice(split[dim])
        out.append((series, rng.choice(official.years(series)), key))
    return out


@pytest.mark.parametrize(("series", "year", "key"), sample(), ids=lambda x: str(x) if not isinstance(x, dict) else "")
def test_values_equal_the_sdmx_source(series: str, year: int, key: dict[str, str]) -> None:
    want = expected(series, year, key)
    changed = {d: c for d, c in key.items() if c != official.default_breakdown(series)[d]}
    got = official.values(series, year, changed or None)
    assert set(got) == set(CODES)
    for code in CODES:
        if want[code] is None:
            assert got[code] is None, f"{series} {year} {code}: no value in the source, shown {got[code]}"
        else:
            assert got[code] == pytest.approx(want[code], rel=1e-12)
    nat = official.national(series, year, changed or None)
    assert nat == (pytest.approx(want["KG"]) if want["KG"] is not None else None)


def _gaps() -> list[tuple[str, int, str]]:
    """(series, year, region) with no value in the source although the year has other regions."""
    out = []
    for series in official.catalogue().index:
        ts = official.time_series(series)
        for year, row in ts[list(CODES)].iterrows():
            out += [(series, int(year), code) for code in CODES if pd.isna(row[code])]
    return out


def test_missing_stays_missing_and_is_never_carried_forward() -> None:
    gaps = _gaps()
    assert len(gaps) >= 3, "the sources have gaps (Osh city before 2013 in some series)"
    for series, year, code in gaps[:40]:
        assert expected(series, year, official.default_breakdown(series))[code] is None
        assert official.values(series, year)[code] is None
        later = [y for y in official.years(series) if y > year]
        if later:
            assert official.change_since(series, year, later[-1])[code] is None


def test_change_since_is_the_difference_of_the_two_years() -> None:
    series = "SI_POV_NAHC"
    then, now = official.values(series, 2010), official.values(series, 2023)
    change = official.change_since(series, 2010, 2023)
    for code in CODES:
        if then[code] is None or now[code] is None:
            assert change[code] is None
        else:
            assert change[code] == pytest.approx(now[code] - then[code])
    assert change["KG-GO"] is None  # 2010 is not measured for Osh city
    total = official.default_breakdown(series)
    want = expected(series, 2023, total)["KG-B"] - expected(series, 2010, total)["KG-B"]
    assert change["KG-B"] == pytest.approx(want)


def test_time_series_has_gaps_as_nan_not_zero() -> None:
    ts = official.time_series("SH_STA_MALR")
    assert list(ts.columns) == [*CODES, "KG"]
    assert 2014 not in ts.index and 2020 not in ts.index  # years the source does not publish
    with pytest.raises(UserError):
        official.values("SH_STA_MALR", 2014)


def test_catalogue_has_70_series_named_in_three_languages() -> None:
    cat = official.catalogue()
    assert len(cat) >= 70
    for lang in ("en", "ru", "ky"):
        assert (cat[f"name_{lang}"].str.len() > 3).all(), lang
    assert cat["name_ru"].map(lambda s: bool(re.search("[а-яА-Я]", s))).all()
    assert (cat["name_ky"] != cat["name_ru"]).all()
    assert (cat["name_ky_note"] == "Achyk Atlas project translation").all()
    assert official.name("SL_TLF_UEM", "ky") == "Жумушсуздуктун деңгээли"


def test_every_series_of_the_sources_is_offered_or_left_out_with_a_reason() -> None:
    in_files = set()
    for path in sorted((SOURCES / "data").glob("*.xml")):
        in_files |= set(re.findall(r'SERIES="([^"]+)"', path.read_text(encoding="utf-8")))
    offered, left = set(official.catalogue().index), official.left_out()
    assert offered | set(left["series"]) == in_files
    assert not offered & set(left["series"])
    assert (left["reason"].str.len() > 10).all()


def test_goals_targets_and_series_browse_the_whole_catalogue() -> None:
    found = [s for g in official.goals() for t in official.targets(g) for s in official.series_of(t)]
    assert sorted(found) == sorted(official.catalogue().index)
    assert official.targets("8") == sorted(official.targets("8"), key=lambda t: (len(t), t))


@pytest.mark.parametrize(
    ("series", "rate"),
    [("SL_TLF_UEM", True), ("SH_DYN_MORT", True), ("_L_KG_160501_1A", True),
     ("_L_KG_110701_1A", True), ("VC_DSR_MORT", False), ("_L_KG_060402_1", False)],
)  # fmt: skip
def test_rates_are_marked_so_they_are_never_summed(series: str, rate: bool) -> None:
    assert official.is_rate(series) is rate


@pytest.mark.parametrize(
    ("call", "words"),
    [
        (lambda: official.values("NO_SUCH", 2020), ["NO_SUCH", "AG_PRD_FIESMS"]),
        (lambda: official.values("SH_STA_STNT", 2019), ["2019", "2014, 2018, 2023"]),
        (lambda: official.values("SL_TLF_UEM", 2020, {"sex": "X"}), ["sex=X", "_T, F, M"]),
        (lambda: official.values("SL_TLF_UEM", 2020, {"colour": "F"}), ["colour=F"]),
    ],
)
def test_unknown_series_year_or_breakdown_is_a_user_error_listing_what_exists(call, words) -> None:
    with pytest.raises(UserError) as err:
        call()
    text = err.value.msg.render()
    assert all(w in text for w in words), text


def test_osh_oblast_notes_that_it_included_osh_city() -> None:
    notes = official.comments("_L_KG_010101_1A", 2011)
    assert notes.get("KG-O") == "including Osh city"
    assert official.values("_L_KG_010101_1A", 2011)["KG-GO"] is None


def test_values_are_plain_floats_for_json() -> None:
    v = official.values("SI_POV_NAHC", 2023)
    assert all(x is None or type(x) is float and math.isfinite(x) for x in v.values())


def test_every_commitment_link_names_a_real_commitment_and_series() -> None:
    links = official.commitment_links()
    commitments = set(pd.read_csv(DATA / "ogp_commitments.csv", dtype=str)["commitment_id"])
    assert len(links) >= 10
    assert set(links["commitment_id"]) <= commitments
    assert set(links["series"]) <= set(official.catalogue().index)
    assert not links.duplicated(["commitment_id", "series"]).any()
    for lang in ("en", "ru", "ky"):
        assert (links[f"reason_{lang}"].str.len() > 20).all(), lang
    assert official.series_for_commitment("KG0020") == []  # parliament: no series speaks to it
    assert "Нацстатком" in official.link_reason("KG0007", "_L_KG_160501_1A", "ru")


def test_only_published_zeros_are_taken_out_as_not_measured() -> None:
    table = corrections()
    assert len(table) and table["reason"].str.len().gt(20).all()
    for row in table.itertuples():
        obs = source(official.info(row.series)["source_file"])
        area = next(a for a, iso in ISO.items() if iso == row.iso)
        cells = obs[(obs["SERIES"] == row.series) & (obs["TIME_PERIOD"] == str(row.year)) & (obs["REF_AREA"] == area)]
        assert len(cells) and (cells["value"].astype(float) == 0).all()
        assert official.values(row.series, int(row.year))[row.iso] is None


def test_osh_city_poverty_is_no_data_before_2013_and_a_rate_after() -> None:
    assert official.values("SI_POV_NAHC", 2010)["KG-GO"] is None
    assert official.values("SI_POV_NAHC", 2010)["KG-O"] > 0
    assert 10 < official.values("SI_POV_NAHC", 2013)["KG-GO"] < 60
