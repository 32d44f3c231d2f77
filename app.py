"""Achyk Atlas: the frame and router. Every page lives in pages/; the logic lives in atlas/."""

from __future__ import annotations

import streamlit as st

from ui.common import language_switch, tr

st.set_page_config(page_title="Achyk Atlas", page_icon="🗺️", layout="wide")
_ = tr()

PAGES = {
    _("Explore"): [
        st.Page("pages/overview.py", title=_("Overview"), icon=":material/map:", url_path="overview", default=True),
    ],
    _("About"): [
        st.Page("pages/about_data.py", title=_("About the data"), icon=":material/menu_book:", url_path="about"),
    ],
}

navigation = st.navigation(PAGES)
st.sidebar.markdown("### Achyk Atlas")
st.sidebar.caption(_("Open data on Kyrgyzstan's regions, for civil society. Works without internet."))
language_switch()
navigation.run()
st.sidebar.caption(_("Boundaries: Made with Natural Earth (public domain)."))
