"""``python -m atlas check`` run as a subprocess: JSON keys, values and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"ok", "rows", "level", "regions", "unmatched", "ambiguous", "points", "guesses", "messages", "error"}


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
    assert res["ok"] and res["rows"] == 4 and res["error"] is None and res["level"] == 1
    assert res["regions"] == {"KG-C": 1244.5}
    assert res["unmatched"] == ["Атлантида"] and res["ambiguous"] == ["Ош"]
    assert res["guesses"] == {"encoding": "cp1251", "separator": ";", "sheet": None, "header_row": 1}
    assert res["points"] is None


def test_json_for_points(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "p.csv"
    f.write_text("site,lat,lon\nA,42.87,74.6\nB,74.6,42.87\nC,,\nD,55.75,37.62\n")
    assert main(["check", str(f), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["points"] == {"inside": 1, "outside": 1, "swapped": 1, "blank": 1}
    assert res["regions"] == {"KG-GB": 1.0}


def test_refused_file_exits_2(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(b"\x7fELF\x02\x01")
    out = run(f, "--json")
    res = json.loads(out.stdout)
    assert out.returncode == 2 and res["ok"] is False and "Linux program" in res["error"]
    assert "Traceback" not in out.stdout + out.stderr


@pytest.mark.parametrize("content", [b"", b"a,b\n", b"PK\x03\x04xx"])
def test_refused_in_process(tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "bad.csv"
    f.write_bytes(content)
    assert main(["check", str(f), "--json"]) == 2
    res = json.loads(capsys.readouterr().out)
    assert res["ok"] is False and res["error"] and set(res) == KEYS


def test_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "t.csv"
    f.write_text("Region,N\nNaryn,2\nTalas,3\n")
    assert main(["check", str(f)]) == 0
    out = capsys.readouterr().out
    assert "2 rows read" in out and "KG-N" in out and "3.00" in out


def rayon_file() -> bytes:
    """Schools by rayon as a Russian statistics office saves it: title, oblast column, totals row."""
    rows = [("Нарынская область", "Ат-Башинский район", 41), ("Нарынская область", "Кочкорский р-н", 38),
            ("Нарынская область", "г. Нарын", 9), ("Нарынская область", "Нарын", 23),
            ("Таласская область", "Кара-Бууринский район", 27), ("Ысык-Кульская область", "Ак-Суйский р-н", 52),
            ("Ысык-Кульская область", "Джети-Огузский район", 48), ("Ошская область", "Кара-Сууский р-н", 101),
            ("", "г. Ош", 57)]
    lines = ["Число школ по районам, 2022 год;;", "Область;Район;Школы"]
    lines += [f"{o};{r};{n}" for o, r, n in rows]
    lines.append(f"Итого;;{sum(n for *_, n in rows)}")
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def test_json_for_a_rayon_file_is_keyed_by_pcode(tmp_path: Path) -> None:
    f = tmp_path / "schools.csv"
    f.write_bytes(rayon_file())
    out = run(f, "--json")
    res = json.loads(out.stdout)
    assert out.returncode == 0 and set(res) == KEYS
    assert res["level"] == 2 and res["rows"] == 9  # the totals row is left out
    assert res["regions"] == {
        "KG02205000000": 52.0,  # Ak-Suu
        "KG02210000000": 48.0,  # Jeti-Oguz, an older spelling
        "KG04220000000": 41.0,  # At-Bashy
        "KG04235000000": 38.0,  # Kochkor
        "KG04400000010": 9.0,  # Naryn town
        "KG06226000000": 101.0,  # Kara-Suu
        "KG07215000000": 27.0,  # Kara-Buura, now Aitmatov
        "KG21000000000": 57.0,  # Osh city
    }
    assert res["ambiguous"] == ["Нарын"]  # rayon or town: left to the fixer, not guessed
