"""Language, translation and the small widgets every page shares."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

import streamlit as st

from atlas import i18n
from atlas.errors import UserError

LANG_KEY = "lang"


# Captions and small text: Streamlit fades them to about 3.9:1 on our backgrounds; WCAG AA asks 4.5:1.
HOUSE_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {
  color: #4a565d !important; opacity: 1 !important; }
/* The shown text of a disabled select box (Streamlit draws it at 2.3:1). */
span[aria-hidden="true"] > [data-testid="stMarkdownContainer"] p { color: #5b666c !important; opacity: 1 !important; }
/* Code blocks (the trainer's commands): the highlighter's light cyan and teal read at 2.5:1; keep one dark ink. */
[data-testid="stCode"] code span { color: #1d2b33 !important; }
</style>"""


def house_style() -> None:
    """The app's few CSS rules (readable contrast for small text), once per run from the frame."""
    st.html(HOUSE_CSS)


def lang() -> str:
    """The current language: the link (?lang=ky) first, then this session's choice, then the browser."""
    wanted = i18n.pick_lang(st.query_params.get(LANG_KEY) or st.session_state.get(LANG_KEY), st.context.locale)
    st.session_state[LANG_KEY] = wanted
    return wanted


def tr() -> Callable[[str], str]:
    """The translation function ``_`` for the current language."""
    return i18n.translator(lang())


def language_switch() -> None:
    """A language selector in the sidebar; the choice goes into the link so it can be shared."""
    current = lang()
    choice = st.sidebar.radio(
        "🌐", list(i18n.LANGS), index=list(i18n.LANGS).index(current), key="lang_switch",
        format_func=i18n.LANG_NAMES.get, horizontal=True, label_visibility="collapsed",
    )
    if choice != current:
        st.session_state[LANG_KEY] = choice
        st.query_params[LANG_KEY] = choice
        st.rerun()
    st.query_params[LANG_KEY] = current


def fmt(value: float, decimals: int | None = None) -> str:
    """A number formatted for the current language."""
    return i18n.fmt_number(value, lang(), decimals)


def choice_hint(options: Sequence | None = None) -> str:
    """A select box's placeholder in the user's language, instead of Streamlit's English one.

    It shows when nothing is chosen, or when there is nothing to choose (the box is then disabled).
    """
    _ = tr()
    return _("Choose from the list") if options is None or len(options) else _("Nothing to choose yet")


def sources_line(sources: Sequence[str]) -> None:
    """The provenance line under a map, chart or table: every bundled number names its source."""
    _ = tr()
    st.caption(_("Source") + ": " + " · ".join(sources))


def sample_banner() -> None:
    """The warning shown wherever the generated NGO sample appears."""
    _ = tr()
    st.warning(_("Illustrative sample — not real data. Generated to demonstrate the app."), icon="⚠️")


def show_user_error(error: UserError) -> None:
    st.error(error.msg.render(tr()))


def legend(entries: Sequence[tuple[str | None, str, int | None]], title: str) -> None:
    """A legend of coloured swatches: (hex or None for no data, label, count)."""
    rows = []
    for color, label, count in entries:
        swatch = (
            f"background:{color};" if color
            else "background:repeating-linear-gradient(45deg,#dededa 0 3px,#b9b9b4 3px 5px);"
        )
        suffix = f" <span style='color:#667'>({count})</span>" if count is not None else ""
        rows.append(
            f"<div role='listitem' style='display:flex;align-items:center;gap:.5em;margin:2px 0'>"
            f"<span style='display:inline-block;width:1.4em;height:1em;border:1px solid #888;{swatch}'></span>"
            f"<span>{html.escape(label)}{suffix}</span></div>"
        )
    st.markdown(
        f"<div role='list' aria-label='{html.escape(title)}'><b>{html.escape(title)}</b>{''.join(rows)}</div>",
        unsafe_allow_html=True,
    )
