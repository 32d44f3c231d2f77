"""Checks made on uploaded bytes before any parser sees them.

Public API:

- ``content_key(data) -> str``: full sha256 of the bytes, the cache key of one upload (uploads are
  private to a session; never key a cache by file name).
- ``sniff(data) -> str``: what the bytes really are, from magic bytes, not the extension:
  ``"zip"``, ``"xls"`` (OLE2), ``"gpkg"``, ``"json"``, ``"text"``; known binaries that we refuse raise.
- ``open_zip(data) -> zipfile.ZipFile``: an in-memory zip whose declared sizes passed the caps.
- ``read_member(zf, info) -> bytes``: a member's bytes, counting what really comes out.
- ``check_size(data)``, ``check_rows(n)``, ``check_vertices(n)``: the limits below.

Limits (module constants, tests may lower them): ``MAX_BYTES`` upload size, ``MAX_ROWS`` data
rows, ``MAX_VERTICES`` coordinates in a vector file, ``MAX_UNZIPPED`` total uncompressed size of
a zip, ``MAX_RATIO`` compression ratio of a member (zip bombs compress 1000:1 and more; real
spreadsheets and shapefiles stay well under 100:1).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
import zlib

from atlas.errors import UserError
from atlas.i18n import N_, Msg

MAX_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000
MAX_VERTICES = 5_000_000
MAX_UNZIPPED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_MEMBERS = 2_000
#: The header of an OLE2 compound file: old Excel (.xls), but also old Word (.doc).
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Magic numbers of files people upload by mistake (or on purpose): refused with a clear message.
_REFUSED: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", "a Linux program"),
    (b"MZ", "a Windows program"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"\x80\x04", "a Python pickle"),
    (b"\x80\x05", "a Python pickle"),
    (b"PAR1", "a Parquet file"),
)


def content_key(data: bytes) -> str:
    """The full sha256 hex digest of ``data``: a cache key that only the same bytes can reach.

    >>> content_key(b"")[:8]
    'e3b0c442'
    """
    return hashlib.sha256(data).hexdigest()


_NOT_BLANK = re.compile(rb"\S")  # bytes patterns: ASCII whitespace only, as bytes.strip()


def check_size(data: bytes) -> None:
    """Refuse empty uploads and uploads over ``MAX_BYTES``.

    >>> check_size(b"a,b")
    """
    # only whitespace: search for one other byte instead of stripping (copying) the whole file
    if not _NOT_BLANK.search(data):
        raise UserError(Msg(N_("The file is empty.")))
    if len(data) > MAX_BYTES:
        raise UserError(
            Msg(
                N_("The file is {mb} MB; the limit is {limit} MB."),
                {"mb": round(len(data) / 2**20, 1), "limit": MAX_BYTES // 2**20},
            )
        )


def check_rows(n: int) -> None:
    """Refuse tables with more than ``MAX_ROWS`` rows.

    >>> check_rows(10)
    """
    if n > MAX_ROWS:
        raise UserError(Msg(N_("The file has {rows} rows; the limit is {limit}."), {"rows": n, "limit": MAX_ROWS}))


def check_vertices(n: int) -> None:
    """Refuse vector files with more than ``MAX_VERTICES`` coordinates.

    >>> check_vertices(10)
    """
    if n > MAX_VERTICES:
        raise UserError(
            Msg(
                N_("The shapes have {n} points; the limit is {limit}. Simplify them first."),
                {"n": n, "limit": MAX_VERTICES},
            )
        )


def sniff(data: bytes) -> str:
    """What the bytes are, judged by their first bytes; refuses programs and unsupported formats.

    >>> sniff(b"PK\\x03\\x04...")
    'zip'
    >>> sniff(b"region;value")
    'text'
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"SQLite format 3\x00"):
        return "gpkg"
    if data.startswith(OLE2):
        return "xls"
    for magic, what in _REFUSED:
        if data.startswith(magic):
            raise UserError(
                Msg(
                    N_("This file is {what}, not a table or a map file; it was not opened."),
                    {"what": what},
                )
            )
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") or (head.startswith(b"[") and _json_array(head)):
        return "json"
    if b"\x00" in data[:4096] and not _looks_utf16(data):
        raise UserError(Msg(N_("This file is binary data, not a table or a map file; it was not opened.")))
    return "text"


def _json_array(head: bytes) -> bool:
    """A ``[`` that opens a JSON array (of records, rows or values), not a CSV header like ``[id];name``.

    >>> _json_array(b'[["id_1", "name"], [1, "a"]]'), _json_array(b'[id];name')
    (True, False)
    """
    rest = head[1:].lstrip(b" \t\r\n")
    return not rest or rest[:1] in b'{["-0123456789]' or rest.startswith((b"true", b"false", b"null"))


def _looks_utf16(data: bytes) -> bool:
    """True when the bytes look like UTF-16 text (BOM, or NULs in every other byte)."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return True
    sample = data[:2000]
    return len(sample) > 3 and (
        sample[1::2].count(0) > 0.4 * len(sample) / 2 or sample[0::2].count(0) > 0.4 * len(sample) / 2
    )


def open_zip(data: bytes) -> zipfile.ZipFile:
    """Open a zip in memory after checking member count, total size and compression ratio.

    >>> buf = io.BytesIO(); zipfile.ZipFile(buf, "w").writestr("a.txt", "x")
    >>> open_zip(buf.getvalue()).namelist()
    ['a.txt']
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise UserError(Msg(N_("The zip file is damaged and cannot be opened."))) from exc
    if len(infos) > MAX_MEMBERS:
        raise UserError(
            Msg(
                N_("The zip file holds {n} files; the limit is {limit}."),
                {"n": len(infos), "limit": MAX_MEMBERS},
            )
        )
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED:
        raise UserError(_bomb_msg())
    for info in infos:
        if info.flag_bits & 0x1:
            raise UserError(Msg(N_("The zip file is password-protected; save it without a password.")))
        if info.file_size > 1_000_000 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UserError(_bomb_msg())
    return zf


def _bomb_msg() -> Msg:
    return Msg(
        N_("The zip file unpacks to far more data than it holds (over {limit} MB or {ratio}:1); it was refused."),
        {"limit": MAX_UNZIPPED // 2**20, "ratio": MAX_RATIO},
    )


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """Read one member, stopping as soon as it yields more than it declared (a lying header).

    >>> buf = io.BytesIO(); zipfile.ZipFile(buf, "w").writestr("a.txt", "x"); z = open_zip(buf.getvalue())
    >>> read_member(z, z.infolist()[0])
    b'x'
    """
    limit = min(info.file_size, MAX_UNZIPPED)
    out = io.BytesIO()
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(1 << 20):
                out.write(chunk)
                if out.tell() > limit:
                    raise UserError(_bomb_msg())
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError, zlib.error) as exc:
        # a damaged member fails only when read: bad offsets (negative seek), broken deflate, odd versions
        raise UserError(Msg(N_("The zip file is damaged and cannot be opened."))) from exc
    return out.getvalue()
