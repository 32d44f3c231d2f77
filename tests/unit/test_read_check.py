"""``python -m atlas check`` with the trainer's options: --sheet, --region, --value, --where, --level."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atlas.__main__ import main
from tests import filekit as fk


def run(tmp_path: Path, name: str, data: bytes, *args: str, capsys) -> tuple[int, dict]:
    f = tmp_path / name
    f.write_bytes(data)
    code = main(["check", str(f), "--json", *args])
    return code, json.loads(capsys.readouterr().out)


def test_where_picks_the_breakdown_and_year(tmp_path, capsys) -> None:
    code, res = run(tmp_path, "p.csv", fk.csv(fk.LONG_ROWS), "--where", "Пол=Всего", "--where", "Год=2022",
                    capsys=capsys)
    assert code == 0 and res["rows"] == 3 and res["value"] == "Численность"
    assert res["regions"] == {"KG-B": 600.0, "KG-N": 200.0, "KG-T": 400.0}


def test_sheet_region_and_value(tmp_path, capsys) -> None:
    rows = [["Код", "Name", "Школы", "Больницы"], [1, "Naryn", 12, 3], [2, "Talas", 7, 2]]
    data = fk.xls({"Прочее": [["x"]], "Данные": rows})
    code, res = run(tmp_path, "s.xls", data, "--sheet", "Данные", "--region", "Name", "--value", "Больницы",
                    capsys=capsys)
    assert code == 0 and res["guesses"]["sheet"] == "Данные"
    assert res["regions"] == {"KG-N": 3.0, "KG-T": 2.0}


def test_rate_column_one_value_per_unit_or_an_error(tmp_path, capsys) -> None:
    rows = [["Область", "Пол", "Доля, %"], ["Нарын", "Всего", 40.5], ["Нарын", "женщины", 44.0],
            ["Талас", "Всего", 38.0], ["Талас", "женщины", 41.0]]
    code, res = run(tmp_path, "r.ods", fk.ods({"S": rows}), "--value", "Доля, %", capsys=capsys)
    assert code == 2 and "is a rate" in res["error"] and "--where" in res["error"]
    code, res = run(tmp_path, "r.ods", fk.ods({"S": rows}), "--value", "Доля, %", "--where", "Пол=Всего",
                    capsys=capsys)
    assert code == 0 and res["regions"] == {"KG-N": 40.5, "KG-T": 38.0}


def test_points_are_counted_at_both_levels(tmp_path, capsys) -> None:
    code, res = run(tmp_path, "p.geojson", fk.points_geojson(), capsys=capsys)
    assert code == 0 and res["level"] == 1 and res["value"] is None
    assert res["regions"] == {"KG-GB": 2.0, "KG-N": 1.0, "KG-T": 1.0, "KG-Y": 1.0}
    code, res = run(tmp_path, "p.geojson", fk.points_geojson(), "--level", "2", capsys=capsys)
    assert code == 0 and res["level"] == 2 and sum(res["regions"].values()) == 5 and len(res["regions"]) == 4
    assert all(len(k) == 13 for k in res["regions"])


def test_oblast_names_forced_to_level_2_are_left_out_and_said(tmp_path, capsys) -> None:
    code, res = run(tmp_path, "t.json", fk.json_records(fk.OBLAST_ROWS), "--level", "2", capsys=capsys)
    assert code == 0 and res["level"] == 2
    assert res["regions"] == {"KG11000000000": 30.0}  # Bishkek stands at both levels; oblasts are not rayons
    assert any("3 rows name a whole oblast" in m for m in res["messages"])


@pytest.mark.parametrize(("args", "says"), [
    (["--region", "Нет"], "There is no column Нет; the columns are Область, Школы."),
    (["--where", "Область=Атлантида"], "No rows have Область = Атлантида."),
])
def test_wrong_options_are_named(tmp_path, capsys, args: list, says: str) -> None:
    code, res = run(tmp_path, "t.json", fk.json_records(fk.OBLAST_ROWS), *args, capsys=capsys)
    assert code == 2 and res["error"] == says


def test_help_documents_the_options(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    text = capsys.readouterr().out
    for opt in ("--sheet NAME", "--region COLUMN", "--value COLUMN", "--where COLUMN=VALUE", "--level {1,2}"):
        assert opt in text
