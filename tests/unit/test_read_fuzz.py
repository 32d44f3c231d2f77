"""A seeded mutation fuzz of the upload path: any bytes give a table or a clear message, never a crash.

Seeds of every supported format are generated in code (tests/filekit.py); each is mutated by byte
flips, truncations, inserted separators, quotes, BOMs and zip headers, chunks cut or doubled. Every
mutant must read, or raise ``UserError`` whose message names no path on the server, within a
per-case time bound. The seed is fixed, so a failure names a case that can be replayed.
"""

from __future__ import annotations

import io
import random
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from atlas import read
from atlas.errors import UserError
from tests import filekit as fk

SEED = 14
PER_SEED = 400
#: Wide mutants of a CSV (a separator inserted 50 times) are the slowest to read: fewer of them.
PER_FORMAT = {"csv": 200}
CASE_CPU_SECONDS = 5.0  # CPU time: the shared machine's load must not make a case "slow"
CASE_WALL_SECONDS = 60.0
ROOT = str(Path(__file__).resolve().parents[2])
_INSERTS = [b";", b",", b"\t", b'"', b"\n", b"\r\n", b"\xef\xbb\xbf", b"\xff\xfe", b"PK\x03\x04", b"PK\x05\x06",
            b"\x00", b"[", b"{", b"]", b"}", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"<!DOCTYPE x>", b"1e999"]


def seeds() -> dict[str, bytes]:
    """One small, valid file of every format the upload page reads."""
    rows = [["Отчёт за 2022 год", None, None], ["Область", "Школы", "Доля, %"],
            ["Нарынская область", 12, 3.5], ["г. Ош1", 7, 2.25], ["Таласская обл.", 30, 1.0], ["Всего", 49, None]]
    return {
        "csv": fk.csv(rows).decode().encode("cp1251"),
        "xlsx": fk.xlsx(rows),
        "xls": fk.xls({"Лист1": rows}, {"Лист1": [(0, 0, 0, 2)]}),
        "ods": fk.ods({"Лист1": rows}, {"Лист1": [(0, 0, 0, 2)]}, trailing_repeat=1000),
        "json_records": fk.json_records(fk.OBLAST_ROWS, "DataList"),
        "json_arrays": fk.json_arrays(fk.OBLAST_ROWS),
        "geojson": fk.points_geojson(),
        "shapefile_zip": fk.points_shapefile_zip(),
        "gpkg": fk.points_gpkg(),
    }


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random edits of the bytes; for a zip (xlsx, ods, shapefile) half of the mutants
    edit one member and pack it again, so the parsers behind the zip see damaged content too."""
    if data.startswith(b"PK") and rng.random() < 0.5:
        return _mutate_member(data, rng)
    return _mutate_bytes(data, rng)


def _mutate_member(data: bytes, rng: random.Random) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(data))
    names = src.namelist()
    victim = rng.choice(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in names:
            body = src.read(name)
            dst.writestr(name, _mutate_bytes(body, rng) if name == victim and body else body)
    return buf.getvalue()


def _mutate_bytes(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 3)):
        how = rng.randrange(6)
        at = rng.randrange(max(len(out), 1))
        if how == 0:  # flip a few bytes
            for _ in range(rng.randint(1, 8)):
                out[rng.randrange(len(out))] = rng.randrange(256)
        elif how == 1:  # truncate
            del out[rng.randint(1, max(len(out) - 1, 1)):]
        elif how == 2:  # insert a separator, quote, BOM or magic number
            out[at:at] = rng.choice(_INSERTS) * rng.choice((1, 1, 2, 50))
        elif how == 3:  # cut a chunk
            del out[at:at + rng.randint(1, 200)]
        elif how == 4:  # double a chunk
            out[at:at] = out[at:at + rng.randint(1, 200)]
        else:  # prefix
            out[0:0] = rng.choice(_INSERTS)
        if not out:
            out = bytearray(b"x")
    return bytes(out)


def _server_paths() -> list[str]:
    return [tempfile.gettempdir(), "/tmp/", ROOT, "atlas-", "/work/", "/usr/", "site-packages"]


def test_mutants_read_or_say_why(capsys) -> None:
    rng = random.Random(SEED)
    crashes, leaks, slow, counts = [], [], [], {"read": 0, "refused": 0}
    for fmt, data in seeds().items():
        read.read_upload(data, f"seed.{fmt}")  # every seed itself reads
        for i in range(PER_FORMAT.get(fmt, PER_SEED)):
            mutant = mutate(data, rng)
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                read.read_upload(mutant, f"mutant.{fmt}")
                counts["read"] += 1
            except UserError as err:
                counts["refused"] += 1
                text = err.msg.render()
                if any(p in text for p in _server_paths()):
                    leaks.append((fmt, i, text[:200]))
            except Exception as exc:  # noqa: BLE001 (the point of the test)
                crashes.append((fmt, i, f"{type(exc).__name__}: {str(exc)[:120]}"))
            cpu, wall = time.process_time() - c0, time.perf_counter() - t0
            if cpu > CASE_CPU_SECONDS or wall > CASE_WALL_SECONDS:
                slow.append((fmt, i, round(cpu, 1), round(wall, 1)))
    total = counts["read"] + counts["refused"] + len(crashes)
    with capsys.disabled():
        print(f"\nfuzz: {total} mutants, {counts['read']} read, {counts['refused']} refused, "
              f"{len(crashes)} crashes, {len(slow)} slow")
    assert total == sum(PER_FORMAT.get(f, PER_SEED) for f in seeds()) >= 3000
    assert not crashes, crashes[:20]
    assert not leaks, leaks[:10]
    assert not slow, slow


@pytest.mark.parametrize("fmt", sorted(seeds()))
def test_mutator_changes_every_seed(fmt: str) -> None:
    rng = random.Random(SEED)
    data = seeds()[fmt]
    assert sum(mutate(data, rng) != data for _ in range(20)) >= 19
