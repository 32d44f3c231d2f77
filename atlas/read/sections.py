"""Section-header layouts: the region written once in a row of its own above its block of rows.

Old statistical workbooks put "Нарынская область" alone in a row, then the block's rows (by rayon,
by year, by sex) below it. ``unfold_sections`` turns such a sheet into an ordinary table: a new
column holds each block's region, and the header rows themselves are left out (and listed). When
lone rows head blocks but are not region names, the sheet cannot be mapped as it is and the user
is told what to change.
"""

from __future__ import annotations

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import regions
from atlas.read.labels import strip_label
from atlas.read.model import ReadReport

SECTION_COL = "Region (from section rows)"
_PLACED = ("code", "alias", "fuzzy", "ambiguous")


def _lone_text(row: list) -> str | None:
    """The text of a row that has exactly one filled cell, a text (None otherwise)."""
    filled = [v for v in row if v is not None and not (isinstance(v, str) and not v.strip())]
    if len(filled) == 1 and isinstance(filled[0], str):
        return filled[0].strip()
    return None


def _is_region(text: str) -> bool:
    return regions.match_value(strip_label(text)[0]).method in _PLACED or regions.match_value(text).method == "total"


def unfold_sections(rows: list[list], names: list[str], first_line: int,
                    report: ReadReport) -> tuple[list[list], list[str]]:
    """Rows with lone region-name rows heading blocks → rows with the block's region in a new column.

    >>> rows = [["Нарынская область", None], ["2020", 5], ["Таласская область", None], ["2020", 7]]
    >>> out, cols = unfold_sections(rows, ["Год", "N"], 2, ReadReport()); [r[0] for r in out], cols[0]
    (['Нарынская область', 'Таласская область'], 'Region (from section rows)')
    """
    heads = []
    for i, row in enumerate(rows[:-1]):
        text = _lone_text(row)
        nxt = rows[i + 1]
        if text and sum(v is not None for v in nxt) >= 2:
            heads.append((i, text))
    if len(heads) < 2:
        return rows, names
    placed = [h for h in heads if _is_region(h[1])]
    if len(placed) < max(2, 0.6 * len(heads)):
        if len(heads) >= 3 and _first_column_has_no_regions(rows):
            raise UserError(Msg(N_(
                "Rows such as “{example}” stand alone above blocks of rows, like section headings, but they "
                "are not region names and no column names the regions, so the rows cannot be placed on the "
                "map. Put the region in a column of its own on every row (or remove the heading rows) and "
                "upload the file again."), {"example": heads[0][1][:60]}))
        return rows, names
    head_at = dict(placed)
    out, current = [], None
    for i, row in enumerate(rows):
        if i in head_at:
            current = head_at[i]
            report.dropped.append({"line": first_line + i, "reason": "section heading", "text": current[:200]})
            continue
        out.append([current, *row])
    report.messages.append(Msg(N_(
        "The regions are written as headings above blocks of rows ({n} headings, e.g. “{example}”); each "
        "row was given the region of its block in the column “{col}”."),
        {"n": len(placed), "example": placed[0][1][:60], "col": SECTION_COL}))
    return out, [SECTION_COL, *names]


def _first_column_has_no_regions(rows: list[list]) -> bool:
    """True when no column of the sample names regions (the lone rows were the only place to look)."""
    sample = rows[:300]
    width = max((len(r) for r in sample), default=0)
    for c in range(width):
        values = {r[c] for r in sample if c < len(r) and isinstance(r[c], str)}
        hits = sum(regions.match_value(v).method in _PLACED for v in list(values)[:100])
        if hits >= 2:
            return False
    return True
