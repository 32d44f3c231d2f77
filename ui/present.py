"""Streamlit glue for saving, presenting and sharing: the save form, slides, links, handouts, trainer gate.

The map builder calls ``save_view_form(spec, table)``; the stories, present and gallery pages use the rest.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import replace
from urllib.parse import urlencode, urlsplit

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from atlas.draw.builder import Built, build, build_fixed
from atlas.draw.compose import Composed
from atlas.draw.fit import Frame
from atlas.draw.maps import country_view
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.keep import SavedView, Story
from atlas.share import saved, workshop
from atlas.values import datasets
from atlas.values.datasets import DatasetTable
from ui.builder import size_legend
from ui.common import choice_hint, fmt, lang, legend, sample_banner, show_user_error, tr
from ui.mapframe import draw, measure, static_map
from ui.state import editor_key, store
from ui.trainer import trainer_unlocked

MINE = "present_mine"  # {"views": [ids], "stories": [ids]} saved in this browser session
SLIDE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], header { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 1rem 2rem; max-width: 100%; }
.achyk-slide-title { font-size: 44px; line-height: 1.15; font-weight: 700; margin: 0 0 .3rem 0; }
.st-key-slide_side, .st-key-slide_side p, .st-key-slide_side span, .st-key-slide_side b { font-size: 22px; }
.st-key-slide_side [data-testid="stCaptionContainer"] p { font-size: 18px; }
</style>"""


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~>:<])")


def plain(text: str) -> str:
    """User text safe inside st.markdown: no links, images (which would fetch from outside) or formatting.

    >>> plain("![x](a.png)")
    '\\\\!\\\\[x\\\\]\\\\(a\\\\.png\\\\)'
    """
    return _MD_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def remember(kind: str, short_id: str) -> None:
    """Note that this session saved ``short_id`` (it may delete or publish it)."""
    mine = st.session_state.setdefault(MINE, {"views": [], "stories": []})
    if short_id not in mine[kind]:
        mine[kind].append(short_id)


def forget(kind: str, short_id: str) -> None:
    mine = st.session_state.setdefault(MINE, {"views": [], "stories": []})
    mine[kind] = [i for i in mine[kind] if i != short_id]


def delete_own(column, kind: str, short_id: str, key: str) -> None:
    """A Delete button for one of this session's views or stories (refusals shown, not raised)."""
    _ = tr()
    if column.button(_("Delete"), key=key):
        try:
            store().delete_item(kind, short_id, editor_key())
            forget(kind, short_id)
            st.rerun()
        except UserError as err:
            show_user_error(err)


def my_items(kind: str) -> list:
    """This session's saved views or stories that still exist (hidden ones included: they are the owner's)."""
    ids = st.session_state.get(MINE, {}).get(kind, [])
    get = store().get_view if kind == "views" else store().get_story
    return [item for item in (get(i, include_hidden=True) for i in ids) if item is not None]


def app_link(path: str) -> str:
    """A full link to ``path`` in this app, as the browser sees it (the laptop's address on a LAN)."""
    url = urlsplit(st.context.url or "")
    base = f"{url.scheme}://{url.netloc}/" if url.netloc else "/"
    return base + path


def share_box(kind: str, short_id: str) -> None:
    _ = tr()
    st.caption(_("Link to copy (opens the presentation):"))
    st.code(app_link(saved.share_path(kind, short_id)), language=None)


def save_view_form(spec: ViewSpec, table: DatasetTable) -> str | None:
    """A form to save the current map with a title, a note and an author or team; returns the new short id.

    For an upload, a notice beside the button says the data will be copied into the app's store.
    """
    _ = tr()
    with st.form("save_view_form", clear_on_submit=False):
        title = st.text_input(_("Title"), value=spec.title, max_chars=200, key="save_view_title")
        note = st.text_area(_("What does the map show? (a few sentences)"), value=spec.note, max_chars=2000,
                            key="save_view_note")
        team = st.text_input(_("Author or team name"), value=spec.author, max_chars=200, key="save_view_team")
        publish = st.checkbox(_("Also publish in the datathon gallery"), key="save_view_publish")
        if saved.is_upload(spec):
            st.warning(_("Saving copies your uploaded data into this app's store, so everyone with the link "
                         "can see it. Without saving, your data stays only in this browser tab."), icon="📤")
        pressed = st.form_submit_button(_("Save view"), type="primary", key="save_view_submit")
    if not pressed:
        return None
    try:
        record = saved.new_saved_view(spec, table, title, note, team=team, published=publish)
        short_id = store().save_view(record, editor_key())
    except UserError as err:
        show_user_error(err)
        return None
    remember("views", short_id)
    st.success(_("Saved. You find it under “Saved views and stories”."))
    share_box("views", short_id)
    return short_id


def composed_slide(view: SavedView, frame: Frame | None = None) -> Built | None:
    """Resolve and draw a saved view in the current language (its map type's deck, as in the builder,
    fitted to ``frame``); shows the error and returns None on failure."""
    try:
        slide = saved.resolve(view, lang())
        spec = replace(slide.spec, lang=lang())
        if datasets.is_fixed(slide.table.key):  # made once for every session that shows this slide
            return build_fixed(spec, frame=frame)
        return build(spec, slide.table, tr(), frame=frame)
    except UserError as err:
        show_user_error(err)
        return None


def nav_link(path: str, url_path: str, label: str, icon: str | None = None, params: dict | None = None) -> None:
    """A link to another page of the app; a plain link when the page runs outside the router (tests)."""
    params = {**(params or {}), "lang": lang()}
    try:
        st.page_link(path, label=label, icon=icon, query_params=params)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}]({url_path}?{urlencode(params)})")


def present_link(kind: str, short_id: str) -> None:
    """A "Present" link opening a saved view or story in presentation mode."""
    _ = tr()
    nav_link("app_pages/present.py", "present", _("Present"), ":material/slideshow:",
             {"story" if kind == "stories" else "view": short_id})


def hide_chrome() -> None:
    """Presentation mode: no sidebar, header or toolbar (the slide buttons carry the arrow-key shortcuts)."""
    st.markdown(SLIDE_CSS, unsafe_allow_html=True)


def slide_title(text: str) -> None:
    st.markdown(f"<h1 class='achyk-slide-title'>{html.escape(text)}</h1>", unsafe_allow_html=True)


def draw_slide(view: SavedView, height: int = 470) -> Built | None:
    """The map with its legend, the note and the source line, large enough for the back of a room;
    the map fits the country into its measured column, at most ``height`` tall (on a phone's narrow
    column the country's own shape sets a lower height: no band of empty sea under it)."""
    _ = tr()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        key = f"slide_map_{view.short_id}"
        frame, webgl = measure(key)
        built = composed_slide(view, Frame(frame.width, min(height, country_view(Frame(frame.width)).height)))
        if built is None:
            return None
        c = built.composed
        draw(lambda: built.deck, webgl, key, static_map(c.view, c.caption, c.unit))
    with right, st.container(key="slide_side"):
        if c.table.is_sample:
            sample_banner()
        if c.spec.map_type == "bubbles":  # circles, not colours, carry the value: say so as the builder does
            size_legend(c.view.values, fmt, c.unit)
            legend([e for e in c.view.legend if e[0] is None], "")
        else:
            legend(c.view.legend, c.unit)
        if view.note:
            st.markdown(plain(view.note))
        byline = view.team or view.author
        source = c.source or c.spec.source or _(c.table.source)
        st.caption(_("Source") + ": " + plain(source + (f" · {byline}" if byline else "")))
    return built


def handouts(view: SavedView, c: Composed) -> None:
    """Handout downloads, rendered only when asked (a PDF takes a second; reruns must stay fast)."""
    _ = tr()
    kind = st.selectbox(_("Handout format"), list(saved.EXPORTS), key=f"handout_kind_{view.short_id}",
                        format_func=lambda k: _(saved.EXPORTS[k][0]), placeholder=choice_hint(saved.EXPORTS))
    cache_key = f"handout_{view.short_id}_{kind}_{lang()}"
    if st.button(_("Prepare the file"), key=f"handout_make_{view.short_id}"):
        with st.spinner(_("Drawing the handout…")):
            st.session_state[cache_key] = saved.export_file(kind, c, _, dt.date.today())
    ready = st.session_state.get(cache_key)
    if ready is not None:
        st.download_button(_("Download {name}").format(name=ready.name), ready.data, file_name=ready.name,
                           mime=ready.mime, key=f"handout_get_{view.short_id}", on_click="ignore")


DRAFT = "story_draft"  # {"ids": [...], "replaces": short id or None}


def draft() -> dict:
    """The story being put together in this session (ordered view ids)."""
    return st.session_state.setdefault(DRAFT, {"ids": [], "replaces": None})


def move(index: int, step: int) -> None:
    """Button callback: move a draft slide up (-1) or down (+1); step 0 removes it."""
    ids = draft()["ids"]
    if step == 0:
        ids.pop(index)
    elif 0 <= index + step < len(ids):
        ids[index], ids[index + step] = ids[index + step], ids[index]


def load_draft(story: Story) -> None:
    """Button callback (runs before the widgets exist, so it may fill them): re-order an own story."""
    st.session_state[DRAFT] = {"ids": list(story.view_ids), "replaces": story.short_id}
    st.session_state["stories_title"], st.session_state["stories_team"] = story.title, story.team


def choosable_views() -> dict[str, str]:
    """Views a story may use: this session's and the gallery's, id → title (with team)."""
    items = {v.short_id: v for v in [*my_items("views"), *store().list_gallery("views")]}
    return {k: v.title + (f" — {v.team}" if v.team else "") for k, v in items.items()}


BACKUP, BACKUP_FAILED = "workshop_backup", "workshop_backup_failed"


def _reset_now() -> None:
    """Button callback: back up, then reset; the outcome is kept for the next run to show."""
    st.session_state[BACKUP_FAILED] = None
    try:
        st.session_state[BACKUP] = workshop.reset_workshop(store(), trainer_unlocked())
    except UserError as err:
        st.session_state[BACKUP_FAILED] = err
    except OSError:
        st.session_state[BACKUP_FAILED] = "disk"
    st.session_state["reset_confirm"] = False  # the next reset needs a fresh confirmation


def reset_section() -> None:
    """Reset the workshop after a confirmation; the backup zip is written first and offered for download."""
    _ = tr()
    st.warning(_("This deletes every saved view, story and monitoring report. A backup zip (JSON and CSV) is "
                 "made first, kept on this laptop and offered for download."))
    sure = st.checkbox(_("Yes, back up everything and then empty the gallery and the reports"), key="reset_confirm")
    st.button(_("Back up and reset"), key="reset_run", type="primary", disabled=not sure, on_click=_reset_now)
    failed = st.session_state.get(BACKUP_FAILED)
    if isinstance(failed, UserError):
        show_user_error(failed)
    elif failed:
        st.error(_("The backup could not be written, so nothing was deleted."))
    backup = st.session_state.get(BACKUP)
    if backup is not None:
        st.success(_("Reset done: {views} views, {stories} stories and {reports} reports were removed. "
                     "Backup kept at {path}.").format(**backup.counts, path=backup.path))
        st.download_button(_("Download the backup"), backup.data, file_name=backup.path.name,
                           mime="application/zip", key="reset_backup_get", on_click="ignore")
