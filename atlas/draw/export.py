"""Offline handouts: static pages (PNG, PDF, SVG), one self-contained HTML file, CSV and GeoJSON.

Public API (pages wire download buttons to these; nothing here needs a browser or the network):

- ``Handout``: what one handout shows, computed and translated by the caller.
- ``render_png(h, dpi=150) -> bytes``, ``render_pdf(h) -> bytes`` (A4 landscape, one page),
  ``render_svg(h) -> bytes``, ``handout_figure(h) -> Figure``.
- ``render_html(h) -> str``: inline SVG map with tooltips, legend and ranked table; no URL inside.
- ``joined_csv(df) -> bytes``, ``match_report_csv(report) -> bytes``: formula-safe CSV.
- ``regions_geojson(h) -> bytes``: the 8 polygons with their values, Osh city as a point.
- ``handout_filename(title, date, ext) -> str``: an ASCII file name made from title and date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable, Mapping

import pandas as pd
from shapely.geometry import mapping

from atlas.csvsafe import to_safe_csv
from atlas.draw.export_html import render_html
from atlas.draw.export_model import Handout, shapes
from atlas.draw.export_static import handout_figure, render_pdf, render_png, render_svg
from atlas.places.gazetteer import CODES

__all__ = [
    "Handout",
    "handout_figure",
    "handout_filename",
    "joined_csv",
    "match_report_csv",
    "regions_geojson",
    "render_html",
    "render_pdf",
    "render_png",
    "render_svg",
]

MAX_STEM = 80
# Russian and Kyrgyz letters (plus a few of neighbouring Cyrillic alphabets) in plain Latin, so a
# file name survives e-mail, zip tools, old Windows and a projector PC's USB stick.
_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяөүңәғқұһі",
        "a b v g d e yo zh z i y k l m n o p r s t u f kh ts ch sh shch _ y _ e yu ya o u ng a g k u h i".split(),
        strict=True,
    )
)
_CYRILLIC["ъ"] = _CYRILLIC["ь"] = ""
# Windows will not create files with these names, whatever the extension.
_WINDOWS_DEVICES = {"con", "prn", "aux", "nul", *(f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10))}


def _ascii(text: str) -> str:
    """``text`` in lowercase ASCII: Cyrillic transliterated, accents dropped, the rest removed."""
    latin = "".join(_CYRILLIC.get(ch, ch) for ch in text.lower())
    return unicodedata.normalize("NFKD", latin).encode("ascii", "ignore").decode("ascii")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _ascii(text)).strip("-")


def handout_filename(title: str, date: str | dt.date | None = None, ext: str = "png") -> str:
    """A safe file name from the title and date: ASCII, no path separators, at most ~100 characters.

    >>> handout_filename("Ысык-Көл: НКО / 2021", dt.date(2024, 5, 1), ".PDF")
    'ysyk-kol-nko-2021_2024-05-01.pdf'
    """
    stem = _slug(title)[:MAX_STEM].rstrip("-") or "handout"
    if not date and stem in _WINDOWS_DEVICES:
        stem += "-handout"
    day = date.isoformat() if isinstance(date, dt.date) else _slug(str(date or ""))[:20].strip("-")
    suffix = re.sub(r"[^a-z0-9]", "", _ascii(ext))[:8] or "bin"
    return f"{stem}_{day}.{suffix}" if day else f"{stem}.{suffix}"


def joined_csv(df: pd.DataFrame) -> bytes:
    """The joined table as formula-safe UTF-8 CSV (a BOM, so Excel on Windows reads Cyrillic).

    >>> joined_csv(pd.DataFrame({"name": ["=cmd"]})).decode("utf-8-sig").splitlines()[1]
    "'=cmd"
    """
    return to_safe_csv(df)


def match_report_csv(report: pd.DataFrame | Iterable[Mapping]) -> bytes:
    """The match report of an upload (one row per name: what was read, what it matched) as safe CSV.

    >>> match_report_csv([{"name": "Ош", "code": "KG-GO"}]).decode("utf-8-sig").splitlines()[0]
    'name,code'
    """
    frame = report if isinstance(report, pd.DataFrame) else pd.DataFrame(list(report))
    return to_safe_csv(frame)


def _properties(h: Handout, code: str) -> dict:
    value = None if h.missing(code) else float(h.values[code])
    return {
        "iso_3166_2": code,
        "name": h.name(code),
        "value": value,
        "value_text": h.value_texts.get(code, "") if value is not None else "",
        "fill": h.colors.get(code) if value is not None else None,
        "no_data": value is None,
        "unit": h.unit,
    }


def regions_geojson(h: Handout) -> bytes:
    """The 9 polygons (Bishkek and Osh city included) with their values.

    >>> json.loads(regions_geojson(Handout(title="T")))["features"][-1]["geometry"]["type"]
    'MultiPolygon'
    """
    polygons = shapes()
    features = [
        {"type": "Feature", "properties": _properties(h, code), "geometry": mapping(polygons[code])}
        for code in CODES
        if code in polygons
    ]
    collection = {"type": "FeatureCollection", "name": h.title, "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False).encode("utf-8")
