"""Region matching: every alias, and spellings the alias file does not hold."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.errors import UserError
from atlas.places import gazetteer, regions

ALIASES = list(gazetteer.aliases().itertuples(index=False, name=None))
# The alias file lists bare "Osh"/"Ош" under the oblast; the product owner wants them ambiguous.
BARE_OSH = {"Osh", "Ош"}


@pytest.mark.parametrize(("alias", "code"), ALIASES)
def test_every_alias_maps_to_its_code(alias: str, code: str) -> None:
    m = regions.match_value(alias)
    if alias in BARE_OSH:
        assert m.method == "ambiguous" and code in dict(m.suggestions)
    else:
        assert (m.code, m.method) == (code, "alias")


VARIANTS = [
    # typos and capitals
    ("БИШКЕК", "KG-GB"),
    ("бишкек", "KG-GB"),
    ("Бишкекк", "KG-GB"),
    ("Нарынн", "KG-N"),
    ("Таласкя область", "KG-T"),
    ("Джалал-Абадска обл.", "KG-J"),
    ("Batkn", "KG-B"),
    ("ISSYK-KUL", "KG-Y"),
    ("Talass", "KG-T"),
    ("Naryn reg.", "KG-N"),
    # Latin look-alike letters inside Cyrillic words (and the reverse)
    ("Бишkек", "KG-GB"),
    ("Hарын", "KG-N"),
    ("Талаc", "KG-T"),
    ("Oш шаары", "KG-GO"),
    ("Bаtken", "KG-B"),
    # "?" where CP1251 lost ө/ү/ң
    ("Ысык-К?л", "KG-Y"),
    ("Ч?й облусу", "KG-C"),
    ("Ысык-К?л облусу", "KG-Y"),
    # UTF-8 read as CP1251
    ("Р‘РёС€РєРµРє", "KG-GB"),
    ("РќР°СЂС‹РЅ", "KG-N"),
    # words for city / oblast, punctuation, ё/е
    ("г. Бишкек", "KG-GB"),
    ("Чуйская обл.", "KG-C"),
    ("Issyk Kul oblast", "KG-Y"),
    ("Jalalabad", "KG-J"),
    ("Ош шаары", "KG-GO"),
    ("Ошская область", "KG-O"),
    ("Osh city", "KG-GO"),
    ("Osh Region", "KG-O"),
    ("город  Ош", "KG-GO"),
    ("Нарын облусу", "KG-N"),
    ("  Talas  ", "KG-T"),
    ("Иссык-Кульская обл", "KG-Y"),
    ("Jalal-Abad province", "KG-J"),
    ("Chüy Region", "KG-C"),
    ("ЧУЙСКАЯ ОБЛАСТЬ", "KG-C"),
    ("Баткенская обл.", "KG-B"),
    ("Bishkek city", "KG-GB"),
    # codes
    ("KG-Y", "KG-Y"),
    ("kg-go", "KG-GO"),
    ("KG02000000000", "KG-Y"),
    ("41711000000000", "KG-GB"),
    (41708, "KG-C"),
    ("KG.TL", "KG-T"),
    # old names
    ("Frunze", "KG-GB"),
    ("Фрунзе", "KG-GB"),
]


@pytest.mark.parametrize(("raw", "code"), VARIANTS)
def test_variants_not_in_alias_file(raw: object, code: str) -> None:
    assert regions.match_value(raw).code == code


@pytest.mark.parametrize("raw", ["Ош", "Osh", "OSH", " ош "])
def test_bare_osh_is_ambiguous(raw: str) -> None:
    m = regions.match_value(raw)
    assert m.code is None and m.method == "ambiguous"
    assert {c for c, _ in m.suggestions} == {"KG-O", "KG-GO"}


@pytest.mark.parametrize("raw", ["Москва", "banana", "Алматы", "Tashkent", "x", "", None, "12345"])
def test_unrelated_values_are_unmatched(raw: object) -> None:
    assert regions.match_value(raw).code is None


@pytest.mark.parametrize("raw", ["Кыргызская Республика", "Кыргыз Республикасы", "Всего", "Итого:", "Total"])
def test_totals_are_not_regions(raw: str) -> None:
    m = regions.match_value(raw)
    assert (m.code, m.method) == (None, "total")


def test_match_column_counts_fixes_and_report() -> None:
    s = pd.Series(["Нарын", "Нарын", "Ош", "Атлантида", "Талас", None])
    res = regions.match_column(s)
    assert (res.matched_rows, res.total_rows) == (3, 6)
    assert res.unmatched == ["Атлантида"] and res.ambiguous == ["Ош"]
    assert res.summary().render() == "Rows matched to a region: 3 of 6"
    row = res.report.set_index("raw").loc["Нарын"]
    assert (row["rows"], row["code"], row["method"]) == (2, "KG-N", "alias")
    fixed = regions.match_column(s, fixes={"Ош": "KG-GO", "Талас": None})
    assert fixed.codes.tolist()[2] == "KG-GO" and pd.isna(fixed.codes.iloc[4])
    assert fixed.matched_rows == 3
    assert "raw,rows,code" in fixed.report.to_csv(index=False)


def test_unknown_fix_code_is_refused() -> None:
    with pytest.raises(UserError):
        regions.match_column(pd.Series(["Ош"]), fixes={"Ош": "KG-XX"})


def test_suggestions_for_near_misses() -> None:
    m = regions.match_value("Batken reg")
    assert m.code == "KG-B" or (m.code is None and m.suggestions[0][0] == "KG-B")


def test_batken_warning_before_split() -> None:
    s = pd.Series(["Ошская область", "Нарын", "Ошская область", "Баткен"])
    years = pd.Series([1998, 1998, 2005, 2005])
    assert len(regions.match_column(s, years=years).warnings) == 1
    assert regions.match_column(s, years=pd.Series([2005] * 4)).warnings == []


def test_detect_region_column_by_content() -> None:
    df = pd.DataFrame({"a": ["x", "y", "z"], "b": ["Чуй", "Талас", "г. Ош"], "n": [1.0, 2.0, 3.0]})
    assert regions.detect_region_column(df) == "b"
    assert regions.detect_region_column(df[["a", "n"]]) is None


@pytest.mark.parametrize(("how", "expected"), [("sum", 3.0), ("mean", 1.5), ("count", 2), ("first", 1.0)])
def test_aggregate_and_duplicates(how: str, expected: float) -> None:
    df = pd.DataFrame({"v": [1.0, 2.0, 7.0, 4.0]})
    codes = regions.match_column(pd.Series(["Нарын", "Нарынская", "Талас", "Атлантида"])).codes
    out = regions.aggregate_by_region(df, codes, "v", how)
    assert out.loc["KG-N", "value"] == expected and out.loc["KG-N", "rows"] == 2
    assert list(out.index) == ["KG-N", "KG-T"]
    assert regions.find_duplicates(codes).to_dict("records") == [{"code": "KG-N", "rows": 2}]


def test_unknown_aggregation_is_refused() -> None:
    with pytest.raises(UserError):
        regions.aggregate_by_region(pd.DataFrame({"v": [1]}), pd.Series(["KG-N"]), "v", "median")


def test_sum_of_a_region_with_only_blank_values_is_no_data_not_zero():
    frame = pd.DataFrame({"v": [None, None, 2.0]})
    out = regions.aggregate_by_region(frame, pd.Series(["KG-T", "KG-T", "KG-N"]), "v", "sum")
    assert out.loc["KG-N", "value"] == 2.0
    assert pd.isna(out.loc["KG-T", "value"]) and out.loc["KG-T", "rows"] == 2
