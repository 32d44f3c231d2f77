"""Fit each map to its column, and draw a static map where the browser has no WebGL.

A tiny component (no iframe, no network) measures the width of the column it sits in and tests
whether the browser can make a WebGL2 context (deck.gl 9 needs one). It reports both once, and again
only when the column's width changes by more than a few pixels (a phone turned sideways), so it
costs one rerun per page. Until it has reported, maps fit a phone's column: the first paint never
cuts the country, and a wider screen then zooms in.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import streamlit as st

from atlas.draw.fit import PHONE, Frame
from atlas.draw.maps import CompactDeck

_JS = """
export default function (component) {
  const { setStateValue, parentElement, data } = component;
  if (window.__achykWebgl === undefined) {
    let ok = false;
    try {
      const gl = document.createElement("canvas").getContext("webgl2");
      ok = !!gl;
      const lose = gl && gl.getExtension("WEBGL_lose_context");
      if (lose) lose.loseContext();
    } catch (e) { ok = false; }
    window.__achykWebgl = ok;
  }
  const webgl = window.__achykWebgl;
  const known = data || {};
  let sent = known.width || 0;
  const report = () => {
    const width = Math.round(parentElement.getBoundingClientRect().width);
    if (width > 0 && (Math.abs(width - sent) > 12 || known.webgl !== webgl)) {
      sent = width;
      known.webgl = webgl;
      setStateValue("box", { width: width, webgl: webgl });
    }
  };
  const observer = new ResizeObserver(report);
  observer.observe(parentElement);
  report();
  return () => observer.disconnect();
}
"""

_PROBE = st.components.v2.component("achyk_map_probe", js=_JS, isolate_styles=False)

# st.html sanitises SVG away; this component shows our own renderer's markup (every text in it was
# escaped by atlas/draw/export_html.py) as it is, with no script of its own beyond putting it in place.
_SVG_JS = """
export default function (component) {
  const { parentElement, data } = component;
  let holder = parentElement.querySelector(":scope > .achyk-svg-holder");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "achyk-svg-holder";
    parentElement.appendChild(holder);
  }
  holder.innerHTML = data || "";
}
"""
_SVG = st.components.v2.component("achyk_svg_map", js=_SVG_JS, isolate_styles=False)


def _component_key(key: str, suffix: str) -> str:
    """A component key from a map key: Streamlit refuses "__" in it (a short id may start with "_")."""
    return re.sub("_{2,}", "_", f"{key}_{suffix}")


def measure(key: str) -> tuple[Frame, bool]:
    """(the map's frame, whether WebGL works) for the column this is called in.

    Before the browser has answered: a phone's frame, and WebGL assumed (most browsers have it).
    """
    box = st.session_state.get(key + "_box") or {}
    known = {"width": box.get("width", 0), "webgl": box.get("webgl", True)}
    result = _PROBE(key=_component_key(key, "probe"), data=known, default={"box": None},
                    on_box_change=lambda: None, height="content")
    box = result.get("box") or box
    st.session_state[key + "_box"] = box
    width = int(box.get("width") or 0)
    return (Frame(width) if width >= 200 else PHONE), bool(box.get("webgl", True))


def show_map(make_deck: Callable[[Frame], CompactDeck], key: str, static_html: Callable[[], str] | None = None,
             **chart_args) -> None:
    """Measure the column, then draw ``make_deck(frame)`` at its fitted height, or, without WebGL,
    the static map ``static_html()`` (or a note when the map has no static form)."""
    frame, webgl = measure(key)
    draw(lambda: make_deck(frame), webgl, key, static_html, **chart_args)


def static_map(view, title: str, unit: str) -> Callable[[], str]:
    """The static SVG map of a ``RegionView`` (for ``draw``), its note in the page's language."""
    from atlas.draw import svgmap
    from ui.common import tr

    _ = tr()
    note = _("A static map: this browser cannot draw the interactive one (WebGL is off).")
    return lambda: svgmap.svg_map_html(svgmap.handout_of(view, title, unit, _), note)


def draw(make_deck: Callable[[], CompactDeck], webgl: bool, key: str, static_html: Callable[[], str] | None = None,
         **chart_args) -> None:
    """Draw the deck at its fitted height or, without WebGL, the static map (or a note)."""
    if not webgl:
        if static_html is not None:
            _SVG(key=_component_key(key, "svg"), data=static_html(), height="content")
        else:
            from ui.common import tr

            st.info(tr()("This browser cannot draw the interactive map (WebGL is off). "
                         "The table below carries the same values."))
        return
    deck = make_deck()
    st.pydeck_chart(deck, height=deck.height, key=key, **chart_args)
