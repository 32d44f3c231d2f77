"""What a handout carries, and the small helpers every handout format shares.

The caller (a page) computes, classifies and translates everything; the renderers in
``atlas.draw.export_static`` and ``atlas.draw.export_html`` only lay it out, so a handout says exactly what
the screen said.
"""

from __future__ import annotations

import json
import math
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from atlas.paths import GEO
from atlas.places import geo
from atlas.places.gazetteer import CODES

#: Osh city's polygon (about 40 km²) is a speck on a handout: a circle is drawn over it too.
CITY_POINT = "KG-GO"
#: Equirectangular maps are scaled by the cosine of the country's middle latitude.
MID_LAT = 41.5
COS_MID_LAT = math.cos(math.radians(MID_LAT))
#: Map window (lon_min, lat_min, lon_max, lat_max): the country plus a margin of neighbours.
MAP_BOUNDS = (68.7, 38.75, 80.75, 43.7)

NO_DATA_FILL = "#f4f4f4"
NO_DATA_EDGE = "#8c8c8c"
INK = "#222222"
MUTED = "#5f5f5f"


@dataclass(kw_only=True)
class Handout:
    """Everything one handout shows, already computed and translated by the caller.

    Texts are shown exactly as given (the caller adds "Source:" and the like in the user's
    language). ``colors[code] is None`` or a missing/NaN value means "no data".

    >>> h = Handout(title="NGOs", region_names={"KG-N": "Naryn"}, values={"KG-N": 3.0},
    ...             value_texts={"KG-N": "3"}, colors={"KG-N": "#08519c"},
    ...             legend=[("#08519c", "1 – 5", 1)], no_data_label="No data")
    >>> h.missing("KG-N"), h.missing("KG-T")
    (False, True)
    """

    title: str
    subtitle: str = ""
    note: str = ""
    source: str = ""
    author: str = ""
    date_text: str = ""
    lang: str = "en"
    region_names: dict[str, str] = field(default_factory=dict)
    values: dict[str, float | None] = field(default_factory=dict)
    value_texts: dict[str, str] = field(default_factory=dict)
    colors: dict[str, str | None] = field(default_factory=dict)
    legend: list[tuple[str, str, int]] = field(default_factory=list)
    no_data_label: str = "No data"
    unit: str = ""
    labels: bool = True
    caption: str = ""
    chart_title: str = ""
    region_heading: str = "Region"
    value_heading: str = ""

    def missing(self, code: str) -> bool:
        """True when ``code`` has no value or no colour: it is drawn as "No data", never as zero."""
        value = self.values.get(code)
        return self.colors.get(code) is None or value is None or value != value

    def name(self, code: str) -> str:
        """The display name of ``code``, falling back to the code itself."""
        return self.region_names.get(code) or code

    def value_text(self, code: str) -> str:
        """The formatted value, or the no-data label for a unit without data."""
        return self.no_data_label if self.missing(code) else self.value_texts.get(code, "")

    def no_data_count(self) -> int:
        """How many of the nine units have no data (the count beside "No data" in the legend)."""
        return sum(self.missing(code) for code in CODES)

    def ranked(self) -> list[str]:
        """Codes by value, largest first; units without data last, in ``CODES`` order.

        >>> Handout(title="", values={"KG-N": 1, "KG-T": 2}, colors={"KG-N": "#000", "KG-T": "#000"}
        ...         ).ranked()[:2]
        ['KG-T', 'KG-N']
        """
        with_data = [c for c in CODES if not self.missing(c)]
        with_data.sort(key=lambda c: -float(self.values[c]))  # stable: ties keep CODES order
        return with_data + [c for c in CODES if self.missing(c)]


def _read_geo(name: str) -> list[tuple[dict, BaseGeometry]]:
    with open(GEO / name, encoding="utf-8") as f:
        return [(feat["properties"], shape(feat["geometry"])) for feat in json.load(f)["features"]]


@lru_cache(maxsize=1)
def shapes() -> dict[str, BaseGeometry]:
    """The 9 COD-AB polygons keyed by ISO code, Bishkek and Osh city included.

    The screen file (shared borders kept, about 3.5 km): on an A4 map that is under a millimetre,
    and the full file (576 KB) would make every HTML handout half a megabyte heavier.

    >>> sorted(shapes())[:3]
    ['KG-B', 'KG-C', 'KG-GB']
    """
    return {props["iso_3166_2"]: geom for props, geom in _read_geo("kg_level1_screen.geojson")}


@lru_cache(maxsize=1)
def neighbour_shapes() -> tuple[BaseGeometry, ...]:
    """Neighbouring countries, for faint context around the country."""
    return tuple(geom for _, geom in _read_geo("neighbours_screen.geojson"))


@lru_cache(maxsize=1)
def city_lonlat() -> tuple[float, float]:
    """Where the Osh city symbol goes: inside the city's real polygon.

    >>> city_lonlat()
    (72.7973, 40.5331)
    """
    return geo.city_points()[CITY_POINT]


#: Where each unit's name and value are written (lon, lat), placed by hand for these shapes: the
#: pole of inaccessibility sends Batken's label to its far western tip, and Chüy's onto Bishkek's.
#: Bishkek's is where its leader line starts (the label itself sits out in Kazakhstan).
LABEL_ANCHORS: dict[str, tuple[float, float]] = {
    "KG-B": (70.83, 39.92),
    "KG-C": (74.58, 42.44),
    "KG-J": (72.89, 41.47),
    "KG-N": (75.51, 41.42),
    "KG-O": (73.22, 40.10),
    "KG-T": (71.86, 42.48),
    "KG-Y": (78.00, 42.07),
    "KG-GB": (74.60, 42.86),
}


def label_anchor(code: str) -> tuple[float, float]:
    """Where a unit's name and value are written on the map (lon, lat); Osh city at the city.

    >>> label_anchor("KG-N")
    (75.51, 41.42)
    """
    return city_lonlat() if code == CITY_POINT else LABEL_ANCHORS[code]


def clip_text(text: str, width: int, max_lines: int) -> list[str]:
    """``text`` wrapped to ``width`` characters, at most ``max_lines`` lines (an ellipsis marks a cut).

    >>> clip_text("one two three four", 9, 1)
    ['one two…']
    """
    lines: list[str] = []
    for paragraph in (text or "").splitlines():
        lines.extend(textwrap.wrap(paragraph, width) or [""])
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(width - 1, 1)].rstrip() + "…"
    return lines
