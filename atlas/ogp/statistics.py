"""Commitments meet indicators: the official series linked to an OGP commitment, at their latest year,
by unit, beside the monitoring reports filed for the same units.

"What the statistics say" (the National Statistical Committee's values) next to "what monitors
found" (reports in this app). A unit without a value is "no data", never 0.

>>> [item.series for item in linked("KG0026")][:1]
['_L_KG_160501_1A']
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from atlas.i18n import fmt_number
from atlas.places import gazetteer
from atlas.values import official, official_table

CODES = gazetteer.CODES  # the row order of ``side_by_side``


@dataclass(frozen=True)
class Linked:
    """One series linked to a commitment, at its latest year (its total, no breakdown)."""

    series: str
    name: str
    reason: str
    year: int
    unit: str
    values: dict[str, float | None]  # ISO code -> value
    national: float | None


def linked(commitment_id: str, lang: str = "en") -> list[Linked]:
    """The linked series of a commitment in the reviewed table's order; [] when none speaks to it.

    >>> linked("KG0000")
    []
    """
    out = []
    for series in official.series_for_commitment(commitment_id):
        year = official.years(series)[-1]
        out.append(Linked(series, official.name(series, lang), official.link_reason(commitment_id, series, lang),
                          year, official_table.unit_text(series, lang), official.values(series, year),
                          official.national(series, year)))
    return out


def side_by_side(item: Linked, reports: pd.Series | None, lang: str = "en", no_data: str = "no data"
                 ) -> pd.DataFrame:
    """One row per unit: its name, the series' value as text ("no data" where none) and, when
    ``reports`` (ISO code -> count) is given, the monitoring reports filed for that unit.

    >>> item = Linked("X", "x", "", 2023, "%", {"KG-B": 4.5}, None)
    >>> t = side_by_side(item, pd.Series({"KG-B": 2}), "en", "no data")
    >>> t.iloc[0]["value"], t.iloc[1]["value"], t["reports"].tolist()[:2]
    ('4.50', 'no data', [2, 0])
    """
    codes = list(gazetteer.CODES)
    frame = pd.DataFrame({
        "name": [gazetteer.region_name(code, lang) for code in codes],
        "value": [no_data if item.values.get(code) is None else fmt_number(item.values[code], lang) for code in codes],
        "unit": [item.unit if item.values.get(code) is not None else "" for code in codes],
    })
    if reports is not None:
        frame["reports"] = [int(reports.get(code, 0)) for code in codes]
    return frame
