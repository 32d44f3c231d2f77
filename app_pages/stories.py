"""Saved views and stories: this session's saved maps, handouts, and stories made by ordering them."""

from __future__ import annotations

import streamlit as st

from atlas.errors import UserError
from atlas.keep import Story
from ui import present as up
from ui.common import choice_hint, show_user_error, tr
from ui.state import editor_key, store

_ = tr()
st.title(_("Saved views and stories"))
st.caption(_("Maps you save in the map builder appear here. Put them in order to make a story, then present it. "
             "Only this browser session can delete what it saved."))

st.header(_("My saved views"))
views = up.my_items("views")
if not views:
    st.info(_("No saved views in this browser session yet. Build a map and press “Save view”."))
for view in views:
    with st.container(border=True):
        text, act, drop = st.columns([5, 1, 1], vertical_alignment="center")
        text.markdown(f"**{up.plain(view.title)}**" + (f" · {up.plain(view.team)}" if view.team else ""))
        if view.note:
            text.caption(up.plain(view.note))
        with act:
            up.present_link("views", view.short_id)
        up.delete_own(drop, "views", view.short_id, f"stories_delete_view_{view.short_id}")
        up.share_box("views", view.short_id)

if views:
    with st.expander(_("Handouts: picture, PDF, web page, data"), expanded=False):
        by_id = {v.short_id: v for v in views}
        chosen = st.selectbox(_("Saved view"), list(by_id), key="stories_handout_view",
                              format_func=lambda k: by_id[k].title, placeholder=choice_hint(by_id))
        built = up.composed_slide(by_id[chosen])
        if built is not None:
            up.handouts(by_id[chosen], built.composed)

st.header(_("Make a story"))
options = up.choosable_views()
plan = up.draft()
plan["ids"] = [i for i in plan["ids"] if i in options]  # a deleted view leaves the draft
pick_col, add_col = st.columns([4, 1], vertical_alignment="bottom")
pick = pick_col.selectbox(_("Add a saved view (yours or from the gallery)"), list(options), key="stories_pick",
                          format_func=lambda k: options[k], index=None, placeholder=_("Choose a view"))
if add_col.button(_("Add to story"), key="stories_add", disabled=pick is None):
    plan["ids"].append(pick)
    st.rerun()
for i, view_id in enumerate(plan["ids"]):
    label, up_col, down_col, out_col = st.columns([6, 1, 1, 1], vertical_alignment="center")
    label.markdown(f"{i + 1}\\. {up.plain(options[view_id])}")
    up_col.button("↑", key=f"stories_up_{i}", on_click=up.move, args=(i, -1), disabled=i == 0,
                  help=_("Move up"))
    down_col.button("↓", key=f"stories_down_{i}", on_click=up.move, args=(i, 1),
                    disabled=i == len(plan["ids"]) - 1, help=_("Move down"))
    out_col.button("✕", key=f"stories_remove_{i}", on_click=up.move, args=(i, 0), help=_("Remove from the story"))
with st.form("stories_form"):
    title = st.text_input(_("Story title"), key="stories_title", max_chars=200)
    team = st.text_input(_("Author or team name"), key="stories_team", max_chars=200)
    if plan["replaces"]:
        st.caption(_("Saving replaces the story you are re-ordering; its link changes."))
    saved_pressed = st.form_submit_button(_("Save story"), type="primary", key="stories_save")
if saved_pressed:
    try:
        story_id = store().save_story(Story(title, tuple(plan["ids"]), team=team), editor_key())
        if plan["replaces"]:
            store().delete_item("stories", plan["replaces"], editor_key())
            up.forget("stories", plan["replaces"])
        up.remember("stories", story_id)
        st.session_state[up.DRAFT] = {"ids": [], "replaces": None}
        st.success(_("Story saved."))
    except UserError as err:
        show_user_error(err)

st.header(_("My stories"))
stories = up.my_items("stories")
if not stories:
    st.info(_("No stories in this browser session yet."))
for story in stories:
    with st.container(border=True):
        text, act, edit, drop = st.columns([4, 1, 1, 1], vertical_alignment="center")
        text.markdown(f"**{up.plain(story.title)}**" + (f" · {up.plain(story.team)}" if story.team else ""))
        text.caption(_.ngettext("{n} slide", "{n} slides", len(story.view_ids)).format(n=len(story.view_ids)))
        with act:
            up.present_link("stories", story.short_id)
        edit.button(_("Re-order"), key=f"stories_edit_{story.short_id}", on_click=up.load_draft, args=(story,))
        up.delete_own(drop, "stories", story.short_id, f"stories_delete_{story.short_id}")
        up.share_box("stories", story.short_id)
