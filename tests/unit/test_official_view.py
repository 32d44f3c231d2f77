"""Official series as a dataset: keys, tables, maps of a year and of a change, the national reference,
the refusal to divide a rate by population, the sparklines and the commitment tables."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from atlas.draw.compose import compose, handout
from atlas.draw.sparklines import sparklines_html
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import fmt_number, translator
from atlas.ogp import statistics
from atlas.places.gazetteer import CODES
from atlas.share import saved
from atlas.values import official, official_table
from atlas.values.datasets import builtin_table, is_builtin


def spec_of(key: str, **fields) -> ViewSpec:
    return ViewSpec(**{"dataset": key, "column": "value", "aggregation": "sum", "normalisation": "none",
                       "lang": "en", **fields})


@pytest.mark.parametrize("key, series, breakdown", [
    ("sdg:SI_POV_NAHC", "SI_POV_NAHC", {}),
    ("sdg:SL_TLF_UEM:sex=F", "SL_TLF_UEM", {"sex": "F"}),
    ("sdg:_L_KG_040202_1A:urbanisation=R", "_L_KG_040202_1A", {"urbanisation": "R"}),
])
def test_keys_round_trip(key, series, breakdown):
    assert official_table.parse_key(key) == (series, breakdown)
    assert official_table.make_key(series, breakdown) == key
    assert is_builtin(key)


@pytest.mark.parametrize("key", ["sdg:", "sdg:NOPE", "sdg:SL_TLF_UEM:sex", "sdg:bad key", "ngo_sample"])
def test_bad_keys_raise_a_user_error(key):
    with pytest.raises(UserError):
        official_table.official_table(key)


def test_a_breakdown_the_series_lacks_is_refused():
    with pytest.raises(UserError, match="no breakdown"):
        official_table.official_table("sdg:SL_TLF_UEM:sex=X")


@pytest.mark.parametrize("series, breakdown", [("SI_POV_NAHC", {}), ("SH_DYN_MORT", {"sex": "F"}),
                                               ("EN_WWT_WWDS", {}), ("SH_STA_WASH", {})])
def test_every_map_value_equals_the_prepared_value_and_gaps_stay_empty(series, breakdown):
    key = official_table.make_key(series, breakdown)
    table = builtin_table(key, "ru")
    for year in official.years(series)[:: max(1, len(official.years(series)) // 4)]:
        c = compose(spec_of(key, year=year), table)
        expected = official.values(series, year, breakdown or None)
        for code in CODES:
            shown = c.view.values[code]
            assert (expected[code] is None and math.isnan(shown)) or shown == pytest.approx(expected[code])
        assert c.view.average == official.national(series, year, breakdown or None)


def test_labels_follow_the_language_and_percent_is_a_sign():
    ky = builtin_table("sdg:SL_TLF_UEM:sex=F", "ky")
    assert ky.label == official.name("SL_TLF_UEM", "ky") + " (Аялдар)"
    assert ky.units["value"] == "%"
    assert builtin_table("sdg:SH_DYN_MORT", "ru").units["value"] == official.unit_label("SH_DYN_MORT", "ru")


@pytest.mark.parametrize("norm", ["per_10k", "per_1000km2", "share"])
def test_a_rate_is_never_divided_by_population_or_area(norm):
    table = builtin_table("sdg:SI_POV_NAHC")
    with pytest.raises(UserError, match="rate or a percentage"):
        compose(spec_of("sdg:SI_POV_NAHC", normalisation=norm, year=2023), table)


def test_a_count_series_may_be_divided_by_population():
    table = builtin_table("sdg:VC_DSR_MORT")
    c = compose(spec_of("sdg:VC_DSR_MORT", normalisation="per_10k", year=2020), table)
    assert c.view.values.notna().any()


def test_no_year_means_the_latest_never_all_years_added():
    table = builtin_table("sdg:SI_POV_NAHC")
    latest = official.years("SI_POV_NAHC")[-1]
    c = compose(spec_of("sdg:SI_POV_NAHC"), table)
    assert c.view.values["KG-B"] == pytest.approx(official.values("SI_POV_NAHC", latest)["KG-B"])
    assert str(latest) in c.caption and str(latest) in c.source


def test_change_since_is_the_difference_and_missing_is_not_carried_forward():
    # EN_WWT_WWDS has no 2010 value for Batken, Naryn and Osh oblast.
    table = builtin_table("sdg:EN_WWT_WWDS")
    c = compose(spec_of("sdg:EN_WWT_WWDS", year=2020, since=2010, palette="YlGnBu", k=4), table)
    expected = official.change_since("EN_WWT_WWDS", 2010, 2020)
    for code in CODES:
        if expected[code] is None:
            assert math.isnan(c.view.values[code])
            assert c.view.style.colors[code] is None  # drawn as "no data"
        else:
            assert c.view.values[code] == pytest.approx(expected[code])
    assert c.view.classes.center == 0.0
    assert c.view.classes.palette == "PuOr"  # a sequential choice becomes a diverging one
    assert c.unit == "percentage points"
    assert "2010–2020" in c.source and "EN_WWT_WWDS" in c.source
    national = official.national("EN_WWT_WWDS", 2020) - official.national("EN_WWT_WWDS", 2010)
    assert c.view.average == pytest.approx(national)


def test_tooltip_handout_and_summary_name_source_series_and_year():
    table = builtin_table("sdg:SI_POV_NAHC", "ky")
    _ = translator("ky")
    c = compose(spec_of("sdg:SI_POV_NAHC", year=2022, lang="ky"), table, _)
    tooltip = " ".join(c.view.style.tooltip_extra)
    assert "SI_POV_NAHC" in tooltip and "2022" in tooltip and "Улуттук статистика комитети" in tooltip
    h = handout(c, _, "2026-12-02")
    assert "SI_POV_NAHC · 2022" in h.source
    assert "Кыргызстан" in c.view.summary  # the country's value is said in words too


def test_saved_view_of_an_official_series_comes_back_in_the_viewers_language():
    spec = spec_of("sdg:SL_TLF_UEM:sex=F", year=2020)
    view = saved.new_saved_view(spec, builtin_table(spec.dataset), "Women's unemployment")
    assert view.dataset is None  # nothing copied: every clone has the series
    slide = saved.resolve(view, "ru")
    assert slide.spec.dataset == "sdg:SL_TLF_UEM:sex=F" and slide.spec.year == 2020
    assert slide.table.label == official.name("SL_TLF_UEM", "ru") + " (Женщины)"


@pytest.mark.parametrize("spec", [
    spec_of("sdg:SL_TLF_UEM:sex=F", year=2020, since=2010),
    spec_of("sdg:_L_KG_040202_1A:urbanisation=R", year=2019),
])
def test_official_specs_round_trip_through_links_and_json(spec):
    assert ViewSpec.from_query_params(spec.to_query_params(), datasets=["ngo_sample"]) == (spec, [])
    assert ViewSpec.from_json(spec.to_json()) == (spec, [])


def test_sparklines_break_at_gaps_and_share_one_scale():
    wide = pd.DataFrame({"KG-N": [1.0, None, 3.0, 4.0], "KG-T": [None] * 4}, index=[2018, 2019, 2020, 2021])
    out = sparklines_html(wide, {"KG-N": "Naryn", "KG-T": "Talas"}, lambda x: f"{x:g}", 2020, "no data")
    assert out.count("<polyline") == 1  # 2020–2021; 2018 stands alone as a dot, nothing crosses 2019
    assert "2018: 1 → 2021: 4" in out
    assert "<td class='sl-text'>no data</td>" in out


def test_commitment_table_puts_statistics_beside_reports():
    items = statistics.linked("KG0003", "en")
    assert [i.series for i in items] == official.series_for_commitment("KG0003")
    first = items[0]
    assert first.year == official.years(first.series)[-1]
    assert first.reason == official.link_reason("KG0003", first.series, "en")
    reports = pd.Series({"KG-N": 3})
    table = statistics.side_by_side(first, reports, "en", "no data")
    assert table.set_index("name").loc["Naryn Region", "reports"] == 3
    assert table["reports"].sum() == 3
    naryn = official.values(first.series, first.year)["KG-N"]
    assert table.set_index("name").loc["Naryn Region", "value"] == ("no data" if naryn is None
                                                                   else fmt_number(naryn, "en"))
