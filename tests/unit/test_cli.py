"""``python -m atlas check`` run as a subprocess: JSON keys, values and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"ok", "rows", "regions", "unmatched", "ambiguous", "points", "guesses", "messages", "error"}


def run(path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "atlas", "check", str(path), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_json_for_a_table(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_bytes("Отчёт\nОбласть;Сумма\nЧуйская обл.;1 234,5\nЧуй;10\nОш;2\nАтлантида;3\nВсего;9\n".encode("cp1251"))
    out = run(f, "--json")
    assert out.returncode == 0
    res = json.loads(out.stdout)
    assert set(res) == KEYS
    assert res["ok"] and res["rows"] == 4 and res["error"] is None
    assert res["regions"] == {"KG-C": 1244.5}
    assert res["unmatched"] == ["Атлантида"] and res["ambiguous"] == ["Ош"]
    assert res["guesses"] == {"encoding": "cp1251", "separator": ";", "sheet": None, "header_row": 1}
    assert res["points"] is None


def test_json_for_points(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("site,lat,lon\nA,42.87,74.6\nB,74.6,42.87\nC,,\nD,55.75,37.62\n")
    res = json.loads(run(f, "--json").stdout)
    assert res["points"] == {"inside": 1, "outside": 1, "swapped": 1, "blank": 1}
    assert res["regions"] == {"KG-GB": 1.0}


@pytest.mark.parametrize("content", [b"\x7fELF\x02\x01", b"", b"a,b\n"])
def test_refused_files_exit_2(tmp_path: Path, content: bytes) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    out = run(f, "--json")
    res = json.loads(out.stdout)
    assert out.returncode == 2 and res["ok"] is False and res["error"]
    assert "Traceback" not in out.stdout + out.stderr


def test_readable_summary(tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("Region,N\nNaryn,2\nTalas,3\n")
    out = run(f)
    assert out.returncode == 0 and "2 rows read" in out.stdout and "KG-N" in out.stdout
