"""Datathon gallery: teams publish their views and stories; everyone opens them; the trainer curates and resets."""

from __future__ import annotations

import streamlit as st

from atlas.errors import UserError
from ui import present as up
from ui.common import show_user_error, tr
from ui.state import editor_key, store
from ui.trainer import pin_prompt, trainer_unlocked

_ = tr()
KIND_LABELS = {"stories": _("Stories"), "views": _("Views")}
st.title(_("Datathon gallery"))
st.caption(_("Teams publish their maps and stories here with their team name. Press “Present” to open one."))
trainer = trainer_unlocked()


def act(kind: str, short_id: str, **flags: bool) -> None:
    """Change gallery flags as the owner (publish) or the trainer (feature, hide); errors shown, not raised."""
    try:
        store().set_gallery_flags(kind, short_id, editor_key=editor_key(), pin_ok=trainer, **flags)
        st.rerun()
    except UserError as err:
        show_user_error(err)


with st.expander(_("Publish your work"), expanded=False):
    unpublished = [(k, i) for k in KIND_LABELS for i in up.my_items(k) if not i.published]
    if not unpublished:
        st.caption(_("Nothing to publish: save a view in the map builder or make a story first."))
    for kind, item in unpublished:
        text, button = st.columns([5, 1], vertical_alignment="center")
        text.markdown(f"**{up.plain(item.title)}** · {up.plain(item.team) or _('no team name')}")
        if button.button(_("Publish"), key=f"gallery_publish_{item.short_id}"):
            act(kind, item.short_id, published=True)

for kind, label in KIND_LABELS.items():
    st.header(label)
    items = store().list_gallery(kind, include_hidden=trainer)
    if not items:
        st.info(_("Nothing published yet."))
    for item in items:
        with st.container(border=True):
            text, open_col = st.columns([5, 1], vertical_alignment="center")
            badges = ("⭐ " if item.featured else "") + ("🙈 " if item.hidden else "")
            byline = up.plain(item.team or item.author) or _("no team name")
            text.markdown(f"{badges}**{up.plain(item.title)}** · {byline}")
            if kind == "views" and item.note:
                text.caption(up.plain(item.note))
            if kind == "stories":
                text.caption(_.ngettext("{n} slide", "{n} slides", len(item.view_ids)).format(n=len(item.view_ids)))
            with open_col:
                up.present_link(kind, item.short_id)
            if item.short_id in {i.short_id for i in up.my_items(kind)} and st.button(
                    _("Withdraw from the gallery"), key=f"gallery_unpublish_{item.short_id}"):
                act(kind, item.short_id, published=False)
            if trainer:
                feat, hide, drop = st.columns(3)
                if feat.button(_("Unfeature") if item.featured else _("Feature"),
                               key=f"gallery_feature_{item.short_id}"):
                    act(kind, item.short_id, featured=not item.featured)
                if hide.button(_("Show again") if item.hidden else _("Hide"), key=f"gallery_hide_{item.short_id}"):
                    act(kind, item.short_id, hidden=not item.hidden)
                if drop.button(_("Delete"), key=f"gallery_delete_{item.short_id}"):
                    try:
                        store().delete_item(kind, item.short_id, pin_ok=trainer_unlocked())
                        st.rerun()
                    except UserError as err:  # another trainer deleted it a moment ago
                        show_user_error(err)

st.header(_("Trainer"))
if not pin_prompt():
    st.stop()
st.caption(_("Feature the best work (it comes first), hide what should not be shown, or delete it."))
with st.expander(_("Reset the workshop"), expanded=False):
    up.reset_section()
