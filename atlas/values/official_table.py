"""An official SDG series as a dataset: the key in links and saved views, and its ``DatasetTable``.

A key names the series and, when it is not the series' total, the breakdown: ``sdg:SI_POV_NAHC`` or
``sdg:SI_POV_NAHC:sex=F``. The table holds one row per unit and year that the source publishes (a
missing year stays absent, never 0); the country's own value travels beside it as ``national``
because it is not one of the nine units and must never be added to them.

>>> parse_key("sdg:SI_POV_NAHC:sex=F")
('SI_POV_NAHC', {'sex': 'F'})
>>> official_table("sdg:SI_POV_NAHC").official.is_rate
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places.gazetteer import CODES
from atlas.values import official
from atlas.values.datasets import DatasetTable

PREFIX = "sdg:"
#: The series the Overview opens on: the share of people below the national poverty line, published
#: for all nine units every year 2007–2023.
DEFAULT_SERIES = "SI_POV_NAHC"
SOURCE = N_("National Statistical Committee of the Kyrgyz Republic, national SDG platform")
SHORT_SOURCE = N_("NSC, national SDG platform")
_KEY = re.compile(r"^sdg:([A-Za-z0-9_]{1,40})((?::[a-z]{1,20}=[A-Za-z0-9_]{1,20})*)$")
_LANGS = ("en", "ru", "ky")


@dataclass(frozen=True)
class OfficialMeta:
    """What a page needs to know about an official series beside its values."""

    series: str
    breakdown: dict[str, str]  # only the dimensions that differ from the series' total
    is_rate: bool
    unit_code: str  # SDMX unit: PT (percent), PER_100000_POP, NUMBER…
    years: list[int]
    national: dict[int, float] = field(default_factory=dict)  # year -> the country's value

    @property
    def change_unit(self) -> str:
        """The unit of a difference between two years: percentage points for a percentage.

        >>> official_table("sdg:SL_TLF_UEM").official.change_unit
        'percentage points'
        """
        return N_("percentage points") if self.unit_code == "PT" else ""

    def national_change(self, since: int, year: int) -> float | None:
        """The country's change between two years; None when either is not published."""
        a, b = self.national.get(since), self.national.get(year)
        return None if a is None or b is None else b - a


def is_key(key: str) -> bool:
    """Whether ``key`` names an official series (the series need not exist).

    >>> is_key("sdg:SL_TLF_UEM"), is_key("ngo_sample")
    (True, False)
    """
    return isinstance(key, str) and key.startswith(PREFIX)


def make_key(series: str, breakdown: dict[str, str] | None = None) -> str:
    """The key of ``series`` at ``breakdown``; dimensions at the series' total are left out.

    >>> make_key("SL_TLF_UEM", {"sex": "F"}), make_key("SL_TLF_UEM", {"sex": "_T"})
    ('sdg:SL_TLF_UEM:sex=F', 'sdg:SL_TLF_UEM')
    """
    default = official.default_breakdown(series)
    parts = [f":{dim}={code}" for dim, code in sorted((breakdown or {}).items()) if default.get(dim) != code]
    return PREFIX + series + "".join(parts)


def parse_key(key: str) -> tuple[str, dict[str, str]]:
    """Series and breakdown of a key; a malformed key or an unknown series raises ``UserError``."""
    found = _KEY.match(key or "")
    if not found:
        raise UserError(Msg(N_("“{key}” does not name an official series."), {"key": str(key)[:60]}))
    series = found.group(1)
    official.info(series)  # raises, naming series that exist
    breakdown = dict(part.split("=", 1) for part in found.group(2).split(":") if part)
    return series, breakdown


def label(series: str, breakdown: dict[str, str], lang: str) -> str:
    """The series name in ``lang``, with the breakdown shown when it is not the total.

    >>> label("SL_TLF_UEM", {"sex": "F"}, "en")
    'Unemployment rate (Female)'
    """
    text = official.name(series, lang)
    default = official.default_breakdown(series)
    col = f"name_{lang if lang in _LANGS else 'en'}"
    parts = [str(official.codes().loc[(dim, code), col]) for dim, code in sorted(breakdown.items())
             if default.get(dim) != code and (dim, code) in official.codes().index]
    return f"{text} ({', '.join(parts)})" if parts else text


@lru_cache(maxsize=256)
def _table(key: str, lang: str) -> DatasetTable:
    series, breakdown = parse_key(key)
    wide = official.time_series(series, breakdown)  # raises on a breakdown the series lacks
    national = {int(y): float(v) for y, v in wide[official.NATIONAL].dropna().items()}
    long = wide[list(CODES)].rename_axis("year").reset_index().melt("year", var_name="iso", value_name="value")
    frame = long.dropna(subset=["value"]).astype({"year": int})[["iso", "year", "value"]].reset_index(drop=True)
    info = official.info(series)
    meta = OfficialMeta(series, {d: c for d, c in breakdown.items() if official.default_breakdown(series).get(d) != c},
                        bool(info["is_rate"]), str(info["unit"]), sorted({int(y) for y in frame["year"]}), national)
    return DatasetTable(
        make_key(series, breakdown), label(series, breakdown, lang), frame, "iso", ["value"], year_col="year",
        source=SOURCE, date=str(info["source_file"]), units={"value": unit_text(series, lang)},
        official=meta,
    )


def official_table(key: str, lang: str = "en") -> DatasetTable:
    """The ``DatasetTable`` of an official key, labelled in ``lang`` (a copy: callers may change it).

    >>> t = official_table("sdg:SH_DYN_MORT:sex=F"); t.label, t.units["value"]
    ('Under-five mortality rate (Female)', 'Per 1,000 live births')
    """
    table = _table(key, lang if lang in _LANGS else "en")
    return DatasetTable(**{**table.__dict__, "frame": table.frame.copy()})


def shared_table(key: str, lang: str = "en") -> DatasetTable:
    """The same table as ``official_table`` without the copy: shared by every session, read-only."""
    return _table(key, lang if lang in _LANGS else "en")


def unit_text(series: str, lang: str) -> str:
    """The unit as shown beside a number: "%" for a percentage, else the catalogue's words in ``lang``.

    >>> unit_text("SL_TLF_UEM", "ky"), unit_text("SH_DYN_MORT", "en")
    ('%', 'Per 1,000 live births')
    """
    return "%" if str(official.info(series)["unit"]) == "PT" else official.unit_label(series, lang)


def source_text(series: str, years: str, _: object = str) -> str:
    """The source line of a value: statistics office, platform, series code and year(s).

    >>> source_text("SI_POV_NAHC", "2023")
    'National Statistical Committee of the Kyrgyz Republic, national SDG platform · SI_POV_NAHC · 2023'
    """
    return f"{_(SOURCE)} · {series} · {years}"
