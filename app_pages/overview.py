"""Overview: a map of Kyrgyzstan's nine units for an official indicator (or a built-in one), with a ranked bar."""

from __future__ import annotations

import streamlit as st

from atlas.draw.classify import DEFAULT_K, DEFAULT_PALETTE, K_MAX, PALETTES
from atlas.draw.mapview import region_view
from atlas.ogp import facts
from atlas.values import datasets
from ui import official
from ui.common import choice_hint, lang, legend, sample_banner, sources_line, tr
from ui.levels import boundaries_line, level_from_link, level_switch, relief_toggle
from ui.mapframe import show_map, static_map

_ = tr()
st.title(_("Kyrgyzstan by region"))
st.caption(_("Seven oblasts and two cities of republican significance, or 40 rayons and 15 towns and cities; "
             "official boundaries (OCHA COD-AB)."))

OFFICIAL, OTHER = "official", "other"
source = st.radio(_("Data"), [OFFICIAL, OTHER], key="overview_source", horizontal=True,
                  index=1 if st.query_params.get("i") or st.query_params.get("lv") else 0,
                  format_func=lambda s: _(official.OFFICIAL_LABEL) if s == OFFICIAL
                  else _("Population, area, elevation and the illustrative NGO sample"))
if source == OFFICIAL:
    official.overview_map()
else:
    linked = st.query_params.get("i")  # a link may open on an indicator: ?i=elev_median&lv=2
    key = st.selectbox(
        _("Indicator"), list(datasets.INDICATORS), key="overview_indicator",
        index=list(datasets.INDICATORS).index(linked) if linked in datasets.INDICATORS else 0,
        format_func=lambda k: _(datasets.INDICATORS[k].label),
        placeholder=choice_hint(datasets.INDICATORS),
    )
    indicator = datasets.indicator(key)
    dataset = datasets.DATASETS[indicator.dataset]
    if dataset.is_sample:
        sample_banner()
    switches = st.columns([3, 1])
    with switches[0]:
        level = level_switch("overview_level", level_from_link())
    with switches[1]:
        relief = relief_toggle("overview_relief")
    if level == 2 and indicator.note2:
        st.info(_(indicator.note2))

    with st.expander(_("Map options")):
        palettes = list(PALETTES)
        palette = st.selectbox(_("Colours"), palettes, key="overview_palette", index=palettes.index(DEFAULT_PALETTE),
                               format_func=lambda p: _(PALETTES[p].label), placeholder=choice_hint(palettes))
        k = st.slider(_("Number of classes"), 3, K_MAX, DEFAULT_K, key="overview_k")
    view = region_view(indicator.values(level), indicator.unit, lang(), _, source=_(dataset.short_source),
                       palette=palette, k=k, level=level, relief=relief)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        title = f"{_(indicator.label)}, {_(indicator.unit)}"
        show_map(lambda frame: view.deck(frame=frame), "overview_builtin_map",
                 static_map(view, title, _(indicator.unit)))
        legend(view.legend, f"{_(indicator.label)}, {_(indicator.unit)}")
    with right:
        st.subheader(_("Ranking"))
        # Plain HTML bars: the first page then needs no chart library (the map paints sooner).
        st.markdown(view.ranked_bar_html(_("No data"), _("average")), unsafe_allow_html=True)
    st.markdown(view.summary)
    if indicator.note and level == 1:
        st.info(_(indicator.note))
    sources_line([f"{_(dataset.source)} ({dataset.date})", boundaries_line()])

st.header(_("Open Government Partnership: the 2018-2020 action plan"))
columns = st.columns(3)
for i, fact in enumerate(facts.HEADLINE_FACTS):
    with columns[i % 3], st.container(border=True):
        st.markdown(f"**{_(fact.label)}**")
        st.markdown(f"#### {_(fact.value)}")
        st.caption(_("Source") + ": " + _(fact.source))
        if fact.gap:
            st.caption("⚠ " + _(fact.gap))
