"""Our work: each organisation in the room puts its own activities on the map (the NGO activity register)."""

from __future__ import annotations

import streamlit as st

from ui.common import tr
from ui.register import edit_section, entry_form

_ = tr()
st.title(_("Our work"))
st.markdown(_("Put your organisation's work on the map in two minutes: what you do, where (rayons, a whole oblast "
              "or the whole country) and since when. The map fills in live for the whole room."))
st.info(_("**What will be public:** the organisation's name and type, and for each activity its theme, places, "
          "years, beneficiaries, link and the few words you write. **Never public:** the contact, which only "
          "the trainer's database keeps. You get an editor key to change or withdraw your entry at any time; "
          "the trainer can hide an entry."), icon=":material/visibility:")

with st.expander(_("Add our organisation"), expanded=True, icon=":material/add:"):
    entry_form("reg_new")

with st.expander(_("Change or withdraw our entry"), icon=":material/edit:"):
    edit_section()

st.markdown(f"[{_('See the live map of NGO activity')} →](ngo-map)")
