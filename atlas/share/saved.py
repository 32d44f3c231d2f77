"""Saved views and stories between the store and the screen: pack uploads, resolve slides, build handouts.

Pure (no streamlit): the present, stories and gallery pages and the builder's save form call these.

Public API:

- ``pack_table(table) -> bytes`` / ``unpack_table(data) -> DatasetTable``: an upload copied into the store.
- ``new_saved_view(spec, table, title, note, author, team, published=False) -> SavedView``.
- ``resolve(saved, datasets=None) -> Slide``: the spec and table a saved view draws, or a ``UserError``.
- ``story_views(store, story) -> list[SavedView]``: a story's views in order, skipping deleted ones.
- ``EXPORTS``; ``export_file(kind, composed, _, today) -> ExportFile``: one handout, rendered on demand.
- ``share_path(kind, short_id) -> str``: the short link path (``present?view=…``).
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, fields, replace

import pandas as pd

from atlas.draw import export
from atlas.draw.builder import region_table
from atlas.draw.compose import Composed, handout
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.keep import SavedView, Store, Story
from atlas.values.datasets import DatasetTable, builtin_table, is_builtin

UPLOAD_PREFIX = "upload:"
_PACK_VERSION = 1
_META = ("key", "label", "region_col", "value_cols", "category_cols", "year_col", "lat_col", "lon_col",
         "is_sample", "source", "date", "units")


@dataclass(frozen=True)
class Slide:
    """A saved view ready to draw: its record, spec and table, and what could not be read."""

    saved: SavedView
    spec: ViewSpec
    table: DatasetTable
    problems: list[Msg]


@dataclass(frozen=True)
class ExportFile:
    """One download: file name, MIME type and bytes."""

    name: str
    mime: str
    data: bytes


def is_upload(spec: ViewSpec) -> bool:
    """Whether the view draws a participant's upload (which must be copied to be kept).

    >>> is_upload(ViewSpec(dataset="upload:" + "0" * 64)), is_upload(ViewSpec())
    (True, False)
    """
    return spec.dataset.startswith(UPLOAD_PREFIX)


def pack_table(table: DatasetTable) -> bytes:
    """An upload's table and its column roles as gzipped JSON (no pickle: the bytes come back from a shared store).

    >>> unpack_table(pack_table(builtin_table("regions"))).region_col
    'iso_3166_2'
    """
    meta = {name: getattr(table, name) for name in _META}
    body = {"version": _PACK_VERSION, "meta": meta, "frame": table.frame.to_json(orient="split", date_format="iso")}
    return gzip.compress(json.dumps(body, ensure_ascii=False).encode("utf-8"), mtime=0)


def unpack_table(data: bytes) -> DatasetTable:
    """The inverse of ``pack_table``; unreadable bytes raise a ``UserError``.

    >>> unpack_table(b"junk")
    Traceback (most recent call last):
    atlas.errors.UserError: The data saved with this view could not be read.
    """
    try:
        body = json.loads(gzip.decompress(data).decode("utf-8"))
        meta = {k: body["meta"][k] for k in _META}
        frame = pd.read_json(io.StringIO(body["frame"]), orient="split", dtype=False)
        return DatasetTable(frame=frame, **meta)
    except (OSError, EOFError, ValueError, KeyError, TypeError) as exc:
        raise UserError(Msg(N_("The data saved with this view could not be read."))) from exc


def new_saved_view(spec: ViewSpec, table: DatasetTable, title: str, note: str = "", author: str = "",
                   team: str = "", published: bool = False) -> SavedView:
    """A record for ``Store.save_view``: the words go into the spec too, so handouts carry them.

    An upload is copied (packed) only here, when the participant saves.

    >>> v = new_saved_view(ViewSpec(), builtin_table("ngo_sample"), " Schools ", "Few in Naryn.")
    >>> v.spec["title"], v.dataset is None
    ('Schools', True)
    """
    worded = replace(spec, title=title.strip(), note=note.strip(), author=(author or team).strip())
    upload = is_upload(spec)
    return SavedView(
        spec=worded.to_dict(), title=title.strip(), note=note.strip(), author=author.strip(), team=team.strip(),
        dataset=pack_table(table) if upload else None, dataset_name=table.label if upload else "",
        published=published,
    )


def resolve(saved: SavedView, lang: str | None = None) -> Slide:
    """The spec and table a saved view draws; a dataset that cannot be found raises ``UserError``.
    An official series is labelled in ``lang`` (default: the view's language).

    >>> s = resolve(new_saved_view(ViewSpec(year=2021), builtin_table("ngo_sample"), "T"))
    >>> s.spec.year, s.table.key
    (2021, 'ngo_sample')
    """
    spec, problems = ViewSpec.from_dict(saved.spec)
    if is_upload(spec):
        if not saved.dataset:
            raise UserError(Msg(N_("The data of this view was not saved with it, so it cannot be shown.")))
        table = unpack_table(saved.dataset)
    elif is_builtin(spec.dataset):
        table = builtin_table(spec.dataset, lang or spec.lang)
    else:
        raise UserError(Msg(N_("This view uses a dataset the app no longer has: {name}."), {"name": spec.dataset}))
    return Slide(saved, spec, table, problems)


def story_views(store: Store, story: Story) -> list[SavedView]:
    """The story's saved views in its order; deleted or hidden views are skipped.

    >>> story_views(store, Story("T", ("gone",)))  # doctest: +SKIP
    []
    """
    found = (store.get_view(view_id) for view_id in story.view_ids)
    return [v for v in found if v is not None]


def share_path(kind: str, short_id: str) -> str:
    """The path of a short link to a saved view or story in presentation mode.

    >>> share_path("stories", "Ab3_x9Zk")
    'present?story=Ab3_x9Zk'
    """
    return f"present?{'story' if kind == 'stories' else 'view'}={short_id}"


def clamp(index: int, count: int) -> int:
    """A slide number kept within ``0 … count-1`` (a hand-edited link may say anything).

    >>> clamp(7, 3), clamp(-2, 3), clamp(0, 0)
    (2, 0, 0)
    """
    return max(0, min(index, count - 1)) if count else 0


#: kind → (label msgid, extension, MIME type). Order = order of the download buttons.
EXPORTS: dict[str, tuple[str, str, str]] = {
    "png": (N_("Picture (PNG)"), "png", "image/png"),
    "pdf": (N_("Printable page (PDF, A4)"), "pdf", "application/pdf"),
    "svg": (N_("Drawing (SVG)"), "svg", "image/svg+xml"),
    "html": (N_("Web page that works offline (HTML)"), "html", "text/html"),
    "csv": (N_("Data table (CSV)"), "csv", "text/csv"),
    "geojson": (N_("Map data (GeoJSON)"), "geojson", "application/geo+json"),
}


def export_file(kind: str, c: Composed, _: Callable[[str], str], today: dt.date) -> ExportFile:
    """One handout of a composed view, named from its title and date.

    >>> from atlas.draw.compose import compose
    >>> f = export_file("csv", compose(ViewSpec(title="NGOs"), builtin_table("ngo_sample")), str, dt.date(2024, 5, 1))
    >>> f.name
    'ngos_2024-05-01.csv'
    """
    _label, ext, mime = EXPORTS[kind]
    h = handout(c, _, today.isoformat())
    renderers: dict[str, Callable[[], bytes]] = {
        "png": lambda: export.render_png(h),
        "pdf": lambda: export.render_pdf(h),
        "svg": lambda: export.render_svg(h),
        "html": lambda: export.render_html(h).encode("utf-8"),
        "csv": lambda: export.joined_csv(region_table(c)),
        "geojson": lambda: export.regions_geojson(h),
    }
    return ExportFile(export.handout_filename(h.title, today, ext), mime, renderers[kind]())


def view_fields() -> tuple[str, ...]:
    """The SavedView fields a listing shows (for tables and the backup).

    >>> "title" in view_fields()
    True
    """
    return tuple(f.name for f in fields(SavedView) if f.name != "dataset")
