"""Aggregation, normalisation, filters and years: one honest number per region."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from atlas.errors import UserError
from atlas.places import gazetteer
from atlas.values.indicators import (
    AGGREGATIONS,
    FEW_ROWS,
    NORMALISATIONS,
    aggregate,
    apply_filters,
    check_combination,
    detect_years,
    latest_year,
    national_average,
    no_data_reasons,
    normalise,
    values_for_year,
    wide_years_to_long,
)

POP = gazetteer.regions()["population"]
AREA = gazetteer.regions()["area_km2"]


def projects() -> pd.DataFrame:
    """A small projects table: Batken 4 rows, Chüy 2, Osh city 1, nothing for the rest, plus
    a row with an unknown code and a budget that is not a number."""
    rows = [
        ("KG-B", 10.0, "Health", 2019), ("KG-B", 20.0, "Water", 2019), ("KG-B", 30.0, "Health", 2020),
        ("KG-B", 40.0, "Health", 2020), ("KG-C", 5.0, "Water", 2019), ("KG-C", None, "Water", 2020),
        ("KG-GO", 7.0, "Health", 2020), ("XX", 99.0, "Health", 2020), (" KG-C ", "n/a", "Health", 2019),
    ]
    return pd.DataFrame(rows, columns=["code", "budget", "theme", "year"], index=[0, 0, 1, 1, 2, 2, 3, 3, 4])


@pytest.mark.parametrize(
    ("how", "batken", "chuy", "osh_city"),
    [
        ("sum", 100.0, 5.0, 7.0),
        ("mean", 25.0, 5.0, 7.0),
        ("median", 25.0, 5.0, 7.0),
        ("count", 4.0, 1.0, 1.0),
        ("min", 10.0, 5.0, 7.0),
        ("max", 40.0, 5.0, 7.0),
    ],
)
def test_aggregate_by_region(how, batken, chuy, osh_city):
    r = aggregate(projects(), "code", "budget", how)
    assert list(r.values.index) == list(gazetteer.CODES)
    assert (r.values["KG-B"], r.values["KG-C"], r.values["KG-GO"]) == (batken, chuy, osh_city)
    # No rows is no data, never zero.
    assert r.values[["KG-J", "KG-N", "KG-O", "KG-T", "KG-Y", "KG-GB"]].isna().all()
    assert r.rows["KG-B"] == 4 and r.rows["KG-C"] == 3 and r.rows["KG-N"] == 0
    texts = [w.render() for w in r.warnings]
    assert "Rows with no recognised region, left out: 1" in texts
    assert "1 value in “budget” is not a number and was left out" in texts


@pytest.mark.parametrize("how", sorted(AGGREGATIONS))
def test_few_rows_flag_only_for_typical_value_aggregations(how):
    r = aggregate(projects(), "code", "budget", how)
    flagged = set(r.few_rows[r.few_rows].index)
    expected = {"KG-C", "KG-GO"} if AGGREGATIONS[how].flags_few_rows else set()
    assert flagged == expected and FEW_ROWS == 3


def test_count_without_value_column_counts_rows_and_optionally_zero_fills():
    r = aggregate(projects(), "code", None, "count")
    assert r.values["KG-C"] == 3 and np.isnan(r.values["KG-N"])
    z = aggregate(projects(), "code", None, "count", empty_as_zero=True)
    assert z.values["KG-N"] == 0


def test_sum_of_only_missing_values_is_no_data():
    df = pd.DataFrame({"code": ["KG-T", "KG-T"], "v": [None, None]})
    assert np.isnan(aggregate(df, "code", "v", "sum").values["KG-T"])


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("code", "nope", "sum"), "no column “nope”"),
        (("region", "budget", "sum"), "no column “region”"),
        (("code", None, "mean"), "Choose a column"),
        (("code", "budget", "average"), "Valid choices: sum, count"),
    ],
)
def test_aggregate_errors_speak_to_the_user(args, fragment):
    with pytest.raises(UserError) as err:
        aggregate(projects(), *args)
    assert fragment in err.value.msg.render()


def test_nullable_dtypes_are_fine():
    df = pd.DataFrame({"code": pd.array(["KG-Y", None, "KG-Y"], dtype="string"),
                       "v": pd.array([1, 2, None], dtype="Int64")})
    r = aggregate(df, "code", "v", "mean")
    assert r.values["KG-Y"] == 1.0 and r.rows["KG-Y"] == 2


# --- normalisation -------------------------------------------------------------------------------


def all_regions(value: float = 1000.0) -> pd.Series:
    return pd.Series(value, index=list(gazetteer.CODES))


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("none", lambda v: v),
        ("per_10k", lambda v: v / POP * 10_000),
        ("per_1000km2", lambda v: v / AREA * 1_000),
        ("share", lambda v: v / v.sum() * 100),
    ],
)
def test_normalise_formulas(how, expected):
    v = pd.Series(np.arange(1.0, 10.0), index=list(gazetteer.CODES))
    out, unit = normalise(v, how)
    pd.testing.assert_series_equal(out, expected(v).astype(float), check_names=False)
    assert unit.render() and NORMALISATIONS[how].label


def test_per_10k_unit_states_the_population_year():
    _, unit = normalise(all_regions(), "per_10k")
    assert unit.render() == "per 10,000 people (2021 population)"
    assert "2021" in NORMALISATIONS["per_10k"].source


def test_bishkek_per_area_is_no_data_with_a_reason():
    out, _ = normalise(all_regions(), "per_1000km2")
    assert np.isnan(out["KG-GB"]) and out.drop("KG-GB").notna().all()
    reasons = no_data_reasons(all_regions(), "per_1000km2")
    assert set(reasons) == {"KG-GB"} and "Area unknown" in reasons["KG-GB"].render()


def test_missing_values_stay_missing_and_shares_ignore_them():
    v = pd.Series({"KG-B": 30.0, "KG-C": 10.0})
    out, _ = normalise(v, "share")
    assert out["KG-B"] == 75.0 and out.isna().sum() == 7
    assert no_data_reasons(v, "none")["KG-N"].render() == "No data for this region"


def test_shares_refuse_negative_values():
    with pytest.raises(UserError):
        normalise(pd.Series({"KG-B": -1.0, "KG-C": 3.0}), "share")


@pytest.mark.parametrize(("how", "norm", "ok"), [("sum", "per_10k", True), ("count", "share", True),
                                                 ("mean", "per_10k", False), ("median", "none", True)])
def test_averages_are_not_divided_by_population(how, norm, ok):
    if ok:
        check_combination(how, norm)
    else:
        with pytest.raises(UserError):
            check_combination(how, norm)


def test_national_average_is_total_over_total():
    v = pd.Series({"KG-B": 100.0, "KG-GO": 50.0})
    per_10k = national_average(v, "per_10k")
    assert per_10k == pytest.approx(150 / (POP["KG-B"] + POP["KG-GO"]) * 10_000)
    # The plain mean of rates differs whenever populations differ: that is the point.
    rates, _ = normalise(v, "per_10k")
    assert per_10k != pytest.approx(rates.mean())
    # Bishkek has no area, so its value is left out of the per-area average.
    area = national_average(pd.Series({"KG-B": 10.0, "KG-GB": 1e6}), "per_1000km2")
    assert area == pytest.approx(10 / AREA["KG-B"] * 1000)
    assert national_average(v) == 75.0 and national_average(v, "share") == 50.0
    assert np.isnan(national_average(pd.Series(dtype=float)))


# --- filters and years ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filters", "n"),
    [({}, 9), ({"theme": ["Health"]}, 6), ({"theme": ["Health"], "year": ["2019"]}, 2),
     ({"theme": []}, 9), ({"year": [" 2020 "]}, 5), ({"theme": ["health"]}, 0)],
)
def test_apply_filters(filters, n):
    assert len(apply_filters(projects(), filters)) == n


def test_filter_on_unknown_column_is_a_user_error():
    with pytest.raises(UserError):
        apply_filters(projects(), {"oblast": ["Naryn"]})


def test_float_years_match_text():
    df = pd.DataFrame({"year": [2019.0, np.nan]})
    assert len(apply_filters(df, {"year": ["2019"]})) == 1


@pytest.mark.parametrize(
    ("columns", "kind", "years"),
    [
        (["Region", "2018", "2019", "2020"], "wide", (2018, 2019, 2020)),
        (["Область", "2019 г.", "2020 год"], "wide", (2019, 2020)),
        (["Облус", "2019-жыл", "2020 жыл"], "wide", (2019, 2020)),
        (["Region", "2019"], "none", ()),
        (["Region", "Budget 2019", "Budget 2020"], "none", ()),
        (["Region", "Phone", "1234"], "none", ()),
    ],
)
def test_detect_wide_years(columns, kind, years):
    df = pd.DataFrame([[1] * len(columns)], columns=columns)
    layout = detect_years(df)
    assert (layout.kind, layout.years) == (kind, years)


@pytest.mark.parametrize("name", ["year", "Год", "Жыл"])
def test_detect_long_years(name):
    df = pd.DataFrame({name: [2020, 2018, 2020.0], "v": [1, 2, 3]})
    layout = detect_years(df)
    assert (layout.kind, layout.column, layout.years) == ("long", name, (2018, 2020))


def test_a_year_column_of_non_years_is_not_taken():
    assert detect_years(pd.DataFrame({"year": ["first", "second"]})).kind == "none"


def test_wide_to_long_and_pick_a_year():
    wide = pd.DataFrame({"code": ["KG-B", "KG-C"], "2019 г.": [1.0, 2.0], "2020 г.": [3.0, None]})
    layout = detect_years(wide)
    long = wide_years_to_long(wide, list(layout.year_columns))
    expected = pd.DataFrame({"code": ["KG-B", "KG-B", "KG-C", "KG-C"], "year": [2019, 2020, 2019, 2020],
                             "value": [1.0, 3.0, 2.0, np.nan]})
    pd.testing.assert_frame_equal(long, expected, check_dtype=False)
    assert latest_year(long) == 2020
    chosen = values_for_year(long, 2020)
    r = aggregate(chosen, "code", "value", "sum")
    assert r.values["KG-B"] == 3.0 and np.isnan(r.values["KG-C"])
    assert len(values_for_year(long, None)) == 4


def test_wide_to_long_refuses_non_year_columns():
    with pytest.raises(UserError):
        wide_years_to_long(pd.DataFrame({"a": [1], "b": [2]}), ["a"])
