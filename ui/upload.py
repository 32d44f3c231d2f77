"""Streamlit glue of the "Your data" page: inputs, reading with overrides, roles, fixer, result.

Uploads are private to the session: the parsed ``Upload`` lives in ``st.session_state`` under its
content key (full sha256), never in a process-wide cache; fixes are remembered per content key.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

import pandas as pd
import streamlit as st

from atlas import read
from atlas.draw import export
from atlas.draw.compose import compose
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import gazetteer, rayons, units
from atlas.values import breakdowns, userdata
from ui.common import choice_hint, lang, legend
from ui.levels import level_switch
from ui.mapframe import show_map, static_map

T = Callable[[str], str]
R = TypeVar("R")
SOURCE = "upload_source"  # which input spoke last: "file", "paste" or "sample"
ACTIVE = "upload_active_key"  # content key of the upload the widgets below describe
PARSED = "upload_parsed"  # (content key, overrides) → Upload, this session only
OVERRIDES = "upload_overrides"  # content key → {option: value}
FIXES = "upload_fixes"  # content key → {raw value: code or None}
LAST = "upload_last"  # key of the last dataset built successfully
_RESET_PREFIXES = ("upload_opt_", "upload_role_", "upload_dup", "upload_swap", "upload_filter_")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]#!|<>~$])")
TYPES = ["csv", "tsv", "txt", "xlsx", "xls", "ods", "geojson", "json", "zip", "gpkg"]
MAX_MB = 50
_PARSED_KEEP = 4


def plain(text: object) -> str:
    """User text made inert for Streamlit markdown (labels, captions): no links, images or HTML."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def _said(source: str) -> Callable[[], None]:
    def callback() -> None:
        st.session_state[SOURCE] = source
    return callback


def inputs(_: T) -> tuple[bytes | str, str, str] | None:
    """The file uploader, the paste box and the sample button; returns (data, name, source) of the
    input used last, or None."""
    left, right = st.columns([3, 2], gap="medium")
    with left:
        upload = st.file_uploader(
            _("Drop your table or map file here"), type=TYPES, key="upload_file", on_change=_said("file"),
            help=_("CSV or TXT saved by Excel, an Excel workbook (.xlsx or the older .xls), a LibreOffice "
                   "sheet (.ods), a JSON table, GeoJSON, a zipped shapefile or GeoPackage, up to {mb} MB. "
                   "The file stays in this browser session.").format(mb=MAX_MB),
            max_upload_size=MAX_MB)
        st.button(_("Try a sample messy file"), key="upload_sample", on_click=_said("sample"),
                  help=_("A CSV saved by Excel on Windows: Cyrillic code page, semicolons, decimal commas, "
                         "a title row and a totals row."))
    with right:
        pasted = st.text_area(_("…or paste cells copied from Excel"), key="upload_paste", height=150,
                              on_change=_said("paste"), placeholder=_("Region\tProjects\nNaryn\t12"))
    source = st.session_state.get(SOURCE)
    if source == "file" and upload is not None:
        return upload.getvalue(), upload.name, "file"
    if source == "paste" and pasted and pasted.strip():
        return pasted, "", "paste"
    if source == "sample":
        return userdata.sample_messy_csv(), userdata.SAMPLE_FILENAME, "sample"
    return None


def content_key(data: bytes | str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return read.safety.content_key(raw)


def activate(key: str) -> None:
    """A new upload: forget the widgets that described the previous one (fixes stay, per key)."""
    if st.session_state.get(ACTIVE) == key:
        return
    for name in [k for k in st.session_state if str(k).startswith(_RESET_PREFIXES)]:
        del st.session_state[name]
    st.session_state[ACTIVE] = key


def read_file(data: bytes | str, name: str, key: str, _: T) -> read.Upload:
    """Read (or reuse this session's reading of) the upload with the user's overrides, with progress."""
    over = st.session_state.setdefault(OVERRIDES, {}).get(key, {})
    cache_key = (key, tuple(sorted(over.items())))
    parsed = st.session_state.setdefault(PARSED, {})
    if cache_key in parsed:
        return parsed[cache_key]
    opts = read.ReadOptions(**over)
    bar = st.progress(0.0, text=_("Reading the file…"))
    try:
        if isinstance(data, str):
            up = read.read_pasted(data, opts)
        else:
            up = read.read_upload(data, name, opts, progress=lambda f: bar.progress(f, text=_("Reading the file…")))
    finally:
        bar.empty()
    for old in list(parsed)[: max(0, len(parsed) - _PARSED_KEEP + 1)]:
        del parsed[old]
    parsed[cache_key] = up
    return up


def _set_override(key: str, option: str) -> None:
    value = st.session_state[f"upload_opt_{option}"]
    st.session_state.setdefault(OVERRIDES, {}).setdefault(key, {})[option] = value


_SEP_LABELS = {",": N_("Comma ( , )"), ";": N_("Semicolon ( ; )"), "\t": N_("Tab"), "|": N_("Vertical bar ( | )")}
_DEC_LABELS = {".": N_("Point ( 1.5 )"), ",": N_("Comma ( 1,5 )")}


def guesses(up: read.Upload, key: str, _: T) -> None:
    """Every guess the reader made, each with a widget to change it (the change re-reads the file)."""
    g = up.report.guesses
    fmt = {
        "encoding": str,
        "separator": lambda v: _(_SEP_LABELS.get(v, str(v))),
        "sheet": str,
        "header_row": lambda v: _("Line {n}").format(n=int(v) + 1),
        "decimal": lambda v: _(_DEC_LABELS.get(v, str(v))),
    }
    labels = {"encoding": _("Encoding"), "separator": _("Separator"), "sheet": _("Sheet or layer"),
              "header_row": _("Header row"), "decimal": _("Decimal mark")}
    shown = [n for n in fmt if n in g and (g[n].alternatives or n == "encoding") and g[n].value != "text"]
    cols = st.columns(max(len(shown), 1))
    for col, name in zip(cols, shown, strict=False):
        options = list(dict.fromkeys([g[name].value, *g[name].alternatives]))
        with col:
            st.selectbox(labels[name], options, index=0, key=f"upload_opt_{name}", format_func=fmt[name],
                         on_change=_set_override, args=(key, name),
                         help=_("Guessed from the file. Change it if the table below looks wrong."),
                         placeholder=choice_hint(options))
    if g.get("encoding") and g["encoding"].value == "text":
        st.caption(_("Pasted text needs no encoding; the other guesses can be changed here."))


def report(up: read.Upload, _: T) -> None:
    """What the reader did: its messages, the rows it left out, the cells that are not numbers."""
    for msg in up.report.messages:
        st.caption(plain(msg.render(_)))
    if up.report.dropped:
        with st.expander(_("Rows left out ({n})").format(n=len(up.report.dropped))):
            frame = up.report.dropped_frame()
            frame["reason"] = frame["reason"].map(_)
            st.dataframe(frame.rename(columns={"line": _("Line"), "reason": _("Reason"), "text": _("Text")}),
                         hide_index=True, key="upload_dropped")
    if up.report.bad_numbers:
        rows = [{_("Column"): c, _("Cells"): v["count"], _("Examples"): ", ".join(v["examples"])}
                for c, v in up.report.bad_numbers.items()]
        with st.expander(_("Cells that could not be read as numbers")):
            st.dataframe(pd.DataFrame(rows), hide_index=True, key="upload_bad_numbers")


def roles(up: read.Upload, _: T) -> userdata.Choices:
    """The column roles, as guessed (once per file read), with a widget to change each."""
    guess = _kept("upload_guess", up, lambda: userdata.default_choices(up))
    columns = [c for c in up.table.columns if c != "geometry"]
    if up.kind == "vector" and "lat" not in columns:
        columns += ["lat", "lon"]
    numeric = [c for c in columns if c in up.table and pd.api.types.is_numeric_dtype(up.table[c])]
    if up.kind == "vector" and "lat" not in up.table:
        numeric += ["lat", "lon"]  # taken from the shapes: offered even when the layer has number attributes
    none = _("(none)")

    def pick(label: str, role: str, value: str | None, options: list) -> str | None:
        opts = [None, *options]
        return st.selectbox(label, opts, index=opts.index(value) if value in opts else 0,
                            key=f"upload_role_{role}", format_func=lambda c: none if c is None else str(c),
                            placeholder=choice_hint(opts))

    a, b, c, d = st.columns(4)
    with a:
        region = pick(_("Region column"), "region", guess.region_col, columns)
    with b:
        year = pick(_("Year column"), "year", guess.year_col, columns)
    with c:
        lat = pick(_("Latitude"), "lat", guess.lat_col, numeric or columns)
    with d:
        lon = pick(_("Longitude"), "lon", guess.lon_col, numeric or columns)
    level, oblast = level_choice(up, guess, region, columns, _)
    amounts = [c for c in numeric if c in up.table]
    values = st.multiselect(_("Columns of numbers to map"), amounts, default=[v for v in guess.value_cols
                            if v in amounts], key="upload_role_values",
                            placeholder=_("Choose columns"))
    series = False
    if wide := userdata.time_series_columns(up):
        series = st.checkbox(_("Read the year columns ({cols}) as one time series").format(
            cols=plain(", ".join(wide))), value=True, key="upload_role_series")
    return userdata.Choices(region, values, year, lat, lon, series, level=level, oblast_col=oblast)


def level_choice(up: read.Upload, guess: userdata.Choices, region: str | None, columns: list, _: T
                 ) -> tuple[int, str | None]:
    """The level the names were read at (detected, switchable) and, for rayons, the oblast column."""
    detected = guess.level
    if region in up.table.columns and region != guess.region_col:
        detected = rayons.detect_level(up.table[region])
    said = {1: _("oblasts and cities"), 2: _("rayons and towns")}
    st.caption(_("The names in “{column}” read as {level}.").format(column=plain(region or ""),
                                                                       level=said[detected]))
    level = level_switch("upload_role_level", detected)
    oblast = None
    if level == 2:
        opts = [None, *[c for c in columns if c != region]]
        oblast = st.selectbox(_("Oblast column (settles names shared by several units)"), opts,
                              index=opts.index(guess.oblast_col) if guess.oblast_col in opts else 0,
                              key="upload_role_oblast", format_func=lambda c: _("(none)") if c is None else str(c),
                              placeholder=choice_hint(opts))
    return level, oblast


_ALL = "\u0000all"  # the filter's "every row" choice, kept apart from any label in a file


def filters(up: read.Upload, choices: userdata.Choices, _: T) -> dict:
    """The filter step of a long table: which breakdown (totals by default) and which year to map."""
    found = breakdowns.breakdowns(up.table, choices.region_col, choices.year_col,
                                  {choices.lat_col, choices.lon_col, *choices.value_cols})
    if not found:
        return {}
    st.subheader(_("Which rows to map"))
    st.caption(_("Each region has several rows (a breakdown such as sex or age). Pick the rows to map; "
                 "adding them all up would count the same people more than once."))
    where = {}
    cols = st.columns(len(found) + (1 if choices.year_col else 0))
    for col, b in zip(cols, found, strict=False):
        options = [*b.values, _ALL]
        with col:
            pick = st.selectbox(plain(b.column), options, index=0 if b.default is not None else len(options) - 1,
                                key=f"upload_filter_{b.column}",
                                format_func=lambda v: _("All rows, added up") if v == _ALL else str(v),
                                placeholder=choice_hint(options))
        where[b.column] = None if pick == _ALL else pick
    if choices.year_col and choices.year_col in up.table:
        years = sorted(pd.to_numeric(up.table[choices.year_col], errors="coerce").dropna().unique().tolist())
        with cols[-1]:
            pick = st.selectbox(plain(choices.year_col), [_ALL, *years], index=0, key="upload_filter_year",
                                format_func=lambda v: _("Every year (the map shows one at a time)")
                                if v == _ALL else f"{v:g}", placeholder=choice_hint())
        where[choices.year_col] = None if pick == _ALL else pick
    return {k: v for k, v in where.items() if v is not None}


def _set_fix(key: str, raw: object, widget: str) -> None:
    value = st.session_state[widget]
    fixes = st.session_state.setdefault(FIXES, {}).setdefault(key, {})
    fixes[raw] = None if value == userdata.NOT_A_REGION else value


def fixes_for(key: str) -> dict:
    return dict(st.session_state.get(FIXES, {}).get(key, {}))


def region_label(code: str, _: T, lg: str) -> str:
    if code == userdata.NOT_A_REGION:
        return _("Not a region (leave out)")
    if code in gazetteer.CODES:
        return f"{gazetteer.region_name(code, lg)} ({code})"
    parent = units.parents().get(code, "")
    return f"{units.unit_name(code, lg)}, {gazetteer.region_name(parent, lg)} ({code})"


def build(up: read.Upload, choices: userdata.Choices, label: str) -> userdata.Built:
    """``userdata.build`` once per file read and set of choices in this session: a rerun that changes
    nothing on the table (a map option, a download) reuses the matched table, and so its map."""
    return _kept("upload_built", (up, repr(choices), label), lambda: userdata.build(up, choices, label=label))


def fixer(built: userdata.Built, key: str, _: T) -> None:
    """"N of M rows matched", then one choice per value that needs a look; fixes apply to every row."""
    m = built.match
    if m is None:
        return
    share = m.matched_rows / m.total_rows if m.total_rows else 0.0
    st.progress(share, text=m.summary().render(_))
    level = built.table.level
    review = userdata.review_rows(m, level)
    if review:
        st.caption(_("Choose the region for each value below; the choice applies to every row with "
                     "that value and is remembered in this session."))
    methods = {k: _(v) for k, v in userdata.METHOD_LABELS.items()}
    lg = lang()  # captured now: AppTest (and reruns) call format_func outside this script run
    for item in review:
        options = userdata.fix_options(item, level)
        current = userdata.NOT_A_REGION if item.method == "excluded" else item.code
        label = _("“{raw}” — rows: {rows}, {how}").format(raw=plain(item.raw), rows=item.rows,
                                                          how=methods.get(item.method, item.method))
        widget = userdata.fix_key(item.raw)
        st.selectbox(label, options, index=options.index(current) if current in options else None,
                     key=widget, placeholder=_("Choose the region"), format_func=lambda c: region_label(c, _, lg),
                     on_change=_set_fix, args=(key, item.raw, widget))
    for msg in built.warnings:
        st.warning(msg.render(_))
    st.download_button(_("Download the match report (CSV)"), export.match_report_csv(m.report),
                       file_name="match_report.csv", mime="text/csv", key="upload_report_csv")


_DUP_LABELS = {"sum": N_("Add them up"), "mean": N_("Take the average"), "count": N_("Count the rows"),
               "first": N_("Keep the first row")}


def duplicates_choice(built: userdata.Built, _: T) -> str | None:
    """When a region has several rows (per year), ask how to combine them."""
    if not built.collapsed:
        return None
    n = len(built.duplicates)
    return st.radio(_("Regions with more than one row: {n}. How should their rows be combined?").format(n=n),
                    list(userdata.DUPLICATE_CHOICES), key="upload_dup", horizontal=True,
                    format_func=lambda v: _(_DUP_LABELS[v]))


_STATUS = {"inside": N_("inside a region"), "outside": N_("outside Kyrgyzstan"),
           "swapped": N_("latitude and longitude swapped"), "blank": N_("no coordinates")}


def points_panel(built: userdata.Built, _: T) -> bool:
    """Counts and a list of the points that were not placed; offers to swap lat/lon back."""
    pts = built.points
    if pts is None:
        return False
    counts = pts.counts()
    cols = st.columns(4)
    for col, (name, n) in zip(cols, counts.items(), strict=True):
        col.metric(_(_STATUS[name]), n)
    problems = pts.problems()
    if len(problems):
        with st.expander(_("Points that need a look ({n})").format(n=len(problems))):
            problems["status"] = problems["status"].map(lambda s: _(_STATUS[s]))
            st.dataframe(problems.rename(columns={"lat": _("Latitude"), "lon": _("Longitude"),
                                                  "status": _("Status")}), key="upload_points_problems")
    if counts["swapped"] or st.session_state.get("upload_swap"):
        return st.checkbox(_("Swap latitude and longitude back for the swapped points"), key="upload_swap")
    return False


def result(table, _: T) -> None:
    """The matched table, stored in this session, drawn at once, with a way on to the builder."""
    column = userdata.first_value_column(table)
    spec = ViewSpec(dataset=table.key, column=column, aggregation="sum" if column else "count",
                    normalisation="none", year=userdata.latest_year(table), lang=lang(), level=table.level,
                    source=_("Your data") + ": " + str(table.label))
    composed = _kept("upload_composed", (table, spec.cache_key()), lambda: compose(spec, table, _))
    st.subheader(composed.caption)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        show_map(lambda frame: composed.view.deck(frame=frame), "upload_map",
                 static_map(composed.view, composed.caption, composed.unit))
    with right:
        legend(composed.view.legend, f"{column or _('Number of rows')}, {composed.unit}".strip(", "))
        for msg in composed.warnings:
            st.caption(plain(msg.render(_)))
        if st.button(_("Open in the map builder"), key="upload_open_builder", type="primary"):
            st.session_state["builder_dataset"] = table.key
            st.switch_page("app_pages/builder.py")
    st.dataframe(table.frame, hide_index=True, key="upload_table")


def _kept(name: str, source: object, make: Callable[[], R]) -> R:
    """``make()`` once per ``source`` (the same object, or an equal tuple holding it) in this session:
    what a rerun with the same file and choices would compute again. Only the latest is kept."""
    kept = st.session_state.get(name)
    if kept is None or not _same(kept[0], source):
        kept = (source, make())
        st.session_state[name] = kept
    return kept[1]


def _same(a: object, b: object) -> bool:
    if isinstance(a, tuple) and isinstance(b, tuple):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a is b or (isinstance(a, str | int | float | bool | type(None)) and a == b)


def show_error(err: UserError | Msg, _: T) -> None:
    st.error((err.msg if isinstance(err, UserError) else err).render(_))
