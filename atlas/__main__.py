"""Command line for trainers: ``python -m atlas check FILE [--json] [--sheet NAME] [--region COLUMN]
[--value COLUMN] [--where COLUMN=VALUE ...] [--level 1|2]`` and ``indicators``.

Runs the same reading and region matching as the upload page, without a browser. With ``--json``
it prints one JSON object (keys: ok, rows, level, value, regions, unmatched, ambiguous, points,
guesses, messages, error; ``regions`` holds the value column aggregated per unit, or the number
of rows or points per unit when there is no value column); without it a readable summary.
``level`` is 1 (``regions`` keyed by ISO code) or 2 (keyed by COD p-code); without ``--level`` a file
whose names are mostly rayons and towns is read at level 2 (its oblast column, if any, settles
names shared by units in different oblasts). Exit code 0 when the file was read, 2 when it was
refused (and 2 for a file that cannot be opened at all).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from atlas import read
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import points, rayons, regions


def check(data: bytes, filename: str, sheet: str | None = None, region: str | None = None,
          value: str | None = None, where: dict | None = None, level: int | None = None) -> dict:
    """Read and match one file as the upload page does; the result is what ``--json`` prints.

    ``sheet`` picks a sheet (or layer), ``region`` the column naming the units, ``value`` the column to
    aggregate per unit (sum for counts; a rate column must have one value per unit), ``where`` keeps the
    rows whose column equals a value (a long table's breakdown and year), ``level`` 1 (oblasts) or 2
    (rayons and towns), None to detect it from the names.

    >>> check("Область;N\nНарын;2\nНарын;3\n".encode(), "a.csv")["regions"]
    {'KG-N': 5.0}
    """
    try:
        return _check(data, filename, sheet, region, value, where or {}, level)
    except UserError as exc:
        return _result(ok=False, error=exc.msg.render(), level=level or 1)


def _check(data: bytes, filename: str, sheet: str | None, region: str | None, value: str | None,
           where: dict, level: int | None) -> dict:
    from atlas.read import labels
    from atlas.values import breakdowns

    if level is not None and level not in read.LEVELS:
        raise UserError(Msg(N_("Unknown level {level}; use 1 (oblasts) or 2 (rayons)."), {"level": level}))
    up = read.read_upload(data, filename, read.ReadOptions(sheet=sheet))
    table, roles = up.table, up.roles
    out = _result(ok=True, rows=len(table), level=level or 1)
    out["guesses"] = {
        k: _plain(up.report.guesses[k].value) if k in up.report.guesses else None
        for k in ("encoding", "separator", "sheet", "header_row")
    }
    messages = list(up.report.messages)
    for col in (region, value):
        if col is not None and col not in table.columns:
            raise UserError(Msg(N_("There is no column {col}; the columns are {all}."),
                                {"col": col, "all": ", ".join(str(c) for c in table.columns if c != "geometry")}))
    if where:
        table = breakdowns.apply_where(table, where)
        out["rows"] = len(table)
        messages.append(Msg(N_("{rows} rows kept by the filter."), {"rows": len(table)}))
    codes = None
    column = region or (None if up.kind == "vector" and read.is_point_layer(table) else roles.code or roles.region)
    on_points = region is None and (roles.lat and roles.lon or up.kind == "vector" and not column)
    if on_points:
        lat, lon = (table[roles.lat], table[roles.lon]) if roles.lat else read.vector_points(table)
        pts = points.locate_points(lat, lon)
        out["points"] = pts.counts()
        messages += pts.messages()
        codes = pts.codes if out["level"] == 1 else read.codes_at(lat, lon, 2)
    elif column and (unit_col := _rayon_column(table, region, column, level)):
        oblast_col = rayons.detect_columns(table.drop(columns=[unit_col]))[1]
        res = rayons.match_column(table[unit_col], table[oblast_col] if oblast_col else None)
        out["level"], codes = 2, res.codes
        out["unmatched"] = [str(v) for v in res.unmatched]
        out["ambiguous"] = [str(v) for v in res.ambiguous]
        messages += [res.summary(), *res.warnings]
    elif column:
        context, said = labels.osh_context(table[column])
        res = regions.match_column(table[column], context, years=read.years_of(table, roles))
        codes = res.codes
        out["unmatched"] = [str(v) for v in res.unmatched]
        out["ambiguous"] = [str(v) for v in res.ambiguous]
        messages += [res.summary(), *said, *res.warnings]
    if codes is not None:
        if value is None and not on_points:
            value = roles.values[0] if roles.values else None
        out["value"] = value
        out["regions"] = _per_unit(table, codes, value)
    else:
        messages.append(Msg(N_("No region column and no coordinates were found.")))
    out["messages"] = [m.render() for m in messages]
    return out


def _rayon_column(table, region: str | None, column: str, level: int | None) -> str | None:
    """The column of rayon and town names, when the file is read at level 2 (asked for, or detected)."""
    if level == 1:
        return None
    if region is not None:
        return region if level == 2 or rayons.detect_level(table[region]) == 2 else None
    found = rayons.detect_columns(table.drop(columns="geometry", errors="ignore"))[0]
    return found or (column if level == 2 else None)


_RATE = re.compile(r"(?i)(%|rate|share|ratio|per\s*(capita|1|10|100)|доля|уровень|коэффициент|процент|на\s*1\s?0*"
                   r"|на\s*100|пайыз|үлүш|деңгээл|средн|average|mean)")


def _per_unit(table, codes, value: str | None) -> dict:
    """The value per unit: a count of rows, a sum, or for a rate the one value each unit has."""
    import pandas as pd

    if value is None:
        keys = pd.Series(codes).dropna()
        return {str(c): float(n) for c, n in keys.value_counts(sort=False).items() if n}
    if not pd.api.types.is_numeric_dtype(table[value]):
        raise UserError(Msg(N_("The column {col} holds no numbers."), {"col": value}))
    frame = pd.DataFrame({"code": pd.Series(codes).astype(object).to_numpy(), "v": table[value].to_numpy()})
    frame = frame.dropna(subset=["code"])
    if _RATE.search(str(value)):
        many = frame.dropna(subset=["v"]).groupby("code")["v"].nunique()
        if (many > 1).any():
            unit = str(many[many > 1].index[0])
            raise UserError(Msg(N_("{col} is a rate, and {unit} has {n} different values in it; rates cannot be "
                                   "added up. Keep one row per unit (--where COLUMN=VALUE)."),
                                {"col": value, "unit": unit, "n": int(many.max())}))
        agg = frame.groupby("code", sort=False)["v"].first()
    else:
        agg = frame.groupby("code", sort=False)["v"].sum(min_count=1)
    order = {c: i for i, c in enumerate(codes.cat.categories)} if hasattr(codes, "cat") else {}
    keys = sorted(agg.index, key=lambda c: (order.get(c, len(order)), str(c)))
    return {str(c): float(agg[c]) for c in keys if pd.notna(agg[c])}


def _plain(value: object) -> object:
    return value if isinstance(value, (str, int, float, type(None))) else str(value)


def _result(ok: bool, rows: int = 0, error: str | None = None, level: int = 1) -> dict:
    return {
        "ok": ok,
        "rows": rows,
        "level": level,
        "value": None,
        "regions": {},
        "unmatched": [],
        "ambiguous": [],
        "points": None,
        "guesses": {"encoding": None, "separator": None, "sheet": None, "header_row": None},
        "messages": [],
        "error": error,
    }


def _summary(res: dict, name: str) -> str:
    """Readable text for a person at a terminal."""
    if not res["ok"]:
        return f"{name}: refused\n  {res['error']}"
    g = res["guesses"]
    lines = [
        f"{name}: {res['rows']} rows read",
        "  read as: " + ", ".join(f"{k}={v!r}" for k, v in g.items() if v is not None),
    ]
    lines += [f"  {m}" for m in res["messages"]]
    for code, value in res["regions"].items():
        lines.append(f"  {code:6} {value:,.2f}")
    if res["unmatched"]:
        lines.append("  not matched: " + ", ".join(res["unmatched"]))
    if res["ambiguous"]:
        lines.append("  ambiguous: " + ", ".join(res["ambiguous"]))
    if res["points"]:
        lines.append("  points: " + ", ".join(f"{k} {v}" for k, v in res["points"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m atlas")
    sub = parser.add_subparsers(dest="command", required=True)
    chk = sub.add_parser("check", help="read a file and match its regions, as the upload page does")
    chk.add_argument("file", type=Path)
    chk.add_argument("--json", action="store_true", help="print one JSON object")
    chk.add_argument("--sheet", metavar="NAME", help="the sheet (or map layer) to read; default: the largest table")
    chk.add_argument("--region", metavar="COLUMN", help="the column naming the units; default: guessed")
    chk.add_argument("--value", metavar="COLUMN",
                     help="the column to aggregate per unit: summed, or for a rate (%%, per 1,000…) the one "
                          "value each unit has; default: the first column of numbers (points: counted)")
    chk.add_argument("--where", metavar="COLUMN=VALUE", action="append", default=[],
                     help="keep only the rows whose COLUMN equals VALUE (repeatable), e.g. --where Год=2022 "
                          "--where Пол=Всего")
    chk.add_argument("--level", type=int, choices=(1, 2), default=None,
                     help="1: oblasts and the two cities; 2: rayons and towns; default: detected from the names")
    ind = sub.add_parser("indicators", help="the official SDG series by region: catalogue or values")
    ind.add_argument("--values", metavar="SERIES", help="print the regional values of SERIES")
    ind.add_argument("--year", type=int, help="the year for --values")
    ind.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.command == "indicators":
        from atlas.values.cli import indicators  # imported here: `check` needs no statistics

        return indicators(args.values, args.year, args.json)
    where = {}
    for item in args.where:
        col, sep, val = item.partition("=")
        if not sep or not col.strip():
            parser.error(f"--where needs COLUMN=VALUE, not {item!r}")
        where[col.strip()] = val.strip()
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        res = _result(ok=False, error=f"Cannot open {args.file}: {exc.strerror}")
    else:
        res = check(data, args.file.name, args.sheet, args.region, args.value, where, args.level)
    print(json.dumps(res, ensure_ascii=False) if args.json else _summary(res, args.file.name))
    return 0 if res["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
