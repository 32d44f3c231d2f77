"""Class breaks and colours for choropleth maps: a registry of schemes and one of palettes.

Pure logic, no drawing: ``classify(values, ...)`` returns a ``Classes`` object that says which
class and colour each region gets, how many regions fall in each class, and what went oddly
(empty classes, too few distinct values) as translatable ``Msg`` warnings.

>>> c = classify([1, 2, 3, 10, 20, 30, 100, 200, None], scheme="quantiles", k=3)
>>> c.counts
(3, 2, 3)
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from atlas.errors import UserError, lookup
from atlas.i18n import N_, Msg, plural_msg


@lru_cache(maxsize=1)
def _mapclassify():
    # Imported on first use: mapclassify pulls in scipy.stats and matplotlib.pyplot (about 1 s),
    # which the first map of a fresh server should not wait for (see natural_breaks below).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns once that numba is missing; not needed at this size
        import mapclassify
    return mapclassify


#: Up to this many values, Fisher-Jenks runs here (exact, O(k·n²)); beyond, mapclassify's.
SMALL_N = 60


def natural_breaks(y: np.ndarray, k: int) -> np.ndarray:
    """Fisher-Jenks optimal breaks: upper bounds of ``k`` classes minimising within-class squares.

    The same optimum as ``mapclassify.FisherJenks`` (a test compares them on random data); done
    here for small inputs so that the Overview's first map does not wait for mapclassify's import.

    >>> natural_breaks(np.array([1.0, 2, 3, 10, 11, 12, 30]), 3).tolist()
    [3.0, 12.0, 30.0]
    """
    x = np.sort(np.asarray(y, dtype=float))
    n = len(x)
    if n > SMALL_N:
        return np.asarray(_mapclassify().FisherJenks(x, k=k).bins, dtype=float)
    s1, s2 = np.concatenate([[0.0], np.cumsum(x)]), np.concatenate([[0.0], np.cumsum(x * x)])

    def sse(i: int, j: int) -> float:  # squared deviations of x[i:j] from their mean
        m = j - i
        return s2[j] - s2[i] - (s1[j] - s1[i]) ** 2 / m

    cost = np.full((k + 1, n + 1), np.inf)
    split = np.zeros((k + 1, n + 1), dtype=int)
    cost[0, 0] = 0.0
    for c in range(1, k + 1):
        for j in range(c, n + 1):
            for i in range(c - 1, j):
                v = cost[c - 1, i] + sse(i, j)
                if v < cost[c, j]:
                    cost[c, j], split[c, j] = v, i
    ends, j = [], n
    for c in range(k, 0, -1):
        ends.append(x[j - 1])
        j = split[c, j]
    return np.array(ends[::-1])

K_MIN, K_MAX = 2, 7
DEFAULT_SCHEME = "natural_breaks"
DEFAULT_PALETTE = "YlGnBu"
DEFAULT_K = 5
#: Light grey for regions without data; the drawer adds a hatch/outline so it never reads as "low".
NO_DATA_COLOR = "#c8c8c8"



@dataclass(frozen=True)
class SchemeInfo:
    """One classification scheme: its key, label msgid and a one-line explanation msgid."""

    key: str
    label: str
    help: str
    uses_k: bool = True


SCHEMES: dict[str, SchemeInfo] = {
    s.key: s
    for s in (
        SchemeInfo(
            "natural_breaks",
            N_("Natural breaks (Jenks)"),
            N_("Groups similar values together and puts breaks in the biggest gaps (Fisher-Jenks)."),
        ),
        SchemeInfo(
            "quantiles",
            N_("Quantiles"),
            N_("Each class holds about the same number of regions."),
        ),
        SchemeInfo(
            "equal_interval",
            N_("Equal intervals"),
            N_("Each class covers the same range of values; some classes may stay empty."),
        ),
        SchemeInfo("manual", N_("Manual breaks"), N_("You choose the break values yourself."), uses_k=False),
        SchemeInfo(
            "unclassed",
            N_("Unclassed (continuous)"),
            N_("Colour follows the value smoothly, without classes."),
        ),
    )
}


@dataclass(frozen=True)
class PaletteInfo:
    """A colour ramp: ``colors[k]`` is the ColorBrewer ramp for k classes, light to dark."""

    key: str
    label: str
    kind: str  # "sequential" or "diverging"
    colorblind_safe: bool
    colors: Mapping[int, tuple[str, ...]] = field(repr=False)


def _ramps(*rows: str) -> dict[int, tuple[str, ...]]:
    """Turn rows of space-separated hex colours (3 to 7 classes) into ``{k: colours}``."""
    return {len(row.split()): tuple("#" + c for c in row.split()) for row in rows}


# ColorBrewer 2.0 (Cynthia Brewer, Penn State), the published k-class ramps for k = 3..7.
_BREWER: dict[str, tuple[str, str, bool, dict[int, tuple[str, ...]]]] = {
    "YlGnBu": (N_("Yellow–green–blue"), "sequential", True, _ramps(
        "edf8b1 7fcdbb 2c7fb8",
        "ffffcc a1dab4 41b6c4 225ea8",
        "ffffcc a1dab4 41b6c4 2c7fb8 253494",
        "ffffcc c7e9b4 7fcdbb 41b6c4 2c7fb8 253494",
        "ffffcc c7e9b4 7fcdbb 41b6c4 1d91c0 225ea8 0c2c84",
    )),
    "Blues": (N_("Blues"), "sequential", True, _ramps(
        "deebf7 9ecae1 3182bd",
        "eff3ff bdd7e7 6baed6 2171b5",
        "eff3ff bdd7e7 6baed6 3182bd 08519c",
        "eff3ff c6dbef 9ecae1 6baed6 3182bd 08519c",
        "eff3ff c6dbef 9ecae1 6baed6 4292c6 2171b5 084594",
    )),
    "Greens": (N_("Greens"), "sequential", True, _ramps(
        "e5f5e0 a1d99b 31a354",
        "edf8e9 bae4b3 74c476 238b45",
        "edf8e9 bae4b3 74c476 31a354 006d2c",
        "edf8e9 c7e9c0 a1d99b 74c476 31a354 006d2c",
        "edf8e9 c7e9c0 a1d99b 74c476 41ab5d 238b45 005a32",
    )),
    "Oranges": (N_("Oranges"), "sequential", True, _ramps(
        "fee6ce fdae6b e6550d",
        "feedde fdbe85 fd8d3c d94701",
        "feedde fdbe85 fd8d3c e6550d a63603",
        "feedde fdd0a2 fdae6b fd8d3c e6550d a63603",
        "feedde fdd0a2 fdae6b fd8d3c f16913 d94801 8c2d04",
    )),
    "Purples": (N_("Purples"), "sequential", True, _ramps(
        "efedf5 bcbddc 756bb1",
        "f2f0f7 cbc9e2 9e9ac8 6a51a3",
        "f2f0f7 cbc9e2 9e9ac8 756bb1 54278f",
        "f2f0f7 dadaeb bcbddc 9e9ac8 756bb1 54278f",
        "f2f0f7 dadaeb bcbddc 9e9ac8 807dba 6a51a3 4a1486",
    )),
    "YlOrRd": (N_("Yellow–orange–red"), "sequential", True, _ramps(
        "ffeda0 feb24c f03b20",
        "ffffb2 fecc5c fd8d3c e31a1c",
        "ffffb2 fecc5c fd8d3c f03b20 bd0026",
        "ffffb2 fed976 feb24c fd8d3c f03b20 bd0026",
        "ffffb2 fed976 feb24c fd8d3c fc4e2a e31a1c b10026",
    )),
    "RdBu": (N_("Red–blue (diverging)"), "diverging", True, _ramps(
        "ef8a62 f7f7f7 67a9cf",
        "ca0020 f4a582 92c5de 0571b0",
        "ca0020 f4a582 f7f7f7 92c5de 0571b0",
        "b2182b ef8a62 fddbc7 d1e5f0 67a9cf 2166ac",
        "b2182b ef8a62 fddbc7 f7f7f7 d1e5f0 67a9cf 2166ac",
    )),
    "BrBG": (N_("Brown–teal (diverging)"), "diverging", True, _ramps(
        "d8b365 f5f5f5 5ab4ac",
        "a6611a dfc27d 80cdc1 018571",
        "a6611a dfc27d f5f5f5 80cdc1 018571",
        "8c510a d8b365 f6e8c3 c7eae5 5ab4ac 01665e",
        "8c510a d8b365 f6e8c3 f5f5f5 c7eae5 5ab4ac 01665e",
    )),
    "PuOr": (N_("Orange–purple (diverging)"), "diverging", True, _ramps(
        "f1a340 f7f7f7 998ec3",
        "e66101 fdb863 b2abd2 5e3c99",
        "e66101 fdb863 f7f7f7 b2abd2 5e3c99",
        "b35806 f1a340 fee0b6 d8daeb 998ec3 542788",
        "b35806 f1a340 fee0b6 f7f7f7 d8daeb 998ec3 542788",
    )),
    "PiYG": (N_("Pink–green (diverging)"), "diverging", True, _ramps(
        "e9a3c9 f7f7f7 a1d76a",
        "d01c8b f1b6da b8e186 4dac26",
        "d01c8b f1b6da f7f7f7 b8e186 4dac26",
        "c51b7d e9a3c9 fde0ef e6f5d0 a1d76a 4d9221",
        "c51b7d e9a3c9 fde0ef f7f7f7 e6f5d0 a1d76a 4d9221",
    )),
    # Kept because people ask for red-to-green, but flagged: red/green is the pair most readers
    # with colour-vision deficiency cannot tell apart.
    "RdYlGn": (N_("Red–yellow–green (not colour-blind safe)"), "diverging", False, _ramps(
        "fc8d59 ffffbf 91cf60",
        "d7191c fdae61 a6d96a 1a9641",
        "d7191c fdae61 ffffbf a6d96a 1a9641",
        "d73027 fc8d59 fee08b d9ef8b 91cf60 1a9850",
        "d73027 fc8d59 fee08b ffffbf d9ef8b 91cf60 1a9850",
    )),
}


@lru_cache(maxsize=1)
def _viridis() -> dict[int, tuple[str, ...]]:
    """Viridis sampled evenly for 3..7 classes, ordered yellow→purple so darker means more, as in
    the ColorBrewer ramps. Imported lazily because matplotlib is slow to load."""
    from matplotlib import colormaps
    from matplotlib.colors import to_hex

    cmap = colormaps["viridis"]
    return {k: tuple(to_hex(cmap(x)) for x in np.linspace(1.0, 0.0, k)) for k in range(3, K_MAX + 1)}


class _LazyRamps(Mapping[int, tuple[str, ...]]):
    """A mapping filled on first use, so importing this module does not import matplotlib."""

    def __init__(self, make: Callable[[], dict[int, tuple[str, ...]]]):
        self._make = make

    def __getitem__(self, k: int) -> tuple[str, ...]:
        return self._make()[k]

    def __iter__(self):
        return iter(range(3, K_MAX + 1))

    def __len__(self) -> int:
        return K_MAX - 2


PALETTES: dict[str, PaletteInfo] = {
    key: PaletteInfo(key, label, kind, safe, colors) for key, (label, kind, safe, colors) in _BREWER.items()
}
PALETTES["viridis"] = PaletteInfo("viridis", N_("Viridis"), "sequential", True, _LazyRamps(_viridis))


def palette_colors(name: str, k: int, reverse: bool = False) -> list[str]:
    """The ``k`` colours ("#rrggbb") of palette ``name``, light to dark (or reversed).

    One or two classes borrow from the 3-class ramp so they stay distinct from each other.

    >>> palette_colors("Blues", 3)
    ['#deebf7', '#9ecae1', '#3182bd']
    """
    info = lookup(PALETTES, name, "palette")
    if not 1 <= k <= K_MAX:
        raise UserError(Msg(N_("Colours in a palette: from 1 to {max}; asked for: {k}"), {"max": K_MAX, "k": k}))
    if k == 1:
        colors = [info.colors[3][1]]
    elif k == 2:
        colors = [info.colors[3][0], info.colors[3][2]]
    else:
        colors = list(info.colors[k])
    return colors[::-1] if reverse else colors


@dataclass(frozen=True)
class LegendEntry:
    """One row of a legend: swatch colour, range label, and how many regions it covers."""

    color: str
    label: str
    count: int


@dataclass(frozen=True)
class Classes:
    """The result of ``classify``: breaks, colours and counts, and what to warn the user about.

    ``bins`` are the upper bounds of each class (``lower`` is the smallest value). For the
    ``unclassed`` scheme ``bins`` are the positions of the colour stops along the ramp instead.
    ``k`` may be smaller than requested (see ``warnings``) and is 0 when no value is present.
    """

    scheme: str
    k: int
    palette: str
    reverse: bool
    bins: tuple[float, ...]
    lower: float
    colors: tuple[str, ...]
    counts: tuple[int, ...]
    warnings: tuple[Msg, ...] = ()
    center: float | None = None

    def class_of(self, values: Any) -> np.ndarray:
        """Class index of each value; -1 for missing (NaN/None/not a number).

        >>> classify([1, 2, 3, 4], scheme="equal_interval", k=2).class_of([1, None, 4]).tolist()
        [0, -1, 1]
        """
        x = _as_float(values)
        out = np.full(x.shape, -1, dtype=int)
        ok = np.isfinite(x)
        if self.k == 0 or not ok.any():
            return out
        bins = np.asarray(self.bins, dtype=float)
        if self.scheme == "unclassed":
            # Nearest colour stop: the legend shows stops, so counts follow them.
            out[ok] = np.abs(x[ok][:, None] - bins[None, :]).argmin(axis=1)
        else:
            # side="left": a value equal to a bound belongs to the class that bound closes.
            out[ok] = np.minimum(np.searchsorted(bins, x[ok], side="left"), self.k - 1)
        return out

    def color_of(self, values: Any) -> list[str | None]:
        """Hex colour per value, ``None`` where missing; unclassed interpolates along the ramp.

        >>> classify([0, 10], scheme="unclassed", k=3, palette="Blues").color_of([0, None])
        ['#deebf7', None]
        """
        x = _as_float(values)
        if self.scheme == "unclassed" and self.k > 1:
            return [None if not np.isfinite(v) else _ramp_color(self.colors, self.bins, v) for v in x]
        return [None if i < 0 else self.colors[i] for i in self.class_of(x)]

    def legend(self, fmt: Callable[[float], str]) -> list[LegendEntry]:
        """Legend rows, first class first; the caller adds the no-data row.

        >>> [e.label for e in classify([1, 2, 3, 4], scheme="equal_interval", k=2).legend(str)]
        ['1.0 – 2.5', '2.5 – 4.0']
        """
        if self.scheme == "unclassed":
            stops = zip(self.colors, self.bins, self.counts, strict=True)
            return [LegendEntry(c, fmt(b), n) for c, b, n in stops]
        entries = []
        for i, (color, upper, n) in enumerate(zip(self.colors, self.bins, self.counts, strict=True)):
            low = self.lower if i == 0 else self.bins[i - 1]
            label = fmt(upper) if low == upper else f"{fmt(low)} – {fmt(upper)}"
            entries.append(LegendEntry(color, label, n))
        return entries


def _as_float(values: Any) -> np.ndarray:
    """Any list/array/Series of numbers, ``None`` or junk as a float array (junk becomes NaN)."""
    if isinstance(values, pd.Series):
        values = values.to_numpy(dtype=object)
    arr = np.asarray(list(values) if not np.ndim(values) == 0 else [values], dtype=object)
    x = pd.to_numeric(pd.Series(arr, dtype=object), errors="coerce").to_numpy(dtype=float, copy=True)
    x[~np.isfinite(x)] = np.nan
    return x


def _hex_to_rgb(color: str) -> np.ndarray:
    return np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _ramp_color(colors: tuple[str, ...], stops: tuple[float, ...], v: float) -> str:
    """Linear RGB interpolation between the two stops around ``v`` (clamped at the ends)."""
    v = min(max(v, stops[0]), stops[-1])
    j = int(min(np.searchsorted(stops, v, side="right"), len(stops) - 1))
    lo, hi = stops[j - 1], stops[j]
    t = 0.0 if hi == lo else (v - lo) / (hi - lo)
    rgb = (1 - t) * _hex_to_rgb(colors[j - 1]) + t * _hex_to_rgb(colors[j])
    return "#" + "".join(f"{int(round(c)):02x}" for c in rgb)


def _num(x: float) -> str:
    """A short plain rendering of a number for a message parameter."""
    return f"{x:.6g}"


def _scheme_bins(y: np.ndarray, scheme: str, k: int) -> np.ndarray:
    """Upper bounds of ``k`` classes of ``y`` by ``scheme``; may return fewer if ties collapse them."""
    distinct = np.unique(y)
    if k >= len(distinct):
        return distinct
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # mapclassify warns when it lowers k; we report that ourselves.
        if scheme == "quantiles":
            bins = _mapclassify().Quantiles(y, k=k).bins
        elif scheme == "equal_interval":
            bins = _mapclassify().EqualInterval(y, k=k).bins
        else:
            bins = natural_breaks(y, k)
    bins = np.unique(np.asarray(bins, dtype=float))
    bins[-1] = y.max()  # guard against float drift: the last class must close at the maximum
    return bins


def _side_bins(y: np.ndarray, scheme: str, k: int, lo: float, hi: float) -> np.ndarray:
    """Up to ``k`` upper bounds covering ``[lo, hi]`` for the values of one side of a centre."""
    if k <= 0:
        return np.array([])
    if scheme == "equal_interval":
        return np.linspace(lo, hi, k + 1)[1:] if hi > lo else np.array([hi])
    # The side's own maximum is replaced by ``hi`` so the side closes exactly at the centre/max.
    bins = _scheme_bins(y, scheme, k)[:-1]
    bins = bins[bins < hi]
    return np.append(bins, hi)


def _diverging_bins(y: np.ndarray, scheme: str, k: int, c: float) -> tuple[np.ndarray, list[int]]:
    """Breaks split at centre ``c`` and the palette index of each class.

    Even k: ``c`` is a break, k/2 classes each side. Odd k: the middle class straddles ``c``;
    each side is classed into (k+1)/2 pieces with ``c`` as an end, and the two pieces touching
    ``c`` merge into the middle class. Sides with too few values keep the colours nearest the
    centre, so colour intensity always means distance from the centre.
    """
    half = k // 2
    below, above = y[y <= c], y[y >= c]
    if k % 2 == 0:
        low = _side_bins(below, scheme, half, y.min(), c) if below.size else np.array([])
        high = _side_bins(y[y > c], scheme, half, c, y.max()) if (y > c).any() else np.array([])
        idx = list(range(half - len(low), half)) + list(range(half, half + len(high)))
        return np.concatenate([low, high]), idx
    # Anchor c in both sides so the pieces next to the centre are measured from it.
    low = _side_bins(np.append(below, c), scheme, half + 1, min(y.min(), c), c)
    high = _side_bins(np.append(above, c), scheme, half + 1, c, max(y.max(), c))
    low_outer = low[:-1][low[:-1] >= y.min()] if y.min() < c else np.array([])
    high_outer = high[1:]
    middle = high[0] if y.max() > c else c
    high_outer = high_outer[high_outer <= y.max()] if y.max() > c else np.array([])
    bins = np.concatenate([low_outer, [middle], high_outer])
    idx = [*range(half - len(low_outer), half), half, *range(half + 1, half + 1 + len(high_outer))]
    # When no value lies below c, the first class starts at the data minimum.
    return bins, idx


def _count_warnings(counts: tuple[int, ...], scheme: str) -> list[Msg]:
    """Warn about classes that show nothing or a single region: misleading with only 9 units."""
    out = []
    empty = sum(1 for n in counts if n == 0)
    single = sum(1 for n in counts if n == 1)
    if empty and scheme != "unclassed":
        out.append(Msg(N_("Classes with no region: {n} of {k}"), {"n": empty, "k": len(counts)}))
    if single and scheme != "unclassed" and len(counts) > 1:
        out.append(Msg(N_("Classes with a single region: {n} of {k}"), {"n": single, "k": len(counts)}))
    return out


def _validate_manual(breaks: Iterable[Any] | None, y: np.ndarray) -> np.ndarray:
    """Manual breaks as floats, or a ``UserError`` saying exactly what is wrong with them."""
    raw = list(breaks or [])
    if not raw:
        raise UserError(Msg(N_("Manual classes need at least one break value")))
    b = _as_float(raw)
    if np.isnan(b).any():
        bad = ", ".join(str(r) for r, v in zip(raw, b, strict=True) if np.isnan(v))
        raise UserError(Msg(N_("These breaks are not numbers: {bad}"), {"bad": bad}))
    if len(b) > K_MAX - 1:
        raise UserError(Msg(N_("Break values allowed: at most {n}"), {"n": K_MAX - 1}))
    if (np.diff(b) <= 0).any():
        raise UserError(Msg(N_("Break values must increase from left to right, without repeats")))
    lo, hi = y.min(), y.max()
    outside = [v for v in b if v < lo or v >= hi]
    if outside:
        raise UserError(Msg(
            N_("Break {value} is outside the data: breaks must lie from {min} up to (not including) {max}"),
            {"value": _num(outside[0]), "min": _num(lo), "max": _num(hi)},
        ))
    return np.append(b, hi)


def _unclassed(y: np.ndarray, k: int, diverging: bool, c: float | None) -> np.ndarray:
    """Colour stops for a continuous ramp; diverging ramps are symmetric about the centre so
    equal distance from it gets equal intensity."""
    if diverging:
        d = max(abs(y.max() - c), abs(y.min() - c))
        return np.linspace(c - d, c + d, k)
    return np.linspace(y.min(), y.max(), k)


def classify(
    values: Any,
    scheme: str = DEFAULT_SCHEME,
    k: int = DEFAULT_K,
    palette: str = DEFAULT_PALETTE,
    reverse: bool = False,
    manual_breaks: Iterable[float] | None = None,
    center: float | None = None,
) -> Classes:
    """Classify ``values`` (one per region, NaN/None for no data) into coloured classes.

    ``center`` is used only by diverging palettes (the caller passes the national average;
    None means the mean of the values). Unknown scheme/palette or bad manual breaks raise
    ``UserError``; odd but usable results come back with ``warnings``.

    >>> classify([1, 1, 2, 9, 10], k=2, palette="Blues").bins
    (2.0, 10.0)
    """
    lookup(SCHEMES, scheme, "classification scheme")
    info = lookup(PALETTES, palette, "palette")
    if not isinstance(k, int | np.integer) or not K_MIN <= k <= K_MAX:
        raise UserError(
            Msg(N_("The number of classes must be from {min} to {max}"), {"min": K_MIN, "max": K_MAX})
        )
    y = _as_float(values)
    y = y[np.isfinite(y)]
    if y.size == 0:
        return Classes(scheme, 0, palette, reverse, (), float("nan"), (), (),
                       (Msg(N_("No region has a value to show")),), None)
    diverging = info.kind == "diverging"
    c = float(center) if diverging and center is not None and np.isfinite(center) else float(y.mean())
    c = c if diverging else None
    warns: list[Msg] = []
    distinct = np.unique(y)
    if len(distinct) == 1:
        warns.append(Msg(N_("All regions with data have the same value ({value}): one class is shown"),
                         {"value": _num(distinct[0])}))
        colors = (palette_colors(palette, 1, reverse)[0],)
        return _finish(scheme, palette, reverse, (float(distinct[0]),), y, colors, warns, c)
    if scheme == "unclassed":
        stops = _unclassed(y, k, diverging, c)
        return _finish(scheme, palette, reverse, tuple(stops), y, tuple(palette_colors(palette, k, reverse)),
                       warns, c)
    if scheme == "manual":
        bins = _validate_manual(manual_breaks, y)
        colors = palette_colors(palette, len(bins), reverse)
        return _finish(scheme, palette, reverse, tuple(bins), y, tuple(colors), warns, c)
    if diverging:
        bins, idx = _diverging_bins(y, scheme, k, c)
        full = palette_colors(palette, k, reverse)
        colors = tuple(full[i] for i in idx)
    else:
        bins = _scheme_bins(y, scheme, k)
        colors = tuple(palette_colors(palette, len(bins), reverse))
    if len(bins) < k and len(distinct) < k:
        warns.append(plural_msg("Only {n} class could be formed instead of {k}: different values in the data: "
                                "{distinct}", "Only {n} classes could be formed instead of {k}: different values "
                                "in the data: {distinct}", len(bins), {"k": k, "distinct": len(distinct)}))
    elif len(bins) < k:
        warns.append(plural_msg("Only {n} class could be formed instead of {k}: too few regions lie on one side "
                                "of the centre ({center})", "Only {n} classes could be formed instead of {k}: "
                                "too few regions lie on one side of the centre ({center})", len(bins),
                                {"k": k, "center": _num(c)}))
    return _finish(scheme, palette, reverse, tuple(float(b) for b in bins), y, colors, warns, c)


def _tidy(b: float, y: np.ndarray) -> float:
    """Drop interpolation noise (7.000000000000001 → 7.0) that would leak into legends, unless
    rounding would move a value across the bound."""
    r = float(f"{b:.12g}")
    lo, hi = min(b, r), max(b, r)
    return b if r != b and ((y >= lo) & (y <= hi)).any() else r


def _finish(scheme: str, palette: str, reverse: bool, bins: tuple[float, ...], y: np.ndarray,
            colors: tuple[str, ...], warns: list[Msg], center: float | None) -> Classes:
    """Assemble ``Classes``: count members per class and add the count warnings."""
    bins = tuple(_tidy(float(b), y) for b in bins)
    draft = Classes(scheme, len(bins), palette, reverse, bins, float(y.min()), colors, (), (), center)
    counts = tuple(int(n) for n in np.bincount(draft.class_of(y), minlength=len(bins)))
    all_warns = tuple(warns + _count_warnings(counts, scheme)) if len(bins) > 1 else tuple(warns)
    low = float(y.min())
    return Classes(scheme, len(bins), palette, reverse, bins, low, colors, counts, all_warns, center)
