"""NGO activity map: the register live by rayon and oblast, who works where, the gaps, exports."""

from __future__ import annotations

import streamlit as st

from ui.common import sources_line, tr
from ui.register import gaps_section, live_section, moderation_section
from ui.trainer import pin_prompt, trainer_unlocked

_ = tr()
st.title(_("NGO activity map"))
st.caption(_("Real data, entered by the organisations themselves on the page “Our work”, with their consent. "
             "It is not a complete list of NGO activity in Kyrgyzstan: only what was registered here."))

live, gaps = st.tabs([_("Live map and table"), _("Gaps")])
with live:
    live_section()
with gaps:
    st.markdown(_("Where is nobody working on what matters most? Rayons and towns with no registered activity on "
                  "a theme, beside the official indicator for that theme (by oblast: the statistics office "
                  "publishes it for the nine level-1 units only)."))
    gaps_section()

sources_line([_("NGO activity register, entered live"),
              _("Boundaries: OCHA COD-AB (CC BY 3.0 IGO)"), _("Population: NSC, 1 January 2021")])

with st.expander(_("Trainer: hide or show entries"), icon=":material/admin_panel_settings:"):
    if pin_prompt():
        moderation_section(trainer_unlocked())
