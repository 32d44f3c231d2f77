"""The map builder's widgets: read the ViewSpec from the link and the widgets, write it back.

Every widget has a key ``builder_*``; its value lives in ``st.session_state`` and is seeded from the
link (``?d=…&k=…``) when the page is entered, so a shared link reproduces the view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

import pandas as pd
import streamlit as st

from atlas import read
from atlas.draw import builder, customgeo, export
from atlas.draw.classify import K_MAX, K_MIN, PALETTES, SCHEMES
from atlas.draw.compose import Composed, handout
from atlas.draw.maps import BUBBLE_MAX_PX, bubble_legend_values
from atlas.draw.views import MAP_TYPES, ViewSpec
from atlas.errors import UserError
from atlas.values import datasets, levels, official_table
from atlas.values.datasets import DatasetTable
from atlas.values.indicators import AGGREGATIONS, NORMALISATIONS, _as_text
from ui import official
from ui.common import choice_hint, lang, legend, tr
from ui.levels import level_switch, relief_toggle
from ui.mapframe import draw, measure
from ui.state import dataset_table, user_datasets

P = "builder_"
FILTER = P + "filter_"
HIGHLIGHT = P + "highlight"
TEXT_FIELDS = ("title", "subtitle", "note", "source", "author")
#: A filter offers at most this many values: a column with more is an identifier, not a category.
MAX_FILTER_OPTIONS = 200


OFFICIAL = "sdg"  # the dataset choice that opens the official series picker


def dataset_options() -> dict[str, str]:
    """Built-in datasets, the official series and this session's uploads: key → label msgid or file name."""
    options = {OFFICIAL: official.OFFICIAL_LABEL}
    options.update({key: ds.label for key, ds in datasets.DATASETS.items()})
    options.update({key: table.label for key, table in user_datasets().items()})
    return options


def _seed(key: str, options: list, default) -> None:
    """Make the widget's stored value one of ``options`` (the default otherwise) before drawing it."""
    if st.session_state.get(key, default) not in options:
        st.session_state[key] = default
    elif key not in st.session_state:
        st.session_state[key] = default


def seed_from_link() -> None:
    """On entering the page, fill the widgets from the link; say what could not be read."""
    if P + "map_type" in st.session_state:
        return
    _ = tr()
    params = {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}
    spec, problems = ViewSpec.from_query_params(params, datasets=list(datasets.DATASETS))
    for problem in problems:
        st.warning(problem.render(_))
    chosen = st.session_state.get(P + "dataset") or spec.dataset
    if official_table.is_key(chosen):
        try:
            official.seed_picker(P + "sdg_", chosen)
            chosen = OFFICIAL
            spec = dataclasses.replace(spec, normalisation=spec.normalisation if "n" in params else "none")
        except UserError as err:
            st.warning(err.msg.render(_))
            chosen = ViewSpec().dataset
    if chosen not in dataset_options():
        if "d" in params:
            st.warning(_("The dataset in this link was uploaded in another session; showing a built-in one."))
        chosen = ViewSpec().dataset
    st.session_state[P + "dataset"] = chosen
    for name in ("column", "aggregation", "normalisation", "map_type", "scheme", "k", "palette", "reverse",
                 "center", "year", "since", "labels", "level", "relief", *TEXT_FIELDS):
        st.session_state[P + name] = getattr(spec, name)
    st.session_state[P + "breaks"] = "; ".join(f"{b:g}" for b in spec.breaks)
    for col, values in spec.filters.items():
        st.session_state[FILTER + col] = list(values)


def _to_official() -> None:
    """Opening the official series: published values are shown as they are (no per-capita default)."""
    if st.session_state.get(P + "dataset") == OFFICIAL:
        st.session_state[P + "normalisation"] = "none"


def pick_dataset() -> DatasetTable:
    _ = tr()
    options = dataset_options()
    _seed(P + "dataset", list(options), ViewSpec().dataset)
    key = st.selectbox(_("Dataset"), list(options), key=P + "dataset", format_func=lambda k: _(options[k]),
                       on_change=_to_official, placeholder=choice_hint(options))
    if key == OFFICIAL:
        key = official.pick_series(P + "sdg_")
    return dataset_table(key)


def level_widgets(table: DatasetTable) -> dict:
    """Oblasts or rayons, and the relief; a rayon table opens at rayon level."""
    _seed(P + "level", [1, 2], table.level)
    st.session_state.setdefault(P + "relief", False)
    return dict(level=level_switch(P + "level", table.level), relief=relief_toggle(P + "relief"))


def official_widgets(table: DatasetTable) -> dict:
    """An official series: one published value per unit and year, so no column or aggregation to
    choose; a year (never "all years": rates are not added up) and the change since an earlier one."""
    _ = tr()
    meta = table.official
    norms = list(NORMALISATIONS)
    _seed(P + "normalisation", norms, "none")
    norm = st.radio(_("Make regions comparable"), norms, key=P + "normalisation",
                    format_func=lambda n: _(NORMALISATIONS[n].label))
    _seed(P + "year", meta.years, meta.years[-1])
    year = st.select_slider(_("Year"), meta.years, key=P + "year") if len(meta.years) > 1 else meta.years[0]
    earlier = [None, *(y for y in meta.years if y < year)]
    _seed(P + "since", earlier, None)
    since = st.selectbox(_("Change since"), earlier, key=P + "since",
                         format_func=lambda y: _("no change map") if y is None else str(y),
                         placeholder=choice_hint(earlier))
    return dict(column="value", aggregation="sum", normalisation=norm, filters={}, year=year, since=since)


def data_widgets(table: DatasetTable, level: int = 1) -> dict:
    """Column, aggregation, normalisation, filters and year; returns the ViewSpec fields."""
    _ = tr()
    if table.official is not None:
        return official_widgets(table)
    columns = ["", *table.value_cols]
    _seed(P + "column", columns, columns[1] if len(columns) > 1 and table.key != "ngo_sample" else "")
    column = st.selectbox(_("Value"), columns, key=P + "column",
                          format_func=lambda c: c or _("(count the rows)"), placeholder=choice_hint(columns))
    aggs = ["count"] if not column else list(AGGREGATIONS)
    _seed(P + "aggregation", aggs, "count" if not column else "sum")
    how = st.selectbox(_("Combine the rows of a region by"), aggs, key=P + "aggregation",
                       format_func=lambda a: _(AGGREGATIONS[a].label), placeholder=choice_hint(aggs))
    norms = list(NORMALISATIONS) if AGGREGATIONS[how].is_total else ["none"]
    if level == 2:
        norms = [n for n in norms if n != "per_10k"]
        st.caption(_(levels.NO_RAYON_POPULATION))
    _seed(P + "normalisation", norms, "per_10k" if "per_10k" in norms else "none")
    norm = st.radio(_("Make regions comparable"), norms, key=P + "normalisation",
                    format_func=lambda n: _(NORMALISATIONS[n].label))
    filters = {}
    for col in table.category_cols:
        values = sorted({_as_text(v) for v in table.frame[col].dropna()} - {""})
        if len(values) > MAX_FILTER_OPTIONS:
            continue
        _seed_multi(FILTER + col, values)
        chosen = st.multiselect(_("Only rows where {column} is").format(column=col), values, key=FILTER + col,
                                placeholder=_("all values"))
        if chosen:
            filters[col] = tuple(chosen)
    years = builder.table_years(table)
    year = None
    if years:
        _seed(P + "year", [None, *years], years[-1])
        year = st.select_slider(_("Year"), [None, *years], key=P + "year",
                                format_func=lambda y: _("all years") if y is None else str(y))
    return dict(column=column, aggregation=how, normalisation=norm, filters=filters, year=year, since=None)


def _seed_multi(key: str, options: list[str]) -> None:
    if key in st.session_state:
        st.session_state[key] = [v for v in st.session_state[key] if v in options]


def palette_label(key: str, _) -> str:
    """The palette's name; those that colour-blind readers may not tell apart say so."""
    label, safe, _kind = builder.palette_options()[key]
    return _(label) if safe or "colour-blind" in label else _(label) + " ⚠ " + _("not colour-blind safe")


def style_widgets() -> dict:
    """Map type, classes and palette; returns the ViewSpec fields."""
    _ = tr()
    _seed(P + "map_type", list(MAP_TYPES), "choropleth")
    map_type = st.selectbox(_("Map type"), list(MAP_TYPES), key=P + "map_type",
                            format_func=lambda m: _(MAP_TYPES[m]), placeholder=choice_hint(MAP_TYPES))
    _seed(P + "scheme", list(SCHEMES), ViewSpec().scheme)
    scheme = st.selectbox(_("Classes"), list(SCHEMES), key=P + "scheme", format_func=lambda s: _(SCHEMES[s].label),
                          help=_(SCHEMES[st.session_state[P + "scheme"]].help), placeholder=choice_hint(SCHEMES))
    breaks: tuple[float, ...] = ()
    if scheme == "manual":
        st.session_state.setdefault(P + "breaks", "")
        text = st.text_input(_("Break values"), key=P + "breaks", placeholder=_("for example 10; 20,5; 30"))
        try:
            breaks = builder.parse_breaks(text)
        except UserError as err:
            st.error(err.msg.render(_))
        if not breaks:
            st.caption(_("Type the break values; until then the map uses natural breaks."))
            scheme = ViewSpec().scheme
    _seed(P + "k", list(range(3, K_MAX + 1)), ViewSpec().k)
    k = st.slider(_("Number of classes"), 3, K_MAX, key=P + "k", disabled=scheme == "manual")
    options = builder.palette_options()
    _seed(P + "palette", list(options), ViewSpec().palette)
    palette = st.selectbox(_("Colours"), list(options), key=P + "palette", format_func=lambda p: palette_label(p, _),
                           placeholder=choice_hint(options))
    st.session_state.setdefault(P + "reverse", False)
    reverse = st.checkbox(_("Reverse the colours"), key=P + "reverse")
    center = None
    if PALETTES[palette].kind == "diverging":
        st.session_state.setdefault(P + "center", None)
        center = st.number_input(_("Centre of the diverging colours (empty: national average)"),
                                 key=P + "center", value=None, placeholder=_("national average"))
    return dict(map_type=map_type, scheme=scheme, k=max(K_MIN, k), breaks=breaks, palette=palette,
                reverse=reverse, center=center)


def text_widgets() -> dict:
    """Labels toggle and the texts that go into the handouts; returns the ViewSpec fields."""
    _ = tr()
    st.session_state.setdefault(P + "labels", True)
    out: dict = {"labels": st.toggle(_("Show region names and values"), key=P + "labels")}
    labels = {"title": _("Title"), "subtitle": _("Subtitle"), "note": _("Note"), "source": _("Source"),
              "author": _("Author")}
    for name in TEXT_FIELDS:
        st.session_state.setdefault(P + name, "")
        widget = st.text_area if name == "note" else st.text_input
        out[name] = widget(labels[name], key=P + name, max_chars=None).strip()
    return out


def write_link(spec: ViewSpec) -> None:
    """Put the view into the address bar (language kept under its own key)."""
    params = {k: v for k, v in spec.to_query_params().items() if k != "l"}
    if dict(st.query_params.to_dict()) != {**params, "lang": lang()}:
        st.query_params.from_dict({**params, "lang": lang()})


def _code_of(obj) -> str | None:
    if not isinstance(obj, dict):
        return None
    props = obj.get("properties") if isinstance(obj.get("properties"), dict) else obj
    return props.get("code")


def on_map_select() -> None:
    """Clicking a region on the map highlights it in the charts (and clicking it again clears)."""
    objects = (st.session_state.get(P + "map") or {}).get("selection", {}).get("objects", {})
    codes = [_code_of(o) for layer in objects.values() for o in layer]
    st.session_state[HIGHLIGHT] = next((c for c in codes if c), None)


def on_chart_select(key: str) -> None:
    points = (st.session_state.get(key) or {}).get("selection", {}).get("points", [])
    code = points[0].get("customdata") if points else None
    st.session_state[HIGHLIGHT] = code[0] if isinstance(code, list) else code


def size_legend(values: pd.Series, fmt, unit: str) -> None:
    """The bubble map's legend: three circles of round values, sized as on the map."""
    _ = tr()
    steps = bubble_legend_values(values)
    top = float(values.max()) if values.notna().any() else 0.0
    if not steps or top <= 0:
        return
    circles = "".join(
        f"<span style='display:inline-flex;flex-direction:column;align-items:center;margin-right:1em'>"
        f"<span style='width:{d:.0f}px;height:{d:.0f}px;border-radius:50%;"
        f"background:rgba(31,111,139,.75);border:1px solid #fff'></span>{html.escape(fmt(v))}</span>"
        for v in steps if (d := 2 * BUBBLE_MAX_PX * (v / top) ** 0.5)
    )
    if missing := int(values.isna().sum()):
        ring = "<span style='width:10px;height:10px;border-radius:50%;border:1.5px solid #787878'></span>"
        circles += (f"<span style='display:inline-flex;flex-direction:column;align-items:center'>{ring}"
                    f"{html.escape(_('No data'))} ({missing})</span>")
    title = html.escape(_("Circle area shows the value") + (f" ({unit})" if unit else ""))
    st.markdown(f"<div role='img' aria-label='{title}'><b>{title}</b><br>{circles}</div>", unsafe_allow_html=True)


def downloads(c: Composed) -> None:
    """Handouts are drawn only when asked for, so changing a widget stays fast."""
    _ = tr()
    stamp = c.spec.to_json()
    if c.spec.level == 2:
        # the handouts draw the nine units; at rayon level only the table is offered
        name = export.handout_filename(c.spec.title or c.caption, dt.date.today(), "csv")
        st.download_button(_("Table by rayon (CSV)"), export.joined_csv(builder.region_table(c)), file_name=name,
                           mime="text/csv", key=P + "dl_csv2")
        return
    if st.button(_("Prepare handouts"), key=P + "prepare"):
        today = dt.date.today()
        h = handout(c, _, today.isoformat())
        files = {"png": export.render_png(h), "pdf": export.render_pdf(h), "svg": export.render_svg(h),
                 "html": export.render_html(h).encode("utf-8"),
                 "csv": export.joined_csv(builder.region_table(c)), "geojson": export.regions_geojson(h)}
        st.session_state[P + "files"] = (stamp, today, files)
    ready = st.session_state.get(P + "files")
    if not ready or ready[0] != stamp:
        return
    _stamp, day, files = ready
    mimes = {"png": "image/png", "pdf": "application/pdf", "svg": "image/svg+xml", "html": "text/html",
             "csv": "text/csv", "geojson": "application/geo+json"}
    cols = st.columns(len(files))
    for col, (ext, data) in zip(cols, files.items(), strict=True):
        col.download_button(ext.upper(), data, export.handout_filename(c.spec.title or c.caption, day, ext),
                            mime=mimes[ext], key=P + "dl_" + ext)


def year_series(spec: ViewSpec, table: DatasetTable) -> pd.DataFrame | None:
    """Values per year for the time-series chart, remembered for this session: palette, classes
    and year changes do not change them, so most reruns skip the work."""
    stamp = (table.key, spec.column, spec.aggregation, spec.normalisation, repr(sorted(spec.filters.items())))
    memo = st.session_state.get(P + "series_memo")
    if not memo or memo[0] != stamp:
        by_year = builder.series_by_year(spec, table)
        if by_year is not None and table.official is not None and spec.normalisation == "none":
            by_year["KG"] = pd.Series(table.official.national)  # the country's line beside the units
        memo = (stamp, by_year)
        st.session_state[P + "series_memo"] = memo
    return memo[1]


def spec_of(table: DatasetTable, fields: dict) -> ViewSpec:
    """The ViewSpec of the widgets' values."""
    return dataclasses.replace(ViewSpec(), dataset=table.key, lang=lang(), **fields)


def custom_geography(table: DatasetTable) -> tuple | None:
    """An uploaded polygon layer to use instead of the oblasts: (GeoDataFrame, its name column,
    the table's column that names the polygons), or None for the bundled oblasts."""
    _ = tr()
    file = st.file_uploader(_("Polygon file (GeoJSON, zipped shapefile or GeoPackage)"),
                            type=["geojson", "json", "zip", "gpkg"], key=P + "geo_file")
    if file is None:
        return None
    memo = st.session_state.get(P + "geo_memo")
    if not memo or memo[0] != file.file_id:
        try:
            up = read.read_upload(file.getvalue(), file.name)
        except UserError as err:
            st.error(err.msg.render(_))
            return None
        if up.kind != "vector":
            st.error(_("This file has no shapes: upload polygons, or use it as a table on the Your data page."))
            return None
        memo = (file.file_id, up.table)
        st.session_state[P + "geo_memo"] = memo
    gdf = memo[1]
    shape_cols = [c for c in gdf.columns if c != "geometry"]
    if not shape_cols:
        st.error(_("The polygons have no name or code column to match the table to."))
        return None
    id_col = st.selectbox(_("Name or code column of the polygons"), shape_cols, key=P + "geo_id",
                          placeholder=choice_hint(shape_cols))
    table_cols = [str(c) for c in table.frame.columns]
    key_col = st.selectbox(_("Column of the table with the same names or codes"), table_cols, key=P + "geo_key",
                           placeholder=choice_hint(table_cols))
    return gdf, id_col, key_col


def show_custom_map(spec: ViewSpec, table: DatasetTable, geo_choice: tuple) -> None:
    """Draw the table on the user's polygons, with legend, warnings and the match report."""
    _ = tr()
    gdf, id_col, key_col = geo_choice
    frame, webgl = measure(P + "custom_map")
    try:
        result = customgeo.custom_map(gdf, id_col, table.frame, key_col, spec.column or None, spec.aggregation,
                                      spec.lang, _, scheme=spec.scheme if spec.scheme != "manual" else "quantiles",
                                      k=spec.k, palette=spec.palette, reverse=spec.reverse, frame=frame)
    except UserError as err:
        st.error(err.msg.render(_))
        return
    draw(lambda: result.deck, webgl, P + "custom_map")
    legend(result.legend, ", ".join(t for t in (spec.column or _("Number of rows"), "") if t))
    for warning in result.warnings:
        st.warning(warning.render(_))
    with st.expander(_("How the names matched")):
        st.dataframe(result.report, hide_index=True, key=P + "geo_report")
