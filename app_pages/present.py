"""Presentation mode: a saved view (?view=<id>) or a story (?story=<id>) full screen, slide by slide."""

from __future__ import annotations

import streamlit as st

from atlas.share import saved
from ui.common import tr
from ui.present import draw_slide, handouts, hide_chrome, nav_link, plain, share_box, slide_title
from ui.state import store

_ = tr()
view_id, story_id = st.query_params.get("view"), st.query_params.get("story")
views, story = [], None
if story_id:
    story = store().get_story(story_id)
    views = saved.story_views(store(), story) if story else []
elif view_id:
    found = store().get_view(view_id)
    views = [found] if found else []

if not views:
    st.title(_("Presentation"))
    if story_id or view_id:
        st.error(_("This link points to nothing: the view or story was deleted, hidden, or the link is incomplete."))
    st.info(_("Open a saved view or a story from “Saved views and stories” or the datathon gallery, "
              "then press “Present”."))
    nav_link("app_pages/stories.py", "stories", _("Saved views and stories"), ":material/collections_bookmark:")
    nav_link("app_pages/gallery.py", "gallery", _("Datathon gallery"), ":material/emoji_events:")
    st.stop()

hide_chrome()
try:
    index = saved.clamp(int(st.query_params.get("slide", "1")) - 1, len(views))
except ValueError:
    index = 0
view = views[index]

head, nav = st.columns([4, 2], vertical_alignment="center")
with head:
    slide_title(view.title)
with nav:
    prev_col, count_col, next_col, exit_col = st.columns([1, 1, 1, 1], vertical_alignment="center")
    prev_pressed = prev_col.button("◀", key="present_prev", disabled=index == 0, help=_("Previous slide (←)"),
                                   shortcut="Left")
    count_col.markdown(f"**{index + 1} / {len(views)}**")
    next_pressed = next_col.button("▶", key="present_next", disabled=index >= len(views) - 1,
                                   help=_("Next slide (→)"), shortcut="Right")
    with exit_col:
        nav_link("app_pages/stories.py", "stories", _("Exit"), ":material/close:")
if prev_pressed or next_pressed:
    st.query_params["slide"] = str(index + (2 if next_pressed else 0))
    st.rerun()

built = draw_slide(view)
if built is not None:
    if story is not None:
        st.caption(_("Story: {title}").format(title=plain(story.title)))
    with st.expander(_("Handouts and link"), expanded=False):
        share_box("stories" if story else "views", story.short_id if story else view.short_id)
        handouts(view, built.composed)
        st.caption(_("Press F11 for full screen. Arrow keys change slides."))
