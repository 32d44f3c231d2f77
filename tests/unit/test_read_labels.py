"""Labels as statistics offices print them: footnote marks, notes, village prefixes, odd spaces; Osh."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas import read
from atlas.read.labels import osh_context, strip_label
from atlas.values import userdata


@pytest.mark.parametrize(("raw", "label", "removed"), [
    ("г. Ош1", "г. Ош", ["1"]),
    ("Нарынская область2)", "Нарынская область", ["2"]),
    ("Ошская область (до 2013 г. включая г. Ош)", "Ошская область", ["(до 2013 г. включая г. Ош)"]),
    ("с. Kara-Suu", "Kara-Suu", ["с."]),
    ("Джалал-Абадская\u00a0область*", "Джалал-Абадская область", ["*"]),
    ("Talas", "Talas", []),
])
def test_strip_label(raw: str, label: str, removed: list) -> None:
    assert strip_label(raw) == (label, removed)


def test_footnoted_labels_match_and_the_page_is_told_what_was_taken_off() -> None:
    text = ("Область\t2020\t2021\t20221\n"
            "г. Ош1\t1\t2\t3\n"
            "Ошская область (до 2013 г. включая г. Ош)\t4\t5\t6\n"
            "Нарынская\u00a0область2\t7\t8\t9\n")
    up = read.read_pasted(text)
    assert list(up.table.columns) == ["Область", "2020", "2021", "2022"]
    assert up.table["Область"].tolist() == ["г. Ош", "Ошская область", "Нарынская область"]
    said = " ".join(m.render() for m in up.report.messages)
    assert "“г. Ош1” was read as “г. Ош” (taken off for matching: 1)" in said
    assert "(до 2013 г. включая г. Ош)" in said
    assert "The header “20221” was read as the year 2022" in said
    built = userdata.build(up, userdata.default_choices(up))
    assert built.table.frame[built.table.region_col].tolist() == ["KG-GO", "KG-O", "KG-N"]


def test_a_label_that_matches_as_printed_is_left_alone() -> None:
    up = read.read_pasted("Область\tN\nНарын\t1\nКарта 2\t2\n")
    assert up.table["Область"].tolist() == ["Нарын", "Карта 2"]


@pytest.mark.parametrize(("values", "fixes"), [
    (["Ош", "г. Ош", "Нарын"], {"Ош": "KG-O"}),
    (["Osh", "Osh city"], {"Osh": "KG-O"}),
    (["Ош", "Нарын"], {}),  # no city in the column: still a question for the user
])
def test_bare_osh_is_the_oblast_when_the_city_is_named_too(values: list, fixes: dict) -> None:
    assert osh_context(pd.Series(values))[0] == fixes


def test_bare_osh_alone_is_still_asked() -> None:
    up = read.read_pasted("Область\tN\nОш\t1\nНарын\t2\n")
    built = userdata.build(up, userdata.default_choices(up))
    assert built.match.ambiguous == ["Ош"]
