"""Monitoring dashboard: how civil society sees the commitments, where reports come from, and when."""

from __future__ import annotations

import streamlit as st

from atlas.draw.mapview import region_view
from atlas.ogp import monitoring
from ui import official
from ui.common import choice_hint, fmt, lang, legend, sample_banner, tr
from ui.mapframe import show_map, static_map
from ui.ogp import active_table
from ui.state import store

_ = tr()
st.title(_("Monitoring dashboard"))
st.caption(_("Built from the monitoring reports participants filed. Each report is one organisation's "
             "observation, not an official assessment."))

samples = st.toggle(_("Include illustrative sample reports"), key="dash_samples")
stats = store().report_stats(include_samples=samples)
total = int(stats.by_commitment["total"].sum())
sample_count = store().count_samples()
if samples and sample_count:
    sample_banner()
if total == 0:
    if sample_count and not samples:
        st.info(_("Only illustrative sample reports exist so far ({count}). Switch on “Include illustrative "
                  "sample reports” to see them, or file a real report.").format(count=sample_count))
    else:
        st.info(_("No monitoring reports yet. File the first one on the Monitoring reports page."))
    st.stop()

c1, c2, c3 = st.columns(3)
c1.metric(_("Reports"), fmt(total), border=True)
c2.metric(_("Commitments with reports"), fmt(len(stats.by_commitment)), border=True)
c3.metric(_("National-level reports"), fmt(int(stats.by_region.loc["national", "reports"])), border=True)

st.header(_("Status per commitment, as civil society sees it"))
commitments = active_table()  # titles in the page's language, shown when hovering over a bar
st.plotly_chart(
    monitoring.status_bar(stats.by_commitment, _, _("Reports per commitment and status"), _("Number of reports"),
                          titles=dict(zip(commitments["commitment_id"], commitments["title"], strict=True))),
    key="dash_status", config={"displayModeBar": False},
)

st.header(_("Reports per region"))
metric = st.radio(
    _("Show on the map"), ["reports", "share"], key="dash_metric", horizontal=True,
    format_func=lambda m: _("Number of reports") if m == "reports" else _("Share reported completed (%)"),
)
unit = "" if metric == "reports" else "%"  # a bare count: no "1 reports"; the legend title names it
view = region_view(monitoring.map_values(stats.by_region, metric), unit, lang(), _, k=4,
                   palette="YlGnBu" if metric == "reports" else "Greens",
                   source=_("monitoring reports in this app"))
left, right = st.columns([3, 2], gap="medium")
with left:
    title = _("Reports") if metric == "reports" else _("Share reported completed (%)")
    show_map(lambda frame: view.deck(frame=frame), "dash_map", static_map(view, title, unit))
with right:
    legend(view.legend, title)
    st.markdown(view.summary)
    st.caption(_("A report naming two regions counts in both. Reports at national level are not on the map."))

st.header(_("Reports over time"))
st.plotly_chart(
    monitoring.timeline_bar(stats.timeline, lang(), _("Reports per month (date observed)"), _("Number of reports")),
    key="dash_timeline", config={"displayModeBar": False},
)

st.header(_("What the statistics say, beside what monitors found"))
linked = official.linked_commitments()
chosen = st.selectbox(_("Commitment"), list(linked), key="dash_linked_commitment", format_func=linked.get,
                      placeholder=choice_hint(linked))
official.commitment_statistics(chosen, include_samples=samples, key="dash_linked_")
