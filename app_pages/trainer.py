"""Trainer tools: unlocked by the trainer PIN for this browser session only."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.trainer import lock, moderation_section, pin_prompt, reference_section, samples_section

_ = tr()
st.title(_("Trainer tools"))
st.caption(_("For the workshop trainer. The PIN unlocks these tools in this browser session only."))
if not pin_prompt():
    st.stop()

if st.button(_("Lock trainer tools"), key="trainer_lock", icon=":material/lock:"):
    lock()
    st.rerun()

st.header(_("Moderate monitoring reports"))
moderation_section()

st.header(_("Illustrative sample reports"))
st.caption(_("Samples are labelled “sample”, hidden from lists and the dashboard unless someone switches them on, "
             "and never mixed into real reports."))
samples_section()

st.header(_("Commitments reference table"))
st.caption(_("Replace the table of OGP commitments with a newer one of the same columns. Every version is kept; "
             "an earlier one can be restored."))
reference_section()
