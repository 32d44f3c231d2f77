"""Overview: a map of Kyrgyzstan's nine units for an official indicator (or a built-in one), with a ranked bar."""

from __future__ import annotations

import streamlit as st

from atlas.draw.classify import DEFAULT_K, DEFAULT_PALETTE, K_MAX, PALETTES
from atlas.draw.mapview import region_view
from atlas.ogp import facts
from atlas.values import datasets
from ui import official
from ui.common import lang, legend, sample_banner, sources_line, tr

_ = tr()
st.title(_("Kyrgyzstan by region"))
st.caption(_("Seven oblasts and two cities of republican significance. Osh city is shown as its own circle."))

OFFICIAL, OTHER = "official", "other"
source = st.radio(_("Data"), [OFFICIAL, OTHER], key="overview_source", horizontal=True,
                  format_func=lambda s: _(official.OFFICIAL_LABEL) if s == OFFICIAL
                  else _("Population, area and the illustrative NGO sample"))
if source == OFFICIAL:
    official.overview_map()
else:
    key = st.selectbox(
        _("Indicator"), list(datasets.INDICATORS), key="overview_indicator",
        format_func=lambda k: _(datasets.INDICATORS[k].label),
    )
    indicator = datasets.indicator(key)
    dataset = datasets.DATASETS[indicator.dataset]
    if dataset.is_sample:
        sample_banner()

    with st.expander(_("Map options")):
        palettes = list(PALETTES)
        palette = st.selectbox(_("Colours"), palettes, key="overview_palette", index=palettes.index(DEFAULT_PALETTE),
                               format_func=lambda p: _(PALETTES[p].label))
        k = st.slider(_("Number of classes"), 3, K_MAX, DEFAULT_K, key="overview_k")
    view = region_view(indicator.compute(), indicator.unit, lang(), _, source=_(dataset.short_source),
                       palette=palette, k=k)
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.pydeck_chart(view.deck(), height=520, key="overview_map")
        legend(view.legend, f"{_(indicator.label)}, {_(indicator.unit)}")
    with right:
        st.subheader(_("Ranking"))
        # Plain HTML bars: the first page then needs no chart library (the map paints sooner).
        st.markdown(view.ranked_bar_html(_("No data"), _("average")), unsafe_allow_html=True)
    st.markdown(view.summary)
    if indicator.note:
        st.info(_(indicator.note))
    sources_line([f"{_(dataset.source)} ({dataset.date})", _("Boundaries: Made with Natural Earth (public domain)")])

st.header(_("Open Government Partnership: the 2018-2020 action plan"))
columns = st.columns(3)
for i, fact in enumerate(facts.HEADLINE_FACTS):
    with columns[i % 3], st.container(border=True):
        st.markdown(f"**{_(fact.label)}**")
        st.markdown(f"#### {_(fact.value)}")
        st.caption(_("Source") + ": " + _(fact.source))
        if fact.gap:
            st.caption("⚠ " + _(fact.gap))
