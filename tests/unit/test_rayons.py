"""Level-2 matching: rayon and town spellings → COD p-codes, level detection, the oblast column."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.places import rayons, units

SPELLINGS = [
    # raw value as files carry it → p-code (None: not one unit)
    ("Ак-Суйский р-н", "KG02205000000"),
    ("Ак-Суу району", "KG02205000000"),
    ("Ak-Suu rayon", "KG02205000000"),
    ("Ak-Suu District", "KG02205000000"),
    ("Аксуйский район", "KG02205000000"),
    ("Кара-Бууринский район", "KG07215000000"),  # renamed Aitmatov in 2023
    ("Kara-Buura", "KG07215000000"),
    ("Айтматовский район", "KG07215000000"),
    ("Жети-Өгүз району", "KG02210000000"),
    ("Джети-Огузский район", "KG02210000000"),  # an older Russian spelling, by similarity
    ("Иссык-Кульский район", "KG02215000000"),
    ("Чон-Алайский район", "KG06259000000"),
    ("Кара-Сууский р-н", "KG06226000000"),
    ("Тюпский район", "KG02225000000"),
    ("Московский район", "KG08217000000"),
    ("г. Каракол", "KG02410000010"),
    ("Каракол", "KG02410000010"),
    ("Кара-Көл", "KG03440000010"),  # Kara-Köl town, not Karakol: folding ө must not merge them
    ("г. Нарын", "KG04400000010"),
    ("Нарынский район", "KG04245000000"),
    ("г. Ош", "KG21000000000"),
    ("Ош", "KG21000000000"),  # at level 2 bare Osh is the city
    ("Бишкек", "KG11000000000"),
    ("KG02205000000", "KG02205000000"),  # p-code
    ("41702205000000", "KG02205000000"),  # SOATE, 14 digits
    ("41702205", "KG02205000000"),  # SOATE, 8 digits
    (41702205000000.0, "KG02205000000"),  # a code Excel turned into a number
    ("Нарын", None),  # rayon or town: asked
    ("Нарынская область", None),  # a whole oblast: a subtotal at this level
    ("Итого", None),
    ("Атлантида", None),
]


@pytest.mark.parametrize(("raw", "pcode"), SPELLINGS)
def test_spellings_match_the_right_unit(raw, pcode):
    assert rayons.match_value(raw).code == pcode


@pytest.mark.parametrize(("raw", "method"), [("Нарын", "ambiguous"), ("Талас", "ambiguous"), ("Баткен", "ambiguous"),
                                             ("Нарынская область", "oblast"), ("Всего", "total"),
                                             ("Атлантида", "none"), ("Джети-Огузский район", "fuzzy")])
def test_methods_say_how_sure_the_match_is(raw, method):
    assert rayons.match_value(raw).method == method


def test_shared_names_offer_both_units_to_the_fixer():
    m = rayons.match_value("Талас")
    assert {units.level2().at[c, "unit_type"] for c, _ in m.suggestions} == {"rayon", "town"}


def test_words_in_the_value_settle_a_shared_name():
    assert rayons.match_value("Таласский р-н").code == "KG07232000000"
    assert rayons.match_value("Талас шаары").code == "KG07400000010"


def test_oblast_column_keeps_a_guess_inside_its_oblast():
    # "Аксу" is closest to Ak-Suu (Ysyk-Köl) but also like Aksy (Jalal-Abad): the oblast column decides.
    raw = "Аксу район"
    assert rayons.match_value(raw).code == "KG02205000000"
    assert rayons.match_value(raw, "KG-Y").code == "KG02205000000"
    in_jalal_abad = rayons.match_value(raw, "KG-J")
    assert in_jalal_abad.code is None  # never Ak-Suu, which lies in another oblast
    assert [c for c, _ in in_jalal_abad.suggestions] == ["KG03211000000"]  # Aksy, offered to the fixer


@pytest.mark.parametrize(("values", "level"), [
    (["Баткенская обл.", "Чуйская обл.", "Нарын", "Талас", "г. Бишкек", "Ош"], 1),
    (["Нарын", "Талас", "Баткен", "Чуй", "Ысык-Көл", "Жалал-Абад", "Ош", "Бишкек"], 1),
    (["Ак-Суйский р-н", "Тонский р-н", "г. Каракол", "Нарын", "Итого"], 2),
    (["41702205", "41702210", "41702215"], 2),
])
def test_level_is_detected_from_what_most_rows_name(values, level):
    assert rayons.detect_level(pd.Series(values)) == level


def test_columns_of_a_rayon_file_are_found():
    df = pd.DataFrame({"Область": ["Нарынская обл."] * 2 + ["Таласская обл."] * 2,
                       "Район": ["Ат-Башинский район", "Кочкорский район", "Манасский район", "г. Талас"],
                       "Школы": [10, 12, 7, 3]})
    assert rayons.detect_columns(df) == ("Район", "Область")


def test_column_matching_reports_every_distinct_value():
    series = pd.Series(["Тонский р-н", "Тонский р-н", "Нарын", "Нарынская область", "Атлантида"])
    res = rayons.match_column(series, fixes={"Нарын": "KG04400000010"})
    assert res.codes.tolist()[:3] == ["KG02220000000", "KG02220000000", "KG04400000010"]
    assert res.matched_rows == 3 and res.unmatched == ["Атлантида"]
    report = res.report.set_index("raw")
    assert report.at["Нарынская область", "method"] == "oblast"
    assert report.at["Нарын", "method"] == "user"
