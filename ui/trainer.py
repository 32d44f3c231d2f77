"""Trainer tools glue: the PIN prompt that unlocks trainer actions for this browser session, and its sections.

Other pages (e.g. gallery moderation, workshop reset) call ``trainer_unlocked()`` to know whether this
session entered the PIN, and ``pin_prompt()`` to ask for it; store calls take ``pin_ok=trainer_unlocked()``.
"""

from __future__ import annotations

import hashlib
import uuid

import pandas as pd
import streamlit as st

from atlas import ogp
from atlas.errors import UserError
from atlas.i18n import format_date
from atlas.ogp import monitoring
from atlas.security import PIN_ENV, PIN_GATE, trainer_pin
from ui.common import choice_hint, lang, show_user_error, tr
from ui.state import store

UNLOCKED = "trainer_unlocked_pin"
SESSION_ID = "trainer_session_id"


def _configured_pin() -> str | None:
    """The PIN in force: env, then Streamlit secrets (a missing secrets.toml is normal), then the demo PIN."""
    try:
        secret = st.secrets.get(PIN_ENV)
    except Exception:  # noqa: BLE001 - no secrets.toml, or an unreadable one: treat as "not set there"
        secret = None
    return trainer_pin(str(secret) if secret else None)


def _digest(pin: str) -> str:
    return hashlib.sha256(pin.encode("utf-8")).hexdigest()


def _session_id() -> str:
    return st.session_state.setdefault(SESSION_ID, uuid.uuid4().hex)


def trainer_unlocked() -> bool:
    """Whether this session entered the PIN in force (a changed PIN locks every session again)."""
    pin = _configured_pin()
    return bool(pin) and st.session_state.get(UNLOCKED) == _digest(pin)


def lock() -> None:
    st.session_state.pop(UNLOCKED, None)


def pin_prompt() -> bool:
    """Ask for the trainer PIN unless this session has it; True when trainer actions are unlocked."""
    _ = tr()
    if trainer_unlocked():
        return True
    pin = _configured_pin()
    if not pin:
        st.warning(_("No trainer PIN is set for this app, so trainer actions are off."))
        st.markdown(_("To set one, do one of these and restart the app:\n\n"
                      "- set the environment variable `{env}` (for example `{env}=482913`);\n"
                      "- or add `{env} = \"482913\"` to `.streamlit/secrets.toml`;\n"
                      "- or start the app with `make run`, which prints a one-time demo PIN.").format(env=PIN_ENV))
        return False
    wait = PIN_GATE.wait_seconds(_session_id())
    if wait:
        st.error(_("Too many wrong PINs. Try again in {seconds} seconds.").format(seconds=wait))
    with st.form("trainer_pin_form"):
        attempt = st.text_input(_("Trainer PIN"), type="password", key="trainer_pin_input")
        submitted = st.form_submit_button(_("Unlock"), key="trainer_pin_submit", disabled=bool(wait))
    if not submitted:
        return False
    try:
        ok = PIN_GATE.check(attempt, _session_id(), expected=pin)
    except UserError as err:
        show_user_error(err)
        return False
    if not ok:
        st.error(_("That PIN is not right."))
        return False
    st.session_state[UNLOCKED] = _digest(pin)
    st.rerun()  # draw the tools without the PIN form above them
    return True


def moderation_section() -> None:
    """Hide, show again or delete any report (samples and hidden ones included)."""
    _ = tr()
    frame = store().reports_frame(include_samples=True, include_hidden=True)
    if frame.empty:
        st.caption(_("No reports to moderate."))
        return
    table = monitoring.reports_display(frame, lang(), _).assign(hidden=frame["hidden"].to_numpy())
    st.dataframe(table.drop(columns=["link"]), hide_index=True, width="stretch", key="mod_table",
                 column_config={"hidden": st.column_config.CheckboxColumn(_("Hidden"))})
    labels = {int(r.id): f"#{r.id} · {r.commitment} · {r.organisation}" for r in table.itertuples()}
    rid = st.selectbox(_("Report"), list(labels), key="mod_report", format_func=labels.get,
                       placeholder=choice_hint(labels))
    c1, c2, c3, c4 = st.columns(4)
    action = None
    if c1.button(_("Hide"), key="mod_hide"):
        action = "hide"
    if c2.button(_("Show again"), key="mod_show"):
        action = "show"
    sure = c3.checkbox(_("Yes, delete for good"), key="mod_sure")
    if c4.button(_("Delete"), key="mod_delete", disabled=not sure):
        action = "delete"
    if action:
        try:
            store().moderate(rid, action, pin_ok=trainer_unlocked())
            st.session_state.pop("mod_sure", None)
            st.rerun()
        except UserError as err:
            show_user_error(err)


def samples_section() -> None:
    """Load or clear the illustrative sample reports (never mixed with real ones)."""
    _ = tr()
    st.markdown(_("Sample reports stored now: **{count}**.").format(count=store().count_samples()))
    c1, c2 = st.columns(2)
    try:
        if c1.button(_("Load 60 sample reports (replaces earlier samples)"), key="samples_load"):
            n = store().load_samples(trainer_unlocked())
            st.success(_.ngettext("{n} sample report loaded.", "{n} sample reports loaded.", n).format(n=n))
        if c2.button(_("Clear all sample reports"), key="samples_clear"):
            n = store().clear_samples(trainer_unlocked())
            st.success(_.ngettext("{n} sample report deleted.", "{n} sample reports deleted.", n).format(n=n))
    except UserError as err:
        show_user_error(err)


def _versions_table() -> pd.DataFrame:
    _ = tr()
    return pd.DataFrame([
        {"version": v.version, "active": v.active, "rows": v.rows,
         "created": format_date(v.created_at, lang(), "medium") if v.created_at else "",
         "note": _(v.note) if v.version == 0 else v.note, "author": v.author}
        for v in store().list_reference_versions()
    ])


def reference_section() -> None:
    """Upload a newer commitments table (validated, versioned), list versions, restore one."""
    _ = tr()
    with st.form("ref_upload_form"):
        data = st.file_uploader(_("Newer commitments table (CSV, same columns)"), type=["csv"], key="ref_file")
        note = st.text_input(_("What changed"), key="ref_note", max_chars=300)
        author = st.text_input(_("Your name"), key="ref_author", max_chars=100)
        submitted = st.form_submit_button(_("Check and use this table"), key="ref_submit")
    if submitted and data is None:
        st.error(_("Choose a CSV file first."))
    elif submitted:
        try:
            version = ogp.upload_commitments(store(), data.getvalue(), note, author, trainer_unlocked())
            st.success(_("Version {version} is now in force.").format(version=version))
        except ogp.CommitmentsInvalid as err:
            show_user_error(err)
            st.markdown("\n".join(f"- {p.render(_)}" for p in err.problems))
        except UserError as err:
            show_user_error(err)
    st.markdown("**" + _("Versions") + "**")
    versions = _versions_table()  # after the upload, so a new version is listed at once
    st.dataframe(versions, hide_index=True, width="stretch", key="ref_versions")
    inactive = [int(v) for v, active in zip(versions["version"], versions["active"], strict=True) if not active]
    if inactive:
        chosen = st.selectbox(_("Restore an earlier version"), inactive, key="ref_restore_version",
                              format_func=lambda v: _("version {version}").format(version=v),
                              placeholder=choice_hint(inactive))
        if st.button(_("Restore"), key="ref_restore"):
            try:
                store().activate_reference_version(chosen, trainer_unlocked())
                st.rerun()
            except UserError as err:
                show_user_error(err)
