"""The OGP commitments reference table (National Action Plan 2018-2020): load, validate, version.

The bundled table is data/ogp_commitments.csv (20 commitments; see data/README and the provenance note).
A trainer may upload a newer CSV with the same columns; it is validated row by row and kept by the store
as a new version, the previous ones stay restorable. IDs known to exist but absent from the table
(KG0004, KG0005, ...) are listed as "not in the data yet", never given invented content.

Public API:

- ``COLUMNS``: the required columns, in file order.
- ``bundled_csv() -> bytes`` / ``bundled_commitments() -> DataFrame``: the shipped table.
- ``parse_commitments(data) -> DataFrame``: validate uploaded bytes; ``CommitmentsInvalid`` lists bad rows.
- ``missing_ids(df) -> list[str]``: IDs in the known numbering that the table lacks.
- ``with_missing(df) -> DataFrame``: the table plus one placeholder row per missing ID (``in_data`` False).
- ``known_ids(df) -> set[str]``: present and known-missing IDs (what a monitoring report may name).
- ``active_commitments(store) -> DataFrame``, ``upload_commitments(store, data, note, author, pin_ok)``.
- ``localised(df, lang) -> DataFrame``: adds ``title`` and ``lead`` in ``lang`` (English where no translation).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from functools import lru_cache
from typing import Any

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg, plural_msg
from atlas.paths import DATA
from atlas.places.gazetteer import CODES

COLUMNS: tuple[str, ...] = (
    "commitment_id",
    "title_en",
    "theme",
    "policy_areas",
    "lead_institution",
    "support_institutions",
    "start_date",
    "end_date",
    "level",
    "irm_verifiable",
    "irm_relevance",
    "irm_potential_impact",
    "irm_completion",
    "irm_diog",
    "irm_starred",
    "source_url",
)
#: The highest ID seen on the OGP site (KG0026): IDs up to it exist even when we have no row for them.
KNOWN_HIGHEST = 26
NOT_IN_DATA = N_("not in the data yet")
MAX_BYTES = 2 * 1024 * 1024
_ID = re.compile(r"^KG\d{4}$")
_YES_NO = {"", "Yes", "No"}


class CommitmentsInvalid(UserError):
    """An uploaded reference table with problems; ``problems`` holds one message per bad row or column."""

    def __init__(self, problems: list[Msg]):
        super().__init__(
            plural_msg("The table was not loaded: {n} problem found.",
                       "The table was not loaded: {n} problems found.", len(problems))
        )
        self.problems = problems


def bundled_csv() -> bytes:
    """The shipped reference table as bytes.

    >>> bundled_csv()[:13]
    b'commitment_id'
    """
    return (DATA / "ogp_commitments.csv").read_bytes()


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    return parse_commitments(bundled_csv())


def bundled_commitments() -> pd.DataFrame:
    """The shipped table, validated (a copy, safe to modify).

    >>> len(bundled_commitments())
    20
    """
    return _bundled().copy()


def _decode(data: bytes) -> str:
    # Trainers save CSVs from Excel on Windows: UTF-8 (with or without BOM) first, then CP1251.
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1251")


def _read_rows(data: bytes) -> list[dict[str, str]]:
    if not data or not data.strip():
        raise UserError(Msg(N_("The file is empty.")))
    if len(data) > MAX_BYTES:
        raise UserError(Msg(N_("The file is larger than {mb} MB."), {"mb": MAX_BYTES // (1024 * 1024)}))
    text = _decode(data)
    first = text.splitlines()[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [str(name or "").strip() for name in reader.fieldnames or []]
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra:
        raise CommitmentsInvalid(
            [Msg(N_("Missing columns: {columns}"), {"columns": ", ".join(missing)})] * bool(missing)
            + [Msg(N_("Unknown columns: {columns}"), {"columns": ", ".join(extra)})] * bool(extra)
        )
    reader.fieldnames = header
    return [{k: (v or "").strip() for k, v in row.items() if k in COLUMNS} for row in reader]


def _parse_date(value: str) -> date | None:
    return date.fromisoformat(value) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None


def _row_problems(line: int, row: dict[str, str], seen: set[str]) -> list[Msg]:
    """What is wrong with one data row (``line`` is the file line, header = 1)."""
    out: list[Msg] = []
    cid = row["commitment_id"]
    if not _ID.match(cid):
        out.append(
            Msg(N_('Row {row}: commitment ID "{value}" is not like KG0001.'), {"row": line, "value": cid})
        )
    elif cid in seen:
        out.append(Msg(N_("Row {row}: commitment ID {value} appears twice."), {"row": line, "value": cid}))
    if not row["title_en"]:
        out.append(Msg(N_("Row {row}: the title is empty."), {"row": line}))
    dates = {}
    for column in ("start_date", "end_date"):
        value = row[column]
        try:
            dates[column] = _parse_date(value) if value else None
            bad = bool(value) and dates[column] is None
        except ValueError:
            bad = True
        if bad:
            out.append(
                Msg(
                    N_('Row {row}: {column} "{value}" is not a date like 2018-09-01.'),
                    {"row": line, "column": column, "value": value},
                )
            )
    if dates.get("start_date") and dates.get("end_date") and dates["start_date"] > dates["end_date"]:
        out.append(Msg(N_("Row {row}: the end date is before the start date."), {"row": line}))
    levels = [p.strip() for p in row["level"].split(";") if p.strip()]
    if levels != ["national"] and (not levels or any(p not in CODES for p in levels)):
        out.append(
            Msg(
                N_('Row {row}: level "{value}" must be "national" or region codes like KG-B.'),
                {"row": line, "value": row["level"]},
            )
        )
    if row["irm_verifiable"] not in _YES_NO:
        out.append(Msg(N_("Row {row}: irm_verifiable must be Yes, No or empty."), {"row": line}))
    for url in row["source_url"].split():
        if not re.match(r"^https?://[^/\s]+", url):
            out.append(
                Msg(N_('Row {row}: source "{value}" is not an http(s) link.'), {"row": line, "value": url})
            )
    return out


def parse_commitments(data: bytes) -> pd.DataFrame:
    """Validate a reference CSV (same columns as the bundled one) into a table sorted by commitment ID.

    Raises ``CommitmentsInvalid`` with a message per bad row; empty cells stay empty strings.

    >>> parse_commitments(bundled_csv()).loc[0, "commitment_id"]
    'KG0001'
    """
    rows = _read_rows(data)
    problems: list[Msg] = []
    seen: set[str] = set()
    for line, row in enumerate(rows, start=2):
        problems += _row_problems(line, row, seen)
        seen.add(row["commitment_id"])
    if not rows:
        problems.append(Msg(N_("The table has a header but no rows.")))
    if problems:
        raise CommitmentsInvalid(problems)
    df = pd.DataFrame(rows, columns=list(COLUMNS)).astype(str)
    return df.sort_values("commitment_id", kind="stable").reset_index(drop=True)


def _number(cid: str) -> int:
    return int(cid[2:])


def missing_ids(df: pd.DataFrame) -> list[str]:
    """IDs from KG0001 to the highest known one that the table does not have.

    >>> missing_ids(bundled_commitments())
    ['KG0004', 'KG0005', 'KG0008', 'KG0013', 'KG0014', 'KG0015']
    """
    present = set(df["commitment_id"])
    highest = max([KNOWN_HIGHEST, *(_number(c) for c in present)])
    return [f"KG{n:04d}" for n in range(1, highest + 1) if f"KG{n:04d}" not in present]


def known_ids(df: pd.DataFrame) -> set[str]:
    """IDs a monitoring report may refer to: those in the table and those known to exist without data.

    >>> "KG0004" in known_ids(bundled_commitments()), "KG0099" in known_ids(bundled_commitments())
    (True, False)
    """
    return set(df["commitment_id"]) | set(missing_ids(df))


def with_missing(df: pd.DataFrame) -> pd.DataFrame:
    """The table plus a placeholder row for each missing ID: only the ID, ``in_data`` False, title empty.

    The explorer shows ``NOT_IN_DATA`` (translated) for those rows instead of any content.

    >>> t = with_missing(bundled_commitments()); int((~t["in_data"]).sum())
    6
    """
    present = df.assign(in_data=True)
    blanks = pd.DataFrame({"commitment_id": missing_ids(df)}).reindex(columns=list(COLUMNS), fill_value="")
    blanks["in_data"] = False
    both = pd.concat([present, blanks], ignore_index=True)
    return both.sort_values("commitment_id", kind="stable").reset_index(drop=True)


@lru_cache(maxsize=4)
def _parse_cached(data: bytes) -> pd.DataFrame:
    # Every report save checks the commitment ID against the active table: parse each version once.
    return parse_commitments(data)


def active_commitments(store: Any) -> pd.DataFrame:
    """The reference table in force: the store's active uploaded version, else the bundled table.

    >>> active_commitments(None).shape[0]
    20
    """
    data = store.reference_csv() if store is not None else None
    return _parse_cached(data).copy() if data else bundled_commitments()


def upload_commitments(store: Any, data: bytes, note: str, author: str, pin_ok: bool) -> int:
    """Validate ``data`` and keep it as the new active version; returns the version number.

    >>> upload_commitments(store, bundled_csv(), "same as shipped", "trainer", True)  # doctest: +SKIP
    1
    """
    df = parse_commitments(data)
    return store.add_reference_version(data, note=note, author=author, rows=len(df), pin_ok=pin_ok)


#: Russian and Kyrgyz titles and lead institutions, keyed by the English text (so an uploaded table
#: with a changed English title falls back to English instead of showing a stale translation).
#: Column ``translation``: "project" = the project's own translation, not the plan's official wording.
TRANSLATIONS_FILE = "ogp_commitments_translations.csv"


@lru_cache(maxsize=1)
def _translations() -> dict[tuple[str, str, str], str]:
    rows = csv.DictReader(io.StringIO((DATA / TRANSLATIONS_FILE).read_text(encoding="utf-8")))
    return {(r["field"], r["en"].strip(), lang): r[lang].strip() for r in rows for lang in ("ky", "ru") if r[lang]}


def active_localised(store: Any, lang: str) -> pd.DataFrame:
    """``localised(active_commitments(store), lang)``, made once per (table version, language) and shared
    by every session: read-only. Pages ask for it several times a rerun.

    >>> active_localised(None, "ru") is active_localised(None, "ru")
    True
    """
    return localised_version(store.reference_csv() if store is not None else None, lang)


@lru_cache(maxsize=16)
def localised_version(data: bytes | None, lang: str) -> pd.DataFrame:
    """The table of one stored version (``None``: the bundled table) in ``lang``; shared: read-only."""
    return localised(_parse_cached(data).copy() if data else bundled_commitments(), lang)


def localised(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``df`` plus ``title`` and ``lead``: the title and lead institution in ``lang``, English where none.

    >>> localised(bundled_commitments(), "ru").loc[0, ["title", "lead"]].tolist()
    ['Открытые данные', 'Государственный комитет информационных технологий и связи']
    """
    words = _translations()
    out = df.copy()
    for column, source, kind in (("title", "title_en", "title"), ("lead", "lead_institution", "lead")):
        out[column] = [words.get((kind, str(text).strip(), lang)) or text for text in df[source].fillna("")]
    return out
