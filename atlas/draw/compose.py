"""A ViewSpec plus its table → everything a map page, a slide or a handout draws.

The one place where filters, year, aggregation, normalisation and classification meet, so the
builder, the presentation mode and the exports can never disagree about a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from atlas.draw.classify import PALETTES
from atlas.draw.export_model import Handout  # not atlas.draw.export: that imports matplotlib
from atlas.draw.mapview import RegionView, region_view
from atlas.draw.views import ViewSpec, describe
from atlas.i18n import Msg
from atlas.values import indicators, levels
from atlas.values.datasets import DatasetTable

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


def compose(spec: ViewSpec, table: DatasetTable, _: Callable[[str], str] = str,
            highlight: str | None = None) -> Composed:
    """Filter, pick the year, aggregate, normalise and classify, in that order.

    >>> from atlas.values.datasets import builtin_table
    >>> c = compose(ViewSpec(lang="en"), builtin_table("ngo_sample"))
    >>> c.unit, int(c.rows["KG-GB"]) > 0
    ('per 10,000 people (2021 population)', True)
    """
    frame = indicators.apply_filters(table.frame, spec.filters) if spec.filters else table.frame
    if spec.year is not None and table.year_col:
        frame = frame[pd.to_numeric(frame[table.year_col], errors="coerce") == spec.year]
    indicators.check_combination(spec.aggregation, spec.normalisation)
    if spec.level == 2 or table.level == 2:
        # rayons, or a rayon table rolled up to oblasts: rows get their unit key at the view's level
        codes = levels.codes_at(frame, table, spec.level, spec.aggregation)
        keyed = frame.assign(**{UNIT_COL: codes.to_numpy()})
        agg = indicators.aggregate(keyed, UNIT_COL, spec.column or None, spec.aggregation,
                                   keys=levels.keys(spec.level))
    else:
        agg = indicators.aggregate(frame, table.region_col, spec.column or None, spec.aggregation)
    if spec.level == 2:
        values = levels.normalise2(agg.values, spec.normalisation)
        unit_msg = Msg(indicators.NORMALISATIONS[spec.normalisation].unit)
    else:
        values, unit_msg = indicators.normalise(agg.values, spec.normalisation)
    unit = unit_msg.render(_)
    if spec.normalisation == "none":
        base_unit = table.units.get(spec.column, "") if spec.aggregation != "count" else ""
        # "as counted" is not a unit: a number with no unit reads better than "30 as counted".
        unit = _(base_unit) if base_unit else ""
    center = spec.center
    if center is None and getattr(PALETTES.get(spec.palette), "kind", "") == "diverging":
        center = (indicators.national_average(agg.values, spec.normalisation) if spec.level == 1
                  else float(values.mean()))
    view = region_view(values, unit, spec.lang, _, scheme=spec.scheme, k=spec.k, palette=spec.palette,
                       reverse=spec.reverse, labels=spec.labels, highlight=highlight,
                       source=spec.source or _(table.source), manual_breaks=list(spec.breaks) or None,
                       center=center, level=spec.level, relief=spec.relief)
    # With a column, describe() names the aggregation too ("Total of budget"), not the bare column.
    caption = describe(spec, _, unit_label=_(table.label) if not spec.column else None)
    return Composed(spec, table, view, unit, caption, agg.rows, agg.few_rows,
                    [*agg.warnings, *view.classes.warnings], frame)


def handout(c: Composed, _: Callable[[str], str], date_text: str) -> Handout:
    """The handout (PNG/PDF/SVG/HTML) of a composed view, in the view's language."""
    spec, view = c.spec, c.view
    return Handout(
        title=spec.title or c.caption, subtitle=spec.subtitle or (c.caption if spec.title else ""),
        note=spec.note, source=_("Source") + ": " + (spec.source or _(c.table.source)),
        author=spec.author, date_text=date_text, lang=spec.lang, region_names=view.names,
        values={k: (None if pd.isna(v) else float(v)) for k, v in view.values.items()},
        value_texts={k: t for k, t in view.value_texts.items()},
        colors=dict(view.style.colors), legend=[(c_, l_, n) for c_, l_, n in view.legend if c_],
        no_data_label=_("No data"), unit=c.unit, labels=spec.labels, caption=view.summary,
        chart_title=_("Ranking"),
    )

