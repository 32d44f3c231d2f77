"""Upload + choices → DatasetTable: matching, fixes, duplicates, points, wide years (atlas.values.userdata)."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest

from atlas import read
from atlas.errors import UserError
from atlas.values import userdata
from atlas.values.userdata import REGION_COL, Choices, build, default_choices


def pasted(rows: list[list[object]]) -> read.Upload:
    return read.read_pasted("\n".join("\t".join(str(c) for c in r) for r in rows) + "\n")


def codes_of(frame: pd.DataFrame) -> list[str | None]:
    return [c if isinstance(c, str) else None for c in frame[REGION_COL]]


def built_for(rows: list[list[object]], **choices) -> userdata.Built:
    up = pasted(rows)
    base = default_choices(up)
    return build(up, Choices(**{**base.__dict__, **choices}))


# --------------------------------------------------------------------------- the sample file


def test_sample_file_is_the_messy_kind_and_reads_back():
    data = userdata.sample_messy_csv()
    assert data == userdata.sample_messy_csv(), "deterministic"
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    up = read.read_upload(data, userdata.SAMPLE_FILENAME)
    g = up.report.guesses
    assert (g["encoding"].value, g["separator"].value, g["decimal"].value, g["header_row"].value) == (
        "cp1251", ";", ",", 1)
    assert [d["reason"] for d in up.report.dropped] == ["above the header", "total row", "note below the table"]
    assert len(up.table) == len(userdata._SAMPLE_ROWS)
    assert up.table["Бюджет, сом"].iloc[0] == pytest.approx(1250400.50)


def test_sample_bare_osh_is_read_from_context_and_stays_fixable():
    up = read.read_upload(userdata.sample_messy_csv(), userdata.SAMPLE_FILENAME)
    first = build(up, default_choices(up))
    review = {r.raw: r for r in userdata.review_rows(first.match)}
    # the column also holds "Osh city": bare "Ош" is the oblast, said and listed for review
    assert review["Ош"].method == "context" and review["Ош"].code == "KG-O"
    assert review["Ош"].suggestions == ["KG-O", "KG-GO"]
    assert any("“Ош” was read as Osh oblast" in w.render() for w in first.warnings)
    assert review["Баткнская обл."].method == "fuzzy" and review["Баткнская обл."].code == "KG-B"
    assert (first.match.matched_rows, first.match.total_rows) == (len(up.table), len(up.table))
    assert sorted(first.table.frame[REGION_COL]) == sorted(
        ["KG-B", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y", "KG-GB", "KG-GO"])
    fixed = build(up, Choices(**{**default_choices(up).__dict__, "fixes": {"Ош": "KG-GO"}}))
    assert {r.raw: r.method for r in userdata.review_rows(fixed.match)}["Ош"] == "user", "the user's fix wins"
    assert sorted(fixed.table.frame[REGION_COL].dropna()).count("KG-GO") == 1, "rows combined in one unit"


def test_table_key_is_the_full_hash_of_the_bytes_and_roles_are_kept():
    data = userdata.sample_messy_csv()
    up = read.read_upload(data, "x.csv")
    table = build(up, default_choices(up)).table
    assert table.key == "upload:" + hashlib.sha256(data).hexdigest()
    assert table.region_col == REGION_COL and table.year_col == "Год"
    assert table.value_cols == ["Проекты", "Бенефициары", "Бюджет, сом"]
    assert table.label == "x.csv"


# --------------------------------------------------------------------------- fixes


@pytest.mark.parametrize(
    ("fix", "expected_codes", "matched"),
    [
        ({}, [None, None, "KG-N"], 1),
        ({"Ош": "KG-GO"}, ["KG-GO", "KG-GO", "KG-N"], 3),
        ({"Ош": None}, [None, None, "KG-N"], 1),
    ],
)
def test_a_fix_applies_to_every_row_with_that_value(fix, expected_codes, matched):
    b = built_for([["Region", "N"], ["Ош", 1], ["Ош", 2], ["Нарын", 3]], fixes=fix)
    assert codes_of(b.frame) == expected_codes
    assert b.match.matched_rows == matched


def test_fix_options_put_suggestions_first_and_end_with_not_a_region():
    review = userdata.Review("Ош", 2, "ambiguous", None, ["KG-O", "KG-GO"])
    options = userdata.fix_options(review)
    assert options[:2] == ["KG-O", "KG-GO"] and options[-1] == userdata.NOT_A_REGION
    assert len(options) == 10 and len(set(options)) == 10


@pytest.mark.parametrize(
    ("rows", "needle"),
    [
        ([["Region", "Year", "N"], ["Ошская обл.", 1998, 5], ["Нарын", 1998, 2]], "Batken"),
        ([["Region", "N"], ["Фрунзе", 5], ["Нарын", 2]], "Фрунзе"),
    ],
)
def test_history_warnings(rows, needle):
    b = built_for(rows)
    assert any(needle in m.render() for m in b.warnings)


# --------------------------------------------------------------------------- duplicates


@pytest.mark.parametrize(("how", "naryn"), [("sum", 4.0), ("mean", 2.0), ("count", 2.0), ("first", 1.0)])
def test_duplicates_are_combined_as_the_user_chose(how, naryn):
    b = built_for([["Region", "N"], ["Нарын", 1], ["Naryn", 3], ["Талас", 5], ["Атлантида", 9]], duplicates=how)
    assert b.collapsed and b.duplicates["code"].tolist() == ["KG-N"]
    frame = b.table.frame
    assert frame.loc[frame[REGION_COL] == "KG-N", "N"].tolist() == [naryn]
    assert frame.loc[frame[REGION_COL] == "KG-T", "N"].tolist() == [5.0 if how != "count" else 1.0]
    assert frame[REGION_COL].isna().sum() == 1, "the unmatched row is kept, not dropped"


def test_one_row_per_region_and_year_is_not_a_duplicate():
    b = built_for([["Region", "Year", "N"], ["Нарын", 2019, 1], ["Нарын", 2020, 3]])
    assert not b.collapsed and len(b.table.frame) == 2


# --------------------------------------------------------------------------- points


# the blank row sits mid-table: a lone text cell at the bottom would be read as a note below the table
POINTS = [["Name", "lat", "lon"], ["Bishkek school", 42.87, 74.59], ["Swapped", 74.6, 42.85],
          ["No place", "", ""], ["Paris", 48.85, 2.35]]


@pytest.mark.parametrize(
    ("swap", "codes", "counts"),
    [
        (False, ["KG-GB", None, None, None], {"inside": 1, "outside": 1, "swapped": 1, "blank": 1}),
        (True, ["KG-GB", "KG-GB", None, None], {"inside": 2, "outside": 1, "swapped": 0, "blank": 1}),
    ],
)
def test_points_get_their_region_and_problems_are_counted_not_dropped(swap, codes, counts):
    b = built_for(POINTS, swap_points=swap, region_col=None)
    assert b.points.counts() == counts
    assert len(b.table.frame) == len(POINTS) - 1
    assert codes_of(b.table.frame) == codes
    assert (b.table.lat_col, b.table.lon_col) == ("lat", "lon")
    if swap:
        assert b.table.frame["lat"].iloc[1] == pytest.approx(42.85)
    assert not b.collapsed, "many points in one region is their nature, not a duplicate"


def test_geojson_points_become_lat_lon_rows():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Naryn office", "staff": 3},
         "geometry": {"type": "Point", "coordinates": [75.99, 41.43]}}]}
    up = read.read_upload(json.dumps(fc).encode(), "offices.geojson")
    b = build(up, default_choices(up))
    assert b.table.frame[REGION_COL].tolist() == ["KG-N"]
    assert "geometry" not in b.table.frame.columns


def test_no_region_column_and_no_coordinates_is_a_user_error():
    with pytest.raises(UserError):
        built_for([["Region", "N"], ["Нарын", 1]], region_col=None, lat_col=None, lon_col=None)


# --------------------------------------------------------------------------- wide years, categories


def test_wide_year_columns_become_a_time_series():
    rows = [["Region", "Type", "2019", "2020", "2021"], ["Нарын", "a", 1, 2, 3], ["Талас", "b", 4, 5, 6]]
    up = pasted(rows)
    assert userdata.time_series_columns(up) == ["2019", "2020", "2021"]
    wide = build(up, default_choices(up))
    assert len(wide.table.frame) == 2 and wide.table.year_col is None
    b = build(up, Choices(**{**default_choices(up).__dict__, "time_series": True}))
    frame = b.table.frame
    assert len(frame) == 6 and b.table.year_col == "year" and b.table.value_cols[0] == "value"
    assert frame.loc[(frame[REGION_COL] == "KG-T") & (frame["year"] == 2020), "value"].tolist() == [5]
    assert userdata.latest_year(b.table) == 2021 and not b.collapsed
    assert b.table.category_cols == ["Type"]


@pytest.mark.parametrize(
    ("values", "is_category"),
    [(["x", "y"] * 20, True), ([f"org {i}" for i in range(40)], False)],
)
def test_low_cardinality_text_columns_are_categories(values, is_category):
    regions_ = ["Нарын", "Талас"] * 20
    rows = [["Region", "Kind", "N"]] + [[r, v, i] for i, (r, v) in enumerate(zip(regions_, values, strict=True))]
    b = built_for(rows)
    assert ("Kind" in b.table.category_cols) == is_category
    assert "Region" not in b.table.category_cols


def test_collapse_refuses_an_unknown_choice():
    with pytest.raises(UserError):
        userdata.collapse(pd.DataFrame({"c": ["KG-T"], "v": [1.0]}), ["c"], ["v"], "median")
