"""Class breaks, palettes and legends: what a reader of the map would see."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from atlas.draw.classify import (
    DEFAULT_PALETTE,
    K_MAX,
    K_MIN,
    NO_DATA_COLOR,
    PALETTES,
    SCHEMES,
    Classes,
    classify,
    palette_colors,
)
from atlas.errors import UnknownOptionError, UserError

HEX = re.compile(r"^#[0-9a-f]{6}$")
CLASSED = ("natural_breaks", "quantiles", "equal_interval")


def lum(color: str) -> float:
    """Relative luminance (sRGB, WCAG formula): lighter colours have larger values."""
    rgb = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def datasets() -> dict[str, list]:
    """Nine-region value sets of the kinds users bring, generated rather than stored."""
    rng = np.random.default_rng(7)
    return {
        "skewed": [3, 5, 8, 12, 15, 20, 40, 90, 400],
        "with_gaps": [1.5, None, 4, float("nan"), 9, 9, 30, 31, 2],
        "negative": [-12.5, -3, -1, 0, 0.5, 2, 7, 7, 15],
        "random": list(rng.normal(50, 20, 9).round(1)),
        "ints_many_ties": [1, 1, 1, 2, 2, 3, 3, 3, 10],
    }


# --- registries -------------------------------------------------------------------------------


def test_scheme_registry_has_the_five_schemes_with_labels():
    assert set(SCHEMES) == {"quantiles", "equal_interval", "natural_breaks", "manual", "unclassed"}
    assert all(s.label and s.help for s in SCHEMES.values())


@pytest.mark.parametrize(
    ("kwargs", "listed"),
    [({"scheme": "jenks"}, "natural_breaks"), ({"palette": "Rainbow"}, "YlGnBu")],
)
def test_unknown_option_is_a_value_error_that_lists_valid_keys(kwargs, listed):
    with pytest.raises(ValueError) as err:
        classify([1, 2, 3], **kwargs)
    assert isinstance(err.value, UserError) and isinstance(err.value, UnknownOptionError)
    assert listed in err.value.msg.render()


def test_default_palette_is_colourblind_safe_and_flag_is_meaningful():
    assert PALETTES[DEFAULT_PALETTE].colorblind_safe
    assert PALETTES[DEFAULT_PALETTE].kind == "sequential"
    assert {p.kind for p in PALETTES.values()} == {"sequential", "diverging"}
    assert not all(p.colorblind_safe for p in PALETTES.values())  # RdYlGn is flagged


@pytest.mark.parametrize("name", sorted(PALETTES))
@pytest.mark.parametrize("k", range(1, K_MAX + 1))
def test_palette_shape(name, k):
    colors = palette_colors(name, k)
    assert len(colors) == k and all(HEX.match(c) for c in colors)
    assert len(set(colors)) == k
    assert palette_colors(name, k, reverse=True) == colors[::-1]
    assert NO_DATA_COLOR not in colors


@pytest.mark.parametrize("name", [n for n, p in PALETTES.items() if p.kind == "sequential"])
@pytest.mark.parametrize("k", range(2, K_MAX + 1))
def test_sequential_palettes_get_darker(name, k):
    lums = [lum(c) for c in palette_colors(name, k)]
    assert all(a > b for a, b in zip(lums, lums[1:], strict=False))


@pytest.mark.parametrize("name", [n for n, p in PALETTES.items() if p.kind == "diverging"])
@pytest.mark.parametrize("k", range(3, K_MAX + 1))
def test_diverging_palettes_are_light_in_the_middle(name, k):
    lums = [lum(c) for c in palette_colors(name, k)]
    mid = (k - 1) // 2
    assert all(a < b for a, b in zip(lums[: mid + 1], lums[1 : mid + 1], strict=False))
    assert all(a > b for a, b in zip(lums[k // 2 :], lums[k // 2 + 1 :], strict=False))


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_tables_follow_the_matplotlib_colorbrewer_ramp(name):
    """Catches a typo in the hand-written tables: every colour must lie close to the 9/11-class
    ramp matplotlib ships for the same ColorBrewer scheme. ColorBrewer's 4/5-class diverging ends
    are designed off the 11-class ramp (up to ~36 RGB units away), so diverging gets more slack."""
    from matplotlib import colormaps

    cmap = colormaps[name]
    slack = 20 if PALETTES[name].kind == "sequential" else 40
    ramp = np.array([cmap(x)[:3] for x in np.linspace(0, 1, 400)]) * 255
    for k in range(3, K_MAX + 1):
        for c in palette_colors(name, k):
            rgb = np.array([int(c[i : i + 2], 16) for i in (1, 3, 5)])
            assert np.min(np.linalg.norm(ramp - rgb, axis=1)) < slack, (name, k, c)


@pytest.mark.parametrize("k", [0, K_MAX + 1])
def test_palette_rejects_impossible_k(k):
    with pytest.raises(UserError):
        palette_colors("Blues", k)


# --- classify: invariants over schemes, k and data ---------------------------------------------


def check_invariants(c: Classes, values) -> None:
    x = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").to_numpy(dtype=float)
    present = x[np.isfinite(x)]
    assert len(c.bins) == len(c.colors) == len(c.counts) == c.k
    assert all(a < b for a, b in zip(c.bins, c.bins[1:], strict=False))
    assert sum(c.counts) == present.size
    idx = c.class_of(values)
    assert ((idx == -1) == ~np.isfinite(x)).all()
    colors = c.color_of(values)
    assert [col is None for col in colors] == list(~np.isfinite(x))
    if c.scheme != "unclassed":
        assert c.lower == present.min() and c.bins[-1] == present.max()
        for v, i in zip(x, idx, strict=True):
            if i >= 0:
                assert v <= c.bins[i] and (i == 0 or v > c.bins[i - 1])


@pytest.mark.parametrize("scheme", [*CLASSED, "unclassed"])
@pytest.mark.parametrize("k", range(K_MIN, K_MAX + 1))
@pytest.mark.parametrize("data", sorted(datasets()))
@pytest.mark.parametrize("palette", ["YlGnBu", "RdBu"])
def test_invariants(scheme, k, data, palette):
    values = datasets()[data]
    c = classify(values, scheme=scheme, k=k, palette=palette)
    check_invariants(c, values)
    distinct = len({v for v in values if v is not None and v == v})
    assert c.k <= k
    if c.k < k and scheme != "unclassed":
        assert any("could be formed instead of" in w.render() for w in c.warnings)
    if palette == "YlGnBu":
        assert c.k == min(k, distinct) or scheme == "unclassed"


@pytest.mark.parametrize(
    "values",
    [[None] * 9, [float("nan")] * 9, ["n/a", "", None], pd.Series([pd.NA] * 9, dtype="Float64"), []],
)
def test_no_data_at_all_gives_empty_classes_and_a_warning(values):
    c = classify(values)
    assert c.k == 0 and c.counts == () and c.legend(str) == []
    assert c.warnings and "No region" in c.warnings[0].text
    assert (c.class_of(values) == -1).all()


@pytest.mark.parametrize("scheme", [*CLASSED, "unclassed"])
def test_single_distinct_value_gives_one_class(scheme):
    c = classify([4.0, 4.0, None, 4.0], scheme=scheme, k=5)
    assert c.k == 1 and c.counts == (3,)
    assert c.color_of([4.0, None]) == [c.colors[0], None]
    assert "same value" in c.warnings[0].text


def test_fewer_distinct_values_than_classes_reduces_k_and_says_so():
    c = classify([1, 2, 2, 3, 3, 3], k=5)
    assert c.k == 3 and c.counts == (1, 2, 3)
    assert c.warnings[0].params == {"n": 3, "k": 5, "distinct": 3}


def test_natural_breaks_find_obvious_clusters():
    c = classify([1, 2, 3, 50, 51, 52, 100, 101, 102], scheme="natural_breaks", k=3)
    assert c.bins == (3.0, 52.0, 102.0) and c.counts == (3, 3, 3)


def test_quantiles_balance_counts():
    c = classify(list(range(9)), scheme="quantiles", k=3)
    assert c.counts == (3, 3, 3)


def test_equal_interval_has_equal_widths_and_empty_class_warning():
    c = classify([0, 1, 2, 3, 100], scheme="equal_interval", k=4)
    assert np.allclose(np.diff((c.lower, *c.bins)), 25.0)
    assert c.counts == (4, 0, 0, 1)
    texts = [w.render() for w in c.warnings]
    assert "Classes with no region: 2 of 4" in texts
    assert "Classes with a single region: 1 of 4" in texts


def test_missing_is_not_zero():
    c = classify([0, 5, 10, None], scheme="equal_interval", k=2, palette="Blues")
    assert c.color_of([0, None]) == [c.colors[0], None]
    assert c.counts == (2, 1)


# --- diverging palettes centre on the centre -----------------------------------------------------


@pytest.mark.parametrize("scheme", CLASSED)
@pytest.mark.parametrize("k", range(K_MIN, K_MAX + 1))
@pytest.mark.parametrize("seed", range(6))
def test_diverging_classes_split_at_the_centre(scheme, k, seed):
    rng = np.random.default_rng(seed)
    values = list(rng.lognormal(3, 1, 9).round(2))
    center = float(np.median(values)) if seed % 2 else None
    c = classify(values, scheme=scheme, k=k, palette="RdBu", center=center)
    check_invariants(c, values)
    centre = float(np.mean(values)) if center is None else center
    assert c.center == pytest.approx(centre)
    full = palette_colors("RdBu", k)
    low_side, high_side = set(full[: k // 2]), set(full[(k + 1) // 2 :])
    for v, col in zip(values, c.color_of(values), strict=True):
        # A region below the centre never gets a colour from the "above" side, and vice versa.
        assert not (v < centre and col in high_side) and not (v > centre and col in low_side)
    if k % 2 == 0 and c.k == k:
        assert c.bins[k // 2 - 1] == pytest.approx(centre)
    if k % 2 == 1:
        mid = full[k // 2]
        j = c.colors.index(mid)
        low = c.lower if j == 0 else c.bins[j - 1]
        assert low <= centre + 1e-9 and centre <= c.bins[j] + 1e-9


def test_diverging_all_values_above_centre_use_one_side_only():
    c = classify([10, 20, 30, 40], scheme="equal_interval", k=4, palette="BrBG", center=0)
    full = palette_colors("BrBG", 4)
    assert set(c.colors) <= set(full[2:])
    assert any("side of the centre" in w.text for w in c.warnings)


def test_centre_is_ignored_by_sequential_palettes():
    a = classify([1, 2, 3, 4, 5, 6], k=3, center=100)
    assert a == classify([1, 2, 3, 4, 5, 6], k=3) and a.center is None


# --- manual breaks -------------------------------------------------------------------------------


def test_manual_breaks_become_upper_bounds():
    c = classify([1, 5, 10, 20, 50], scheme="manual", manual_breaks=[5, 19.5])
    assert c.bins == (5.0, 19.5, 50.0) and c.counts == (2, 1, 2) and c.k == 3


@pytest.mark.parametrize(
    ("breaks", "fragment"),
    [
        (None, "at least one"),
        ([], "at least one"),
        ([10, 5], "increase"),
        ([5, 5], "increase"),
        (["ten"], "not numbers"),
        ([0.5], "outside"),
        ([50], "outside"),
        ([2, 3, 4, 5, 6, 7, 8], "at most 6"),
    ],
)
def test_manual_breaks_errors_are_clear(breaks, fragment):
    with pytest.raises(UserError) as err:
        classify([1, 5, 10, 20, 50], scheme="manual", manual_breaks=breaks)
    assert fragment in err.value.msg.render()


# --- unclassed and legends -----------------------------------------------------------------------


def test_unclassed_interpolates_between_ends():
    c = classify([0, 25, 100], scheme="unclassed", k=5, palette="Blues")
    ends = c.color_of([0, 100, -50, 1000])
    assert ends == [c.colors[0], c.colors[-1], c.colors[0], c.colors[-1]]
    ramp = [lum(col) for col in c.color_of(np.linspace(0, 100, 21))]
    assert all(a >= b for a, b in zip(ramp, ramp[1:], strict=False))


def test_unclassed_diverging_is_symmetric_about_centre():
    c = classify([-10, 0, 40], scheme="unclassed", k=5, palette="RdBu", center=0)
    assert c.bins[2] == 0 and c.bins[0] == -40 and c.color_of([0]) == [c.colors[2]]


def test_legend_labels_ranges_with_the_callers_format():
    c = classify([1000, 2500, 2500, 7000], scheme="manual", manual_breaks=[2500])
    entries = c.legend(lambda x: f"{x:,.0f}")
    assert [(e.label, e.count, e.color) for e in entries] == [
        ("1,000 – 2,500", 3, c.colors[0]),
        ("2,500 – 7,000", 1, c.colors[1]),
    ]


@pytest.mark.parametrize(
    "values", [pd.Series([1.0, None, 3.0]), np.array([1.0, np.nan, 3.0]), [1, "x", 3], (1, None, 3)]
)
def test_accepts_the_usual_containers(values):
    c = classify(values, k=2, scheme="equal_interval")
    assert c.class_of(values).tolist() == [0, -1, 1]


def test_own_natural_breaks_match_mapclassify_fisher_jenks():
    import warnings

    import mapclassify

    from atlas.draw.classify import SMALL_N, natural_breaks

    rng = np.random.default_rng(7)
    checked = 0
    for _ in range(200):
        n, k = int(rng.integers(3, SMALL_N + 1)), int(rng.integers(2, 8))
        y = rng.lognormal(3, 1, n)
        if k >= n:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            expected = np.asarray(mapclassify.FisherJenks(y, k=k).bins, dtype=float)
        assert np.allclose(natural_breaks(y, k), expected), (n, k)
        checked += 1
    assert checked > 100
