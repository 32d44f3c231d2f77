"""The two widgets every map page shares for the geography: the level switch and the relief toggle."""

from __future__ import annotations

import streamlit as st

from ui.common import tr

BOUNDARIES = "OCHA COD-AB (CC BY 3.0 IGO); Natural Earth (public domain)"


def level_switch(key: str, default: int = 1, help_text: str | None = None) -> int:
    """Oblasts (level 1) or rayons (level 2), as a horizontal radio keyed ``key``."""
    _ = tr()
    options = [1, 2]
    labels = {1: _("Oblasts and cities"), 2: _("Rayons and towns")}
    return st.radio(_("Level"), options, index=options.index(default), key=key, horizontal=True,
                    format_func=labels.get, help=help_text)


def level_from_link() -> int:
    """The level a link asks for (``?lv=2``), 1 for anything else."""
    return 2 if st.query_params.get("lv") == "2" else 1


def relief_toggle(key: str, default: bool = False) -> bool:
    """The mountain lens: shaded relief over the map (GEBCO 2023), off by default."""
    _ = tr()
    return st.toggle(_("Relief"), value=default, key=key,
                     help=_("Shaded relief from GEBCO 2023 (public domain), drawn from a bundled image."))


def boundaries_line() -> str:
    """The boundaries' provenance for a sources line, in the current language."""
    _ = tr()
    return _("Boundaries") + ": " + BOUNDARIES
