"""Trainer's guide and demo: how to run the workshop offline, and one click to load or clear the sample story."""

from __future__ import annotations

import streamlit as st

from atlas.errors import UserError
from atlas.share import workshop
from ui import present as up
from ui.common import lang, show_user_error, tr
from ui.state import editor_key, store
from ui.trainer import pin_prompt, trainer_unlocked

_ = tr()
st.title(_("Trainer's guide and demo"))

st.header(_("How to run this workshop"))
st.markdown(_("**1. Start the app on your laptop.** In the app's folder run `make run`. It prints a one-time "
              "trainer PIN; note it down."))
st.markdown(_("**2. Let the participants join over the local network.** Start the app so that other devices "
              "can reach it:"))
st.code("streamlit run app.py --server.address 0.0.0.0", language="bash")
st.markdown(_("Find the laptop's IP address (Windows: `ipconfig`; macOS or Linux: `ip addr` or the network "
              "settings), for example 192.168.1.20. Participants open **http://<ip>:8501** in their browser. "
              "About 40 participants on one laptop work well."))
st.markdown(_("**3. The trainer PIN** unlocks moderation, the gallery tools, this demo and the reset. "
              "Do not show it on the projector."))
st.markdown(_("**4. When the Wi-Fi drops:** the app needs no internet — maps, data and handouts are all on the "
              "laptop. When the local network comes back, participants reconnect and continue where they were. "
              "Without a router, a phone hotspot works as a local network (mobile data is not needed). "
              "Uploaded files are private and kept only while the browser tab is open: save views to keep them."))
st.markdown(_("**5. At the end:** teams publish their work in the datathon gallery. Before the next group, reset "
              "the workshop from the gallery page; a backup zip is made first."))

st.header(_("Demo"))
st.caption(_("Loads the illustrative sample reports and a sample story of four saved views, all marked "
             "“Sample”. Participants' work is never touched."))
if not pin_prompt():
    st.stop()

load_col, clear_col = st.columns(2)
if load_col.button(_("Load the sample story"), key="workshop_load", type="primary"):
    try:
        result = workshop.load_demo(store(), trainer_unlocked(), _, editor_key(), lang())
        st.session_state["workshop_story"] = result.story_id
        st.success(_("Loaded {views} sample views, a sample story and {reports} sample reports.").format(
            views=len(result.view_ids), reports=result.reports))
    except UserError as err:
        show_user_error(err)
if clear_col.button(_("Remove the samples (clean state)"), key="workshop_clear"):
    try:
        gone = workshop.clear_demo(store(), trainer_unlocked())
        st.session_state.pop("workshop_story", None)
        st.success(_.ngettext("Removed {n} sample item. The app is clean.",
                              "Removed {n} sample items. The app is clean.", gone).format(n=gone))
    except UserError as err:
        show_user_error(err)

samples = [s for s in store().list_gallery("stories", include_hidden=True) if workshop.is_sample(s)]
for story in samples:
    with st.container(border=True):
        st.markdown(f"**{up.plain(story.title)}**")
        up.present_link("stories", story.short_id)
        up.share_box("stories", story.short_id)
if not samples:
    st.info(_("No sample story is loaded."))
