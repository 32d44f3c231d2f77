"""The register counted: organisations and activities per unit at both levels, beneficiaries per
10,000 people, who works where, the gaps beside an official indicator, and the builder's dataset.

How a wide activity counts per unit (the page says so too): an activity for a **whole oblast** counts
in every rayon and town of that oblast, one for the **whole country** in every unit, because the
organisation said it works there. The gaps view can leave country-wide work out (``wide=False``), so
that one national programme does not hide every local gap.

Beneficiaries are only attributed where they cannot be double counted: an activity whose places all
lie in one level-1 unit gives its beneficiaries to that unit; one spread over several oblasts is left
out of the per-10,000 figure and counted in ``unattributed``. There is no rayon population bundled, so
there is no per-10,000 figure at level 2.

    >>> from atlas.ogp.register import Activity, Entry
    >>> e = Entry("Suu Bulak", "ngo", (Activity("water", ("oblast:KG-N",), 2023, None, 500),), id=1)
    >>> int(per_unit([e], 1).table.loc["KG-N", "organisations"])
    1
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from atlas.csvsafe import to_safe_csv
from atlas.i18n import N_, fmt_number
from atlas.ogp.register import COUNTRY, OBLAST_PREFIX, ORG_TYPES, THEMES, Entry, area_label, expand, level1_of
from atlas.places import gazetteer, units
from atlas.places.gazetteer import CODES

_LONG = ["org_id", "name", "org_type", "activity", "theme", "pcode", "parent_iso", "scope", "beneficiaries"]


@dataclass(frozen=True)
class UnitCounts:
    """Per unit: ``organisations``, ``activities`` (0 is a real zero: nothing registered there); at level 1
    also ``beneficiaries`` and ``per_10k`` (NaN: no data). ``unattributed``: activities with beneficiaries
    spread over several oblasts, left out of the per-10,000 figure."""

    table: pd.DataFrame
    level: int
    unattributed: int = 0


def _scope(areas: tuple[str, ...], pcode: str, parent: str) -> str:
    if COUNTRY in areas:
        return "country"
    return "oblast" if OBLAST_PREFIX + parent in areas else "unit"


def long_frame(entries: list[Entry], theme: str | None = None, wide: bool = True) -> pd.DataFrame:
    """One row per (organisation, activity, level-2 unit it covers); ``wide=False`` drops country-wide work.

    >>> from atlas.ogp.register import Activity
    >>> e = Entry("A", "ngo", (Activity("health", ("oblast:KG-T",), 2020),), id=7)
    >>> sorted(set(long_frame([e])["scope"]))
    ['oblast']
    """
    parents = units.parents()
    rows = []
    for entry in entries:
        for i, act in enumerate(entry.activities):
            if theme and act.theme != theme or (not wide and COUNTRY in act.areas):
                continue
            for pcode in expand(act.areas):
                rows.append((entry.id, entry.name, entry.org_type, f"{entry.id}:{i}", act.theme, pcode,
                             parents[pcode], _scope(act.areas, pcode, parents[pcode]), act.beneficiaries))
    return pd.DataFrame(rows, columns=_LONG)


def per_unit(entries: list[Entry], level: int, theme: str | None = None, wide: bool = True) -> UnitCounts:
    """Organisations and activities per unit at ``level`` (1: ISO codes, 2: p-codes), optionally one theme.

    >>> int(per_unit([], 2).table["organisations"].sum())
    0
    """
    key = "parent_iso" if level == 1 else "pcode"
    index = list(CODES) if level == 1 else list(units.parents())
    long = long_frame(entries, theme, wide)
    grouped = long.groupby(key)
    table = pd.DataFrame({
        "organisations": grouped["org_id"].nunique(),
        "activities": grouped["activity"].nunique(),
    }).reindex(index).fillna(0).astype(int)
    table.index.name = "code"
    if level != 1:
        return UnitCounts(table, level)
    people, unattributed = _beneficiaries(entries, theme, wide)
    population = gazetteer.regions()["population"].reindex(index).astype(float)
    table["beneficiaries"] = people.reindex(index)
    table["per_10k"] = table["beneficiaries"] / population.where(population > 0) * 10_000
    return UnitCounts(table, level, unattributed)


def _beneficiaries(entries: list[Entry], theme: str | None, wide: bool) -> tuple[pd.Series, int]:
    totals: dict[str, float] = {}
    unattributed = 0
    for entry in entries:
        for act in entry.activities:
            if theme and act.theme != theme or (not wide and COUNTRY in act.areas) or act.beneficiaries is None:
                continue
            touched = level1_of(act.areas)
            if len(touched) == 1:
                totals[touched[0]] = totals.get(touched[0], 0.0) + act.beneficiaries
            else:
                unattributed += 1
    return pd.Series(totals, dtype=float), unattributed


def years_text(start: int | None, end: int | None) -> str:
    """"2021–2024", "2022–" (ongoing) or "2023".

    >>> years_text(2021, 2024), years_text(2022, None), years_text(2023, 2023)
    ('2021–2024', '2022–', '2023')
    """
    if start is None:
        return ""
    if end == start:
        return str(start)
    return f"{start}–{end if end is not None else ''}"


def who_works_where(entries: list[Entry], lang: str, _: Callable[[str], str] = str,
                    theme: str | None = None) -> pd.DataFrame:
    """The public table: one row per activity, public fields only (never the contact).

    >>> list(who_works_where([], "en").columns)[:3]
    ['organisation', 'type', 'theme']
    """
    rows = []
    for entry in entries:
        for act in entry.activities:
            if theme and act.theme != theme:
                continue
            rows.append({
                "organisation": entry.name, "type": _(ORG_TYPES.get(entry.org_type, entry.org_type)),
                "theme": _(THEMES[act.theme].label) if act.theme in THEMES else act.theme,
                "where": "; ".join(area_label(a, lang, _) for a in act.areas),
                "years": years_text(act.year_from, act.year_to),
                # Text, not None: an empty cell is "not given", where the grid would print "None" in English.
                "beneficiaries": "" if act.beneficiaries is None else fmt_number(act.beneficiaries, lang),
                "link": act.link, "description": act.description,
            })
    columns = ["organisation", "type", "theme", "where", "years", "beneficiaries", "link", "description"]
    return pd.DataFrame(rows, columns=columns)


def export_frame(entries: list[Entry]) -> pd.DataFrame:
    """The register for download: one row per activity, public fields with codes and English names.

    >>> list(export_frame([]).columns)[:4]
    ['entry_id', 'organisation', 'org_type', 'theme']
    """
    rows = []
    for entry in entries:
        for act in entry.activities:
            covered = expand(act.areas)
            rows.append({
                "entry_id": entry.id, "organisation": entry.name, "org_type": entry.org_type, "theme": act.theme,
                "where": "; ".join(act.areas), "where_en": "; ".join(area_label(a, "en") for a in act.areas),
                "oblasts": "; ".join(level1_of(act.areas)), "units_covered": len(covered),
                "year_from": act.year_from, "year_to": act.year_to,
                "beneficiaries": act.beneficiaries, "link": act.link, "description": act.description,
            })
    frame = pd.DataFrame(rows, columns=["entry_id", "organisation", "org_type", "theme", "where", "where_en",
                                        "oblasts", "units_covered", "year_from", "year_to", "beneficiaries",
                                        "link", "description"])
    return frame.astype({"year_from": "Int64", "year_to": "Int64", "beneficiaries": "Int64"})


# ---------------------------------------------------------------------------------------------
# The gaps view


@dataclass(frozen=True)
class Gaps:
    """``units``: level-2 units with no activity for the theme (pcode, parent_iso, indicator = the
    parent oblast's official value, NaN = no data), worst first where the theme says which way is worse.
    ``oblasts``: per level-1 unit, activities and the official value."""

    units: pd.DataFrame
    oblasts: pd.DataFrame


def gaps(entries: list[Entry], theme: str, official: dict[str, float | None] | None,
         wide: bool = False) -> Gaps:
    """Where nobody registered work on ``theme``, beside the official indicator by oblast.

    >>> g = gaps([], "water", {"KG-N": 40.0})
    >>> len(g.units), float(g.oblasts.loc["KG-N", "indicator"])
    (55, 40.0)
    """
    values = pd.Series({c: np.nan if (official or {}).get(c) is None else float(official[c]) for c in CODES})
    counts2 = per_unit(entries, 2, theme, wide).table
    counts1 = per_unit(entries, 1, theme, wide).table
    parents = pd.Series(units.parents())
    empty = counts2.index[counts2["activities"] == 0]
    table = pd.DataFrame({"pcode": list(empty), "parent_iso": parents.reindex(empty).to_numpy()})
    table["indicator"] = table["parent_iso"].map(values).astype(float)
    worse = THEMES[theme].worse if theme in THEMES else None
    ascending = worse == "low"
    table = table.sort_values(["indicator", "parent_iso", "pcode"], ascending=[ascending, True, True],
                              na_position="last").reset_index(drop=True)
    oblasts = pd.DataFrame({"activities": counts1["activities"], "indicator": values.reindex(counts1.index)})
    oblasts["rayons_without"] = parents.reindex(empty).value_counts().reindex(counts1.index).fillna(0).astype(int)
    return Gaps(table, oblasts)


# ---------------------------------------------------------------------------------------------
# The register as a map-builder dataset (atlas.values.datasets.set_register_source)


def builder_frame(entries: list[Entry]) -> pd.DataFrame:
    """One row per (activity, level-1 unit it touches); beneficiaries only where they stay in one unit.

    >>> builder_frame([]).columns.tolist()[:3]
    ['region_code', 'organisation', 'org_type']
    """
    rows = []
    for entry in entries:
        for act in entry.activities:
            touched = level1_of(act.areas)
            for iso in touched:
                people = act.beneficiaries if len(touched) == 1 else None
                rows.append({"region_code": iso, "organisation": entry.name, "org_type": entry.org_type,
                             "theme": act.theme, "beneficiaries": people, "year_from": act.year_from})
    frame = pd.DataFrame(rows, columns=["region_code", "organisation", "org_type", "theme", "beneficiaries",
                                        "year_from"])
    return frame.astype({"beneficiaries": "float64"})


REGISTER_NOTE = N_("Entered live by the organisations themselves; a whole-country activity counts in every "
                   "region, and beneficiaries of work spread over several regions are left out.")


# ---------------------------------------------------------------------------------------------
# Exports (public fields only)


def register_csv(entries: list[Entry]) -> bytes:
    """The register as formula-safe CSV (UTF-8 with BOM for Excel), one row per activity, no contacts.

    >>> register_csv([]).decode("utf-8-sig").split(",")[:2]
    ['entry_id', 'organisation']
    """
    return to_safe_csv(export_frame(entries))


def register_geojson(entries: list[Entry], lang: str = "en") -> bytes:
    """The 55 level-2 units as GeoJSON with, per unit, the organisations and themes registered there.

    Full-resolution boundaries (OCHA COD-AB); properties are public fields only, never a contact.

    >>> import json; json.loads(register_geojson([]))["features"][0]["properties"]["organisations"]
    0
    """
    long = long_frame(entries)
    counts = per_unit(entries, 2).table
    shapes = units.shapes(2, "full")[["pcode", "geometry"]].copy()
    names = shapes["pcode"].map(lambda p: units.unit_name(p, lang))
    by_unit = long.groupby("pcode")
    shapes["name"] = names
    shapes["parent_iso"] = shapes["pcode"].map(units.parents())
    shapes["organisations"] = shapes["pcode"].map(counts["organisations"]).astype(int)
    shapes["activities"] = shapes["pcode"].map(counts["activities"]).astype(int)
    shapes["organisation_names"] = shapes["pcode"].map(
        lambda p: "; ".join(sorted(set(by_unit.get_group(p)["name"]))) if p in by_unit.groups else "")
    shapes["themes"] = shapes["pcode"].map(
        lambda p: "; ".join(sorted(set(by_unit.get_group(p)["theme"]))) if p in by_unit.groups else "")
    return shapes.to_json(drop_id=True, ensure_ascii=False).encode("utf-8")
