"""Monitoring reports in the database (the report itself is ``atlas.ogp.reports``)."""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import date
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas import ogp
from atlas.csvsafe import to_safe_csv
from atlas.i18n import N_
from atlas.keep.schema import reports_t, require_pin, utc_now
from atlas.ogp.reports import (
    EDITABLE,
    Report,
    ReportFilter,
    ReportStats,
    as_date,
    compute_stats,
    refuse,
    sample_reports,
    validate_report,
)
from atlas.security import hash_editor_key, key_matches

# ---------------------------------------------------------------------------------------------
# Row conversions


def _regions_text(regions: tuple[str, ...]) -> str:
    # Delimiters on both ends make "contains region X" a LIKE '%,X,%' that works on both backends.
    return "," + ",".join(regions) + ","


def _row_to_report(row: Any) -> Report:
    return Report(
        id=row.id,
        commitment_id=row.commitment_id,
        regions=tuple(r for r in row.regions.split(",") if r),
        status=row.status,
        evidence=row.evidence,
        observed_on=as_date(row.observed_on),
        organisation=row.organisation,
        activity=row.activity,
        contact=row.contact,
        is_sample=bool(row.is_sample),
        hidden=bool(row.hidden),
        created_at=row.created_at,
        updated_at=row.updated_at,
    )


def _report_values(report: Report) -> dict[str, Any]:
    values = {name: getattr(report, name) for name in EDITABLE}
    values["regions"] = _regions_text(report.regions)
    return values


class ReportsMixin:
    """Monitoring reports: add, edit with the editor key, withdraw, list, moderate, samples. Mixed into ``Store``."""

    def _known_ids(self) -> set[str]:
        return ogp.known_ids(ogp.active_commitments(self))

    def add_report(self, report: Report, editor_key: str, today: date | None = None) -> int:
        """Validate and save a report; only holders of ``editor_key`` may change it later. Returns its id.

        >>> store.add_report(report, key)  # doctest: +SKIP
        1
        """
        if not editor_key:
            raise refuse(N_("This browser session has no editor key; reload the page."))
        report = validate_report(report, self._known_ids(), today)
        now = utc_now()
        values = _report_values(report) | {
            "editor_key_hash": hash_editor_key(editor_key),
            "is_sample": False,  # only load_samples makes samples: a participant's report is always real
            "hidden": False,
            "created_at": now,
            "updated_at": now,
        }
        with self._tx(write=True) as conn:
            return int(conn.execute(sa.insert(reports_t).values(**values).returning(reports_t.c.id)).scalar_one())

    def get_report(self, report_id: int) -> Report | None:
        """One report by id, or ``None``.

        >>> store.get_report(1).status  # doctest: +SKIP
        'completed'
        """
        with self._tx() as conn:
            row = conn.execute(sa.select(reports_t).where(reports_t.c.id == report_id)).first()
        return _row_to_report(row) if row else None

    def _check_owner(self, conn: Connection, report_id: int, editor_key: str) -> Any:
        row = conn.execute(sa.select(reports_t).where(reports_t.c.id == report_id)).first()
        if row is None:
            raise refuse(N_("Report {id} does not exist (it may have been withdrawn)."), {"id": report_id})
        if not key_matches(editor_key, row.editor_key_hash):
            raise refuse(N_("Only the browser session that made report {id} can change it."), {"id": report_id})
        return row

    def update_report(
        self, report_id: int, changes: dict[str, Any], editor_key: str, today: date | None = None
    ) -> Report:
        """Change fields of one's own report (fields in ``EDITABLE``); returns the saved report.

        >>> store.update_report(1, {"status": "completed"}, key).status  # doctest: +SKIP
        'completed'
        """
        unknown = sorted(set(changes) - set(EDITABLE))
        if unknown:
            raise refuse(N_("These fields cannot be changed: {fields}."), {"fields": ", ".join(unknown)})
        known = self._known_ids()
        with self._tx(write=True) as conn:
            current = _row_to_report(self._check_owner(conn, report_id, editor_key))
            report = validate_report(replace(current, **changes), known, today)
            conn.execute(
                sa.update(reports_t)
                .where(reports_t.c.id == report_id)
                .values(**_report_values(report), updated_at=utc_now())
            )
        return self.get_report(report_id)

    def withdraw_report(self, report_id: int, editor_key: str) -> None:
        """Delete one's own report for good (it held the organisation's contact; nothing is kept).

        >>> store.withdraw_report(1, key)  # doctest: +SKIP
        """
        with self._tx(write=True) as conn:
            self._check_owner(conn, report_id, editor_key)
            conn.execute(sa.delete(reports_t).where(reports_t.c.id == report_id))

    def _where(self, filters: ReportFilter | None, include_samples: bool, include_hidden: bool) -> list:
        f = filters or ReportFilter()
        c = reports_t.c
        conds = [] if include_samples else [c.is_sample.is_(False)]
        conds += [] if include_hidden else [c.hidden.is_(False)]
        if f.commitment_id:
            conds.append(c.commitment_id == f.commitment_id)
        if f.status:
            conds.append(c.status == f.status)
        if f.region:
            # Escape LIKE wildcards so a stray "%" or "_" in a filter cannot widen the match.
            pattern = "%," + re.sub(r"([\\%_])", r"\\\1", f.region) + ",%"
            conds.append(c.regions.like(pattern, escape="\\"))
        if f.organisation:
            conds.append(sa.func.lower(c.organisation) == f.organisation.strip().lower())
        if f.observed_from:
            conds.append(c.observed_on >= f.observed_from)
        if f.observed_to:
            conds.append(c.observed_on <= f.observed_to)
        return conds

    def list_reports(
        self,
        filters: ReportFilter | None = None,
        include_samples: bool = False,
        include_hidden: bool = False,
        limit: int | None = None,
    ) -> list[Report]:
        """Reports matching ``filters``, newest observation first; samples and hidden ones only on request.

        >>> [r.id for r in store.list_reports(ReportFilter(status="stalled"))]  # doctest: +SKIP
        [3]
        """
        query = (
            sa.select(reports_t)
            .where(*self._where(filters, include_samples, include_hidden))
            .order_by(reports_t.c.observed_on.desc(), reports_t.c.id.desc())
            .limit(limit)
        )
        with self._tx() as conn:
            return [_row_to_report(row) for row in conn.execute(query)]

    def my_reports(self, editor_key: str) -> list[Report]:
        """The reports made with ``editor_key`` (what the session may edit or withdraw).

        >>> store.my_reports(key)  # doctest: +SKIP
        []
        """
        query = (
            sa.select(reports_t)
            .where(reports_t.c.editor_key_hash == hash_editor_key(editor_key))
            .order_by(reports_t.c.id)
        )
        with self._tx() as conn:
            return [_row_to_report(row) for row in conn.execute(query)]

    def reports_frame(
        self, filters: ReportFilter | None = None, include_samples: bool = False, include_hidden: bool = False
    ) -> pd.DataFrame:
        """The reports as a table (regions joined with "; "), for display, export and statistics.

        >>> list(store.reports_frame().columns)[:3]  # doctest: +SKIP
        ['id', 'commitment_id', 'activity']
        """
        columns = [f.name for f in fields(Report)]
        # plain tuples: dataclasses.asdict deep-copies every field and was most of this page's rerun
        rows = [tuple(getattr(r, c) for c in columns) for r in self.list_reports(filters, include_samples,
                                                                                   include_hidden)]
        df = pd.DataFrame.from_records(rows, columns=columns)
        df["regions"] = df["regions"].map(lambda rs: "; ".join(rs))
        return df[
            [
                "id",
                "commitment_id",
                "activity",
                "regions",
                "status",
                "evidence",
                "observed_on",
                "organisation",
                "contact",
                "is_sample",
                "hidden",
                "created_at",
                "updated_at",
            ]
        ]

    def reports_csv(
        self,
        filters: ReportFilter | None = None,
        include_samples: bool = False,
        include_contact: bool = False,
    ) -> bytes:
        """Formula-safe CSV of the (visible) reports; contacts are left out unless asked for.

        >>> store.reports_csv()[:3]  # doctest: +SKIP
        b'\\xef\\xbb\\xbf'
        """
        return reports_csv_of(self.reports_frame(filters, include_samples), include_contact)

    def report_stats(self, filters: ReportFilter | None = None, include_samples: bool = False) -> ReportStats:
        """Status counts per commitment, reports per region with share completed, reports per month.

        >>> store.report_stats().by_region.loc["KG-B", "reports"]  # doctest: +SKIP
        2
        """
        return compute_stats(self.list_reports(filters, include_samples))

    def moderate(self, report_id: int, action: Literal["hide", "show", "delete"], pin_ok: bool) -> None:
        """Trainer moderation of any report; ``pin_ok`` is the page's PinGate verdict.

        >>> store.moderate(3, "hide", pin_ok=True)  # doctest: +SKIP
        """
        require_pin(pin_ok)
        if action not in ("hide", "show", "delete"):
            raise ValueError(f"unknown moderation action {action!r}")
        with self._tx(write=True) as conn:
            where = reports_t.c.id == report_id
            if action == "delete":
                result = conn.execute(sa.delete(reports_t).where(where))
            else:
                result = conn.execute(sa.update(reports_t).where(where).values(hidden=action == "hide"))
            if result.rowcount == 0:
                raise refuse(N_("Report {id} does not exist (it may have been withdrawn)."), {"id": report_id})

    def load_samples(self, pin_ok: bool, count: int = 60, seed: int = 2018, today: date | None = None) -> int:
        """Replace the illustrative sample reports by ``count`` fresh ones (flagged ``is_sample``).

        >>> store.load_samples(pin_ok=True)  # doctest: +SKIP
        60
        """
        require_pin(pin_ok)
        known = self._known_ids()
        samples = [validate_report(r, known, today) for r in sample_reports(ogp.active_commitments(self), count, seed)]
        now = utc_now()
        rows = [
            _report_values(r)
            | {
                "editor_key_hash": "",
                "is_sample": True,
                "hidden": False,
                "created_at": now,
                "updated_at": now,
            }
            for r in samples
        ]
        with self._tx(write=True) as conn:
            conn.execute(sa.delete(reports_t).where(reports_t.c.is_sample.is_(True)))
            conn.execute(sa.insert(reports_t), rows)
        return len(rows)

    def clear_samples(self, pin_ok: bool) -> int:
        """Delete every sample report; real reports are untouched. Returns how many were deleted.

        >>> store.clear_samples(pin_ok=True)  # doctest: +SKIP
        60
        """
        require_pin(pin_ok)
        with self._tx(write=True) as conn:
            return conn.execute(sa.delete(reports_t).where(reports_t.c.is_sample.is_(True))).rowcount

    def count_samples(self) -> int:
        """How many sample reports are stored (the trainer page shows it next to "clear samples")."""
        with self._tx() as conn:
            query = sa.select(sa.func.count()).select_from(reports_t).where(reports_t.c.is_sample.is_(True))
            return int(conn.execute(query).scalar_one())


def reports_csv_of(frame: pd.DataFrame, include_contact: bool = False) -> bytes:
    """Formula-safe CSV of a ``reports_frame`` (a page that already has the frame saves a query);
    contacts are left out unless asked for.

    >>> reports_csv_of(pd.DataFrame({"id": [1], "activity": ["=1+1"], "contact": ["a@b"], "hidden": [False]}))
    b"\\xef\\xbb\\xbfid,activity\\r\\n1,'=1+1\\r\\n"
    """
    df = frame.drop(columns=["hidden"])
    return to_safe_csv(df if include_contact else df.drop(columns=["contact"]))
