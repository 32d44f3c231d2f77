"""Long tables (year × region × sex with a total row per block): kept whole, then filtered, not summed."""

from __future__ import annotations

import pytest

from atlas import read
from atlas.errors import UserError
from atlas.values import breakdowns, userdata
from tests import filekit as fk


def long_upload():
    return read.read_upload(fk.csv(fk.LONG_ROWS), "population.csv")


def test_breakdown_totals_are_data_not_footers() -> None:
    up = long_upload()
    assert len(up.table) == len(fk.LONG_ROWS) - 1, "no 'Всего' row was dropped as a total"
    assert not up.report.dropped


def test_the_breakdown_is_found_with_its_total_first() -> None:
    up = long_upload()
    ch = userdata.default_choices(up)
    found = breakdowns.breakdowns(up.table, ch.region_col, ch.year_col)
    assert [(b.column, b.values, b.default) for b in found] == [("Пол", ["Всего", "мужчины", "женщины"], "Всего")]


@pytest.mark.parametrize(("where", "expected"), [
    ({"Пол": "Всего", "Год": "2022"}, {"KG-N": 200.0, "KG-T": 400.0, "KG-B": 600.0}),
    ({"Пол": "женщины", "Год": 2021}, {"KG-N": 60.0, "KG-T": 120.0, "KG-B": 180.0}),
])
def test_filtered_rows_reach_the_map_one_per_region(where: dict, expected: dict) -> None:
    up = long_upload()
    ch = userdata.default_choices(up)
    ch.where = where
    built = userdata.build(up, ch)
    frame = built.table.frame
    assert not built.collapsed, "one row per region: nothing to add up"
    assert dict(zip(frame[built.table.region_col], frame["Численность"], strict=True)) == pytest.approx(expected)


def test_without_a_filter_the_rows_would_be_added_up() -> None:
    up = long_upload()
    built = userdata.build(up, userdata.default_choices(up))
    assert built.collapsed, "the page then asks how to combine (and offers the filter step instead)"


def test_a_value_no_row_has_is_named() -> None:
    up = long_upload()
    ch = userdata.default_choices(up)
    ch.where = {"Пол": "оба"}
    with pytest.raises(UserError) as err:
        userdata.build(up, ch)
    assert err.value.msg.render() == "No rows have Пол = оба."


def test_a_wide_table_has_no_breakdown() -> None:
    up = read.read_upload(fk.csv(fk.OBLAST_ROWS), "t.csv")
    ch = userdata.default_choices(up)
    assert breakdowns.breakdowns(up.table, ch.region_col, ch.year_col) == []
