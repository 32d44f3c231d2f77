"""A ViewSpec plus its table → everything a map page, a slide or a handout draws.

The one place where filters, year, aggregation, normalisation and classification meet, so the
builder, the presentation mode and the exports can never disagree about a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import pandas as pd

from atlas.draw.classify import PALETTES
from atlas.draw.export_model import Handout  # not atlas.export: that imports matplotlib
from atlas.draw.mapview import RegionView, region_view
from atlas.draw.views import ViewSpec, describe
from atlas.errors import UserError
from atlas.i18n import N_, Msg, fmt_number, is_count_unit, translator
from atlas.values import indicators, levels, official_table
from atlas.values.datasets import DatasetTable, builtin_table, is_fixed

#: The column that carries each row's unit key when the view's level differs from the table's.
UNIT_COL = "__unit__"


@dataclass
class Composed:
    spec: ViewSpec
    table: DatasetTable
    view: RegionView
    unit: str  # translated
    caption: str  # translated describe()
    rows: pd.Series  # rows behind each region
    few_rows: pd.Series  # True where a value rests on very few rows
    warnings: list[Msg]
    frame: pd.DataFrame  # the filtered rows (for points, exports, charts)
    source: str = ""  # translated source line (an official series adds its code and year)
    legend_title: str = ""  # translated: what the legend's colours measure
    reference_label: str = ""  # translated name of the ranking's reference line (average or the country)


#: A change since a year is drawn in this palette when the chosen one does not diverge.
CHANGE_PALETTE = "PuOr"  # colour-blind safe, and neither end reads as "bad"


def _region_values(spec: ViewSpec, table: DatasetTable, frame: pd.DataFrame, year: int | None
                   ) -> tuple[indicators.RegionValues, pd.Series, Msg]:
    """Aggregate and normalise the rows of one year (all rows when ``year`` is None)."""
    if year is not None and table.year_col:
        frame = frame[pd.to_numeric(frame[table.year_col], errors="coerce") == year]
    if spec.level == 2 or table.level == 2:
        # rayons, or a rayon table rolled up to oblasts: rows get their unit key at the view's level
        codes = levels.codes_at(frame, table, spec.level, spec.aggregation)
        keyed = frame.assign(**{UNIT_COL: codes.to_numpy()})
        agg = indicators.aggregate(keyed, UNIT_COL, spec.column or None, spec.aggregation,
                                   keys=levels.keys(spec.level))
    else:
        agg = indicators.aggregate(frame, table.region_col, spec.column or None, spec.aggregation)
    if spec.level == 2:
        return agg, levels.normalise2(agg.values, spec.normalisation), Msg(
            indicators.NORMALISATIONS[spec.normalisation].unit)
    values, unit_msg = indicators.normalise(agg.values, spec.normalisation)
    return agg, values, unit_msg


def compose(spec: ViewSpec, table: DatasetTable, _: Callable[[str], str] = str,
            highlight: str | None = None) -> Composed:
    """Filter, pick the year, aggregate, normalise and classify, in that order.

    An official series (``table.official``) is one published value per unit and year: a rate is
    never divided by population, years are never added up (no year: the latest), and the
    country's value is the ranking's reference. ``spec.since`` maps the change between two years,
    ``None`` where either year is missing, in a palette that diverges from 0.

    >>> from atlas.values.datasets import builtin_table
    >>> c = compose(ViewSpec(lang="en"), builtin_table("ngo_sample"))
    >>> c.unit, int(c.rows["KG-GB"]) > 0
    ('per 10,000 people (2021 population)', True)
    """
    meta = table.official
    frame = indicators.apply_filters(table.frame, spec.filters) if spec.filters else table.frame
    indicators.check_combination(spec.aggregation, spec.normalisation)
    if meta is not None and meta.is_rate and spec.normalisation != "none":
        raise UserError(Msg(N_("“{name}” is a rate or a percentage: it is never divided by population or area, "
                               "nor shown as a share of a national total. Choose “As counted (no adjustment)”."),
                            {"name": table.label}))
    year = spec.year if spec.year is not None or meta is None or not meta.years else meta.years[-1]
    agg, values, unit_msg = _region_values(spec, table, frame, year)
    unit = unit_msg.render(_)
    base_unit = ""
    if spec.normalisation == "none":
        base_unit = table.units.get(spec.column, "") if spec.aggregation != "count" else ""
        # "as counted" is not a unit: a number with no unit reads better than "30 as counted".
        unit = _(base_unit) if base_unit else ""
    palette, center = spec.palette, spec.center
    diverging = getattr(PALETTES.get(palette), "kind", "") == "diverging"
    change = spec.since is not None and year is not None and bool(table.year_col)
    reference = None if meta is None else meta.national.get(year) if year is not None else None
    if change:
        # Nothing is carried forward: a unit missing either year has no change (NaN - x = NaN).
        values = values - _region_values(spec, table, frame, spec.since)[1]
        unit = _(meta.change_unit) if meta is not None and meta.change_unit else unit
        palette = palette if diverging else CHANGE_PALETTE
        center = 0.0 if center is None else center
        reference = None if meta is None else meta.national_change(spec.since, year)
    elif center is None and diverging:
        center = (reference if meta is not None else indicators.national_average(agg.values, spec.normalisation)
                  if spec.level == 1 else float(values.mean()))
    label = table.label if meta is not None else _(table.label)
    source = spec.source or (
        official_table.source_text(meta.series, f"{spec.since}–{year}" if change else str(year), _)
        if meta is not None else _(table.source))
    # region_view translates the unit itself; a count noun is passed as its msgid so it can agree.
    count_unit = base_unit if spec.normalisation == "none" and not change and is_count_unit(base_unit) else ""
    view = region_view(values, count_unit or unit, spec.lang, _, scheme=spec.scheme, k=spec.k, palette=palette,
                       reverse=spec.reverse, labels=spec.labels, highlight=highlight, source=source,
                       manual_breaks=list(spec.breaks) or None, center=center, level=spec.level,
                       relief=spec.relief)
    reference_label = _("average")
    if meta is not None:
        view.average, reference_label = reference, _("Kyrgyzstan")
        if reference is not None:
            shown = fmt_number(reference, spec.lang) + (f" {unit}" if unit else "")
            view.summary += " " + _("Kyrgyzstan as a whole: {value}.").format(value=shown)
    # With a column, describe() names the aggregation too ("Total of budget"), not the bare column.
    caption = describe(replace(spec, year=year), _,
                       unit_label=label if not spec.column or meta is not None else None)
    legend_title = ", ".join(t for t in ((label if meta is not None else spec.column or label), unit) if t)
    return Composed(spec, table, view, unit, caption, agg.rows, agg.few_rows,
                    [*agg.warnings, *view.classes.warnings], frame, source, legend_title, reference_label)


#: Views of fixed built-in data kept for every session (least recently used dropped first): bounded, so
#: the server's memory levels off while participants browse dozens of series.
FIXED_KEPT = 128


def compose_fixed(spec: ViewSpec, highlight: str | None = None) -> Composed:
    """``compose`` of a fixed built-in dataset (``spec.dataset``, see ``datasets.is_fixed``) in
    ``spec.lang``, made once per distinct spec and shared by every session: treat it as read-only.

    >>> a = compose_fixed(ViewSpec(lang="ru")); a is compose_fixed(ViewSpec(lang="ru")), a.spec.lang
    (True, 'ru')
    """
    if not is_fixed(spec.dataset):
        raise ValueError(f"{spec.dataset!r} is not a fixed built-in dataset")
    return _compose_fixed(spec.cache_key(), highlight)


@lru_cache(maxsize=FIXED_KEPT)
def _compose_fixed(key: tuple, highlight: str | None) -> Composed:
    spec = ViewSpec.from_cache_key(key)
    return compose(spec, builtin_table(spec.dataset, spec.lang), translator(spec.lang), highlight)


def handout(c: Composed, _: Callable[[str], str], date_text: str) -> Handout:
    """The handout (PNG/PDF/SVG/HTML) of a composed view, in the view's language."""
    spec, view = c.spec, c.view
    return Handout(
        title=spec.title or c.caption, subtitle=spec.subtitle or (c.caption if spec.title else ""),
        note=spec.note, source=_("Source") + ": " + (c.source or spec.source or _(c.table.source)),
        author=spec.author, date_text=date_text, lang=spec.lang, region_names=view.names,
        values={k: (None if pd.isna(v) else float(v)) for k, v in view.values.items()},
        value_texts={k: t for k, t in view.value_texts.items()},
        colors=dict(view.style.colors), legend=[(c_, l_, n) for c_, l_, n in view.legend if c_],
        no_data_label=_("No data"), unit=c.unit, labels=spec.labels, caption=view.summary,
        chart_title=_("Ranking"),
    )

