"""Commitments explorer: the OGP National Action Plan 2018-2020, filtered and charted, one card each."""

from __future__ import annotations

import streamlit as st

from atlas import ogp
from atlas.i18n import Msg
from atlas.ogp import monitoring
from ui import official
from ui.common import choice_hint, lang, sources_line, tr
from ui.ogp import active_table, commitment_card

_ = tr()
st.title(_("OGP commitments 2018-2020"))
table = active_table()
missing = ogp.missing_ids(table)
st.info(Msg(monitoring.COUNT_NOTE, {"present": len(table), "missing": len(missing)}).render(_))

with st.container(border=True):
    st.markdown("**" + _("Filter") + "**")
    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    areas = c1.multiselect(_("Policy area"), monitoring.tag_options(table, "policy_areas"), key="ogp_areas",
                           placeholder=_("all"))
    lead_names = dict(zip(table["lead_institution"], table["lead"], strict=True))
    leads = c2.multiselect(_("Lead institution"), sorted(lead_names, key=lead_names.get), key="ogp_leads",
                           format_func=lead_names.get, placeholder=_("all"))
    irm_field = c3.selectbox(
        _("IRM assessment"), [None, *monitoring.IRM_FIELDS], key="ogp_irm_field",
        format_func=lambda f: _("any") if f is None else _(monitoring.IRM_FIELDS[f]),
        placeholder=choice_hint(),
    )
    values = sorted(set(table[irm_field].str.strip())) if irm_field else []
    irm_value = c4.selectbox(
        _("Value"), values, key="ogp_irm_value", disabled=not irm_field,
        placeholder=_("Choose an assessment first") if not irm_field else _("Choose a value"),
        format_func=lambda v: _("empty (no assessment)") if v == "" else v,
    )

shown = monitoring.filter_commitments(table, areas, leads, irm_field, irm_value)
st.markdown(_("Commitments that match: **{shown}** of {total}.").format(shown=len(shown), total=len(table)))
st.dataframe(
    shown[["commitment_id", "title", "lead", "start_date", "end_date"]],
    hide_index=True, width="stretch", key="ogp_table",
    column_config={
        "commitment_id": _("ID"), "title": _("Title"),
        "lead": _("Lead institution"), "start_date": _("Start"), "end_date": _("End"),
    },
)
if lang() != "en":
    st.caption(_("Titles and lead institutions in Kyrgyz and Russian are the project's translation of the "
                 "English text on the OGP website, not the wording of the adopted action plan."))

st.subheader(_("Not in the data yet"))
st.markdown(
    _("These IDs exist on the OGP website, but no source read gives their title or content, "
      "so nothing is shown for them: {ids}.").format(ids=", ".join(missing) or "—")
)

st.header(_("Charts"))
left, right = st.columns(2)
with left:
    st.plotly_chart(
        monitoring.count_bar(monitoring.tag_counts(shown, "policy_areas"), _("Commitments per policy area"),
                             _("Number of commitments")),
        key="ogp_chart_areas", config={"displayModeBar": False},
    )
with right:
    st.plotly_chart(
        monitoring.count_bar(monitoring.tag_counts(shown, "lead"), _("Commitments per lead institution"),
                             _("Number of commitments")),
        key="ogp_chart_leads", config={"displayModeBar": False},
    )
irm = monitoring.irm_table(shown)
st.plotly_chart(
    monitoring.irm_bar(irm, _, _("IRM assessments of the commitments shown"), _("empty")),
    key="ogp_chart_irm", config={"displayModeBar": False},
)
empty_fields = monitoring.empty_irm_fields(table)
st.caption(
    _("Empty cells: {empty} of {cells} IRM values. Never filled in any row: {fields} — the sources read do not "
      "give them.").format(
        empty=int(irm[""].sum()), cells=int(irm.to_numpy().sum()),
        fields=", ".join(_(monitoring.IRM_FIELDS[f]) for f in empty_fields) or "—",
    )
)

st.header(_("Commitment details"))
choices = monitoring.commitment_choices(table, _(ogp.NOT_IN_DATA))
chosen = st.selectbox(_("Commitment"), list(choices), key="ogp_detail", format_func=choices.get,
                      placeholder=choice_hint(choices))
if chosen in set(table["commitment_id"]):
    with st.container(border=True):
        commitment_card(table.set_index("commitment_id", drop=False).loc[chosen])
        official.commitment_statistics(chosen, key="ogp_linked_")
else:
    st.warning(_("{id} is {not_in_data}: no source read gives its title or content.").format(
        id=chosen, not_in_data=_(ogp.NOT_IN_DATA)))

sources_line([_(monitoring.SOURCE_NOTE)])
