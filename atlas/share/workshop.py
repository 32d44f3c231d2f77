"""The trainer's workshop tools: a sample story to demo, a clean slate, and a reset that loses nothing.

Pure (no streamlit). Every action that changes what others see needs ``pin_ok`` (the page's PIN verdict).

Public API:

- ``SAMPLE_TEAM``, ``SAMPLE_PREFIX``, ``is_sample(item) -> bool``.
- ``sample_specs() -> list[tuple[str, str, ViewSpec]]``: the demo story's slides (title and note msgids).
- ``load_demo(store, pin_ok, _, editor_key) -> DemoResult``: sample reports + the sample story.
- ``clear_demo(store, pin_ok) -> int``: removes the sample views, stories and reports.
- ``backup_zip(store, now) -> bytes``: every view (with copied data), story and report as JSON and CSV.
- ``reset_workshop(store, pin_ok, now=None) -> ResetResult``: backup written to ``var_dir()/backups/``
  first, then the gallery, saved views, stories and reports are emptied.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import pandas as pd

from atlas.csvsafe import to_safe_csv
from atlas.draw.compose import compose
from atlas.draw.views import ViewSpec
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.keep import SavedView, Store, Story
from atlas.paths import var_dir
from atlas.places.gazetteer import region_name
from atlas.share.saved import new_saved_view, unpack_table
from atlas.values.datasets import builtin_table

SAMPLE_TEAM = "Achyk Atlas sample"  # the store has no sample flag for views: team + title prefix mark them
SAMPLE_PREFIX = "Sample: "
STORY_TITLE = N_("Where are NGO projects per capita lowest?")
BACKUPS = "backups"
KINDS = ("views", "stories")


@dataclass(frozen=True)
class DemoResult:
    story_id: str
    view_ids: tuple[str, ...]
    reports: int


@dataclass(frozen=True)
class ResetResult:
    path: Path
    data: bytes
    counts: dict[str, int]


def is_sample(item: SavedView | Story) -> bool:
    """Whether a view or story was made by ``load_demo`` (both marks, so a participant's title cannot match).

    >>> is_sample(Story("Sample: x", ("a",), team=SAMPLE_TEAM)), is_sample(Story("Sample: x", ("a",)))
    (True, False)
    """
    return item.team == SAMPLE_TEAM and item.title.startswith(SAMPLE_PREFIX)


def sample_specs() -> list[tuple[str, str, ViewSpec]]:
    """The demo story: (title msgid, note msgid with {lowest}/{highest}, spec), drawn from the NGO sample.

    >>> [s.map_type for _t, _n, s in sample_specs()]
    ['choropleth', 'choropleth', 'choropleth', 'bubbles']
    """
    return [
        (N_("NGO projects per 10,000 people"),
         N_("Counting every project in the sample, {lowest} has the fewest per 10,000 people "
            "and {highest} the most."), ViewSpec()),
        (N_("Health projects only"),
         N_("Keeping only health projects, {lowest} comes last and {highest} first."),
         ViewSpec(filters={"theme": ("Health",)})),
        (N_("One year: 2021"),
         N_("In 2021 alone, {lowest} had the fewest projects per 10,000 people, {highest} the most."),
         ViewSpec(year=2021)),
        (N_("People reached, as circles"),
         N_("Circles show people reached: {highest} has the largest circle, {lowest} the smallest."),
         ViewSpec(map_type="bubbles", column="beneficiaries", aggregation="sum", normalisation="none")),
    ]


def _extremes(spec: ViewSpec, lang: str) -> dict[str, str]:
    values = compose(spec, builtin_table(spec.dataset)).view.values.dropna()
    return {"lowest": region_name(values.idxmin(), lang), "highest": region_name(values.idxmax(), lang)}


def load_demo(store: Store, pin_ok: bool, _: Callable[[str], str], editor_key: str, lang: str = "en") -> DemoResult:
    """Load sample reports and the sample story (replacing an earlier demo), in the trainer's language.

    >>> load_demo(store, True, str, key).story_id  # doctest: +SKIP
    'Ab3_x9Zk'
    """
    _require(pin_ok)
    clear_demo(store, pin_ok)
    reports = store.load_samples(pin_ok=True)
    table = builtin_table("ngo_sample")
    ids = []
    for title, note, spec in sample_specs():
        spec = replace(spec, lang=lang)
        words = Msg(note, _extremes(spec, lang)).render(_)
        record = new_saved_view(spec, table, SAMPLE_PREFIX + _(title), words, team=SAMPLE_TEAM, published=True)
        ids.append(store.save_view(record, editor_key))
    story = Story(SAMPLE_PREFIX + _(STORY_TITLE), tuple(ids), team=SAMPLE_TEAM, published=True)
    return DemoResult(store.save_story(story, editor_key), tuple(ids), reports)


def _all(store: Store, kind: str) -> list:
    return store.list_gallery(kind, include_unpublished=True, include_hidden=True)


def clear_demo(store: Store, pin_ok: bool) -> int:
    """Delete the sample views, stories and reports; participants' work stays. Returns how many went.

    >>> clear_demo(store, True)  # doctest: +SKIP
    65
    """
    _require(pin_ok)
    gone = 0
    for kind in ("stories", "views"):
        for item in (i for i in _all(store, kind) if is_sample(i)):
            store.delete_item(kind, item.short_id, pin_ok=True)
            gone += 1
    return gone + store.clear_samples(pin_ok=True)


def _json(obj: object) -> bytes:
    return json.dumps(obj, ensure_ascii=False, indent=1, default=str).encode("utf-8")


def _records(store: Store) -> dict[str, list[dict]]:
    views = [store.get_view(v.short_id, include_hidden=True) for v in _all(store, "views")]
    out = {"views": [], "stories": [asdict(s) for s in _all(store, "stories")]}
    for view in (v for v in views if v is not None):
        row = asdict(view) | {"dataset": f"datasets/{view.short_id}.json.gz" if view.dataset else ""}
        out["views"].append(row)
    return out


def backup_zip(store: Store, now: dt.datetime) -> bytes:
    """A zip of everything a reset removes: views (+ copied data), stories, reports (with contacts).

    >>> zipfile.ZipFile(io.BytesIO(backup_zip(store, now))).namelist()[:2]  # doctest: +SKIP
    ['manifest.json', 'views.json']
    """
    records = _records(store)
    reports = store.reports_frame(include_samples=True, include_hidden=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        counts = {"views": len(records["views"]), "stories": len(records["stories"]), "reports": len(reports)}
        zf.writestr("manifest.json", _json({"created_at": now.isoformat(), "counts": counts}))
        for kind in KINDS:
            zf.writestr(f"{kind}.json", _json(records[kind]))
            flat = [{k: json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list | tuple) else v
                     for k, v in row.items()} for row in records[kind]]
            zf.writestr(f"{kind}.csv", to_safe_csv(pd.DataFrame(flat)))
        zf.writestr("reports.json", reports.to_json(orient="records", date_format="iso", force_ascii=False))
        zf.writestr("reports.csv", to_safe_csv(reports))
        for view in records["views"]:
            if view["dataset"]:
                packed = store.get_view(view["short_id"], include_hidden=True).dataset
                zf.writestr(view["dataset"], packed)
                # The same rows as a plain table, for a trainer who opens the backup in Excel.
                zf.writestr(view["dataset"].replace(".json.gz", ".csv"), to_safe_csv(unpack_table(packed).frame))
    return buffer.getvalue()


def reset_workshop(store: Store, pin_ok: bool, now: dt.datetime | None = None) -> ResetResult:
    """Back everything up (zip in ``var_dir()/backups/``), then empty views, stories, gallery and reports.

    The backup is written and flushed before anything is deleted, so a failed write deletes nothing.

    >>> reset_workshop(store, True).path.parent.name  # doctest: +SKIP
    'backups'
    """
    _require(pin_ok)
    now = now or dt.datetime.now()
    data = backup_zip(store, now)
    folder = var_dir() / BACKUPS
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"achyk-workshop-{now:%Y-%m-%d_%H%M%S}.zip"
    n = 1
    while path.exists():  # two resets in one second must not overwrite the first backup
        path, n = folder / f"achyk-workshop-{now:%Y-%m-%d_%H%M%S}-{n}.zip", n + 1
    path.write_bytes(data)
    counts = {kind: 0 for kind in (*KINDS, "reports")}
    for kind in KINDS:
        for item in _all(store, kind):
            store.delete_item(kind, item.short_id, pin_ok=True)
            counts[kind] += 1
    for report in store.list_reports(include_samples=True, include_hidden=True):
        store.moderate(report.id, "delete", pin_ok=True)
        counts["reports"] += 1
    return ResetResult(path, data, counts)


def _require(pin_ok: bool) -> None:
    if pin_ok is not True:
        raise UserError(Msg(N_("This needs the trainer PIN.")))
