"""Persistence behind one interface: monitoring reports, OGP reference versions, saved views, stories.

SQLite file by default (``var_dir()/achyk.sqlite3``, WAL, full sync, busy timeout); PostgreSQL when
``ACHYK_DATABASE_URL`` is set (several app processes behind one database). Pages never write SQL: all
they need is a ``Store`` method. A Store is thread-safe (one Engine, one connection per call), so the UI
may keep one in ``st.cache_resource``.

Public API (see each docstring):

- ``get_store(url=None, path=None) -> Store``; ``Store(url)``; ``Store.close()``.
- Records: ``Report``, ``ReportFilter``, ``ReportStats``, ``SavedView``, ``Story``, ``ReferenceVersion``;
  ``STATUSES`` (key → English label msgid), ``NATIONAL``.
- Reports: ``validate_report``, ``add_report``, ``get_report``, ``update_report``, ``withdraw_report``,
  ``list_reports``, ``my_reports``, ``reports_frame``, ``reports_csv``, ``report_stats``, ``moderate``,
  ``load_samples``, ``clear_samples``, ``count_samples``.
- Reference table: ``reference_csv``, ``add_reference_version``, ``list_reference_versions``,
  ``activate_reference_version`` (version 0 = the bundled table).
- Views and stories: ``save_view``, ``get_view``, ``save_story``, ``get_story``, ``list_gallery``,
  ``set_gallery_flags``, ``delete_item``.
- ``safe_csv_cell`` / ``to_safe_csv``: formula-safe CSV (re-exported from atlas.csvsafe).
"""

from __future__ import annotations

import json
import os
import random
import re
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.engine import Connection, Engine

from atlas import migrations, ogp
from atlas.csvsafe import safe_cell as safe_csv_cell
from atlas.csvsafe import to_safe_csv
from atlas.errors import UserError
from atlas.gazetteer import CODES
from atlas.i18n import N_, Msg, plural_msg
from atlas.paths import var_dir
from atlas.security import hash_editor_key, key_matches, new_short_id

__all__ = ["safe_csv_cell", "to_safe_csv"]  # extended below; re-exports for the export module

URL_ENV = "ACHYK_DATABASE_URL"
PATH_ENV = "ACHYK_SQLITE_PATH"
DB_FILE = "achyk.sqlite3"
NATIONAL = "national"
STATUSES: dict[str, str] = {
    "not_started": N_("not started"),
    "in_progress": N_("in progress"),
    "completed": N_("completed"),
    "stalled": N_("stalled"),
    "unclear": N_("unclear"),
}
KG_TZ = timezone(timedelta(hours=6))
EARLIEST_OBSERVATION = date(2018, 1, 1)  # the plan was drafted in 2018; earlier dates are typos
MAX_TEXT = {"activity": 500, "evidence": 1000, "organisation": 200, "contact": 200}
MAX_DATASET_BYTES = 20 * 1024 * 1024
SAMPLE_ORG_PREFIX = "Sample: "

# ---------------------------------------------------------------------------------------------
# Query metadata: the newest schema (atlas.migrations creates and upgrades it).
_md = sa.MetaData()
_flags = ("published", "featured", "hidden")
reports_t = sa.Table(
    "reports",
    _md,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("commitment_id", sa.String(16)),
    sa.Column("activity", sa.Text),
    sa.Column("regions", sa.Text),
    sa.Column("status", sa.String(20)),
    sa.Column("evidence", sa.Text),
    sa.Column("observed_on", sa.Date),
    sa.Column("organisation", sa.Text),
    sa.Column("contact", sa.Text),
    sa.Column("editor_key_hash", sa.String(64)),
    sa.Column("is_sample", sa.Boolean),
    sa.Column("created_at", sa.DateTime),
    sa.Column("hidden", sa.Boolean),
    sa.Column("updated_at", sa.DateTime),
)
reference_t = sa.Table(
    "reference_versions",
    _md,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("created_at", sa.DateTime),
    sa.Column("note", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("rows", sa.Integer),
    sa.Column("csv", sa.LargeBinary),
    sa.Column("active", sa.Boolean),
)
views_t = sa.Table(
    "views",
    _md,
    sa.Column("short_id", sa.String(16), primary_key=True),
    sa.Column("spec_json", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("team", sa.Text),
    sa.Column("created_at", sa.DateTime),
    sa.Column("dataset", sa.LargeBinary),
    sa.Column("dataset_name", sa.Text),
    sa.Column("editor_key_hash", sa.String(64)),
    *(sa.Column(f, sa.Boolean) for f in _flags),
)
stories_t = sa.Table(
    "stories",
    _md,
    sa.Column("short_id", sa.String(16), primary_key=True),
    sa.Column("title", sa.Text),
    sa.Column("author", sa.Text),
    sa.Column("team", sa.Text),
    sa.Column("view_ids_json", sa.Text),
    sa.Column("created_at", sa.DateTime),
    sa.Column("editor_key_hash", sa.String(64)),
    *(sa.Column(f, sa.Boolean) for f in _flags),
)


def _now() -> datetime:
    # Naive UTC everywhere: SQLite has no time zones, and one convention keeps both backends equal.
    return datetime.now(UTC).replace(tzinfo=None)


def local_today() -> date:
    """Today's date in Kyrgyzstan (UTC+6 all year, no daylight saving since 2005).

    A report made at 03:00 in Naryn is dated by the local calendar, not by UTC, so it is not "in the future".

    >>> isinstance(local_today(), date)
    True
    """
    return datetime.now(KG_TZ).date()


def _refuse(text: str, params: dict | None = None) -> UserError:
    return UserError(Msg(text, params or {}))


# ---------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Report:
    """One monitoring observation. ``regions`` holds ISO codes (``CODES``) or just ``("national",)``.

    >>> Report("KG0001", ("KG-B",), "completed", "https://x.kg", date(2020, 1, 5), "NGO").status
    'completed'
    """

    commitment_id: str
    regions: tuple[str, ...]
    status: str
    evidence: str
    observed_on: date
    organisation: str
    activity: str = ""
    contact: str = ""
    id: int | None = None
    is_sample: bool = False
    hidden: bool = False
    created_at: datetime | None = None
    updated_at: datetime | None = None


EDITABLE = (
    "commitment_id",
    "regions",
    "status",
    "evidence",
    "observed_on",
    "organisation",
    "activity",
    "contact",
)


@dataclass(frozen=True)
class ReportFilter:
    """What ``list_reports`` keeps; ``None`` means no condition. ``region`` matches a code or "national".

    >>> ReportFilter(status="stalled").status
    'stalled'
    """

    commitment_id: str | None = None
    status: str | None = None
    region: str | None = None
    organisation: str | None = None
    observed_from: date | None = None
    observed_to: date | None = None


@dataclass(frozen=True)
class ReportStats:
    """Dashboard tables.

    ``by_commitment``: index commitment_id, one column per status key, plus ``total``.
    ``by_region``: index region code (``CODES`` then "national"), columns reports, completed, share_completed
    (NaN where there are no reports: no data is not zero). ``timeline``: columns month (first day), reports.
    """

    by_commitment: pd.DataFrame
    by_region: pd.DataFrame
    timeline: pd.DataFrame


@dataclass(frozen=True)
class SavedView:
    """A saved map/chart: the ViewSpec as a JSON-able dict, words around it, an optional copied dataset.

    >>> SavedView(spec={"column": "x"}, title="Schools").title
    'Schools'
    """

    spec: dict
    title: str
    note: str = ""
    author: str = ""
    team: str = ""
    dataset: bytes | None = None
    dataset_name: str = ""
    short_id: str | None = None
    created_at: datetime | None = None
    published: bool = False
    featured: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class Story:
    """An ordered sequence of saved views.

    >>> Story(title="Budget", view_ids=("abc12345",)).view_ids
    ('abc12345',)
    """

    title: str
    view_ids: tuple[str, ...]
    author: str = ""
    team: str = ""
    short_id: str | None = None
    created_at: datetime | None = None
    published: bool = False
    featured: bool = False
    hidden: bool = False


@dataclass(frozen=True)
class ReferenceVersion:
    """One uploaded version of the OGP reference table (version 0 is the bundled table)."""

    version: int
    created_at: datetime | None
    note: str
    author: str
    rows: int
    active: bool


class ReportInvalid(UserError):
    """A report with problems; ``problems`` maps a field name to its message (for per-widget errors)."""

    def __init__(self, problems: dict[str, Msg]):
        super().__init__(plural_msg("The report was not saved: {n} field needs fixing.",
                                    "The report was not saved: {n} fields need fixing.", len(problems)))
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Validation (pure)

_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*)://")
_DANGEROUS = re.compile(r"^\s*(javascript|data|vbscript|file)\s*:", re.IGNORECASE)
_LINK = re.compile(r"^https?://[^\s/?#]+\.[^\s/?#]+\S*$|^https?://localhost\S*$", re.IGNORECASE)


def _evidence_problem(text: str) -> Msg | None:
    if not text:
        return Msg(N_("Add evidence: a link or a short description."))
    if _DANGEROUS.match(text) or (
        _SCHEME.match(text) and _SCHEME.match(text).group(1).lower() not in ("http", "https")
    ):
        return Msg(N_("An evidence link must start with http:// or https://."))
    if _SCHEME.match(text) and not _LINK.match(text):
        return Msg(N_("The evidence link is not a complete web address."))
    return None


def evidence_link(evidence: str) -> str | None:
    """The evidence as a URL a page may render as a link, or ``None`` when it is plain text.

    >>> evidence_link("https://gov.kg/a"), evidence_link("Minutes seen at the akimiat")
    ('https://gov.kg/a', None)
    """
    text = (evidence or "").strip()
    return text if _LINK.match(text) else None


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def _clean_regions(regions: Any) -> tuple[tuple[str, ...], Msg | None]:
    items = [regions] if isinstance(regions, str) else list(regions or ())
    codes = list(dict.fromkeys(str(r).strip() for r in items if str(r).strip()))
    unknown = [c for c in codes if c not in CODES and c != NATIONAL]
    if not codes:
        return (), Msg(N_('Choose at least one region, or "national".'))
    if unknown:
        return (), Msg(N_("Unknown region code(s): {codes}."), {"codes": ", ".join(unknown)})
    if NATIONAL in codes and len(codes) > 1:
        return (), Msg(N_('Choose either "national" or regions, not both.'))
    return tuple(c for c in (*CODES, NATIONAL) if c in codes), None


def validate_report(report: Report, known_ids: set[str] | None = None, today: date | None = None) -> Report:
    """Return ``report`` tidied (stripped text, ordered regions); raise ``ReportInvalid`` listing problems.

    ``known_ids``: commitment IDs allowed (default: the bundled table's present and known-missing IDs).

    >>> r = Report(" KG0001 ", ["KG-C", "KG-B"], "completed", "seen", date(2020, 1, 1), "NGO")
    >>> validate_report(r).regions
    ('KG-B', 'KG-C')
    """
    today = today or local_today()
    known_ids = known_ids if known_ids is not None else ogp.known_ids(ogp.bundled_commitments())
    problems: dict[str, Msg] = {}
    text = {name: str(getattr(report, name) or "").strip() for name in MAX_TEXT}
    cid = str(report.commitment_id or "").strip().upper()
    if cid not in known_ids:
        problems["commitment_id"] = Msg(N_('Unknown commitment "{value}"; choose one from the list.'), {"value": cid})
    regions, region_problem = _clean_regions(report.regions)
    if region_problem:
        problems["regions"] = region_problem
    if report.status not in STATUSES:
        problems["status"] = Msg(N_("Choose a status from the list."))
    observed = _as_date(report.observed_on)
    if observed is None:
        problems["observed_on"] = Msg(N_("The date observed is not a date like 2020-05-31."))
    elif observed > today:
        problems["observed_on"] = Msg(
            N_("The date observed ({value}) is in the future."), {"value": observed.isoformat()}
        )
    elif observed < EARLIEST_OBSERVATION:
        problems["observed_on"] = Msg(
            N_("The date observed is before {earliest}, when the plan did not exist yet."),
            {"earliest": EARLIEST_OBSERVATION.isoformat()},
        )
    if problem := _evidence_problem(text["evidence"]):
        problems["evidence"] = problem
    if not text["organisation"]:
        problems["organisation"] = Msg(N_("Name the organisation that made the observation."))
    for name, limit in MAX_TEXT.items():
        if len(text[name]) > limit and name not in problems:
            problems[name] = Msg(N_("This text is too long: at most {limit} characters."), {"limit": limit})
    if problems:
        raise ReportInvalid(problems)
    return replace(report, commitment_id=cid, regions=regions, observed_on=observed, **text)


# ---------------------------------------------------------------------------------------------
# Engine set-up


def default_sqlite_path() -> Path:
    """The SQLite file used when no URL is given: ``ACHYK_SQLITE_PATH`` or ``var_dir()/achyk.sqlite3``.

    >>> default_sqlite_path().name
    'achyk.sqlite3'
    """
    configured = os.environ.get(PATH_ENV, "").strip()
    return Path(configured) if configured else var_dir() / DB_FILE


def normalise_url(url: str) -> str:
    """Make a PostgreSQL URL use psycopg 3 (``postgres://`` and ``postgresql://`` are common spellings).

    >>> normalise_url("postgres://u@h/db")
    'postgresql+psycopg://u@h/db'
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _enter_wal(cursor: Any, patience_s: float = 30.0) -> None:
    # WAL is stored in the file, so this is a read once the database has it. Switching a new file needs an
    # exclusive lock and SQLite does not wait through busy_timeout for it: connections opened together on
    # a fresh file (several app processes, or threads) retry here instead of failing with "locked".
    deadline = time.monotonic() + patience_s
    delay = 0.005
    while True:
        try:
            if cursor.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
        time.sleep(delay + random.random() * delay)
        delay = min(delay * 2, 0.2)


def _sqlite_engine(url: str) -> Engine:
    engine = sa.create_engine(url, connect_args={"timeout": 30}, pool_size=5, max_overflow=20, pool_timeout=60)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" hook below issue BEGIN itself (pysqlite's own handling skips DDL).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        _enter_wal(cursor)
        # FULL: an acknowledged commit survives a power cut too, not only a killed process.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front, so they queue on busy_timeout instead of failing with
        # SQLITE_BUSY when a read transaction tries to upgrade itself.
        write = conn.get_execution_options().get("achyk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url)
    # pre_ping: after a database restart the pool would otherwise hand out dead connections.
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=40, pool_timeout=60)


def get_store(url: str | None = None, path: str | Path | None = None) -> Store:
    """The app's store: ``url``, else ``ACHYK_DATABASE_URL``, else the SQLite file (``path`` or default).

    >>> get_store(path="/tmp/achyk-doc.sqlite3").backend
    'sqlite'
    """
    url = url or os.environ.get(URL_ENV, "").strip() or None
    if url is None:
        sqlite_path = Path(path) if path else default_sqlite_path()
        sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{sqlite_path}"
    return Store(url)


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
        observed_on=_as_date(row.observed_on),
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


def _row_to_view(row: Any, with_dataset: bool) -> SavedView:
    return SavedView(
        spec=json.loads(row.spec_json),
        title=row.title,
        note=row.note,
        author=row.author,
        team=row.team,
        dataset=row.dataset if with_dataset else None,
        dataset_name=row.dataset_name,
        short_id=row.short_id,
        created_at=row.created_at,
        published=bool(row.published),
        featured=bool(row.featured),
        hidden=bool(row.hidden),
    )


def _row_to_story(row: Any) -> Story:
    return Story(
        title=row.title,
        view_ids=tuple(json.loads(row.view_ids_json)),
        author=row.author,
        team=row.team,
        short_id=row.short_id,
        created_at=row.created_at,
        published=bool(row.published),
        featured=bool(row.featured),
        hidden=bool(row.hidden),
    )


_view_list_columns = [c for c in views_t.c if c.name != "dataset"]


# ---------------------------------------------------------------------------------------------
# The store


@dataclass(eq=False)  # identity equality and hashing: one Store is one shared resource
class Store:
    """All persistence for the app. Create with ``get_store()``; safe to share between threads.

    >>> store = get_store(path="/tmp/achyk-doc.sqlite3"); store.schema_version() == migrations.LATEST
    True
    """

    url: str
    engine: Engine = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.url = normalise_url(self.url)
        self.engine = _make_engine(self.url)
        # SQLite allows one writer at a time: queue this process's writers on a lock instead of letting
        # them spin on the file lock; other processes still wait through busy_timeout.
        self._write_lock = threading.Lock() if self.backend == "sqlite" else None
        with self._tx(write=True) as conn:
            migrations.upgrade(conn)

    @property
    def backend(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return self.engine.dialect.name

    def close(self) -> None:
        """Release all connections (tests and scripts; the app keeps its store for the process life)."""
        self.engine.dispose()

    @contextmanager
    def _tx(self, write: bool = False) -> Iterator[Connection]:
        lock = self._write_lock if write else None
        if lock:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn.execution_options(achyk_write=write)
                with conn.begin():
                    yield conn
        finally:
            if lock:
                lock.release()

    def schema_version(self) -> int:
        """The schema version of the database (``migrations.LATEST`` after start)."""
        with self._tx() as conn:
            return migrations.current_version(conn)

    # ---- reports -------------------------------------------------------------------------------

    def _known_ids(self) -> set[str]:
        return ogp.known_ids(ogp.active_commitments(self))

    def add_report(self, report: Report, editor_key: str, today: date | None = None) -> int:
        """Validate and save a report; only holders of ``editor_key`` may change it later. Returns its id.

        >>> store.add_report(report, key)  # doctest: +SKIP
        1
        """
        if not editor_key:
            raise _refuse(N_("This browser session has no editor key; reload the page."))
        report = validate_report(report, self._known_ids(), today)
        now = _now()
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
            raise _refuse(N_("Report {id} does not exist (it may have been withdrawn)."), {"id": report_id})
        if not key_matches(editor_key, row.editor_key_hash):
            raise _refuse(N_("Only the browser session that made report {id} can change it."), {"id": report_id})
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
            raise _refuse(N_("These fields cannot be changed: {fields}."), {"fields": ", ".join(unknown)})
        known = self._known_ids()
        with self._tx(write=True) as conn:
            current = _row_to_report(self._check_owner(conn, report_id, editor_key))
            report = validate_report(replace(current, **changes), known, today)
            conn.execute(
                sa.update(reports_t)
                .where(reports_t.c.id == report_id)
                .values(**_report_values(report), updated_at=_now())
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
        rows = [asdict(r) for r in self.list_reports(filters, include_samples, include_hidden)]
        columns = [f.name for f in fields(Report)]
        df = pd.DataFrame(rows, columns=columns)
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
        df = self.reports_frame(filters, include_samples).drop(columns=["hidden"])
        if not include_contact:
            df = df.drop(columns=["contact"])
        return to_safe_csv(df)

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
        _require_pin(pin_ok)
        if action not in ("hide", "show", "delete"):
            raise ValueError(f"unknown moderation action {action!r}")
        with self._tx(write=True) as conn:
            where = reports_t.c.id == report_id
            if action == "delete":
                result = conn.execute(sa.delete(reports_t).where(where))
            else:
                result = conn.execute(sa.update(reports_t).where(where).values(hidden=action == "hide"))
            if result.rowcount == 0:
                raise _refuse(N_("Report {id} does not exist (it may have been withdrawn)."), {"id": report_id})

    # ---- samples -------------------------------------------------------------------------------

    def load_samples(self, pin_ok: bool, count: int = 60, seed: int = 2018, today: date | None = None) -> int:
        """Replace the illustrative sample reports by ``count`` fresh ones (flagged ``is_sample``).

        >>> store.load_samples(pin_ok=True)  # doctest: +SKIP
        60
        """
        _require_pin(pin_ok)
        known = self._known_ids()
        samples = [validate_report(r, known, today) for r in sample_reports(ogp.active_commitments(self), count, seed)]
        now = _now()
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
        _require_pin(pin_ok)
        with self._tx(write=True) as conn:
            return conn.execute(sa.delete(reports_t).where(reports_t.c.is_sample.is_(True))).rowcount

    def count_samples(self) -> int:
        """How many sample reports are stored (the trainer page shows it next to "clear samples")."""
        with self._tx() as conn:
            query = sa.select(sa.func.count()).select_from(reports_t).where(reports_t.c.is_sample.is_(True))
            return int(conn.execute(query).scalar_one())

    # ---- reference table versions ---------------------------------------------------------------

    def reference_csv(self) -> bytes | None:
        """The active uploaded reference CSV, or ``None`` when the bundled table is in force."""
        with self._tx() as conn:
            query = sa.select(reference_t.c.csv).where(reference_t.c.active.is_(True))
            value = conn.execute(query).scalar_one_or_none()
        return bytes(value) if value is not None else None

    def add_reference_version(self, data: bytes, note: str, author: str, rows: int, pin_ok: bool) -> int:
        """Keep ``data`` (already validated by ``ogp.upload_commitments``) as the new active version.

        >>> store.add_reference_version(csv_bytes, "IRM update", "trainer", 21, pin_ok=True)  # doctest: +SKIP
        1
        """
        _require_pin(pin_ok)
        with self._tx(write=True) as conn:
            conn.execute(sa.update(reference_t).values(active=False))
            query = (
                sa.insert(reference_t)
                .values(
                    created_at=_now(),
                    note=note.strip(),
                    author=author.strip(),
                    rows=rows,
                    csv=data,
                    active=True,
                )
                .returning(reference_t.c.version)
            )
            return int(conn.execute(query).scalar_one())

    def list_reference_versions(self) -> list[ReferenceVersion]:
        """Every version, newest first, then version 0 (the bundled table, active when no upload is)."""
        cols = [c for c in reference_t.c if c.name != "csv"]
        with self._tx() as conn:
            rows = conn.execute(sa.select(*cols).order_by(reference_t.c.version.desc())).all()
        versions = [ReferenceVersion(r.version, r.created_at, r.note, r.author, r.rows, bool(r.active)) for r in rows]
        bundled = ReferenceVersion(
            0,
            None,
            N_("bundled with the app"),
            "",
            len(ogp.bundled_commitments()),
            not any(v.active for v in versions),
        )
        return [*versions, bundled]

    def activate_reference_version(self, version: int, pin_ok: bool) -> None:
        """Make an earlier version (or 0, the bundled table) the one in force; nothing is deleted.

        >>> store.activate_reference_version(0, pin_ok=True)  # doctest: +SKIP
        """
        _require_pin(pin_ok)
        with self._tx(write=True) as conn:
            exists = conn.execute(sa.select(reference_t.c.version).where(reference_t.c.version == version)).first()
            if version != 0 and not exists:
                raise _refuse(N_("Version {version} of the reference table does not exist."), {"version": version})
            conn.execute(sa.update(reference_t).values(active=reference_t.c.version == version))

    # ---- saved views, stories, gallery ----------------------------------------------------------

    def _insert_with_short_id(self, table: sa.Table, values: dict[str, Any]) -> str:
        for _ in range(5):  # 48 random bits: a collision is rare, a retry makes it harmless
            short_id = new_short_id()
            try:
                with self._tx(write=True) as conn:
                    conn.execute(sa.insert(table).values(short_id=short_id, **values))
                return short_id
            except sa.exc.IntegrityError:
                continue
        raise RuntimeError("could not find a free short id")

    def save_view(self, view: SavedView, editor_key: str) -> str:
        """Save a view (with its dataset copy, if any) and return its short id for links.

        >>> store.save_view(SavedView(spec={}, title="Schools"), key)  # doctest: +SKIP
        'Xq3_a9Zk'
        """
        if not view.title.strip():
            raise _refuse(N_("Give the view a title."))
        if view.dataset is not None and len(view.dataset) > MAX_DATASET_BYTES:
            raise _refuse(
                N_("The dataset is larger than {mb} MB; save a smaller extract."),
                {"mb": MAX_DATASET_BYTES // (1024 * 1024)},
            )
        try:
            spec_json = json.dumps(view.spec, sort_keys=True, ensure_ascii=False)
        except (TypeError, ValueError) as exc:
            raise ValueError("ViewSpec must be JSON-serialisable (call its to_dict())") from exc
        return self._insert_with_short_id(
            views_t,
            {
                "spec_json": spec_json,
                "title": view.title.strip(),
                "note": view.note.strip(),
                "author": view.author.strip(),
                "team": view.team.strip(),
                "created_at": _now(),
                "dataset": view.dataset,
                "dataset_name": view.dataset_name,
                "editor_key_hash": hash_editor_key(editor_key),
                "published": view.published,
                "featured": False,
                "hidden": False,
            },
        )

    def get_view(self, short_id: str, include_hidden: bool = False) -> SavedView | None:
        """A saved view with its dataset bytes, or ``None`` (also for hidden ones unless asked)."""
        query = sa.select(views_t).where(views_t.c.short_id == short_id)
        with self._tx() as conn:
            row = conn.execute(query).first()
        return _row_to_view(row, True) if row and (include_hidden or not row.hidden) else None

    def save_story(self, story: Story, editor_key: str) -> str:
        """Save an ordered list of existing view ids as a story; returns its short id."""
        if not story.title.strip():
            raise _refuse(N_("Give the story a title."))
        if not story.view_ids:
            raise _refuse(N_("Add at least one saved view to the story."))
        with self._tx() as conn:
            found = set(
                conn.execute(sa.select(views_t.c.short_id).where(views_t.c.short_id.in_(story.view_ids))).scalars()
            )
        missing = [v for v in story.view_ids if v not in found]
        if missing:
            raise _refuse(N_("These saved views do not exist: {ids}."), {"ids": ", ".join(missing)})
        return self._insert_with_short_id(
            stories_t,
            {
                "title": story.title.strip(),
                "author": story.author.strip(),
                "team": story.team.strip(),
                "view_ids_json": json.dumps(list(story.view_ids)),
                "created_at": _now(),
                "editor_key_hash": hash_editor_key(editor_key),
                "published": story.published,
                "featured": False,
                "hidden": False,
            },
        )

    def get_story(self, short_id: str, include_hidden: bool = False) -> Story | None:
        """A story, or ``None`` (also for hidden ones unless asked)."""
        with self._tx() as conn:
            row = conn.execute(sa.select(stories_t).where(stories_t.c.short_id == short_id)).first()
        return _row_to_story(row) if row and (include_hidden or not row.hidden) else None

    def list_gallery(
        self,
        kind: Literal["views", "stories"] = "views",
        featured_only: bool = False,
        include_unpublished: bool = False,
        include_hidden: bool = False,
    ) -> list:
        """Published, not hidden views (without dataset bytes) or stories; featured first, then newest.

        >>> [v.title for v in store.list_gallery("views")]  # doctest: +SKIP
        ['Schools per capita']
        """
        table = views_t if kind == "views" else stories_t
        conds = [] if include_unpublished else [table.c.published.is_(True)]
        conds += [] if include_hidden else [table.c.hidden.is_(False)]
        conds += [table.c.featured.is_(True)] if featured_only else []
        columns = _view_list_columns if kind == "views" else list(stories_t.c)
        query = sa.select(*columns).where(*conds).order_by(table.c.featured.desc(), table.c.created_at.desc())
        with self._tx() as conn:
            rows = conn.execute(query).all()
        return [_row_to_view(r, False) if kind == "views" else _row_to_story(r) for r in rows]

    def set_gallery_flags(
        self,
        kind: Literal["views", "stories"],
        short_id: str,
        *,
        published: bool | None = None,
        featured: bool | None = None,
        hidden: bool | None = None,
        editor_key: str | None = None,
        pin_ok: bool = False,
    ) -> None:
        """Set gallery flags: the owner (``editor_key``) may (un)publish; featuring and hiding need the PIN.

        >>> store.set_gallery_flags("views", "Xq3_a9Zk", featured=True, pin_ok=True)  # doctest: +SKIP
        """
        table = views_t if kind == "views" else stories_t
        if (featured is not None or hidden is not None) and not pin_ok:
            raise _refuse(N_("Only a trainer can feature or hide items in the gallery."))
        values = {
            k: v for k, v in (("published", published), ("featured", featured), ("hidden", hidden)) if v is not None
        }
        with self._tx(write=True) as conn:
            row = conn.execute(sa.select(table.c.editor_key_hash).where(table.c.short_id == short_id)).first()
            if row is None:
                raise _refuse(N_("Item {id} does not exist."), {"id": short_id})
            if not pin_ok and not key_matches(editor_key, row.editor_key_hash):
                raise _refuse(N_("Only the session that saved {id}, or a trainer, can change it."), {"id": short_id})
            if values:
                conn.execute(sa.update(table).where(table.c.short_id == short_id).values(**values))

    def delete_item(
        self,
        kind: Literal["views", "stories"],
        short_id: str,
        editor_key: str | None = None,
        pin_ok: bool = False,
    ) -> None:
        """Delete a view or story: its owner or a trainer. Stories keep working without a deleted view
        (the page skips ids that no longer resolve)."""
        table = views_t if kind == "views" else stories_t
        with self._tx(write=True) as conn:
            row = conn.execute(sa.select(table.c.editor_key_hash).where(table.c.short_id == short_id)).first()
            if row is None:
                raise _refuse(N_("Item {id} does not exist."), {"id": short_id})
            if not pin_ok and not key_matches(editor_key, row.editor_key_hash):
                raise _refuse(N_("Only the session that saved {id}, or a trainer, can change it."), {"id": short_id})
            conn.execute(sa.delete(table).where(table.c.short_id == short_id))


def _require_pin(pin_ok: bool) -> None:
    if pin_ok is not True:
        raise _refuse(N_("This needs the trainer PIN."))


# ---------------------------------------------------------------------------------------------
# Statistics and samples (pure)


def compute_stats(reports: list[Report]) -> ReportStats:
    """Dashboard tables from a list of reports (see ``ReportStats``).

    >>> compute_stats([]).by_region.loc["KG-B", "reports"]
    0
    """
    status_keys = list(STATUSES)
    by_c = pd.DataFrame([(r.commitment_id, r.status) for r in reports], columns=["commitment_id", "status"])
    by_commitment = (
        pd.crosstab(by_c["commitment_id"], by_c["status"])
        if len(by_c)
        else pd.DataFrame(index=pd.Index([], name="commitment_id"))
    )
    by_commitment = by_commitment.reindex(columns=status_keys, fill_value=0).astype(int)
    by_commitment.columns.name = None
    by_commitment["total"] = by_commitment.sum(axis=1)
    pairs = [(code, r.status == "completed") for r in reports for code in r.regions]
    per = pd.DataFrame(pairs, columns=["region", "completed"])
    grouped = per.groupby("region")["completed"].agg(reports="size", completed="sum")
    by_region = grouped.reindex([*CODES, NATIONAL], fill_value=0).astype(int)
    by_region.index.name = "region"
    share = by_region["completed"] / by_region["reports"].where(by_region["reports"] > 0)
    by_region["share_completed"] = share  # NaN where no reports: "no data" is not 0 %
    months = pd.Series([r.observed_on.replace(day=1) for r in reports], dtype="object")
    timeline = months.value_counts().sort_index().rename_axis("month").reset_index(name="reports")
    return ReportStats(by_commitment, by_region, timeline)


def sample_reports(commitments: pd.DataFrame, count: int = 60, seed: int = 2018) -> list[Report]:
    """Illustrative, clearly labelled reports for demos (deterministic for a seed); never real data.

    >>> sample_reports(ogp.bundled_commitments(), 3)[0].is_sample
    True
    """
    rng = random.Random(seed)
    ids = sorted(commitments["commitment_id"])
    orgs = [
        f"{SAMPLE_ORG_PREFIX}{name}"
        for name in ("Youth Initiative", "Mountain Villages Forum", "Budget Watch", "Women's Council")
    ]
    start, span = date(2019, 1, 1), (date(2020, 12, 31) - date(2019, 1, 1)).days
    out = []
    for n in range(count):
        regions = (NATIONAL,) if rng.random() < 0.15 else tuple(rng.sample(CODES, rng.choice((1, 1, 1, 2))))
        out.append(
            Report(
                commitment_id=rng.choice(ids),
                regions=regions,
                status=rng.choice(list(STATUSES)),
                evidence="Illustrative sample, not a real observation",
                organisation=rng.choice(orgs),
                observed_on=start + timedelta(days=rng.randrange(span)),
                activity=f"Sample activity {n + 1}",
                is_sample=True,
            )
        )
    return out


__all__ += [
    "Report",
    "ReportFilter",
    "ReportStats",
    "SavedView",
    "Story",
    "ReferenceVersion",
    "ReportInvalid",
    "Store",
    "STATUSES",
    "NATIONAL",
    "EDITABLE",
    "get_store",
    "validate_report",
    "compute_stats",
    "sample_reports",
    "default_sqlite_path",
    "normalise_url",
    "evidence_link",
    "local_today",
]
