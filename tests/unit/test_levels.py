"""Values at two levels: rolling rayons up to oblasts, and what is refused at rayon level."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from atlas.draw.builder import build
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.values import levels
from atlas.values.datasets import builtin_table

NARYN_RAYONS = {"KG04220000000": 41.0, "KG04235000000": 38.0, "KG04400000010": 9.0}  # At-Bashy, Kochkor, town


def test_rollup_adds_rayons_to_their_oblast_and_keeps_the_rest_without_data():
    up = levels.rollup(pd.Series({**NARYN_RAYONS, "KG21000000000": 57.0}), "sum")
    assert up["KG-N"] == 88.0
    assert up["KG-GO"] == 57.0  # Osh city is its own parent
    assert math.isnan(up["KG-T"])  # nothing below Talas: no data, never 0


@pytest.mark.parametrize("how", ["mean", "median", "first"])
def test_rollup_refuses_rates_and_means(how):
    with pytest.raises(UserError) as err:
        levels.rollup(pd.Series(NARYN_RAYONS), how)
    assert "never sum" in err.value.msg.render()


def test_per_capita_is_refused_at_rayon_level_with_the_reason():
    with pytest.raises(UserError) as err:
        levels.normalise2(pd.Series(NARYN_RAYONS), "per_10k")
    assert "No population by rayon" in err.value.msg.render()


def test_per_area_at_rayon_level_uses_the_cod_areas():
    out = levels.normalise2(pd.Series({"KG21000000000": 81.0}), "per_1000km2")
    assert out["KG21000000000"] == pytest.approx(81.0 / 40.5 * 1000)


def test_rayon_means_shown_by_oblast_are_refused_not_summed():
    table = builtin_table("elevation_rayons")
    spec = dict(dataset="elevation_rayons", column="elev_median_m", aggregation="mean", normalisation="none")
    assert build(ViewSpec(**spec, level=2), table).composed.view.values.notna().sum() == 55
    with pytest.raises(UserError):
        build(ViewSpec(**spec, level=1), table)


def test_oblast_table_cannot_be_split_into_rayons():
    with pytest.raises(UserError) as err:
        build(ViewSpec(dataset="regions", column="population", aggregation="sum", normalisation="none", level=2),
              builtin_table("regions"))
    assert "cannot be split into rayons" in err.value.msg.render()


def test_points_count_by_rayon_counts_zero_and_sums_leave_no_data():
    lon, lat = pd.Series([74.60, 75.99, 75.99]), pd.Series([42.87, 41.43, 41.43])
    counts = levels.sum_points(lon, lat, None, 2)
    assert counts["KG11000000000"] == 1 and counts["KG04400000010"] == 2 and counts["KG07232000000"] == 0
    sums = levels.sum_points(lon, lat, pd.Series([5.0, 1.0, 2.0]), 2)
    assert sums["KG04400000010"] == 3.0 and math.isnan(sums["KG07232000000"])
