"""Achyk Atlas: the frame and router. Every page lives in app_pages/; the logic lives in atlas/."""

from __future__ import annotations

import streamlit as st

from atlas.timing import timed
from ui.common import house_style, language_switch, tr
from ui.state import settle

st.set_page_config(page_title="Achyk Atlas", page_icon="🗺️", layout="wide")  # i18n: ok (product name)
_ = tr()
house_style()
settle()  # once per process: the shared data loaded and kept out of the garbage collector's sweeps

PAGES = {
    _("Explore"): [
        st.Page("app_pages/overview.py", title=_("Overview"), icon=":material/map:", default=True),
        st.Page("app_pages/builder.py", title=_("Map builder"), icon=":material/palette:", url_path="builder"),
        st.Page("app_pages/upload.py", title=_("Your data"), icon=":material/upload_file:", url_path="upload"),
    ],
    _("NGO activity"): [
        st.Page("app_pages/register.py", title=_("Our work"), icon=":material/edit_location_alt:",
                url_path="our-work"),
        st.Page("app_pages/register_map.py", title=_("NGO activity map"), icon=":material/groups:",
                url_path="ngo-map"),
    ],
    _("Open Government"): [
        st.Page("app_pages/ogp.py", title=_("Commitments"), icon=":material/flag:", url_path="commitments"),
        st.Page("app_pages/reports.py", title=_("Monitoring reports"), icon=":material/fact_check:",
                url_path="reports"),
        st.Page("app_pages/dashboard.py", title=_("Monitoring dashboard"), icon=":material/monitoring:",
                url_path="dashboard"),
    ],
    _("Present"): [
        st.Page("app_pages/stories.py", title=_("Saved views and stories"), icon=":material/collections_bookmark:",
                url_path="stories"),
        st.Page("app_pages/present.py", title=_("Presentation"), icon=":material/slideshow:", url_path="present"),
        st.Page("app_pages/gallery.py", title=_("Datathon gallery"), icon=":material/emoji_events:",
                url_path="gallery"),
    ],
    _("Workshop"): [
        st.Page("app_pages/workshop.py", title=_("Trainer's guide and demo"), icon=":material/school:",
                url_path="workshop"),
        st.Page("app_pages/trainer.py", title=_("Trainer tools"), icon=":material/admin_panel_settings:",
                url_path="trainer"),
        st.Page("app_pages/about_data.py", title=_("About the data"), icon=":material/menu_book:", url_path="about"),
    ],
}

# expanded: every page listed, without Streamlit's English "View N more" button (its text cannot be translated)
navigation = st.navigation(PAGES, expanded=True)
st.sidebar.markdown("### Achyk Atlas")  # i18n: ok (product name)
st.sidebar.caption(_("Open data on Kyrgyzstan's regions, for civil society. Works without internet."))
language_switch()
with timed(navigation.url_path):  # server-side rerun times for the load test (ACHYK_TIMING_LOG)
    navigation.run()
st.sidebar.caption(_("Boundaries: OCHA COD-AB, Ministry of Emergency Situations (2018), CC BY 3.0 IGO; "
                     "neighbouring countries: Natural Earth (public domain)."))
