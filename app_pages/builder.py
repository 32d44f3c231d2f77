"""Map builder: any matched dataset → the map a report needs, with honest classes and a caption."""

from __future__ import annotations

import streamlit as st

from atlas.draw import builder, charts
from atlas.draw.views import CLASSED_MAP_TYPES
from atlas.errors import UserError
from atlas.i18n import fmt_number
from atlas.values import datasets
from ui import builder as ub
from ui.common import lang, legend, sample_banner, sources_line, tr
from ui.levels import boundaries_line
from ui.mapframe import draw, measure, static_map
from ui.present import save_view_form

_ = tr()
st.title(_("Map builder"))
st.caption(_("Choose a dataset and how to count it; the map, legend, charts and link follow your choices."))
ub.seed_from_link()

controls, main = st.columns([1, 3], gap="medium")
with controls:
    table = ub.pick_dataset()
    geo_fields = ub.level_widgets(table)
    with st.expander(_("What to show"), expanded=True):
        data_fields = ub.data_widgets(table, geo_fields["level"])
    with st.expander(_("Map type, classes and colours"), expanded=True):
        style_fields = ub.style_widgets()
    with st.expander(_("Labels and texts")):
        text_fields = ub.text_widgets()
    with st.expander(_("Your own geography (advanced)")):
        geo_choice = ub.custom_geography(table)

if table.is_sample:
    sample_banner()
spec = ub.spec_of(table, {**geo_fields, **data_fields, **style_fields, **text_fields})
ub.write_link(spec)
if geo_choice is not None:
    with main:
        st.caption(_("Your polygons instead of the regions; per person and per km² need the bundled regions."))
        ub.show_custom_map(spec, table, geo_choice)
    st.stop()
with main:
    frame, webgl = measure(ub.P + "map")  # the map's column, measured in the browser
try:
    highlight = st.session_state.get(ub.HIGHLIGHT)
    # Fixed built-in data: the view and its deck are made once per distinct view for every session.
    built = (builder.build_fixed(spec, highlight, frame) if datasets.is_fixed(table.key)
             else builder.build(spec, table, _, highlight=highlight, frame=frame))
except UserError as err:
    with main:
        st.error(err.msg.render(_))
    st.stop()

c, view = built.composed, built.composed.view


def fmt(x: float) -> str:
    return fmt_number(x, lang())


with main:
    if spec.title:
        st.subheader(spec.title)
    if spec.subtitle:
        st.markdown(spec.subtitle)
    st.caption(c.caption)
    with st.container():
        draw(lambda: built.deck, webgl, ub.P + "map", static_map(view, c.caption, c.unit),
             on_select=ub.on_map_select, selection_mode="single-object")
        classed = spec.map_type in CLASSED_MAP_TYPES
        if classed:
            legend(view.legend, c.legend_title)
        elif spec.map_type == "bubbles":
            ub.size_legend(view.values, fmt, c.unit)
        # Class warnings matter only where classes colour the map.
        for problem in c.warnings if classed else [w for w in c.warnings if w not in view.classes.warnings]:
            st.warning(problem.render(_))
        for note in built.notes:
            st.info(note.render(_))
        st.markdown(view.summary)
        if view.classes.center is not None:
            st.caption(_("Colours diverge from {value}").format(value=fmt(view.classes.center)))
        if spec.note:
            st.markdown(spec.note)
    rank_col, chart_col = st.columns(2, gap="medium")
    with rank_col:
        st.markdown("**" + _("Ranking") + "**")
        bar = built.kept("bar", lambda: view.ranked_bar(_("No data"), c.reference_label))
        st.plotly_chart(bar, key=ub.P + "bar",
                        on_select=lambda: ub.on_chart_select(ub.P + "bar"), selection_mode="points",
                        config={"displayModeBar": False})
    with chart_col:
        by_year = ub.year_series(spec, table)
        if by_year is not None and len(by_year) > 1:
            st.markdown("**" + _("Over the years") + "**")
            names = {**view.names, "KG": _("Kyrgyzstan")}  # an official series adds the country's line
            fig = built.kept("series", lambda: charts.time_series(by_year, names, fmt, view.style.highlight,
                                                                  spec.year))
            st.plotly_chart(fig, key=ub.P + "series", on_select=lambda: ub.on_chart_select(ub.P + "series"),
                            selection_mode="points", config={"displayModeBar": False})
        if view.classes.k > 1:
            st.markdown("**" + _("Where the values fall") + "**")
            hist = built.kept("hist", lambda: charts.class_histogram(
                view.values, list(view.classes.bins), view.classes.lower, list(view.classes.colors), view.names,
                fmt, view.style.highlight))
            st.plotly_chart(hist, key=ub.P + "hist", on_select=lambda: ub.on_chart_select(ub.P + "hist"),
                            selection_mode="points", config={"displayModeBar": False})
    sources_line([c.source, boundaries_line()]
                 + ([_("Author") + ": " + spec.author] if spec.author else []))
    st.subheader(_("Download"))
    ub.downloads(c)
    with st.expander(_("Save as a slide for a presentation or the gallery")):
        save_view_form(spec, table)
