"""Versions of the OGP commitments table kept in the database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from atlas import ogp
from atlas.i18n import N_
from atlas.keep.schema import reference_t, require_pin, utc_now
from atlas.ogp.reports import refuse


@dataclass(frozen=True)
class ReferenceVersion:
    """One uploaded version of the OGP reference table (version 0 is the bundled table)."""

    version: int
    created_at: datetime | None
    note: str
    author: str
    rows: int
    active: bool


class ReferenceMixin:
    """Versions of the OGP commitments table: keep an upload, list, activate (0 = bundled). Mixed into ``Store``."""

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
        require_pin(pin_ok)
        with self._tx(write=True) as conn:
            conn.execute(sa.update(reference_t).values(active=False))
            query = (
                sa.insert(reference_t)
                .values(
                    created_at=utc_now(),
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
        require_pin(pin_ok)
        with self._tx(write=True) as conn:
            exists = conn.execute(sa.select(reference_t.c.version).where(reference_t.c.version == version)).first()
            if version != 0 and not exists:
                raise refuse(N_("Version {version} of the reference table does not exist."), {"version": version})
            conn.execute(sa.update(reference_t).values(active=reference_t.c.version == version))
