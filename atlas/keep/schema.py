"""The newest schema as query metadata (``atlas.keep.migrations`` creates and upgrades it), and small shared helpers."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from atlas.i18n import N_
from atlas.ogp.reports import refuse

URL_ENV = "ACHYK_DATABASE_URL"
PATH_ENV = "ACHYK_SQLITE_PATH"
DB_FILE = "achyk.sqlite3"
MAX_DATASET_BYTES = 20 * 1024 * 1024

# ---------------------------------------------------------------------------------------------
# Query metadata: the newest schema (atlas.keep.migrations creates and upgrades it).
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
organisations_t = sa.Table(
    "organisations",
    _md,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text),
    sa.Column("org_type", sa.String(20)),
    sa.Column("contact", sa.Text),
    sa.Column("editor_key_hash", sa.String(64)),
    sa.Column("hidden", sa.Boolean),
    sa.Column("created_at", sa.DateTime),
    sa.Column("updated_at", sa.DateTime),
)
activities_t = sa.Table(
    "activities",
    _md,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("organisation_id", sa.Integer),
    sa.Column("position", sa.Integer),
    sa.Column("theme", sa.String(20)),
    sa.Column("areas", sa.Text),
    sa.Column("year_from", sa.Integer),
    sa.Column("year_to", sa.Integer),
    sa.Column("beneficiaries", sa.BigInteger),
    sa.Column("link", sa.Text),
    sa.Column("description", sa.Text),
)


def utc_now() -> datetime:
    # Naive UTC everywhere: SQLite has no time zones, and one convention keeps both backends equal.
    return datetime.now(UTC).replace(tzinfo=None)


VIEW_LIST_COLUMNS = [c for c in views_t.c if c.name != "dataset"]


def require_pin(pin_ok: bool) -> None:
    if pin_ok is not True:
        raise refuse(N_("This needs the trainer PIN."))
