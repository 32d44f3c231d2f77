"""Command line for trainers: ``python -m atlas check FILE [--json]`` and ``indicators``.

Runs the same reading and region matching as the upload page, without a browser. With ``--json``
it prints one JSON object (keys: ok, rows, level, regions, unmatched, ambiguous, points, guesses,
messages, error); without it a readable summary. ``level`` is 1 (``regions`` keyed by ISO code) or
2 when most rows name rayons and towns (``regions`` keyed by COD p-code). Exit code 0 when the file was read, 2 when it
was refused (and 2 for a file that cannot be opened at all).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from atlas import read
from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import points, rayons, regions


def check(data: bytes, filename: str) -> dict:
    """Read and match one file; the result is what ``--json`` prints.

    >>> check("Область;N\\nНарын;2\\nНарын;3\\n".encode(), "a.csv")["regions"]
    {'KG-N': 5.0}
    """
    try:
        up = read.read_upload(data, filename)
    except UserError as exc:
        return _result(ok=False, error=exc.msg.render())
    table, roles = up.table, up.roles
    out = _result(ok=True, rows=len(table))
    out["guesses"] = {
        k: _plain(up.report.guesses[k].value) if k in up.report.guesses else None
        for k in ("encoding", "separator", "sheet", "header_row")
    }
    messages = list(up.report.messages)
    codes = None
    if roles.lat and roles.lon or up.kind == "vector" and not roles.region:
        lat, lon = (table[roles.lat], table[roles.lon]) if roles.lat else read.vector_points(table)
        pts = points.locate_points(lat, lon)
        out["points"] = pts.counts()
        messages += pts.messages()
        codes = pts.codes
    column = roles.code or roles.region
    unit_col, oblast_col = rayons.detect_columns(table) if column else (None, None)
    if unit_col:
        out["level"] = 2
        res = rayons.match_column(table[unit_col], table[oblast_col] if oblast_col else None)
        codes = res.codes
        out["unmatched"] = [str(v) for v in res.unmatched]
        out["ambiguous"] = [str(v) for v in res.ambiguous]
        messages += [res.summary()]
    elif column:
        res = regions.match_column(table[column], years=read.years_of(table, roles))
        codes = res.codes
        out["unmatched"] = [str(v) for v in res.unmatched]
        out["ambiguous"] = [str(v) for v in res.ambiguous]
        messages += [res.summary(), *res.warnings]
    if codes is not None:
        value = roles.values[0] if roles.values else None
        how = "sum" if value else "count"
        agg = (rayons.aggregate if out["level"] == 2 else regions.aggregate_by_region)(table, codes, value, how)
        out["regions"] = {c: float(v) for c, v in agg["value"].items()}
    else:
        messages.append(Msg(N_("No region column and no coordinates were found.")))
    out["messages"] = [m.render() for m in messages]
    return out


def _plain(value: object) -> object:
    return value if isinstance(value, (str, int, float, type(None))) else str(value)


def _result(ok: bool, rows: int = 0, error: str | None = None) -> dict:
    return {
        "ok": ok,
        "rows": rows,
        "level": 1,
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
        f"{name}: {res['rows']} rows read, level {res['level']}",
        "  read as: " + ", ".join(f"{k}={v!r}" for k, v in g.items() if v is not None),
    ]
    lines += [f"  {m}" for m in res["messages"]]
    for code, value in res["regions"].items():
        lines.append(f"  {code:13} {value:,.2f}")
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
    ind = sub.add_parser("indicators", help="the official SDG series by region: catalogue or values")
    ind.add_argument("--values", metavar="SERIES", help="print the regional values of SERIES")
    ind.add_argument("--year", type=int, help="the year for --values")
    ind.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.command == "indicators":
        from atlas.values.cli import indicators  # imported here: `check` needs no statistics

        return indicators(args.values, args.year, args.json)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        res = _result(ok=False, error=f"Cannot open {args.file}: {exc.strerror}")
    else:
        res = check(data, args.file.name)
    print(json.dumps(res, ensure_ascii=False) if args.json else _summary(res, args.file.name))
    return 0 if res["ok"] else 2


if __name__ == "__main__":
    sys.exit(main())
