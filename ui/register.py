"""Streamlit glue for the NGO activity register: the "Our work" form (new and edit), the editor key,
the live map that refreshes itself, the table of who works where, the gaps view, exports, moderation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from atlas.draw.level2map import level2_view
from atlas.draw.mapview import region_view
from atlas.errors import UserError
from atlas.i18n import N_
from atlas.ogp import register_stats as rs
from atlas.ogp.register import (
    COUNTRY,
    FIRST_YEAR,
    OBLAST_PREFIX,
    ORG_TYPES,
    PLAN_AHEAD,
    THEMES,
    Activity,
    Entry,
    EntryInvalid,
    area_choices,
    this_year,
)
from atlas.places import units
from atlas.places.gazetteer import region_name
from ui.common import choice_hint, lang, legend, show_user_error, tr
from ui.mapframe import show_map, static_map
from ui.state import store

REFRESH_S = 10  # the live map polls the store this often: one cheap query per session, redraw only on change
KEYS = "register_keys"  # editor keys this session made or typed: it may edit those entries
P = "reg_"


@st.cache_data(max_entries=4, show_spinner=False)
def visible_entries(stamp: str) -> list[Entry]:
    """The public entries at ``stamp`` (the register is public, so one cached copy serves every session)."""
    return store().list_entries()


def entries_now() -> list[Entry]:
    return visible_entries(store().register_stamp())


def area_format():
    """Labels that show the grouping by oblast in a flat multi-select: "Naryn Region › At-Bashy District"."""
    _, current = tr(), lang()
    parents = units.parents()

    def label(area: str) -> str:
        if area == COUNTRY:
            return "🇰🇬 " + _("Whole country")
        if area.startswith(OBLAST_PREFIX):
            return "▣ " + _("{name}: whole oblast").format(name=region_name(area[len(OBLAST_PREFIX):], current))
        parent = parents.get(area, "")
        if units.level2().at[area, "unit_type"] == "city":
            return units.unit_name(area, current)
        return f"{region_name(parent, current)} › {units.unit_name(area, current)}"

    return label


# ---------------------------------------------------------------------------------------------
# The form


def _activity_fields(prefix: str, i: int, old: Activity | None, slots: dict) -> Activity:
    _ = tr()
    st.markdown("**" + _("Activity {n}").format(n=i + 1) + "**")
    themes = list(THEMES)
    theme = st.selectbox(_("Theme"), themes, index=themes.index(old.theme) if old else None,
                         key=f"{prefix}_theme{i}", format_func=lambda t: _(THEMES[t].label),
                         placeholder=_("Choose a theme"))
    slots[f"a{i}.theme"] = st.empty()
    areas = st.multiselect(_("Where you work: rayons and towns, a whole oblast, or the whole country"),
                           area_choices(), default=list(old.areas) if old else [], key=f"{prefix}_areas{i}",
                           format_func=area_format(), placeholder=_("Type a rayon or oblast name"))
    slots[f"a{i}.areas"] = st.empty()
    c1, c2 = st.columns(2)
    last = this_year() + PLAN_AHEAD
    start = c1.number_input(_("From year"), FIRST_YEAR, last, value=old.year_from if old else this_year(),
                            step=1, key=f"{prefix}_from{i}")
    end = c2.number_input(_("To year (empty: ongoing)"), FIRST_YEAR, last, value=old.year_to if old else None,
                          step=1, key=f"{prefix}_to{i}")
    slots[f"a{i}.years"] = st.empty()
    people = st.number_input(_("Beneficiaries, people (optional)"), 0, value=old.beneficiaries if old else None,
                             step=1, key=f"{prefix}_people{i}")
    slots[f"a{i}.beneficiaries"] = st.empty()
    link = st.text_input(_("Link to your work (optional, http:// or https://)"), value=old.link if old else "",
                         key=f"{prefix}_link{i}", max_chars=500)
    slots[f"a{i}.link"] = st.empty()
    about = st.text_input(_("In a few words (optional)"), value=old.description if old else "",
                          key=f"{prefix}_about{i}", max_chars=300)
    slots[f"a{i}.description"] = st.empty()
    return Activity(theme or "", tuple(areas), start, end, people, link, about)


def entry_form(prefix: str, old: Entry | None = None, key: str = "") -> int | None:
    """The entry form (new, or ``old`` changed with its ``key``); returns the id saved, else None."""
    _ = tr()
    count = st.number_input(_("How many activities do you want to enter?"), 1, 6,
                            value=max(1, len(old.activities)) if old else 1, key=f"{prefix}_count")
    with st.form(f"{prefix}_form", border=True):
        slots: dict = {}
        types = list(ORG_TYPES)
        name = st.text_input(_("Organisation"), value=old.name if old else "", key=f"{prefix}_name", max_chars=200)
        slots["name"] = st.empty()
        org_type = st.selectbox(_("Type of organisation"), types, index=types.index(old.org_type) if old else None,
                                key=f"{prefix}_type", format_func=lambda t: _(ORG_TYPES[t]),
                                placeholder=_("Choose a type"))
        slots["org_type"] = st.empty()
        contact = st.text_input(_("Contact (optional, never published)"), value=old.contact if old else "",
                                key=f"{prefix}_contact", max_chars=200)
        slots["contact"] = st.empty()
        slots["activities"] = st.empty()
        activities = []
        for i in range(int(count)):
            with st.container(border=True):
                previous = old.activities[i] if old and i < len(old.activities) else None
                activities.append(_activity_fields(prefix, i, previous, slots))
        submitted = st.form_submit_button(_("Put our work on the map") if old is None else _("Save changes"),
                                          type="primary", key=f"{prefix}_submit", width="stretch")
    if not submitted:
        return None
    entry = Entry(name, org_type or "", tuple(activities), contact)
    try:
        if old is None:
            org_id, new_key = store().add_entry(entry)
            st.session_state.setdefault(KEYS, []).append(new_key)
            show_key(org_id, new_key)
            return org_id
        return store().update_entry(old.id, entry, key).id
    except EntryInvalid as err:
        show_user_error(err)
        for field, msg in err.problems.items():
            slots.get(field, st).error(msg.render(_))
    except UserError as err:
        show_user_error(err)
    return None


def show_key(org_id: int, key: str) -> None:
    """The editor key, shown once: only its hash is stored, so nobody can show it again."""
    _ = tr()
    st.success(_("Entry {id} is on the map. Thank you.").format(id=org_id))
    st.warning(_("Your editor key is shown only now. Copy it and keep it: it is the only way to change or "
                 "withdraw your entry later."), icon=":material/key:")
    st.code(key, language=None)


def edit_section() -> None:
    """Open an entry with its editor key (this session's keys are remembered), change it or withdraw it."""
    _ = tr()
    typed = st.text_input(_("Editor key"), key=P + "key_typed", type="password")
    keys = [k for k in [typed.strip(), *reversed(st.session_state.get(KEYS, []))] if k]
    found = [(k, e) for k, e in ((k, store().entry_for_key(k)) for k in dict.fromkeys(keys)) if e]
    if typed.strip() and not any(k == typed.strip() for k, _e in found):
        st.error(_("This editor key opens no entry. Check it, or ask the trainer."))
    if not found:
        st.caption(_("Entries made in this browser session open without typing the key."))
        return
    labels = {e.id: f"#{e.id} · {e.name}" for _k, e in found}
    chosen = st.selectbox(_("Your entry"), list(labels), key=P + "mine", format_func=labels.get,
                          placeholder=choice_hint(labels))
    key, entry = next((k, e) for k, e in found if e.id == chosen)
    if entry_form(f"{P}edit{entry.id}", entry, key) is not None:
        st.success(_("Entry {id} is changed.").format(id=entry.id))
    sure = st.checkbox(_("Yes, withdraw entry {id} for good").format(id=entry.id), key=f"{P}sure{entry.id}")
    if st.button(_("Withdraw our entry"), key=f"{P}withdraw{entry.id}", disabled=not sure):
        try:
            store().withdraw_entry(entry.id, key)
            st.session_state[KEYS] = [k for k in st.session_state.get(KEYS, []) if k != key]
            st.success(_("Entry {id} is withdrawn.").format(id=entry.id))
        except UserError as err:
            show_user_error(err)


# ---------------------------------------------------------------------------------------------
# The live map


MEASURES = {"organisations": "organisations", "activities": "activities", "per_10k": "per_10k"}


def _notes(entries: list[Entry], theme: str | None) -> dict[str, str]:
    long = rs.long_frame(entries, theme)
    return {p: ", ".join(sorted(set(g["name"]))[:5]) + (" …" if g["name"].nunique() > 5 else "")
            for p, g in long.groupby("pcode")}


def theme_picker(key: str) -> str | None:
    _ = tr()
    return st.selectbox(_("Theme"), [None, *THEMES], key=key,
                        format_func=lambda t: _("all themes") if t is None else _(THEMES[t].label),
                        placeholder=choice_hint())


def live_map(entries: list[Entry], level: int, measure: str, theme: str | None) -> None:
    """The map, its legend and summary for one level, measure and theme."""
    _ = tr()
    counts = rs.per_unit(entries, level, theme)
    # msgids: count nouns agree with their number in labels and tooltips (1 организация, 5 организаций)
    unit = {"organisations": N_("organisations"), "activities": N_("activities"),
            "per_10k": N_("per 10,000 people")}[measure]
    if level == 2:
        view = level2_view(counts.table[measure].astype(float), unit, lang(), _, _notes(entries, theme))
        show_map(lambda frame: view.deck(frame=frame), P + "map2")
    else:
        view = region_view(counts.table[measure].astype(float), unit, lang(), _)
        show_map(lambda frame: view.deck(frame=frame), P + "map1", static_map(view, _(unit), _(unit)))
    legend(view.legend, _(unit))
    st.markdown(view.summary if entries else _("No entries yet: the map fills in as organisations add their work."))
    if measure == "per_10k":
        st.caption(_("Beneficiaries per 10,000 people by oblast (population 1 January 2021). No data where no "
                     "activity with beneficiaries lies within one oblast. {n} activities spread over several "
                     "oblasts are left out, so nobody is counted twice.").format(n=counts.unattributed))
    if level == 1:
        st.markdown(view.ranked_bar_html(_("No data"), _("average")), unsafe_allow_html=True)


def table_and_exports(entries: list[Entry], theme: str | None) -> None:
    _ = tr()
    table = rs.who_works_where(entries, lang(), _, theme)
    st.markdown(_("{count} activities shown.").format(count=len(table)))
    st.dataframe(table, hide_index=True, width="stretch", key=P + "table", column_config={
        "organisation": _("Organisation"), "type": _("Type"), "theme": _("Theme"), "where": _("Where"),
        "years": _("Years"), "beneficiaries": _("Beneficiaries"),
        "link": st.column_config.LinkColumn(_("Link")), "description": _("In a few words"),
    })
    c1, c2 = st.columns(2)
    c1.download_button(_("Download the register (CSV)"), rs.register_csv(entries), file_name="achyk_ngo_register.csv",
                       mime="text/csv", key=P + "csv", icon=":material/download:")
    c2.download_button(_("Download the register by rayon (GeoJSON)"), rs.register_geojson(entries, lang()),
                       file_name="achyk_ngo_register.geojson", mime="application/geo+json", key=P + "geojson",
                       icon=":material/download:")
    st.caption(_("Public fields only: no contacts. The CSV opens safely in Excel (cells that look like formulas "
                 "are neutralised)."))


@st.fragment(run_every=REFRESH_S)
def live_section() -> None:
    """Map, table and exports, rerun every REFRESH_S seconds for everyone (the fragment only, not the page)."""
    _ = tr()
    entries = entries_now()
    c1, c2, c3 = st.columns(3)
    level = c1.radio(_("Level"), [2, 1], key=P + "level", horizontal=True,
                     format_func=lambda n: _("rayons") if n == 2 else _("oblasts"))
    measures = ["organisations", "activities"] + (["per_10k"] if level == 1 else [])
    measure = c2.selectbox(_("Show"), measures, key=P + "measure", format_func=lambda m: {
        "organisations": _("Organisations"), "activities": _("Activities"),
        "per_10k": _("Beneficiaries per 10,000 people")}[m], placeholder=choice_hint(measures))
    with c3:
        theme = theme_picker(P + "theme")
    if level == 2:
        st.caption(_("No per-10,000 figure by rayon: the app has no population by rayon."))
    n_orgs = len(entries)
    st.markdown(_("Organisations registered: **{orgs}**; activities: **{acts}**. The map updates every {s} seconds.")
                .format(orgs=n_orgs, acts=sum(len(e.activities) for e in entries), s=REFRESH_S))
    live_map(entries, level, measure, theme)
    st.caption(_("How wide work counts: an activity for a whole oblast counts in each of its rayons and towns; "
                 "one for the whole country counts in every unit."))
    table_and_exports(entries, theme)


# ---------------------------------------------------------------------------------------------
# Gaps beside an official indicator


def official_series(theme: str) -> tuple[dict, str, int] | None:
    """(values by ISO code, name, year) of the theme's official series, or None when the app has none."""
    series = THEMES[theme].series
    try:
        from atlas.values import official  # the SDG statistics (issue 13); absent from older builds
    except ImportError:
        return None
    try:
        year = official.years(series)[-1] if series else None
        if year is None:
            return None
        return official.values(series, year), official.name(series, lang()), year
    except (UserError, KeyError, IndexError, OSError):
        return None


def gaps_section() -> None:
    _ = tr()
    c1, c2 = st.columns(2)
    theme = c1.selectbox(_("Theme"), list(THEMES), key=P + "gap_theme", format_func=lambda t: _(THEMES[t].label),
                         placeholder=choice_hint(THEMES))
    wide = c2.toggle(_("Count whole-country activities as work in every rayon"), key=P + "gap_wide")
    entries = entries_now()
    found = official_series(theme)
    gaps = rs.gaps(entries, theme, found[0] if found else None, wide)
    names = {p: units.unit_name(p, lang()) for p in gaps.units["pcode"]}
    left, right = st.columns(2)
    with left:
        st.subheader(_("Where nobody registered work on this theme"))
        has_work = [p for p in units.parents() if p not in names]
        view = level2_view(gaps.units.set_index("pcode")["indicator"], "", lang(), _, neutral=has_work,
                           neutral_label=_("Work is registered here"), palette="YlOrRd")
        show_map(lambda frame: view.deck(frame=frame), P + "gap_map")
        legend(view.legend, found[1] if found else _("No official indicator"))
    with right:
        st.subheader(_("Official indicator by oblast"))
        if found:
            series_view = region_view(pd.Series(gaps.oblasts["indicator"]), "", lang(), _, palette="YlOrRd")
            show_map(lambda frame: series_view.deck(frame=frame), P + "gap_official",
                     static_map(series_view, found[1], found[2]))
            legend(series_view.legend, f"{found[1]} ({found[2]})")
            st.caption(_("Source") + ": " + _("National Statistical Committee of the Kyrgyz Republic, national SDG "
                                            "platform") + f", {found[2]}")
        else:
            st.info(_("No official indicator by region is available in the app for this theme, so only the gaps "
                      "are shown."))
    listed = gaps.units.assign(rayon=gaps.units["pcode"].map(names),
                               oblast=gaps.units["parent_iso"].map(lambda c: region_name(c, lang())))
    st.markdown(_("{n} rayons and towns without registered work on this theme, the oblast's official value "
                  "beside each, the most pressing first.").format(n=len(listed)))
    st.dataframe(listed[["rayon", "oblast", "indicator"]], hide_index=True, width="stretch", key=P + "gap_table",
                 column_config={"rayon": _("Rayon or town"), "oblast": _("Oblast"),
                                "indicator": _("Official value for the oblast")})


def moderation_section(unlocked: bool) -> None:
    """Trainer hide/show of any entry (the PIN is asked by the caller)."""
    _ = tr()
    for entry in store().list_entries(include_hidden=True):
        c1, c2 = st.columns([4, 1])
        c1.markdown(f"#{entry.id} · {entry.name}" + (" · " + _("hidden") if entry.hidden else ""))
        action = "show" if entry.hidden else "hide"
        if c2.button(_("Show") if entry.hidden else _("Hide"), key=f"{P}mod{entry.id}"):
            try:
                store().moderate_entry(entry.id, action, pin_ok=unlocked)
                st.rerun()
            except UserError as err:
                show_user_error(err)
