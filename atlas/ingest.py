"""Any upload → a table (or GeoDataFrame) plus a report of every guess, so the page can show and undo it.

Public API:

- ``read_upload(data, filename, options=None, progress=None) -> Upload``: CSV/TSV/TXT (UTF-8 with or
  without BOM, UTF-16, CP1251, CP866; separators , ; tab |; decimal commas; thousands separated by
  spaces, no-break spaces or dots), .xlsx (sheet choice, title rows, merged headers, totals and
  notes), GeoJSON, zipped shapefiles and GeoPackage (reprojected to WGS 84). The type is judged by
  magic bytes, never by ``filename`` (used only in messages). Bad input raises ``UserError(Msg)``.
- ``read_pasted(text, options=None) -> Upload``: a range copied from Excel (tab-separated text).
- ``ReadOptions``: the user's overrides (encoding, separator, sheet, header_row, decimal,
  shapefile_encoding, drop_totals). Pass ``report.guesses`` values back in to keep them.
- ``Upload``: ``table``, ``kind`` ("table" | "vector"), ``report`` (``ReadReport``: ``guesses``
  name → ``Guess(value, alternatives, reason)``, ``dropped`` rows with reasons, ``bad_numbers``
  per column with examples, ``messages``), ``sheets``, ``roles`` (``ColumnRoles``), ``key``
  (``content_key`` of the bytes: the only safe cache key).
- ``detect_roles(df) -> ColumnRoles``; ``to_number(series, decimal) -> Series`` (vectorised).

``progress``, where given, is called with a fraction 0..1 as the work advances.
Line numbers in messages and in ``dropped`` are 1-based lines of the file (rows of the sheet).
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from atlas import regions, safety
from atlas.errors import UserError
from atlas.i18n import N_, Msg, plural_msg

Progress = Callable[[float], None] | None
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1251", "cp866", "koi8-r", "latin-1")
SEPARATORS = (",", ";", "\t", "|")
_SEP_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "vertical bar"}
_SAMPLE_LINES = 200
_YEAR = re.compile(r"^(?:.*?\D)?((?:19[5-9]|20[0-4])\d)(?:\.0)?$")
_NUM_SPACES = re.compile(r"[\s\u00a0\u202f\u2009'’]")
_LAT_NAMES = re.compile(r"^(lat|latitude|широта|кеңдик|y)$", re.I)
_LON_NAMES = re.compile(r"^(lon|lng|long|longitude|долгота|узундук|x)$", re.I)
_YEAR_NAMES = re.compile(r"^(year|год|жыл|yil|god|период|period)$", re.I)
_TOTAL_HINT = (
    r"(?i)^\W*(?:всего|итого|бардыгы|баары|жыйынтык|total|grand|кыргыз|kyrgyz|по респ|республика|кр\b)"
)
_DATE_NAMES = re.compile(r"(date|дата|күн|kun)", re.I)


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


def _tick(progress: Progress, frac: float) -> None:
    if progress:
        progress(min(max(frac, 0.0), 1.0))


# --------------------------------------------------------------------------- entry points


def read_upload(
    data: bytes, filename: str = "", options: ReadOptions | None = None, progress: Progress = None
) -> Upload:
    """Read uploaded bytes of any supported kind.

    >>> read_upload("Область;Сумма\\nТалас;1 234,5\\n".encode("cp1251")).table["Сумма"].tolist()
    [1234.5]
    """
    opts = options or ReadOptions()
    safety.check_size(data)
    kind = safety.sniff(data)
    _tick(progress, 0.05)
    if kind == "zip":
        up = _read_zip(data, filename, opts, progress)
    elif kind == "gpkg":
        up = _read_vector_path(data, "upload.gpkg", opts)
    elif kind == "json":
        up = _read_geojson(data, opts)
    else:
        up = _read_text(data, opts, progress)
    up.key, up.filename = safety.content_key(data), filename
    _warn_extension(up, filename, kind)
    _tick(progress, 1.0)
    return up


def read_pasted(text: str, options: ReadOptions | None = None) -> Upload:
    """Read a range copied from Excel (tab-separated unless the text says otherwise).

    >>> read_pasted("Region\\tN\\nNaryn\\t3\\n").table.to_dict("list")
    {'Region': ['Naryn'], 'N': [3]}
    """
    data = text.encode("utf-8")
    safety.check_size(data)
    opts = options or ReadOptions()
    if opts.encoding is None:
        opts = ReadOptions(**{**opts.__dict__, "encoding": "utf-8"})
    up = _read_text(data, opts, None)
    up.report.guesses["encoding"] = Guess("text", [], "pasted text")
    up.key = safety.content_key(data)
    return up


def _warn_extension(up: Upload, filename: str, kind: str) -> None:
    """Say so when the extension disagrees with the content (we trust the content)."""
    ext = Path(filename).suffix.lower()
    real = {"zip": "xlsx" if up.kind == "table" else "zip", "gpkg": "gpkg", "json": "geojson", "text": "csv"}[
        kind
    ]
    expected = {
        ".csv": "csv",
        ".txt": "csv",
        ".tsv": "csv",
        ".xlsx": "xlsx",
        ".geojson": "geojson",
        ".json": "geojson",
        ".zip": "zip",
        ".gpkg": "gpkg",
    }.get(ext)
    if expected and expected != real:
        up.report.messages.append(
            Msg(
                N_("The file is named {name} but its content is {real}; it was read as {real}."),
                {"name": filename, "real": real},
            )
        )


# --------------------------------------------------------------------------- text files


def detect_encoding(data: bytes) -> tuple[str, str]:
    """Guess the encoding of text bytes: BOMs, strict UTF-8, then CP1251 vs CP866 by letter statistics.

    >>> detect_encoding("Нарын".encode("cp866"))[0]
    'cp866'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig", "byte-order mark"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16", "byte-order mark"
    if safety._looks_utf16(data):
        return ("utf-16-le" if data[1:2] == b"\x00" else "utf-16-be"), "every other byte is zero"
    if _utf8_head(data) is not None:
        return "utf-8", "valid UTF-8"
    return _codepage(data), "most Cyrillic letters"


def _codepage(data: bytes) -> str:
    """CP1251 or CP866, whichever turns the non-ASCII bytes into more Russian letters.

    >>> _codepage("Таласская область".encode("cp1251"))
    'cp1251'
    """
    sample = bytes(b for b in data[:400_000] if b >= 0x80)[:100_000]
    scores = {enc: _cyrillic_score(sample.decode(enc, errors="replace")) for enc in ("cp1251", "cp866")}
    return max(scores, key=scores.get)


_HEAD = 1 << 20


def _utf8_head(data: bytes) -> str | None:
    """The first MB decoded as UTF-8 (cut at a line end), or None if it is not UTF-8.

    Only the head is decoded here: the pyarrow parser checks the rest of the file as it reads it,
    and ``_read_text`` falls back to the code pages if it finds a bad byte (saves ~40 ms per 14 MB).
    """
    head = data if len(data) <= _HEAD else data[: data.rfind(b"\n", 0, _HEAD) + 1 or _HEAD]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError:
        return None


def _cyrillic_score(text: str) -> int:
    """Russian letters minus other non-ASCII characters: the wrong code page yields symbols."""
    letters = len(re.findall(r"[а-яА-ЯёЁ]", text))
    other = len(re.findall(r"[^\x00-\x7fа-яА-ЯёЁ\u00a0«»№—–]", text))
    return letters - 3 * other


def _decode(data: bytes, opts: ReadOptions, report: ReadReport) -> str:
    """Bytes → text with the chosen or guessed encoding; repairs whole-file mojibake."""
    enc, why = (opts.encoding, "chosen") if opts.encoding else detect_encoding(data)
    try:
        text = _utf8_head(data) if enc == "utf-8" and why != "chosen" else data.decode(enc)
        if text is None:
            raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid")
    except (UnicodeDecodeError, LookupError) as exc:
        raise UserError(
            Msg(N_("The file cannot be read as {enc}; choose another encoding."), {"enc": enc})
        ) from exc
    text = text.lstrip("\ufeff")
    report.guesses["encoding"] = Guess(enc, list(ENCODINGS), why)
    head = text[:100_000]
    if len(re.findall(r"[\u00c0-\u00ff]{3,}", head)) > 3 and not re.search(r"[\u0400-\u04ff]", head):
        text = _reencode(text, "cp1252", "cp1251", report,
                         Msg(N_('The text had been garbled by a wrong encoding ("Áèøêåê"); it was repaired.')),
                         Msg(N_('Some text looks garbled by a wrong encoding ("Áèøêåê").')))
    head = text[:100_000]
    if regions._fix_mojibake(head)[1] and len(re.findall(r"Р[\u0400-\u045f‘’“”•–—™…€‚„†‡‰‹›]", head)) > 3:
        text = _reencode(text, "cp1251", "utf-8", report,
                         Msg(N_('The text had been garbled by a wrong encoding ("Р‘РёС€"); it was repaired.')),
                         Msg(N_('Some text looks garbled by a wrong encoding ("Р‘РёС€").')))
    return text


def _reencode(text: str, wrong: str, right: str, report: ReadReport, repaired: Msg, failed: Msg) -> str:
    """Undo a whole-file mix-up: text that was bytes in ``right`` but decoded as ``wrong``.

    >>> _reencode("Áèøêåê", "cp1252", "cp1251", ReadReport(), Msg("ok"), Msg("no"))
    'Бишкек'
    """
    try:
        fixed = text.encode(wrong).decode(right)
    except (UnicodeEncodeError, UnicodeDecodeError):
        report.messages.append(failed)
        return text
    report.messages.append(repaired)
    return fixed


def _sample_rows(text: str, sep: str) -> list[list[str]]:
    """The first lines parsed with the csv module (quotes honoured); for guessing only."""
    head = "\n".join(text[:200_000].splitlines()[:_SAMPLE_LINES])
    try:
        return [row for row in csv.reader(io.StringIO(head), delimiter=sep)]
    except csv.Error:
        return [line.split(sep) for line in head.splitlines()]


def guess_separator(text: str) -> tuple[str, str]:
    """The separator giving the most lines with the same (largest) number of fields.

    >>> guess_separator("a;b;c\\n1,5;2;3\\n")[0]
    ';'
    """
    best, best_score = ",", (-1, 0)
    for sep in SEPARATORS:
        widths = [len(r) for r in _sample_rows(text, sep) if any(c.strip() for c in r)]
        if not widths:
            continue
        mode = max(set(widths), key=lambda w: (widths.count(w), w))
        score = (widths.count(mode) if mode > 1 else 0, mode)
        if score > best_score:
            best, best_score = sep, score
    return best, f"{best_score[0]} lines split into {best_score[1]} fields"


def guess_header(rows: list[list]) -> int:
    """Index of the header: the first row filled nearly as much as the fullest row (title rows are not).

    >>> guess_header([["Report 2020"], [], ["Region", "N"], ["Naryn", "3"]])
    2
    """
    widths = [sum(1 for c in r if c is not None and str(c).strip()) for r in rows]
    if not widths or max(widths) == 0:
        return 0
    need = max(min(2, max(widths)), int(np.ceil(0.6 * max(widths))))
    return next(i for i, w in enumerate(widths) if w >= need)


def guess_decimal(rows: list[list[str]], sep: str) -> str:
    """ "," when numbers like 12,5 outnumber 12.5 (never with a comma separator).

    >>> guess_decimal([["1 234,5", "2,0"]], ";")
    ','
    """
    if sep == ",":
        return "."
    cells = [c.strip() for r in rows for c in r]
    comma = sum(bool(re.fullmatch(r"-?[\d\s\u00a0\u202f.]*\d,\d+", c)) for c in cells)
    dot = sum(bool(re.fullmatch(r"-?[\d\s\u00a0\u202f,]*\d\.\d+", c)) for c in cells)
    return "," if comma > dot else "."


def _quote_scan(body: bytes, start: int) -> bool:
    """True if quoted fields span lines; raises naming the line of a quote that never closes.

    Works on the UTF-8 bytes (quote and newline are ASCII); ``start`` is the line before ``body``.
    """
    open_line, multiline, line_no = 0, False, start
    for line in body.split(b"\n"):
        line_no += 1
        if line.count(b'"') % 2:
            if open_line:
                open_line = 0
            else:
                open_line = line_no
        elif open_line:
            multiline = True
    if open_line:
        raise UserError(
            Msg(N_('Line {line} opens a quoted field (") that is never closed.'), {"line": open_line})
        )
    return multiline


def _read_text(data: bytes, opts: ReadOptions, progress: Progress) -> Upload:
    """CSV/TSV/TXT: decode, guess separator/header/decimal, parse with pyarrow, clean."""
    report = ReadReport()
    text = _decode(data, opts, report)
    if not text.strip():
        raise UserError(Msg(N_("The file is empty.")))
    sep, why = (opts.separator, "chosen") if opts.separator else guess_separator(text)
    report.guesses["separator"] = Guess(sep, list(SEPARATORS), why)
    rows = _sample_rows(text, sep)
    header = opts.header_row if opts.header_row is not None else guess_header(rows)
    report.guesses["header_row"] = Guess(header, list(range(min(len(rows), 20))), "first well-filled row")
    decimal = opts.decimal or guess_decimal(rows[header + 1 :], sep)
    report.guesses["decimal"] = Guess(decimal, [".", ","], "most numbers")
    for i in range(min(header, len(rows))):
        report.dropped.append({"line": i + 1, "reason": "above the header", "text": sep.join(rows[i])})
    body = _body_bytes(data, text, header, report)
    multiline = _quote_scan(body, header) if b'"' in body else False
    _tick(progress, 0.2)
    try:
        df = _parse_csv(body, sep, decimal, multiline, header, report)
    except _NotUtf8:
        # the UTF-8 guess was made on the head; a bad byte further down means a code page after all
        up = _read_text(data, ReadOptions(**{**opts.__dict__, "encoding": _codepage(data)}), progress)
        up.report.guesses["encoding"].reason = "not UTF-8 past the first megabyte; most Cyrillic letters"
        return up
    _tick(progress, 0.6)
    df = _clean(df, header + 2, decimal, opts, report)
    return Upload(df, "table", report, [], detect_roles(df))


def _body_bytes(data: bytes, text: str, header: int, report: ReadReport) -> bytes:
    """UTF-8 bytes from the header line on; UTF-8 uploads are sliced, not decoded and re-encoded (speed)."""
    if report.guesses["encoding"].value in ("utf-8", "utf-8-sig") and len(text) and not report.messages:
        start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
        for _ in range(header):
            start = data.find(b"\n", start) + 1
        return data[start:]
    lines = text.split("\n", header)
    return (lines[-1] if header and len(lines) > header else text).encode("utf-8")


class _NotUtf8(Exception):
    """pyarrow met a byte that is not UTF-8 after the head looked like UTF-8."""


def _parse_csv(
    body: bytes, sep: str, decimal: str, multiline: bool, header: int, report: ReadReport
) -> pd.DataFrame:
    """Vectorised parse (pyarrow engine; the C engine when quoted fields hold newlines)."""
    bad: list[tuple[int | None, str]] = []

    def on_bad(row) -> str:
        bad.append((getattr(row, "number", None), getattr(row, "text", "")))
        return "skip"

    raw = body
    kwargs: dict = {"sep": sep, "skip_blank_lines": True}
    try:
        if multiline:
            df = pd.read_csv(
                io.BytesIO(raw),
                engine="c",
                dtype=str,
                keep_default_na=False,
                na_values=[""],
                on_bad_lines="warn",
            )
        else:
            df = pd.read_csv(
                io.BytesIO(raw), engine="pyarrow", on_bad_lines=on_bad, decimal=decimal, **kwargs
            )
    except (ValueError, pd.errors.ParserError) as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise _NotUtf8 from exc
        raise UserError(Msg(N_("The table could not be read: {detail}"), {"detail": str(exc)[:200]})) from exc
    if df.columns.size == 0 or (len(df) == 0 and not len(df.columns)):
        raise UserError(Msg(N_("The file has no table.")))
    for number, txt in bad:
        line = header + 1 + number if number is not None else None
        report.dropped.append({"line": line, "reason": "wrong number of fields", "text": txt[:200]})
    df.columns = _unique_names([str(c) for c in df.columns])
    return df


def _unique_names(names: list[str]) -> list[str]:
    """Blank names become column_N; repeats get .2, .3 (pandas/Excel habit).

    >>> _unique_names(["a", "", "a"])
    ['a', 'column_2', 'a.2']
    """
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = name.strip() if name and not name.startswith("Unnamed:") else f"column_{i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 1
        out.append(name)
    return out


# --------------------------------------------------------------------------- cleaning


def to_number(series: pd.Series, decimal: str = ".") -> pd.Series:
    """Vectorised text → float: spaces, no-break spaces and the other thousands mark removed.

    >>> to_number(pd.Series(["1 234,5", "2.334,01", "x"]), ",").tolist()
    [1234.5, 2334.01, nan]
    """
    s = series.astype("string").str.replace(_NUM_SPACES, "", regex=True).str.rstrip("%")
    if decimal == ",":
        s = s.str.replace(".", "", regex=False).str.replace(",", ".", regex=False)
    else:
        s = s.str.replace(",", "", regex=False)
    return pd.to_numeric(s, errors="coerce").astype(float)


def _is_texty(col: pd.Series) -> bool:
    return pd.api.types.is_object_dtype(col) or pd.api.types.is_string_dtype(col)


def _clean(
    df: pd.DataFrame, first_line: int, decimal: str, opts: ReadOptions, report: ReadReport
) -> pd.DataFrame:
    """Drop blank/totals/notes rows (reported with their lines) and convert number-like text columns."""
    df = df.copy()
    df.index = pd.RangeIndex(first_line, first_line + len(df))  # index = file line, for reporting
    blank = _blank_rows(df)
    keep = ~blank
    texty = [c for c in df.columns if _is_texty(df[c])]
    if opts.drop_totals:
        for col in texty[:3]:
            uniq = pd.Series(df[col].unique()).dropna()
            # a vectorised first-word filter keeps is_total off thousands of dates and names
            maybe = uniq[uniq.astype(str).str.contains(_TOTAL_HINT, regex=True)]
            totals = [v for v in maybe if regions.is_total(v)]
            if totals:
                hit = df[col].isin(totals) & keep
                _drop(report, df[hit], "total row")
                keep &= ~hit
    for line in df.index[blank][:1000]:
        report.dropped.append({"line": int(line), "reason": "blank", "text": ""})
    if not keep.all():
        df = df[keep]
    df = _drop_notes(df, report)
    safety.check_rows(len(df))
    for col in [c for c in df.columns if _is_texty(df[c])]:
        df[col] = _maybe_numeric(df[col], decimal, report)
    if df.empty:
        raise UserError(
            Msg(N_("The file has a header (line {line}) but no data rows."), {"line": first_line - 1})
        )
    report.messages.insert(
        0, Msg(N_("Read {rows} rows and {cols} columns."), {"rows": len(df), "cols": df.shape[1]})
    )
    if report.dropped:
        report.messages.append(
            plural_msg(
                "{n} row was left out (totals, notes, blank); see the list.",
                "{n} rows were left out (totals, notes, blank); see the list.",
                len(report.dropped),
            )
        )
    return df.reset_index(drop=True)


def _blank_rows(df: pd.DataFrame) -> pd.Series:
    """Rows empty in every column; numeric columns first, stopping as soon as no row can be blank."""
    mask = np.ones(len(df), dtype=bool)
    for col in sorted(df.columns, key=lambda c: _is_texty(df[c])):
        mask &= df[col].isna().to_numpy()
        if not mask.any():
            break
    return pd.Series(mask, index=df.index)


def _drop(report: ReadReport, rows: pd.DataFrame, reason: str) -> None:
    for line, row in rows.head(1000).iterrows():
        text = " | ".join(str(v) for v in row.tolist() if v is not None and v == v)
        report.dropped.append({"line": int(line), "reason": reason, "text": text[:200]})


def _drop_notes(df: pd.DataFrame, report: ReadReport) -> pd.DataFrame:
    """Trailing rows with text in one cell only ("Источник: …") are notes, not data."""
    if df.shape[1] < 2 or df.empty:
        return df
    tail = df.tail(20)
    filled = tail.notna().sum(axis=1)
    cut = len(df)
    for n in reversed(filled.tolist()):
        if n > 1:
            break
        cut -= 1
    if cut < len(df) and cut > 0:
        _drop(report, df.iloc[cut:], "note below the table")
        return df.iloc[:cut]
    return df


def _maybe_numeric(col: pd.Series, decimal: str, report: ReadReport) -> pd.Series:
    """Convert a text column when most of it reads as numbers; count and show the cells that do not."""
    # decide on a sample first: most text columns are names and cost nothing more
    sample = col.head(2000).dropna()
    sample = sample[sample.astype(str).str.strip() != ""].head(500)
    if sample.empty:
        return col
    is_object = pd.api.types.is_object_dtype(col)
    if is_object and sample.map(lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)).all():
        return pd.to_numeric(col, errors="coerce")  # Excel cells that are all real numbers
    if is_object and not sample.map(lambda v: isinstance(v, str)).any():
        return col  # dates or other objects: not numbers
    if to_number(sample.astype(str), decimal).notna().mean() < 0.6:
        return col
    if is_object:  # Excel cells: real numbers stay as they are, only text cells are parsed
        is_text = col.map(lambda v: isinstance(v, str))
        num = pd.to_numeric(col.where(~is_text), errors="coerce").astype(float)
        num[is_text] = to_number(col[is_text].astype(str), decimal)
    else:
        num = to_number(col, decimal)
    present = col.dropna()
    present = present[present.astype(str).str.strip() != ""]
    bad = present[num.loc[present.index].isna()]
    if len(bad):
        examples = [str(v) for v in bad.astype(str).unique()[:5]]
        report.bad_numbers[str(col.name)] = {"count": int(len(bad)), "examples": examples}
        report.messages.append(
            plural_msg(
                "Column {col}: {n} cell could not be read as a number (e.g. {ex}).",
                "Column {col}: {n} cells could not be read as numbers (e.g. {ex}).",
                len(bad),
                {"col": col.name, "ex": ", ".join(examples[:3])},
            )
        )
    return num


# --------------------------------------------------------------------------- roles


def _year_of(name: object) -> int | None:
    m = _YEAR.match(str(name).strip())
    return int(m.group(1)) if m else None


def detect_roles(df: pd.DataFrame) -> ColumnRoles:
    """Guess column roles from content (and names where content cannot tell).

    >>> r = detect_roles(pd.DataFrame({"obl": ["Нарын", "Талас"], "2019": [1, 2], "2020": [3, 4]}))
    >>> (r.region, r.wide_years)
    ('obl', ['2019', '2020'])
    """
    roles = ColumnRoles()
    cols = [c for c in df.columns if c != "geometry"]
    numeric = [
        c for c in cols if pd.api.types.is_numeric_dtype(df[c]) and not pd.api.types.is_bool_dtype(df[c])
    ]
    # judge roles on an evenly spaced sample: a 1M-row table tells no more than 5,000 of its rows
    if len(df) > 6000:  # contiguous slices are views; a strided sample would copy every column
        mid = len(df) // 2
        df = pd.concat([df.iloc[:2000], df.iloc[mid : mid + 2000], df.iloc[-2000:]])
    roles.code = _code_column(df, cols)
    # a names column is preferred for display; a code column alone also serves
    names = [c for c in cols if c not in numeric and c != roles.code]
    roles.region = regions.detect_region_column(df[names]) or roles.code
    roles.lat, roles.lon = _latlon(df, numeric)
    roles.year, roles.date = _year_date(df, cols, numeric)
    roles.wide_years = [c for c in numeric if _year_of(c) and not _YEAR_NAMES.match(str(c))]
    if len(roles.wide_years) < 2:
        roles.wide_years = []
    skip = {roles.code, roles.lat, roles.lon, roles.year, roles.region}
    roles.values = [c for c in numeric if c not in skip]
    return roles


def _code_column(df: pd.DataFrame, cols: list) -> str | None:
    """A column of ISO, HASC, OCHA or SOATE codes (≥ 80% of distinct values read as codes)."""
    for col in cols:
        if pd.api.types.is_float_dtype(df[col]):
            continue
        uniq = pd.Series(df[col].dropna().unique()[:300])
        if len(uniq) and uniq.map(regions.match_code).notna().mean() >= 0.8:
            return col
    return None


def _latlon(df: pd.DataFrame, numeric: list) -> tuple[str | None, str | None]:
    """Latitude/longitude by name, else by range (39–44 and 69–81 degrees for Kyrgyzstan)."""
    lat = next((c for c in numeric if _LAT_NAMES.match(str(c).strip())), None)
    lon = next((c for c in numeric if _LON_NAMES.match(str(c).strip())), None)
    if lat and lon:
        return lat, lon

    def share(c: str, lo: float, hi: float) -> float:
        s = df[c].dropna()
        return float(s.between(lo, hi).mean()) if len(s) else 0.0

    lats = [c for c in numeric if share(c, 39, 44) > 0.8 and not (df[c].dropna() % 1 == 0).all()]
    lons = [c for c in numeric if share(c, 69, 81) > 0.8 and not (df[c].dropna() % 1 == 0).all()]
    if lats and lons:
        return lats[0], lons[0]
    return None, None


def _year_date(df: pd.DataFrame, cols: list, numeric: list) -> tuple[str | None, str | None]:
    """A year column (by name, or integers 1950–2049) and a date column (datetime values)."""
    year = next((c for c in cols if _YEAR_NAMES.match(str(c).strip())), None)
    if year is None:
        for c in numeric:
            s = df[c].dropna()
            if len(s) and (s % 1 == 0).all() and s.between(1950, 2049).all() and s.nunique() < 80:
                year = c
                break
    date = next((c for c in cols if pd.api.types.is_datetime64_any_dtype(df[c])), None)
    if date is None:
        for c in cols:
            if _DATE_NAMES.search(str(c)) and _is_texty(df[c]):
                parsed = pd.to_datetime(df[c].head(200), errors="coerce", dayfirst=True, format="mixed")
                if parsed.notna().mean() > 0.8:
                    date = c
                    break
    return year, date


def years_of(df: pd.DataFrame, roles: ColumnRoles) -> pd.Series | None:
    """The year of each row, from the year or date column (None when neither exists).

    >>> years_of(pd.DataFrame({"год": [2019]}), ColumnRoles(year="год")).tolist()
    [2019.0]
    """
    if roles.year:
        return pd.to_numeric(df[roles.year], errors="coerce").astype(float)
    if roles.date:
        return pd.to_datetime(df[roles.date], errors="coerce", dayfirst=True, format="mixed").dt.year.astype(
            float
        )
    return None


# --------------------------------------------------------------------------- zip: xlsx or shapefile


def _read_zip(data: bytes, filename: str, opts: ReadOptions, progress: Progress) -> Upload:
    """A zip is an .xlsx workbook or a zipped shapefile; anything else is refused."""
    zf = safety.open_zip(data)
    names = zf.namelist()
    if "xl/workbook.xml" in names:
        return _read_xlsx(data, zf, opts, progress)
    if any(n.lower().endswith(".shp") for n in names):
        return _read_shapefile(zf, opts)
    if any(n.lower().endswith(".gpkg") for n in names):
        info = next(i for i in zf.infolist() if i.filename.lower().endswith(".gpkg"))
        return _read_vector_path(safety.read_member(zf, info), "upload.gpkg", opts)
    raise UserError(
        Msg(
            N_("{name} is a zip archive but holds no workbook (.xlsx) and no shapefile (.shp)."),
            {"name": filename or "The file"},
        )
    )


def _check_xml_parts(zf: zipfile.ZipFile) -> None:
    """Refuse workbooks whose XML declares a DTD or entities (billion laughs), before openpyxl."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")):
            head = safety.read_member(zf, info)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise UserError(
                    Msg(
                        N_(
                            "The workbook contains XML entity declarations, which Excel never "
                            "writes; it was refused as unsafe."
                        )
                    )
                )


def _read_xlsx(data: bytes, zf: zipfile.ZipFile, opts: ReadOptions, progress: Progress) -> Upload:
    """Workbook → the chosen (or the most table-like) sheet with merged headers filled in."""
    import openpyxl  # imported here: the text path must not pay for it

    _check_xml_parts(zf)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except Exception as exc:  # openpyxl raises many types (defusedxml, KeyError, ValueError) on bad files
        raise UserError(
            Msg(N_("The workbook could not be opened: {detail}"), {"detail": type(exc).__name__})
        ) from exc
    _tick(progress, 0.3)
    report = ReadReport()
    grids, raws = {}, {}
    for ws in wb.worksheets:
        safety.check_rows(ws.max_row or 0)
        raws[ws.title], grids[ws.title] = _sheet_grid(ws)
    sheets = list(grids)
    best = max(sheets, key=lambda s: sum(1 for r in grids[s] if sum(v is not None for v in r) >= 2))
    sheet = opts.sheet if opts.sheet in grids else best
    if opts.sheet and opts.sheet not in grids:
        raise UserError(
            Msg(
                N_("There is no sheet named {sheet}; the sheets are {all}."),
                {"sheet": opts.sheet, "all": ", ".join(sheets)},
            )
        )
    report.guesses["sheet"] = Guess(sheet, sheets, "chosen" if opts.sheet else "holds the largest table")
    grid = grids[sheet]
    if not any(any(v is not None for v in r) for r in grid):
        raise UserError(Msg(N_("The sheet {sheet} is empty."), {"sheet": sheet}))
    # guessed on the raw cells: a title merged across the table must not look like a header
    header = opts.header_row if opts.header_row is not None else guess_header(raws[sheet][:_SAMPLE_LINES])
    report.guesses["header_row"] = Guess(header, list(range(min(len(grid), 20))), "first well-filled row")
    names, start = _header_names(grid, header)
    for i in range(header):
        report.dropped.append(
            {
                "line": i + 1,
                "reason": "above the header",
                "text": " | ".join(str(v) for v in raws[sheet][i] if v is not None),
            }
        )
    df = pd.DataFrame([r[: len(names)] for r in grid[start:]], columns=_unique_names(names), dtype=object)
    texts = [[v for v in r if isinstance(v, str)] for r in grid[start : start + _SAMPLE_LINES]]
    decimal = opts.decimal or guess_decimal(texts, ";")
    report.guesses["decimal"] = Guess(decimal, [".", ","], "numbers typed as text")
    df = _clean(df, start + 1, decimal, opts, report)
    return Upload(df, "table", report, sheets, detect_roles(df))


def _sheet_grid(ws) -> tuple[list[list], list[list]]:
    """Sheet values as rows (raw, and with merged ranges filled by their top-left value)."""
    raw = [list(r) for r in ws.iter_rows(values_only=True)]
    grid = [list(r) for r in raw]
    for rng in ws.merged_cells.ranges:
        value = grid[rng.min_row - 1][rng.min_col - 1]
        for r in range(rng.min_row - 1, min(rng.max_row, len(grid))):
            for c in range(rng.min_col - 1, min(rng.max_col, len(grid[r]))):
                grid[r][c] = value
    for r in grid:
        for i, v in enumerate(r):
            if isinstance(v, str) and not v.strip():
                r[i] = None
    while grid and all(v is None for v in grid[-1]):
        grid.pop()
    return raw, grid


def _header_names(grid: list[list], header: int) -> tuple[list[str], int]:
    """Header names; a merged two-row header ("Population" over "2019", "2020") becomes one row."""
    top = ["" if v is None else str(v).strip() for v in grid[header]]
    filled = [t for t in top if t]
    if header + 1 < len(grid) and len(set(filled)) < len(filled):
        sub = ["" if v is None else str(v).strip() for v in grid[header + 1]]
        under_dups = [sub[i] for i, t in enumerate(top) if t and top.count(t) > 1]
        if all(under_dups) and len(set(under_dups)) == len(under_dups):
            names = [
                t if (s == t or not s) else (s if _year_of(s) or not t else f"{t} {s}")
                for t, s in zip(top, sub, strict=False)
            ]
            return names, header + 2
    return top, header + 1


# --------------------------------------------------------------------------- vector files


def _read_geojson(data: bytes, opts: ReadOptions) -> Upload:
    """GeoJSON (an old-style ``crs`` member is honoured by GDAL) → WGS 84 GeoDataFrame."""
    safety.check_vertices(data.count(b"["))
    return _read_vector_path(data, "upload.geojson", opts)


def _read_shapefile(zf: zipfile.ZipFile, opts: ReadOptions) -> Upload:
    """Zipped shapefile, possibly in a subfolder; members are written under fixed names, never theirs."""
    shp = [
        i
        for i in zf.infolist()
        if i.filename.lower().endswith(".shp") and "__macosx" not in i.filename.lower()
    ]
    if not shp:
        raise UserError(Msg(N_("The zip file holds no shapefile (.shp).")))
    stem = shp[0].filename[:-4]
    parts = {i.filename[len(stem) :].lower(): i for i in zf.infolist() if i.filename[:-4] == stem}
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise UserError(Msg(N_("The shapefile is missing its {parts} file."), {"parts": ", ".join(missing)}))
    with tempfile.TemporaryDirectory(prefix="atlas-") as tmp:
        for ext, info in parts.items():
            if ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                (Path(tmp) / f"layer{ext}").write_bytes(safety.read_member(zf, info))
        up = _read_vector_file(Path(tmp) / "layer.shp", opts)
    if len(shp) > 1:
        up.report.messages.append(
            Msg(
                N_("The zip holds {n} shapefiles; the first, {name}, was read."),
                {"n": len(shp), "name": Path(shp[0].filename).name},
            )
        )
    return up


def _read_vector_path(data: bytes, name: str, opts: ReadOptions) -> Upload:
    """Write bytes to a private temp file under a fixed name and read it with pyogrio."""
    with tempfile.TemporaryDirectory(prefix="atlas-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return _read_vector_file(path, opts)


def _read_vector_file(path: Path, opts: ReadOptions) -> Upload:
    """Read the chosen layer, check sizes, reproject to EPSG:4326."""
    import geopandas as gpd
    import pyogrio
    import shapely

    report = ReadReport()
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        layer = opts.sheet if opts.sheet in layers else layers[0]
        info = pyogrio.read_info(path, layer=layer)
        safety.check_rows(int(info.get("features") or 0))
        enc = _gdal_encoding(opts.shapefile_encoding) if opts.shapefile_encoding else None
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio", **({"encoding": enc} if enc else {}))
    except UserError:
        raise
    except Exception as exc:  # GDAL errors come in many types; the user needs one message
        raise UserError(
            Msg(N_("The map file could not be read: {detail}"), {"detail": str(exc)[:200]})
        ) from exc
    report.guesses["sheet"] = Guess(layer, layers, "first layer")
    if path.suffix == ".shp":
        report.guesses["encoding"] = Guess(
            enc or info.get("encoding") or "", list(ENCODINGS), ".cpg file or chosen"
        )
    safety.check_vertices(int(shapely.get_num_coordinates(gdf.geometry.values).sum()))
    gdf = _to_wgs84(gdf, report)
    if gdf.empty:
        raise UserError(Msg(N_("The map file has no features.")))
    report.messages.insert(
        0,
        Msg(
            N_("Read {rows} features ({types})."),
            {"rows": len(gdf), "types": ", ".join(sorted(set(gdf.geom_type.dropna())))},
        ),
    )
    return Upload(gdf, "vector", report, layers, detect_roles(pd.DataFrame(gdf.drop(columns="geometry"))))


def _gdal_encoding(name: str) -> str:
    """Python codec name → the name GDAL's iconv knows ("latin-1" → "ISO-8859-1").

    >>> _gdal_encoding("cp1251"), _gdal_encoding("latin-1")
    ('CP1251', 'ISO-8859-1')
    """
    import codecs

    try:
        canon = codecs.lookup(name).name
    except LookupError as exc:
        raise UserError(Msg(N_("Unknown encoding {enc}."), {"enc": name})) from exc
    return {"iso8859-1": "ISO-8859-1", "utf-8": "UTF-8", "koi8-r": "KOI8-R"}.get(canon, canon.upper())


def _to_wgs84(gdf, report: ReadReport):
    """Reproject projected data; data without a CRS is taken as degrees only if it looks like degrees.

    GeoJSON without a ``crs`` member is WGS 84 by definition, so GDAL reports EPSG:4326 even when
    the numbers are metres; the same range check catches those.
    """
    minx, miny, maxx, maxy = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
    geographic = gdf.crs is None or gdf.crs.to_epsg() == 4326
    if geographic and (max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90):
        raise UserError(
            Msg(
                N_(
                    "The coordinates are not in degrees and the file does not say which "
                    "projection they use (no .prj or crs)."
                )
            )
        )
    if gdf.crs is None:
        report.messages.append(
            Msg(N_("The file does not name its coordinate system; WGS 84 degrees were assumed."))
        )
        return gdf.set_crs(4326)
    if gdf.crs.to_epsg() != 4326:
        src = gdf.crs.to_string()
        gdf = gdf.to_crs(4326)
        report.messages.append(Msg(N_("Coordinates were converted from {crs} to WGS 84."), {"crs": src}))
    return gdf


def vector_points(gdf) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) of each feature: the point itself, or a point inside a line or polygon.

    >>> import geopandas as gpd, shapely
    >>> vector_points(gpd.GeoDataFrame(geometry=[shapely.Point(74.6, 42.9)]))[0].tolist()
    [42.9]
    """
    pts = gdf.geometry.representative_point()
    return pd.Series(pts.y.to_numpy(), index=gdf.index), pd.Series(pts.x.to_numpy(), index=gdf.index)
