"""Streamlit glue for monitoring reports: the report form (new and edit) and the session's own reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import streamlit as st

from atlas.errors import UserError
from atlas.ogp import NOT_IN_DATA, monitoring
from atlas.ogp.reports import EARLIEST_OBSERVATION, NATIONAL, STATUSES, Report, ReportInvalid, local_today
from atlas.places.gazetteer import CODES
from ui.common import choice_hint, lang, show_user_error, tr
from ui.state import editor_key, store

KEPT_KEY = "reports_kept_key"
FIELDS = ("commitment_id", "activity", "regions", "status", "evidence", "observed_on", "organisation", "contact")


def commitment_choices() -> dict[str, str]:
    """ID → label of every commitment a report may name (known-missing ones labelled)."""
    return monitoring.active_choices(store(), lang(), tr()(NOT_IN_DATA))  # shared: read-only


def region_format() -> Callable[[str], str]:
    _, current = tr(), lang()  # bound now: the format function may be called outside a script run
    return lambda code: monitoring.region_label(code, current, _)


def _fields(prefix: str, old: Report | None) -> tuple[dict, dict]:
    """Draw the form's widgets, each followed by an empty slot for its own error message."""
    _ = tr()
    choices = commitment_choices()
    ids = list(choices)
    values, slots = {}, {}

    def slot(name: str) -> None:
        slots[name] = st.empty()

    values["commitment_id"] = st.selectbox(
        _("Commitment"), ids, index=ids.index(old.commitment_id) if old and old.commitment_id in ids else None,
        key=f"{prefix}_commitment", format_func=choices.get, placeholder=_("Choose a commitment"),
    )
    slot("commitment_id")
    values["activity"] = st.text_input(_("Milestone or activity"), value=old.activity if old else "",
                                       key=f"{prefix}_activity", max_chars=500)
    slot("activity")
    values["regions"] = st.multiselect(
        _("Where (oblasts or cities), or national"), [*CODES, NATIONAL], default=list(old.regions) if old else [],
        key=f"{prefix}_regions", format_func=region_format(), placeholder=_("Choose regions"),
    )
    slot("regions")
    statuses = list(STATUSES)
    values["status"] = st.selectbox(
        _("Status as you observed it"), statuses, index=statuses.index(old.status) if old else None,
        key=f"{prefix}_status", format_func=lambda s: _(STATUSES[s]), placeholder=_("Choose a status"),
    )
    slot("status")
    values["evidence"] = st.text_area(_("Evidence: a link or a short description"), value=old.evidence if old else "",
                                      key=f"{prefix}_evidence", max_chars=1000, height=80)
    slot("evidence")
    values["observed_on"] = st.date_input(
        _("Date observed"), value=old.observed_on if old else local_today(), key=f"{prefix}_observed",
        min_value=EARLIEST_OBSERVATION - timedelta(days=366), max_value=local_today() + timedelta(days=366),
        format="YYYY-MM-DD",
    )
    slot("observed_on")
    values["organisation"] = st.text_input(_("Organisation"), value=old.organisation if old else "",
                                           key=f"{prefix}_organisation", max_chars=200)
    slot("organisation")
    values["contact"] = st.text_input(_("Contact (optional, not published in the list)"),
                                      value=old.contact if old else "", key=f"{prefix}_contact", max_chars=200)
    slot("contact")
    return values, slots


def report_form(prefix: str, old: Report | None = None, owner_key: str | None = None) -> int | None:
    """The report form; saves a new report (or changes ``old`` with ``owner_key``). Returns the id saved."""
    _ = tr()
    with st.form(f"{prefix}_form", border=True):
        values, slots = _fields(prefix, old)
        submitted = st.form_submit_button(_("Save report") if old is None else _("Save changes"),
                                          type="primary", key=f"{prefix}_submit")
    if not submitted:
        return None
    values["commitment_id"] = values["commitment_id"] or ""
    values["status"] = values["status"] or ""
    values["observed_on"] = values["observed_on"] if isinstance(values["observed_on"], date) else None
    try:
        if old is None:
            return store().add_report(Report(**values), editor_key())
        return store().update_report(old.id, values, owner_key or "").id
    except ReportInvalid as err:
        show_user_error(err)
        for name, msg in err.problems.items():
            slots.get(name, st).error(msg.render(_))
    except UserError as err:
        show_user_error(err)
    return None


def show_saved(report_id: int) -> None:
    """Say the report is saved and show the editor key once, for the participant to keep."""
    _ = tr()
    st.success(_("Report {id} is saved. Thank you.").format(id=report_id))
    st.markdown(_("Your editor key: keep it to change or withdraw your reports from another browser or later."))
    st.code(editor_key(), language=None)


def own_reports() -> dict[int, tuple[Report, str]]:
    """Reports this session may change: made with its editor key or with the key typed in (id → report, key)."""
    keys = [editor_key(), (st.session_state.get(KEPT_KEY) or "").strip()]
    mine: dict[int, tuple[Report, str]] = {}
    for key in filter(None, keys):
        mine |= {r.id: (r, key) for r in store().my_reports(key)}
    return mine


def edit_section() -> None:
    """Pick one of your reports, change it or withdraw it."""
    _ = tr()
    st.text_input(_("Editor key you kept (optional)"), key=KEPT_KEY, type="password",
                  help=_("Reports made in this browser session are found without it."))
    mine = own_reports()
    if not mine:
        st.caption(_("No reports of yours yet in this session."))
        return
    labels = {rid: f"#{rid} · {r.commitment_id} · {r.organisation} · {r.observed_on}" for rid, (r, _k) in mine.items()}
    rid = st.selectbox(_("Your report"), list(labels), key="reports_mine", format_func=labels.get,
                       placeholder=choice_hint(labels))
    report, key = mine[rid]
    if report_form(f"edit{rid}", report, key) is not None:
        st.success(_("Report {id} is changed.").format(id=rid))
    sure = st.checkbox(_("Yes, withdraw report {id} for good").format(id=rid), key=f"withdraw_sure_{rid}")
    if st.button(_("Withdraw report"), key=f"withdraw_{rid}", disabled=not sure):
        try:
            store().withdraw_report(rid, key)
            st.success(_("Report {id} is withdrawn.").format(id=rid))
        except UserError as err:
            show_user_error(err)
