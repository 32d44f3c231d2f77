"""Monitoring reports: participants record what their organisation observed, list, edit, export."""

from __future__ import annotations

import streamlit as st

from atlas.keep.reports import reports_csv_of
from atlas.ogp import monitoring
from atlas.ogp.reports import NATIONAL, STATUSES, ReportFilter
from atlas.places.gazetteer import CODES
from ui.common import choice_hint, lang, sample_banner, tr
from ui.reports import commitment_choices, edit_section, region_format, report_form, show_saved
from ui.state import store

_ = tr()
st.title(_("Monitoring reports"))
st.markdown(_("Record what your organisation observed about a commitment of the 2018-2020 action plan: "
              "a milestone or activity, where, its status, and the evidence. Reports are public; "
              "the contact is not shown in the list or the export."))

with st.expander(_("File a new report"), expanded=True, icon=":material/add:"):
    saved = report_form("new")
    if saved is not None:
        show_saved(saved)

with st.expander(_("Change or withdraw your reports"), icon=":material/edit:"):
    edit_section()

st.header(_("Reports"))
choices, region_label = commitment_choices(), region_format()
c1, c2, c3, c4 = st.columns(4)
cid = c1.selectbox(_("Commitment"), [None, *choices], key="list_commitment",
                   format_func=lambda c: _("all") if c is None else choices[c], placeholder=choice_hint())
region = c2.selectbox(_("Region"), [None, *CODES, NATIONAL], key="list_region",
                      format_func=lambda c: _("all") if c is None else region_label(c), placeholder=choice_hint())
status = c3.selectbox(_("Status"), [None, *STATUSES], key="list_status",
                      format_func=lambda s: _("all") if s is None else _(STATUSES[s]), placeholder=choice_hint())
samples = st.toggle(_("Include illustrative sample reports (labelled “sample”)"), key="list_samples")
orgs = monitoring.organisations(store().reports_frame(include_samples=samples))
org = c4.selectbox(_("Organisation"), [None, *orgs], key="list_org",
                   format_func=lambda o: _("all") if o is None else o, placeholder=choice_hint())

filters = ReportFilter(commitment_id=cid, status=status, region=region, organisation=org)
frame = store().reports_frame(filters, include_samples=samples)
table = monitoring.reports_display(frame, lang(), _)
if samples and frame["is_sample"].any():
    sample_banner()
st.markdown(_.ngettext("{n} report shown.", "{n} reports shown.", len(table)).format(n=len(table)))
if not table.empty:
    st.dataframe(
        table, hide_index=True, width="stretch", key="list_table",
        column_config={
            "id": _("No."), "commitment": _("Commitment"), "activity": _("Milestone or activity"),
            "regions": _("Where"), "status": _("Status"), "observed": _("Date observed"),
            "organisation": _("Organisation"), "evidence": _("Evidence"),
            "link": st.column_config.LinkColumn(_("Link")), "sample": _("Sample"),
        },
    )
st.download_button(
    _("Download these reports (CSV)"), reports_csv_of(frame),
    file_name="achyk_monitoring_reports.csv", mime="text/csv", key="list_csv", icon=":material/download:",
)
st.caption(_("The CSV opens safely in Excel (cells that look like formulas are neutralised); contacts are left out."))
