"""Delimited text: encoding, separator, header and decimal guesses, then a pyarrow/pandas parse."""

from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import regions
from atlas.read import safety
from atlas.read.clean import clean_table, unique_names
from atlas.read.model import (
    ENCODINGS,
    SAMPLE_LINES,
    SEPARATORS,
    Guess,
    Progress,
    ReadOptions,
    ReadReport,
    Upload,
    tick,
)
from atlas.read.roles import detect_roles

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
    and ``read_text`` falls back to the code pages if it finds a bad byte (saves ~40 ms per 14 MB).
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
        raise UserError(Msg(N_("The file cannot be read as {enc}; choose another encoding."), {"enc": enc})) from exc
    text = text.lstrip("\ufeff")
    report.guesses["encoding"] = Guess(enc, list(ENCODINGS), why)
    head = text[:100_000]
    if len(re.findall(r"[\u00c0-\u00ff]{3,}", head)) > 3 and not re.search(r"[\u0400-\u04ff]", head):
        text = _reencode(
            text,
            "cp1252",
            "cp1251",
            report,
            Msg(N_('The text had been garbled by a wrong encoding ("Áèøêåê"); it was repaired.')),
            Msg(N_('Some text looks garbled by a wrong encoding ("Áèøêåê").')),
        )
    head = text[:100_000]
    if regions._fix_mojibake(head)[1] and len(re.findall(r"Р[\u0400-\u045f‘’“”•–—™…€‚„†‡‰‹›]", head)) > 3:
        text = _reencode(
            text,
            "cp1251",
            "utf-8",
            report,
            Msg(N_('The text had been garbled by a wrong encoding ("Р‘РёС€"); it was repaired.')),
            Msg(N_('Some text looks garbled by a wrong encoding ("Р‘РёС€").')),
        )
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


def _head_lines(text: str) -> str:
    """The first ``SAMPLE_LINES`` lines of ``text`` (searched in its first 200,000 characters)."""
    return "\n".join(text[:200_000].splitlines()[:SAMPLE_LINES])


def _sample_rows(text: str, sep: str, head: str | None = None) -> list[list[str]]:
    """The first lines parsed with the csv module (quotes honoured); for guessing only.
    ``head``: ``_head_lines(text)`` when the caller has it already."""
    head = _head_lines(text) if head is None else head
    try:
        return [row for row in csv.reader(io.StringIO(head), delimiter=sep)]
    except csv.Error:
        return [line.split(sep) for line in head.splitlines()]


def guess_separator(text: str, head: str | None = None) -> tuple[str, str]:
    """The separator giving the most lines with the same (largest) number of fields.

    >>> guess_separator("a;b;c\\n1,5;2;3\\n")[0]
    ';'
    """
    best, best_score = ",", (-1, 0)
    head = _head_lines(text) if head is None else head
    for sep in SEPARATORS:
        widths = [len(r) for r in _sample_rows(text, sep, head) if any(c.strip() for c in r)]
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
    comma = sum(bool(_COMMA_NUMBER.fullmatch(c)) for c in cells)
    dot = sum(bool(_DOT_NUMBER.fullmatch(c)) for c in cells)
    return "," if comma > dot else "."


_COMMA_NUMBER = re.compile(r"-?[\d\s\u00a0\u202f.]*\d,\d+")
_DOT_NUMBER = re.compile(r"-?[\d\s\u00a0\u202f,]*\d\.\d+")


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
        raise UserError(Msg(N_('Line {line} opens a quoted field (") that is never closed.'), {"line": open_line}))
    return multiline


def read_text(data: bytes, opts: ReadOptions, progress: Progress) -> Upload:
    """CSV/TSV/TXT: decode, guess separator/header/decimal, parse with pyarrow, clean."""
    report = ReadReport()
    text = _decode(data, opts, report)
    if not text.strip():
        raise UserError(Msg(N_("The file is empty.")))
    head = _head_lines(text)  # split once for every guess below
    sep, why = (opts.separator, "chosen") if opts.separator else guess_separator(text, head)
    report.guesses["separator"] = Guess(sep, list(SEPARATORS), why)
    rows = _sample_rows(text, sep, head)
    header = opts.header_row if opts.header_row is not None else guess_header(rows)
    report.guesses["header_row"] = Guess(header, list(range(min(len(rows), 20))), "first well-filled row")
    decimal = opts.decimal or guess_decimal(rows[header + 1 :], sep)
    report.guesses["decimal"] = Guess(decimal, [".", ","], "most numbers")
    for i in range(min(header, len(rows))):
        report.dropped.append({"line": i + 1, "reason": "above the header", "text": sep.join(rows[i])})
    body = _body_bytes(data, text, header, report)
    multiline = _quote_scan(body, header) if b'"' in body else False
    tick(progress, 0.2)
    try:
        df = _parse_csv(body, sep, decimal, multiline, header, report)
    except _NotUtf8:
        # the UTF-8 guess was made on the head; a bad byte further down means a code page after all
        up = read_text(data, ReadOptions(**{**opts.__dict__, "encoding": _codepage(data)}), progress)
        up.report.guesses["encoding"].reason = "not UTF-8 past the first megabyte; most Cyrillic letters"
        return up
    tick(progress, 0.6)
    df = clean_table(df, header + 2, decimal, opts, report)
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


def _parse_csv(body: bytes, sep: str, decimal: str, multiline: bool, header: int, report: ReadReport) -> pd.DataFrame:
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
            df = pd.read_csv(io.BytesIO(raw), engine="pyarrow", on_bad_lines=on_bad, decimal=decimal, **kwargs)
    except (ValueError, pd.errors.ParserError) as exc:
        if "UTF8" in str(exc) or "UTF-8" in str(exc):
            raise _NotUtf8 from exc
        raise UserError(Msg(N_("The table could not be read: {detail}"), {"detail": str(exc)[:200]})) from exc
    if df.columns.size == 0 or (len(df) == 0 and not len(df.columns)):
        raise UserError(Msg(N_("The file has no table.")))
    for number, txt in bad:
        line = header + 1 + number if number is not None else None
        report.dropped.append({"line": line, "reason": "wrong number of fields", "text": txt[:200]})
    df.columns = unique_names([str(c) for c in df.columns])
    return df
