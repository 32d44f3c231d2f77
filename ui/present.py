"""Streamlit glue for saving, presenting and sharing: the save form, slides, links, handouts, trainer gate.

The map builder calls ``save_view_form(spec, table)``; the stories, present and gallery pages use the rest.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import replace
from urllib.parse import urlsplit

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from atlas import saved
from atlas.compose import Composed, compose
from atlas.datasets import DatasetTable
from atlas.errors import UserError
from atlas.security import PIN_GATE, trainer_pin
from atlas.store import SavedView
from atlas.views import ViewSpec
from ui.common import lang, legend, sample_banner, show_user_error, tr
from ui.state import editor_key, store

MINE = "present_mine"  # {"views": [ids], "stories": [ids]} saved in this browser session
UNLOCKED = "present_trainer_unlocked"
SLIDE_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], header { display: none !important; }
[data-testid="stMainBlockContainer"] { padding: 1rem 2rem 1rem 2rem; max-width: 100%; }
.achyk-slide-title { font-size: 44px; line-height: 1.15; font-weight: 700; margin: 0 0 .3rem 0; }
.st-key-slide_side, .st-key-slide_side p, .st-key-slide_side span, .st-key-slide_side b { font-size: 22px; }
.st-key-slide_side [data-testid="stCaptionContainer"] p { font-size: 18px; }
</style>"""


def remember(kind: str, short_id: str) -> None:
    """Note that this session saved ``short_id`` (it may delete or publish it)."""
    mine = st.session_state.setdefault(MINE, {"views": [], "stories": []})
    if short_id not in mine[kind]:
        mine[kind].append(short_id)


def forget(kind: str, short_id: str) -> None:
    mine = st.session_state.setdefault(MINE, {"views": [], "stories": []})
    mine[kind] = [i for i in mine[kind] if i != short_id]


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


def composed_slide(view: SavedView) -> tuple[saved.Slide, Composed] | None:
    """Resolve and compose a saved view in the current language; shows the error and returns None on failure."""
    try:
        slide = saved.resolve(view)
        return slide, compose(replace(slide.spec, lang=lang()), slide.table, tr())
    except UserError as err:
        show_user_error(err)
        return None


def nav_link(path: str, url_path: str, label: str, icon: str | None = None) -> None:
    """A link to another page of the app; a plain link when the page runs outside the router (tests)."""
    try:
        st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        st.markdown(f"[{label}]({url_path})")


def hide_chrome() -> None:
    """Presentation mode: no sidebar, header or toolbar (the slide buttons carry the arrow-key shortcuts)."""
    st.markdown(SLIDE_CSS, unsafe_allow_html=True)


def slide_title(text: str) -> None:
    st.markdown(f"<h1 class='achyk-slide-title'>{html.escape(text)}</h1>", unsafe_allow_html=True)


def draw_slide(view: SavedView, c: Composed, height: int = 470) -> None:
    """The map with its legend, the note and the source line, large enough for the back of a room."""
    _ = tr()
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.pydeck_chart(c.view.deck(), height=height, key=f"slide_map_{view.short_id}")
    with right, st.container(key="slide_side"):
        if c.table.is_sample:
            sample_banner()
        legend(c.view.legend, c.unit)
        if view.note:
            st.markdown(html.escape(view.note))
        byline = view.team or view.author
        st.caption(_("Source") + ": " + (c.spec.source or _(c.table.source)) + (f" · {byline}" if byline else ""))


def handouts(view: SavedView, c: Composed) -> None:
    """Handout downloads, rendered only when asked (a PDF takes a second; reruns must stay fast)."""
    _ = tr()
    kind = st.selectbox(_("Handout format"), list(saved.EXPORTS), key=f"handout_kind_{view.short_id}",
                        format_func=lambda k: _(saved.EXPORTS[k][0]))
    cache_key = f"handout_{view.short_id}_{kind}_{lang()}"
    if st.button(_("Prepare the file"), key=f"handout_make_{view.short_id}"):
        with st.spinner(_("Drawing the handout…")):
            st.session_state[cache_key] = saved.export_file(kind, c, _, dt.date.today())
    ready = st.session_state.get(cache_key)
    if ready is not None:
        st.download_button(_("Download {name}").format(name=ready.name), ready.data, file_name=ready.name,
                           mime=ready.mime, key=f"handout_get_{view.short_id}", on_click="ignore")


def trainer_unlocked() -> bool:
    """Whether this session has entered the trainer PIN (the trainer page's unlock counts too)."""
    try:
        from ui import trainer  # built by a colleague; it owns the PIN prompt when present

        if trainer.trainer_unlocked():
            return True
    except (ImportError, AttributeError):
        pass
    return bool(st.session_state.get(UNLOCKED))


def pin_prompt(key: str) -> bool:
    """Ask for the trainer PIN; True once unlocked."""
    if trainer_unlocked():
        return True
    _ = tr()
    with st.form(f"{key}_pin_form"):
        attempt = st.text_input(_("Trainer PIN"), type="password", key=f"{key}_pin")
        pressed = st.form_submit_button(_("Unlock"), key=f"{key}_pin_submit")
    if pressed:
        try:
            secret = st.secrets.get("trainer_pin") if st.secrets else None
        except Exception:  # no secrets.toml is the normal case; Streamlit raises then
            secret = None
        try:
            ok = PIN_GATE.check(attempt, _session_id(), trainer_pin(secret))
        except UserError as err:
            show_user_error(err)
            return False
        if not ok:
            st.error(_("Wrong PIN."))
            return False
        st.session_state[UNLOCKED] = True
        st.rerun()
    return False


def _session_id() -> str:
    return editor_key()  # one per browser session; the gate only needs a stable per-session id
