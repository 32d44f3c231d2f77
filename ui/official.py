"""Streamlit glue for the official statistics: the goal → target → series picker, the Overview's
official map (with the country's value, the years and the change since a year), and the linked
series shown beside a commitment's monitoring reports.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from atlas import ogp
from atlas.draw.compose import Composed, compose_fixed
from atlas.draw.sparklines import official_sparklines
from atlas.draw.views import ViewSpec
from atlas.i18n import N_, fmt_number
from atlas.ogp import statistics
from atlas.ogp.reports import ReportFilter
from atlas.values import official, official_table
from atlas.values.datasets import DatasetTable
from ui.common import choice_hint, lang, legend, sources_line, tr
from ui.levels import boundaries_line
from ui.mapframe import show_map, static_map
from ui.state import store

#: The UN's short names of the 17 Sustainable Development Goals.
GOALS = {
    "1": N_("No poverty"), "2": N_("Zero hunger"), "3": N_("Good health and well-being"),
    "4": N_("Quality education"), "5": N_("Gender equality"), "6": N_("Clean water and sanitation"),
    "7": N_("Affordable and clean energy"), "8": N_("Decent work and economic growth"),
    "9": N_("Industry, innovation and infrastructure"), "10": N_("Reduced inequalities"),
    "11": N_("Sustainable cities and communities"), "12": N_("Responsible consumption and production"),
    "13": N_("Climate action"), "14": N_("Life below water"), "15": N_("Life on land"),
    "16": N_("Peace, justice and strong institutions"), "17": N_("Partnerships for the goals"),
}
OFFICIAL_LABEL = N_("Official statistics (NSC, SDG indicators)")


def _keep(key: str, options: list, default) -> None:
    """Keep a widget's stored value only when it is still one of ``options``."""
    if st.session_state.get(key, default) not in options:
        st.session_state[key] = default
    st.session_state.setdefault(key, default)


def seed_picker(prefix: str, key: str) -> None:
    """Point the picker at an official key (from a link); a bad key is left for the caller to report."""
    series, breakdown = official_table.parse_key(key)
    info = official.info(series)
    st.session_state[prefix + "goal"] = str(info["goal"])
    st.session_state[prefix + "target"] = str(info["target"])
    st.session_state[prefix + "series"] = series
    for dim, code in breakdown.items():
        st.session_state[prefix + "breakdown"] = f"{dim}={code}"


def pick_series(prefix: str, default: str = official_table.DEFAULT_SERIES) -> str:
    """Goal → target → series, then a breakdown where the series has one (total first); returns the key."""
    _, lg = tr(), lang()  # the language now: format_func may run later, outside this script run
    first = official.info(default)
    goals = official.goals()
    _keep(prefix + "goal", goals, str(first["goal"]))
    goal = st.selectbox(_("SDG goal"), goals, key=prefix + "goal",
                        format_func=lambda g: f"{g}. {_(GOALS.get(g, ''))}".strip(". "), placeholder=choice_hint(goals))
    targets = official.targets(goal)
    _keep(prefix + "target", targets, str(first["target"]) if str(first["target"]) in targets else targets[0])
    target = st.selectbox(_("Target"), targets, key=prefix + "target",
                          format_func=lambda t: _("Target {target}").format(target=t), placeholder=choice_hint(targets))
    series_list = official.series_of(target)
    _keep(prefix + "series", series_list, default if default in series_list else series_list[0])
    series = st.selectbox(_("Indicator"), series_list, key=prefix + "series",
                          format_func=lambda s: f"{official.name(s, lg)} [{s}]", placeholder=choice_hint(series_list))
    choices = [f"{dim}={code}" for dim, codes in official.breakdowns(series).items() for code in codes]
    breakdown: dict[str, str] = {}
    if choices:
        col = f"name_{lg}"
        names = official.codes()
        _keep(prefix + "breakdown", choices, choices[0])
        chosen = st.selectbox(_("Breakdown"), choices, key=prefix + "breakdown",
                              format_func=lambda c: str(names.loc[tuple(c.split("=", 1)), col])
                              if tuple(c.split("=", 1)) in names.index else c, placeholder=choice_hint(choices))
        dim, code = chosen.split("=", 1)
        breakdown = {dim: code}
    return official_table.make_key(series, breakdown)


def pick_year(key: str, years: list[int], label: str) -> int:
    """A slider over the years that have values (the latest by default)."""
    _keep(key, years, years[-1])
    if len(years) == 1:
        st.caption(label + ": " + str(years[0]))
        return years[0]
    return st.select_slider(label, years, key=key)


def official_legend(c: Composed, fmt) -> None:
    """The legend, with the country's value as its last line (the ranking's dotted line)."""
    _ = tr()
    legend(c.view.legend, c.legend_title)
    if c.view.average is not None:
        shown = fmt(c.view.average) + (f" {c.unit}" if c.unit else "")
        st.markdown(
            "<div style='display:flex;align-items:center;gap:.5em'><span style='display:inline-block;width:1.4em;"
            "border-top:2px dotted #555'></span><span>" + html.escape(f"{_('Kyrgyzstan')}: {shown}")
            + "</span></div>", unsafe_allow_html=True)
    else:
        st.caption(_("No national value is published for this year."))


def source_notes(table: DatasetTable, year: int) -> None:
    """The statistics office's own notes on the values shown (e.g. what a unit includes)."""
    _ = tr()
    meta = table.official
    notes = official.comments(meta.series, year, meta.breakdown or None)
    if notes:
        names = {"KG": _("Kyrgyzstan")}
        text = "; ".join(f"{names.get(code) or code}: {note}" for code, note in sorted(notes.items()))
        st.caption(_("Notes from the source") + ": " + text)


def overview_map() -> None:
    """The Overview's official map: picker, year, map, ranking with the country's line, years, change."""
    _ = tr()
    p = "overview_sdg_"
    with st.container(border=True):
        c1, c2 = st.columns(2)
        with c1:
            key = pick_series(p)
        table = official_table.shared_table(key, lang())
        meta = table.official
        with c2:
            year = pick_year(p + "year", meta.years, _("Year"))
            st.caption(_("Unit") + ": " + (table.units["value"] or "—") + " · "
                       + _("Years with values") + f": {meta.years[0]}–{meta.years[-1]} ({len(meta.years)})")
    spec = ViewSpec(dataset=key, column="value", aggregation="sum", normalisation="none", year=year, lang=lang())
    c = compose_fixed(spec)  # made once per distinct view for every session (so is its deck per frame)

    def fmt(x: float) -> str:
        return fmt_number(x, lang())

    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.markdown(f"**{html.escape(c.caption)}**")
        show_map(lambda frame: c.view.deck(frame=frame), "overview_map", static_map(c.view, c.caption, c.unit))
        official_legend(c, fmt)
    with right:
        st.subheader(_("Ranking"))
        st.markdown(c.view.ranked_bar_html(_("No data"), _("Kyrgyzstan")), unsafe_allow_html=True)
    st.markdown(c.view.summary)
    if meta.is_rate:
        st.caption(_("A rate or percentage: it is shown as published, never added up over regions or divided by "
                     "population."))
    source_notes(table, year)
    sources_line([c.source, boundaries_line()])
    st.subheader(_("Over the years"))
    st.markdown(official_sparklines(meta.series, tuple(sorted(meta.breakdown.items())), lang(), year),
                unsafe_allow_html=True)
    st.caption(_("One scale for every line; a gap is a year without a published value."))
    earlier = [y for y in meta.years if y < year]
    if earlier and st.toggle(_("Show the change since an earlier year"), key=p + "change"):
        change_map(spec, earlier, fmt)


def change_map(spec: ViewSpec, earlier: list[int], fmt) -> None:
    """The change from a chosen year to the map's year, coloured from a palette that diverges at 0."""
    _ = tr()
    recent = [y for y in earlier if y >= earlier[-1] - 9]  # a decade back by default, not the first year
    _keep("overview_sdg_since", earlier, recent[0])
    since = st.select_slider(_("Change since"), earlier, key="overview_sdg_since")
    c = compose_fixed(replace(spec, since=since, k=6, palette="PuOr"))
    st.markdown(f"**{html.escape(c.caption)}**")
    left, right = st.columns([3, 2], gap="medium")
    with left:
        show_map(lambda frame: c.view.deck(frame=frame), "overview_change_map",
                 static_map(c.view, c.caption, c.unit))
    with right:
        official_legend(c, fmt)
        st.caption(_("Colours diverge from {value}").format(value=fmt(0)) + " · "
                   + _("A unit without a value in either year has no change: it is not carried forward."))
    st.markdown(c.view.summary)
    sources_line([c.source])


# ---------------------------------------------------------------- commitments meet statistics


def commitment_statistics(commitment_id: str, include_samples: bool = False, key: str = "") -> None:
    """Per linked series: why it is linked, its latest year's values by unit beside the monitoring
    reports filed on the commitment for the same units, the country's value and the source."""
    _ = tr()
    linked = statistics.linked(commitment_id, lang())
    if not linked:
        st.caption(_("No official series is linked to this commitment."))
        return
    by_region = store().report_stats(ReportFilter(commitment_id=commitment_id), include_samples).by_region
    st.markdown("**" + _("What the statistics say, beside what monitors found") + "**")
    st.caption(_("Official values for the latest year published; monitoring reports filed in this app on this "
                 "commitment, per region."))
    for item in linked:
        with st.container(border=True):
            st.markdown(f"**{item.name}** [{item.series}], {item.year}")
            st.caption(_("Why linked") + ": " + item.reason)
            frame = statistics.side_by_side(item, by_region["reports"], lang(), _("No data"))
            frame["completed"] = [int(by_region.loc[code, "completed"]) for code in statistics.CODES]
            st.dataframe(frame, hide_index=True, key=f"{key}{item.series}", width="stretch", column_config={
                "name": _("Region"), "value": _("Value ({year})").format(year=item.year), "unit": _("Unit"),
                "reports": _("Monitoring reports"), "completed": _("Reported completed")})
            national = _("not published") if item.national is None else fmt_number(item.national, lang())
            st.caption(_("Kyrgyzstan") + f": {national} {item.unit}".rstrip() + " · " + _("Source") + ": "
                       + official_table.source_text(item.series, str(item.year), _))


def linked_commitments() -> dict[str, str]:
    """Commitments that official series speak to: id → "id — title" (as OGP writes it)."""
    titles = ogp.active_commitments(store()).set_index("commitment_id")["title_en"]
    ids = sorted(set(official.commitment_links()["commitment_id"]))
    return {i: f"{i} — {titles[i]}" if i in titles.index else i for i in ids}
