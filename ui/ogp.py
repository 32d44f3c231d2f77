"""Streamlit glue for the commitments explorer: the active reference table and one commitment's card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.i18n import N_, format_date
from atlas.ogp import monitoring
from atlas.ogp.commitments import active_localised
from ui.common import lang, tr
from ui.state import store


def active_table() -> pd.DataFrame:
    """The reference table in force (the trainer's newest upload, else the bundled one), with ``title``
    and ``lead`` in the page's language (English where the project has no translation). Read-only."""
    return active_localised(store(), lang())


def _field_line(label: str, value: str) -> str:
    _ = tr()
    shown = value.strip() if value and value.strip() not in ("", "NA") else "—"
    return f"**{_(label)}:** {shown.replace(';', ',')}" if shown != "—" else f"**{_(label)}:** _{_('not given')}_"


def commitment_card(row: pd.Series) -> None:
    """Every field of one commitment, with its sources as links (http/https only)."""
    _ = tr()
    st.subheader(f"{row['commitment_id']} — {row['title']}")
    dates = " – ".join(format_date(d, lang(), "medium") or "?" for d in (row["start_date"], row["end_date"]))
    lines = [
        _field_line(N_("Policy areas"), row["policy_areas"]),
        _field_line(N_("Lead institution"), row["lead"]),
        _field_line(N_("Support institutions"), row["support_institutions"]),
        _field_line(N_("Dates"), dates if dates != "? – ?" else ""),
        _field_line(N_("Level"), _(row["level"]) if row["level"] == "national" else row["level"]),
    ]
    lines += [_field_line(label, row[field]) for field, label in monitoring.IRM_FIELDS.items()]
    if lang() != "en" and row["title"] != row["title_en"]:
        lines.insert(0, _field_line(N_("Title in English, as OGP writes it"), row["title_en"]))
    st.markdown("  \n".join(lines))
    links = monitoring.safe_links(row["source_url"])
    if links:
        shown = [monitoring.md_link(f"{_('OGP page')} {i + 1}", url) for i, url in enumerate(links)]
        st.markdown(_("Source") + ": " + " · ".join(shown))
