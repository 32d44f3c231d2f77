"""The versioned database schema: ordered migrations, applied once each, atomically, at store start.

``schema_version`` holds one row with the number of migrations applied. Each migration is a function
taking a Connection inside the upgrade transaction, so a failed upgrade leaves the database as it was
(SQLite and PostgreSQL both roll back DDL). Never edit a released migration: append a new one. Tables are
spelled out inside each migration (frozen at that version) rather than taken from the query metadata in
atlas.keep.schema, which describes only the newest schema.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas.errors import UserError
from atlas.i18n import N_, Msg


def _v1_reports(conn: Connection) -> None:
    """First workshop release: monitoring reports and versions of the OGP reference table."""
    md = sa.MetaData()
    sa.Table(
        "reports",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("commitment_id", sa.String(16), nullable=False, index=True),
        sa.Column("activity", sa.Text, nullable=False, server_default=""),
        sa.Column("regions", sa.Text, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("evidence", sa.Text, nullable=False),
        sa.Column("observed_on", sa.Date, nullable=False),
        sa.Column("organisation", sa.Text, nullable=False),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("editor_key_hash", sa.String(64), nullable=False, index=True),
        sa.Column("is_sample", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "reference_versions",
        md,
        sa.Column("version", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("csv", sa.LargeBinary, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.false()),
    )
    md.create_all(conn)


def _v2_moderation(conn: Connection) -> None:
    """Moderation and editing: reports gain ``hidden`` and ``updated_at`` (existing rows keep their data)."""
    false = sa.false().compile(dialect=conn.dialect)
    conn.execute(sa.text(f"ALTER TABLE reports ADD COLUMN hidden BOOLEAN NOT NULL DEFAULT {false}"))
    conn.execute(sa.text("ALTER TABLE reports ADD COLUMN updated_at TIMESTAMP"))
    conn.execute(sa.text("UPDATE reports SET updated_at = created_at"))
    conn.execute(sa.text("CREATE INDEX ix_reports_observed_on ON reports (observed_on)"))


def _v3_gallery(conn: Connection) -> None:
    """Saved views, stories and their gallery flags."""
    md = sa.MetaData()

    def flags() -> list[sa.Column]:
        return [
            sa.Column("published", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Column("featured", sa.Boolean, nullable=False, server_default=sa.false()),
            sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        ]

    sa.Table(
        "views",
        md,
        sa.Column("short_id", sa.String(16), primary_key=True),
        sa.Column("spec_json", sa.Text, nullable=False),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("team", sa.Text, nullable=False, server_default=""),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("dataset", sa.LargeBinary, nullable=True),
        sa.Column("dataset_name", sa.Text, nullable=False, server_default=""),
        sa.Column("editor_key_hash", sa.String(64), nullable=False),
        *flags(),
    )
    sa.Table(
        "stories",
        md,
        sa.Column("short_id", sa.String(16), primary_key=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("author", sa.Text, nullable=False, server_default=""),
        sa.Column("team", sa.Text, nullable=False, server_default=""),
        sa.Column("view_ids_json", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("editor_key_hash", sa.String(64), nullable=False),
        *flags(),
    )
    md.create_all(conn)


def _v4_register(conn: Connection) -> None:
    """The NGO activity register: organisations (contact private, editor key hashed) and their activities."""
    md = sa.MetaData()
    sa.Table(
        "organisations",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("org_type", sa.String(20), nullable=False),
        sa.Column("contact", sa.Text, nullable=False, server_default=""),
        sa.Column("editor_key_hash", sa.String(64), nullable=False, index=True),
        sa.Column("hidden", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("updated_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "activities",
        md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("organisation_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("theme", sa.String(20), nullable=False),
        sa.Column("areas", sa.Text, nullable=False),
        sa.Column("year_from", sa.Integer, nullable=False),
        sa.Column("year_to", sa.Integer, nullable=True),
        sa.Column("beneficiaries", sa.BigInteger, nullable=True),
        sa.Column("link", sa.Text, nullable=False, server_default=""),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
    )
    md.create_all(conn)


#: Migration n (1-based) is MIGRATIONS[n - 1]. Append only.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1_reports, _v2_moderation, _v3_gallery, _v4_register)
LATEST = len(MIGRATIONS)


def current_version(conn: Connection) -> int:
    """The schema version of the database behind ``conn`` (0 for an empty database).

    >>> current_version(conn)  # doctest: +SKIP
    3
    """
    if not sa.inspect(conn).has_table("schema_version"):
        return 0
    return int(conn.execute(sa.text("SELECT version FROM schema_version")).scalar_one())


def _lock(conn: Connection) -> None:
    # Several app processes may start at once: only one upgrades, the others wait, then see it done.
    # (SQLite gets the same effect from the BEGIN IMMEDIATE the store issues for write transactions.)
    if conn.dialect.name == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(7142023)"))


def upgrade(conn: Connection, target: int = LATEST) -> int:
    """Apply the pending migrations up to ``target`` inside the caller's transaction; return the version.

    Raises ``UserError`` if the database was made by a newer release than this code.

    >>> upgrade(conn)  # doctest: +SKIP
    3
    """
    _lock(conn)
    version = current_version(conn)
    if version > LATEST:
        raise UserError(
            Msg(
                N_(
                    "The database was made by a newer version of the app (schema {found}); "
                    "this version knows schema {known}. Update the app."
                ),
                {"found": version, "known": LATEST},
            )
        )
    if version == 0:
        conn.execute(sa.text("CREATE TABLE schema_version (version INTEGER NOT NULL)"))
        conn.execute(sa.text("INSERT INTO schema_version (version) VALUES (0)"))
    for number in range(version + 1, target + 1):
        MIGRATIONS[number - 1](conn)
        conn.execute(sa.text("UPDATE schema_version SET version = :v"), {"v": number})
    return max(version, target)
