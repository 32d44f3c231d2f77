"""``python -m atlas check`` run as a subprocess: JSON keys, values and exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from atlas.__main__ import main

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"ok", "rows", "level", "value", "regions", "unmatched", "ambiguous", "points", "guesses", "messages", "error"}


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
    assert res["value"] == "Школы"


def test_level_can_be_forced_to_oblasts(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    f = tmp_path / "schools.csv"
    f.write_bytes(rayon_file())
    assert main(["check", str(f), "--json", "--level", "1", "--region", "Область"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["level"] == 1 and res["regions"]["KG-N"] == 41 + 38 + 9 + 23


# ---------------------------------------------------------------- indicators


def indicators(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "atlas", "indicators", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_indicators_json_prints_the_catalogue() -> None:
    out = indicators("--json")
    assert out.returncode == 0, out.stderr
    cat = json.loads(out.stdout)
    assert len(cat) >= 70
    assert all(set(s) == {"id", "names", "unit", "years", "breakdowns", "source"} for s in cat)
    uem = next(s for s in cat if s["id"] == "SL_TLF_UEM")
    assert uem["names"]["en"] == "Unemployment rate" and uem["names"]["ru"] == "Уровень безработицы"
    assert uem["names"]["ky"] and uem["unit"] == "PT" and uem["breakdowns"]["sex"] == ["_T", "F", "M"]
    assert uem["years"] == sorted(uem["years"]) and all(isinstance(y, int) for y in uem["years"])
    assert "National Statistical Committee" in uem["source"] and uem["source"].endswith("8.5.2.xml")


def test_indicators_values_prints_totals_by_iso_code() -> None:
    from atlas.values import official

    out = indicators("--values", "SI_POV_NAHC", "--year", "2023", "--json")
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert set(res) == {"series", "year", "unit", "values", "national"}
    assert res["series"] == "SI_POV_NAHC" and res["year"] == 2023 and res["unit"] == "PT"
    assert res["values"] == official.values("SI_POV_NAHC", 2023)
    assert set(res["values"]) == {"KG-B", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y", "KG-GB", "KG-GO"}
    assert res["national"] == official.national("SI_POV_NAHC", 2023) and res["national"] is not None


def test_indicators_values_keeps_no_data_as_null(capsys: pytest.CaptureFixture) -> None:
    assert main(["indicators", "--values", "_L_KG_010101_1A", "--year", "2011", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["values"]["KG-GO"] is None and res["values"]["KG-O"] is not None  # Osh city inside Osh oblast


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--values", "NO_SUCH", "--year", "2020", "--json"], ["NO_SUCH"]),
        (["--values", "SI_POV_NAHC", "--year", "1990", "--json"], ["1990", "2007"]),
        (["--values", "SI_POV_NAHC"], ["--year"]),
    ],
)
def test_indicators_unknown_series_or_year_exits_2(args: list[str], words: list[str]) -> None:
    out = indicators(*args)
    assert out.returncode == 2 and out.stdout == ""
    assert all(w in out.stderr for w in words), out.stderr
    assert "Traceback" not in out.stderr
