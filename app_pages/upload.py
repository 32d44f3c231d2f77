"""Your data: drop a file (or paste cells), see what was understood, fix the regions, get a map."""

from __future__ import annotations

import streamlit as st

from atlas.errors import UserError
from ui import state
from ui import upload as ui
from ui.common import tr

_ = tr()
st.title(_("Your data"))
st.caption(_("Drop the file you already have. The app shows what it understood and which rows landed on "
             "which region; fix the rest in a few clicks and get a map. Your file stays in this browser "
             "session only."))

source = ui.inputs(_)
built = None
if source is not None:
    data, name, kind = source
    key = ui.content_key(data)
    ui.activate(key)
    up = None
    try:
        with st.spinner(_("Reading the file…")):
            up = ui.read_file(data, name, key, _)
    except UserError as err:
        ui.show_error(err, _)
    if up is not None:
        st.header(_("What the app understood"))
        if kind == "sample":
            st.caption(_("Sample file: {name} (illustrative, not real data).").format(name=name))
        ui.guesses(up, key, _)
        ui.report(up, _)
        with st.expander(_("The table as read ({rows} rows)").format(rows=len(up.table))):
            st.dataframe(up.table.drop(columns="geometry", errors="ignore").head(200), key="upload_preview")
        st.header(_("Columns"))
        choices = ui.roles(up, _)
        choices.fixes = ui.fixes_for(key)
        choices.duplicates = st.session_state.get("upload_dup", "sum")
        choices.swap_points = bool(st.session_state.get("upload_swap", False))
        choices.where = ui.filters(up, choices, _)
        try:
            built = ui.build(up, choices, name or _("Pasted table"))
        except UserError as err:
            ui.show_error(err, _)
    if built is not None:
        st.header(_("Regions"))
        ui.fixer(built, key, _)
        ui.duplicates_choice(built, _)
        ui.points_panel(built, _)
        state.add_user_dataset(built.table)
        st.session_state[ui.LAST] = built.table.key

last = st.session_state.get(ui.LAST)
table = state.dataset_table(last) if last else None
if table is not None:
    st.header(_("Your map"))
    if built is None:
        st.info(_("Showing your last table that was read successfully."))
    try:
        ui.result(table, _)
    except UserError as err:
        ui.show_error(err, _)
elif source is None:
    st.info(_("Upload a file, paste cells from Excel or try the sample file to see your data on the map."))
