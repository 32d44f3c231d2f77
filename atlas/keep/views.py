"""Saved views and stories, and the gallery they make."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa

from atlas.i18n import N_
from atlas.keep.schema import MAX_DATASET_BYTES, VIEW_LIST_COLUMNS, stories_t, utc_now, views_t
from atlas.ogp.reports import refuse
from atlas.security import hash_editor_key, key_matches, new_short_id


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


class ViewsMixin:
    """Saved views, stories and the gallery: short ids, flags, deletion by owner or trainer. Mixed into ``Store``."""

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
            raise refuse(N_("Give the view a title."))
        if view.dataset is not None and len(view.dataset) > MAX_DATASET_BYTES:
            raise refuse(
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
                "created_at": utc_now(),
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
            raise refuse(N_("Give the story a title."))
        if not story.view_ids:
            raise refuse(N_("Add at least one saved view to the story."))
        with self._tx() as conn:
            found = set(
                conn.execute(sa.select(views_t.c.short_id).where(views_t.c.short_id.in_(story.view_ids))).scalars()
            )
        missing = [v for v in story.view_ids if v not in found]
        if missing:
            raise refuse(N_("These saved views do not exist: {ids}."), {"ids": ", ".join(missing)})
        return self._insert_with_short_id(
            stories_t,
            {
                "title": story.title.strip(),
                "author": story.author.strip(),
                "team": story.team.strip(),
                "view_ids_json": json.dumps(list(story.view_ids)),
                "created_at": utc_now(),
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
        columns = VIEW_LIST_COLUMNS if kind == "views" else list(stories_t.c)
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
            raise refuse(N_("Only a trainer can feature or hide items in the gallery."))
        values = {
            k: v for k, v in (("published", published), ("featured", featured), ("hidden", hidden)) if v is not None
        }
        with self._tx(write=True) as conn:
            row = conn.execute(sa.select(table.c.editor_key_hash).where(table.c.short_id == short_id)).first()
            if row is None:
                raise refuse(N_("Item {id} does not exist."), {"id": short_id})
            if not pin_ok and not key_matches(editor_key, row.editor_key_hash):
                raise refuse(N_("Only the session that saved {id}, or a trainer, can change it."), {"id": short_id})
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
                raise refuse(N_("Item {id} does not exist."), {"id": short_id})
            if not pin_ok and not key_matches(editor_key, row.editor_key_hash):
                raise refuse(N_("Only the session that saved {id}, or a trainer, can change it."), {"id": short_id})
            conn.execute(sa.delete(table).where(table.c.short_id == short_id))
