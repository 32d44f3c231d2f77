"""The NGO activity register in the database (what an entry is: ``atlas.ogp.register``).

An entry is one ``organisations`` row and its ``activities`` rows, written in one transaction, so an
acknowledged entry is whole or absent after a crash. The editor key is created here, returned once and
kept only as its hash; the contact is stored but never listed publicly.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from atlas.i18n import N_
from atlas.keep.schema import activities_t, organisations_t, require_pin, utc_now
from atlas.ogp.register import Activity, Entry, validate_entry
from atlas.ogp.reports import refuse
from atlas.security import hash_editor_key, key_matches, new_editor_key


def _areas_text(areas: tuple[str, ...]) -> str:
    return "," + ",".join(areas) + ","


def _activity_rows(org_id: int, entry: Entry) -> list[dict[str, Any]]:
    return [
        {"organisation_id": org_id, "position": i, "theme": a.theme, "areas": _areas_text(a.areas),
         "year_from": a.year_from, "year_to": a.year_to, "beneficiaries": a.beneficiaries,
         "link": a.link, "description": a.description}
        for i, a in enumerate(entry.activities)
    ]


def _entries(conn: Connection, where: list) -> list[Entry]:
    orgs = conn.execute(sa.select(organisations_t).where(*where).order_by(organisations_t.c.id)).all()
    if not orgs:
        return []
    acts: dict[int, list[Activity]] = defaultdict(list)
    query = (sa.select(activities_t).where(activities_t.c.organisation_id.in_([o.id for o in orgs]))
             .order_by(activities_t.c.organisation_id, activities_t.c.position))
    for a in conn.execute(query):
        acts[a.organisation_id].append(Activity(
            a.theme, tuple(x for x in a.areas.split(",") if x), a.year_from, a.year_to,
            None if a.beneficiaries is None else int(a.beneficiaries), a.link, a.description))
    return [Entry(o.name, o.org_type, tuple(acts[o.id]), o.contact, o.id, bool(o.hidden), o.created_at,
                  o.updated_at) for o in orgs]


class RegisterMixin:
    """The NGO activity register: add (returns the editor key once), edit and withdraw with the key, list the
    visible entries, trainer hide/show. Mixed into ``Store``."""

    def add_entry(self, entry: Entry, now_year: int | None = None) -> tuple[int, str]:
        """Validate and save an organisation with its activities; returns (id, editor key to show once).

        >>> store.add_entry(entry)  # doctest: +SKIP
        (1, 'q3…')
        """
        entry = validate_entry(entry, now_year)
        key = new_editor_key()
        now = utc_now()
        with self._tx(write=True) as conn:
            org_id = int(conn.execute(
                sa.insert(organisations_t).values(
                    name=entry.name, org_type=entry.org_type, contact=entry.contact,
                    editor_key_hash=hash_editor_key(key), hidden=False, created_at=now, updated_at=now,
                ).returning(organisations_t.c.id)).scalar_one())
            conn.execute(sa.insert(activities_t), _activity_rows(org_id, entry))
        return org_id, key

    def _owned(self, conn: Connection, org_id: int, editor_key: str) -> Any:
        row = conn.execute(sa.select(organisations_t).where(organisations_t.c.id == org_id)).first()
        if row is None:
            raise refuse(N_("Entry {id} does not exist (it may have been withdrawn)."), {"id": org_id})
        if not key_matches((editor_key or "").strip(), row.editor_key_hash):
            raise refuse(N_("This editor key does not open entry {id}."), {"id": org_id})
        return row

    def get_entry(self, org_id: int) -> Entry | None:
        """One entry by id (hidden ones too; the pages only list visible ones), or None."""
        with self._tx() as conn:
            found = _entries(conn, [organisations_t.c.id == org_id])
        return found[0] if found else None

    def entry_for_key(self, editor_key: str) -> Entry | None:
        """The entry that ``editor_key`` opens, or None (a wrong key opens nothing).

        >>> store.entry_for_key("wrong") is None  # doctest: +SKIP
        True
        """
        if not (editor_key or "").strip():
            return None
        with self._tx() as conn:
            found = _entries(conn, [organisations_t.c.editor_key_hash == hash_editor_key(editor_key.strip())])
        return found[0] if found else None

    def update_entry(self, org_id: int, entry: Entry, editor_key: str, now_year: int | None = None) -> Entry:
        """Replace an entry's fields and activities, with its editor key; returns the saved entry."""
        entry = validate_entry(entry, now_year)
        with self._tx(write=True) as conn:
            self._owned(conn, org_id, editor_key)
            conn.execute(sa.update(organisations_t).where(organisations_t.c.id == org_id).values(
                name=entry.name, org_type=entry.org_type, contact=entry.contact, updated_at=utc_now()))
            conn.execute(sa.delete(activities_t).where(activities_t.c.organisation_id == org_id))
            conn.execute(sa.insert(activities_t), _activity_rows(org_id, entry))
        return self.get_entry(org_id)

    def withdraw_entry(self, org_id: int, editor_key: str) -> None:
        """Delete an entry for good with its editor key (nothing is kept, the contact included)."""
        with self._tx(write=True) as conn:
            self._owned(conn, org_id, editor_key)
            conn.execute(sa.delete(activities_t).where(activities_t.c.organisation_id == org_id))
            conn.execute(sa.delete(organisations_t).where(organisations_t.c.id == org_id))

    def list_entries(self, include_hidden: bool = False) -> list[Entry]:
        """Entries in the order they arrived; hidden ones only for the trainer.

        >>> [e.name for e in store.list_entries()]  # doctest: +SKIP
        ['Suu Bulak']
        """
        where = [] if include_hidden else [organisations_t.c.hidden.is_(False)]
        with self._tx() as conn:
            return _entries(conn, where)

    def register_stamp(self) -> str:
        """A short text that changes whenever the visible register changes (count, newest change):
        the live map redraws only when it moves.

        >>> store.register_stamp()  # doctest: +SKIP
        '0|None|0'
        """
        c = organisations_t.c
        query = sa.select(sa.func.count(), sa.func.max(c.updated_at), sa.func.max(c.id)).where(c.hidden.is_(False))
        with self._tx() as conn:
            count, newest, top = conn.execute(query).one()
        return f"{count}|{newest}|{top}"

    def moderate_entry(self, org_id: int, action: Literal["hide", "show"], pin_ok: bool) -> None:
        """Trainer hide/show of any entry; ``pin_ok`` is the page's PinGate verdict."""
        require_pin(pin_ok)
        if action not in ("hide", "show"):
            raise ValueError(f"unknown moderation action {action!r}")
        with self._tx(write=True) as conn:
            result = conn.execute(sa.update(organisations_t).where(organisations_t.c.id == org_id)
                                  .values(hidden=action == "hide", updated_at=utc_now()))
            if result.rowcount == 0:
                raise refuse(N_("Entry {id} does not exist (it may have been withdrawn)."), {"id": org_id})
