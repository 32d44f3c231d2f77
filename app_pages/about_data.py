"""About the data: every bundled dataset and boundary file, with source, licence, date and gaps."""

from __future__ import annotations

import streamlit as st

from atlas import catalogue
from ui.common import tr

_ = tr()
st.title(_("About the data"))
st.markdown(_("Every number in this app comes from one of the files below. Where the sources are "
              "silent or disagree, the value is left empty and the gap is named."))

for entry in catalogue.ENTRIES:
    with st.container(border=True):
        st.subheader(_(entry.title))
        if entry.is_sample:
            st.warning(_("Illustrative sample — not real data. Generated to demonstrate the app."), icon="⚠️")
        st.markdown(f"**{_('File')}:** `{entry.path}`  \n**{_('Source')}:** {_(entry.source)}  \n"
                    f"**{_('Licence')}:** {_(entry.licence)}  \n**{_('Date')}:** {entry.date}")
        if entry.gaps:
            st.markdown(f"**{_('Known gaps and caveats')}:**")
            for gap in entry.gaps:
                st.markdown(f"- {_(gap)}")
