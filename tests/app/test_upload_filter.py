"""The filter step of the "Your data" page: a long table maps its total rows, not their sum."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests import filekit as fk

ROOT = Path(__file__).resolve().parents[2]
LONG = "\n".join("\t".join(str(v) for v in row) for row in fk.LONG_ROWS) + "\n"


def pasted(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/upload.py"), default_timeout=60)
    at.query_params["lang"] = lang
    at.run()
    at.text_area(key="upload_paste").input(LONG).run()
    return at


def mapped(at: AppTest) -> dict:
    frame = next(d.value for d in at.dataframe if "region_code" in d.value.columns)
    return {(c, y): v for c, y, v in zip(frame["region_code"], frame["Год"], frame["Численность"], strict=True)}


def test_long_table_maps_the_totals_by_default() -> None:
    at = pasted()
    assert not at.exception and not at.error
    assert any(s.value == "Which rows to map" for s in at.subheader)
    sex = at.selectbox(key="upload_filter_Пол")
    assert sex.value == "Всего" and sex.options[-1] == "All rows, added up"
    year = at.selectbox(key="upload_filter_year")
    assert year.options[0] == "Every year (the map shows one at a time)" and year.index == 0
    assert mapped(at) == {("KG-N", 2021): 100, ("KG-T", 2021): 200, ("KG-B", 2021): 300,
                          ("KG-N", 2022): 200, ("KG-T", 2022): 400, ("KG-B", 2022): 600}
    assert "upload_dup" not in [r.key for r in at.radio], \
        "no question about combining rows: one row per region and year"


def test_picking_a_breakdown_and_a_year_changes_the_map() -> None:
    at = pasted()
    at.selectbox(key="upload_filter_Пол").select("женщины").run()
    at.selectbox(key="upload_filter_year").select(2021.0).run()
    assert not at.exception and not at.error
    assert mapped(at) == pytest.approx({("KG-N", 2021): 60, ("KG-T", 2021): 120, ("KG-B", 2021): 180})


def test_all_rows_added_up_is_a_choice_that_asks_how() -> None:
    at = pasted()
    at.selectbox(key="upload_filter_Пол").select("\u0000all").run()
    assert not at.exception
    assert at.radio(key="upload_dup").value == "sum", "several rows per region again: the page asks"


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_filter_step_speaks_the_language(lang: str) -> None:
    at = pasted(lang)
    assert not at.exception
    title = {"ky": "Картага кайсы саптар", "ru": "Какие строки показать на карте"}[lang]
    assert any(s.value == title for s in at.subheader)
