"""The "Your data" page under AppTest: paste, upload, sample, fix, duplicates and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import LANGS
from atlas.values import userdata

ROOT = Path(__file__).resolve().parents[2]
PASTE = "Область\tПроекты\nНарын\t3\nОш\t5\nТаласская обл.\t4\nг. Бишкек\t9\n"


def fresh(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/upload.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def matched_text(at: AppTest) -> str:
    """The "N of M rows matched" line (the text of the progress bar)."""
    return " ".join(p.proto.text for p in at.get("progress"))


def frame_with(at: AppTest, column: str):
    """The table on screen that has ``column`` (AppTest does not expose a dataframe's key)."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert found, f"no table with a {column!r} column"
    return found[0]


def joined(at: AppTest):
    return frame_with(at, "region_code")


def paste(text: str, lang: str = "en") -> AppTest:
    at = fresh(lang)
    at.text_area(key="upload_paste").input(text).run()
    return at


def test_empty_page_invites_an_upload():
    at = fresh()
    assert not at.exception
    assert at.title[0].value == "Your data"
    assert any("sample" in i.value for i in at.info)
    kinds = ["csv", "tsv", "txt", "xlsx", "xls", "ods", "geojson", "json", "zip", "gpkg"]
    assert at.get("file_uploader")[0].proto.type == [f".{t}" for t in kinds]


def test_pasted_cells_are_matched_and_mapped():
    at = paste(PASTE)
    assert not at.exception and not at.error
    assert matched_text(at) == "Rows matched to a region: 3 of 4"
    assert len(at.get("deck_gl_json_chart")) == 1, "the map is drawn at once"
    assert at.button(key="upload_open_builder").label == "Open in the map builder"
    table = joined(at)
    assert table["region_code"].tolist()[0] == "KG-N"


def test_ambiguous_osh_gets_a_fix_box_and_the_fix_updates_the_count():
    at = paste(PASTE)
    box = at.selectbox(key=userdata.fix_key("Ош"))
    assert "“Ош”" in box.label and box.value is None
    assert box.options[:2] == ["Osh Region (KG-O)", "Osh City (KG-GO)"]
    box.select("KG-GO").run()
    assert not at.exception
    assert matched_text(at) == "Rows matched to a region: 4 of 4"
    assert joined(at)["region_code"].tolist()[1] == "KG-GO"
    # remembered for the session: the same paste again keeps the fix
    at.text_area(key="upload_paste").input(PASTE + "\n").run()
    at.text_area(key="upload_paste").input(PASTE).run()
    assert matched_text(at) == "Rows matched to a region: 4 of 4"


def test_not_a_region_leaves_the_rows_out_of_the_count():
    at = paste(PASTE)
    at.selectbox(key=userdata.fix_key("Ош")).select(userdata.NOT_A_REGION).run()
    assert matched_text(at) == "Rows matched to a region: 3 of 4"
    assert at.selectbox(key=userdata.fix_key("Ош")).value == userdata.NOT_A_REGION


@pytest.mark.parametrize(
    "hostile",
    ["Region\tProjects\n", "\x00\x01\x02", "   \n\n", '"unclosed\tquote\nНарын\t1\n'],
)
def test_hostile_paste_shows_an_error_and_keeps_the_last_good_map(hostile):
    at = paste(PASTE)
    at.text_area(key="upload_paste").input(hostile).run()
    assert not at.exception
    if hostile.strip():
        assert at.error, "a clear message"
        assert "Traceback" not in at.error[0].value
    assert len(at.get("deck_gl_json_chart")) == 1, "the previous dataset stays on screen"


def test_sample_button_reads_the_messy_file():
    at = fresh()
    at.button(key="upload_sample").click().run()
    assert not at.exception and not at.error
    assert at.selectbox(key="upload_opt_encoding").value == "cp1251"
    assert at.selectbox(key="upload_opt_separator").value == ";"
    assert at.selectbox(key="upload_opt_decimal").value == ","
    dropped = frame_with(at, "Reason")
    assert set(dropped["Reason"]) == {"above the header", "total row", "note below the table"}
    # bare "Ош" beside "Osh city" is read as the oblast (issue 14), so every row is matched
    assert matched_text(at) == "Rows matched to a region: 9 of 9"


def test_changing_a_guess_reads_the_file_again():
    at = fresh()
    at.button(key="upload_sample").click().run()
    at.selectbox(key="upload_opt_decimal").select(".").run()
    assert not at.exception
    # with a decimal point, "1 250 400,50" loses its comma as a thousands mark: the table shows it
    assert joined(at)["Бюджет, сом"].iloc[0] == 125040050.0
    at.selectbox(key="upload_opt_decimal").select(",").run()
    assert joined(at)["Бюджет, сом"].iloc[0] == 1250400.5


def test_cells_that_are_not_numbers_are_listed():
    at = paste("Region\tN\nNaryn\t1\nTalas\tнет\nBatken\t3\nChuy\t4\n")
    bad = frame_with(at, "Examples")
    assert bad.to_dict("records") == [{"Column": "N", "Cells": 1, "Examples": "нет"}]


def test_the_file_uploader_path():
    at = fresh()
    data = "Заголовок;;\nОбласть;Сумма\nНарын;1 234,5\nТалас;10\nИтого;1 244,5\n".encode("cp1251")
    at.get("file_uploader")[0].set_value(("report.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    assert matched_text(at) == "Rows matched to a region: 2 of 2"
    assert joined(at)["Сумма"].tolist() == [1234.5, 10.0]


def test_duplicates_are_asked_about_and_combined():
    at = paste("Region\tN\nNaryn\t1\nНарын\t3\nTalas\t5\n")
    radio = at.radio(key="upload_dup")
    assert "Regions with more than one row: 1." in radio.label
    assert joined(at)["N"].tolist()[0] == 4.0
    radio.set_value("mean").run()
    assert joined(at)["N"].tolist()[0] == 2.0


def test_points_are_counted_and_swap_is_offered():
    at = paste("Name\tlat\tlon\nSchool\t42.87\t74.59\nSwapped\t74.6\t42.85\nParis\t48.85\t2.35\n")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"inside a region": "1", "outside Kyrgyzstan": "1",
                       "latitude and longitude swapped": "1", "no coordinates": "0"}
    at.checkbox(key="upload_swap").check().run()
    assert {m.label: m.value for m in at.metric}["inside a region"] == "2"


@pytest.mark.parametrize("lang", LANGS)
def test_page_runs_in_every_language(lang):
    at = paste(PASTE, lang)
    assert not at.exception
    assert at.get("progress"), "the matched count is shown"


RAYONS = ("Число школ по районам, 2022\t\t\n"
          "Область\tРайон\tШколы\n"
          "Нарынская область\tАт-Башинский район\t41\n"
          "Нарынская область\tКочкорский р-н\t38\n"
          "Нарынская область\tг. Нарын\t9\n"
          "Нарынская область\tНарын\t23\n"
          "Таласская область\tКара-Бууринский район\t27\n"
          "Ысык-Кульская область\tАк-Суйский р-н\t52\n"
          "Ошская область\tКара-Сууский р-н\t101\n"
          "\tг. Ош\t57\n"
          "Итого\t\t348\n")


def _deck_features(at: AppTest) -> list[dict]:
    import json

    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return next(layer for layer in deck["layers"] if layer["id"] == "regions")["data"]["features"]


def test_rayon_table_in_russian_is_read_at_level_2_with_a_fixer_for_the_shared_name():
    at = paste(RAYONS)
    assert not at.exception and not at.error
    assert at.radio(key="upload_role_level").value == 2
    assert any("rayons and towns" in c.value for c in at.caption)  # the detected level is said
    assert at.selectbox(key="upload_role_oblast").value == "Область"
    assert matched_text(at) == "Rows matched to a region: 7 of 8"  # the totals row is left out
    fix = at.selectbox(key=userdata.fix_key("Нарын"))
    assert fix.options[:2] == ["Naryn District, Naryn Region (KG04245000000)",
                               "Naryn Town, Naryn Region (KG04400000010)"]
    fix.select("KG04245000000").run()
    assert matched_text(at) == "Rows matched to a region: 8 of 8"
    features = {f["properties"]["code"]: f["properties"] for f in _deck_features(at)}
    assert len(features) == 55
    assert "41" in features["KG04220000000"]["tooltip"]  # At-Bashy
    assert "27" in features["KG07215000000"]["tooltip"]  # Kara-Buura, shown as Aitmatov
    assert features["KG08203000000"]["fill"] == [222, 222, 218, 255]  # a rayon not in the file: no data


def test_rayon_table_switched_to_oblasts_is_matched_by_the_oblast_names():
    at = paste(RAYONS)
    at.radio(key="upload_role_level").set_value(1).run()
    at.selectbox(key="upload_role_region").select("Область").run()
    assert not at.exception
    assert len(_deck_features(at)) == 9
