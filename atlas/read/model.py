"""What reading an upload produces: the options, every guess, the report and the column roles."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from atlas.i18n import Msg

Progress = Callable[[float], None] | None
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1251", "cp866", "koi8-r", "latin-1")
SEPARATORS = (",", ";", "\t", "|")
_SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
SAMPLE_LINES = 200
YEAR_RX = re.compile(r"^(?:.*?\D)?((?:19[5-9]|20[0-4])\d)(?:\.0)?$")
NUM_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
LAT_NAMES = re.compile(r"^(lat|latitude|широта|кеңдик|y)$", re.I)
LON_NAMES = re.compile(r"^(lon|lng|long|longitude|долгота|узундук|x)$", re.I)
YEAR_NAMES = re.compile(r"^(year|год|жыл|yil|god|период|period)$", re.I)
TOTAL_HINT = r"(?i)^\W*(?:всего|итого|бардыгы|баары|жыйынтык|total|grand|кыргыз|kyrgyz|по респ|республика|кр\b)"
ID_NAMES = re.compile(
    r"(?i)(^|[\s_:.\-])(id|fid|gid|uid|oid|osm_id|objectid|object_id|ogc_fid|fid_\d+|code|codes|pcode|p_code"
    r"|iso|hasc|soate|soato|okato|код|коду|kod|шифр|№|номер)($|[\s_:.\-]|\d)"
    r"|^(id|fid|osm_?id|objectid|pcode|adm\d_pcode)$|_id$|^№")
DATE_NAMES = re.compile(r"(date|дата|күн|kun)", re.I)


@dataclass
class ReadOptions:
    """Overrides chosen by the user; None means "guess"."""

    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    header_row: int | None = None  # 0-based line (or sheet row) of the header
    decimal: str | None = None
    shapefile_encoding: str | None = None
    drop_totals: bool = True


@dataclass
class Guess:
    """One guess, the alternatives the user may pick instead, and why it was made."""

    value: object
    alternatives: list = field(default_factory=list)
    reason: str = ""


@dataclass
class ReadReport:
    """Everything the reader guessed, dropped or could not read."""

    guesses: dict[str, Guess] = field(default_factory=dict)
    dropped: list[dict] = field(default_factory=list)  # {"line", "reason", "text"}
    bad_numbers: dict[str, dict] = field(default_factory=dict)  # column → {"count", "examples"}
    messages: list[Msg] = field(default_factory=list)

    def dropped_frame(self) -> pd.DataFrame:
        """Dropped rows as a table: line, reason, text."""
        return pd.DataFrame(self.dropped, columns=["line", "reason", "text"])


@dataclass
class ColumnRoles:
    """What each column seems to be; every field may be overridden by the page."""

    region: str | None = None
    code: str | None = None
    lat: str | None = None
    lon: str | None = None
    values: list[str] = field(default_factory=list)
    year: str | None = None
    date: str | None = None
    wide_years: list[str] = field(default_factory=list)


@dataclass
class Upload:
    """A read upload: the table, how it was read, and the guessed column roles."""

    table: pd.DataFrame
    kind: str
    report: ReadReport
    sheets: list[str]
    roles: ColumnRoles
    key: str = ""
    filename: str = ""


def tick(progress: Progress, frac: float) -> None:
    if progress:
        progress(min(max(frac, 0.0), 1.0))
