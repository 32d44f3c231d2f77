"""Old Excel (.xls) and OpenDocument (.ods) workbooks take the same path as .xlsx: sheet choice,
title rows, merged headers, totals and notes, section headings; damaged or hostile files are refused."""

from __future__ import annotations

import io
import zipfile

import pytest

from atlas import read
from atlas.errors import UserError
from atlas.read import ods as ods_reader
from tests import filekit as fk

TITLE = ["Число школ по областям, 2022 год", None, None]
HEADER_TOP = ["Область", "Школы", "Школы"]
HEADER_SUB = [None, "2021", "2022"]
BODY = [["Нарынская область", 10, 12], ["Таласская область", 6, 7], ["г. Бишкек", 28, 30]]
TOTAL = ["Итого", 44, 49]
NOTE = ["Источник: Нацстатком", None, None]
ROWS = [TITLE, HEADER_TOP, HEADER_SUB, *BODY, TOTAL, NOTE]
MERGES = [(0, 0, 0, 2), (1, 1, 1, 2)]  # the title across the table, "Школы" over both years


def build(fmt: str, sheets: dict, merges: dict | None = None) -> bytes:
    return fk.xls(sheets, merges) if fmt == "xls" else fk.ods(sheets, merges)


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_title_merged_header_totals_and_notes(fmt: str) -> None:
    up = read.read_upload(build(fmt, {"Notes": [["see sheet 2"]], "Данные": ROWS}, {"Данные": MERGES}), f"s.{fmt}")
    assert up.report.guesses["sheet"].value == "Данные", "the sheet holding the table"
    assert list(up.table.columns) == ["Область", "2021", "2022"], "two header rows become one"
    assert up.table["Область"].tolist() == [r[0] for r in BODY]
    assert up.table["2022"].tolist() == [12, 7, 30]
    assert [d["reason"] for d in up.report.dropped] == ["above the header", "total row", "note below the table"]
    assert up.roles.region == "Область" and up.roles.wide_years == ["2021", "2022"]


@pytest.mark.parametrize("fmt", ["xls", "ods"])
def test_chosen_sheet_is_read_and_an_unknown_one_is_named(fmt: str) -> None:
    data = build(fmt, {"A": fk.OBLAST_ROWS, "B": [["Region", "N"], ["Naryn", 1], ["Talas", 2]]})
    assert read.read_upload(data, "", read.ReadOptions(sheet="B")).table["N"].tolist() == [1, 2]
    with pytest.raises(UserError) as err:
        read.read_upload(data, "", read.ReadOptions(sheet="C"))
    assert err.value.msg.render() == "There is no sheet named C; the sheets are A, B."


def test_xls_is_known_by_its_bytes_not_its_name() -> None:
    up = read.read_upload(fk.xls({"S": fk.OBLAST_ROWS}), "schools.xlsx")
    assert up.table["Школы"].tolist() == [12, 7, 30, 9]
    assert any("its content is xls" in m.render() for m in up.report.messages)


def test_ods_repeated_empty_tail_is_not_materialised() -> None:
    data = fk.ods({"S": fk.OBLAST_ROWS}, trailing_repeat=1_048_000)
    up = read.read_upload(data, "s.ods")
    assert up.table.shape == (4, 2)


def test_ods_repeated_filled_rows_hit_the_row_limit(monkeypatch) -> None:
    monkeypatch.setattr(read.safety, "MAX_ROWS", 1000)
    content = fk.ods({"S": fk.OBLAST_ROWS})
    zf = zipfile.ZipFile(io.BytesIO(content))
    repeated = b'<table:table-row table:number-rows-repeated="5000">'
    xml = zf.read("content.xml").replace(b"<table:table-row>", repeated, 2)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        out.writestr("mimetype", ods_reader.MIMETYPE)
        out.writestr("content.xml", xml)
    with pytest.raises(UserError) as err:
        read.read_upload(buf.getvalue(), "big.ods")
    assert "the limit is 1000" in err.value.msg.render()


def test_ods_with_an_entity_declaration_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        out.writestr("mimetype", ods_reader.MIMETYPE)
        out.writestr("content.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(UserError) as err:
        read.read_upload(buf.getvalue(), "lol.ods")
    assert "refused as unsafe" in err.value.msg.render()


@pytest.mark.parametrize(("data", "says"), [
    (read.safety.OLE2 + b"\0" * 600, "The old Excel workbook (.xls) could not be opened"),
    (fk.xls({"S": fk.OBLAST_ROWS})[:1500], "The old Excel workbook (.xls) could not be opened"),
])
def test_damaged_xls_gets_a_message(data: bytes, says: str) -> None:
    with pytest.raises(UserError) as err:
        read.read_upload(data, "old.xls")
    assert says in err.value.msg.render()


def test_section_headings_become_a_region_column() -> None:
    rows = [["Показатель", "Год", "Значение"],
            ["Нарынская область", None, None], ["Школы", 2022, 12], ["Больницы", 2022, 3],
            ["Таласская область", None, None], ["Школы", 2022, 7], ["Больницы", 2022, 2]]
    up = read.read_upload(fk.xls({"S": rows}), "sections.xls")
    assert up.table.iloc[:, 0].tolist() == ["Нарынская область"] * 2 + ["Таласская область"] * 2
    assert up.roles.region == up.table.columns[0]
    assert [d["reason"] for d in up.report.dropped] == ["section heading", "section heading"]
    assert any("headings above blocks of rows" in m.render() for m in up.report.messages)


def test_section_headings_that_are_not_regions_are_explained() -> None:
    rows = [["Показатель", "Год", "Значение"]]
    for block in ("Раздел 1", "Раздел 2", "Раздел 3"):
        rows += [[block, None, None], ["Школы", 2022, 12], ["Больницы", 2022, 3]]
    with pytest.raises(UserError) as err:
        read.read_upload(fk.ods({"S": rows}), "sections.ods")
    text = err.value.msg.render()
    assert "“Раздел 1”" in text and "Put the region in a column of its own" in text
