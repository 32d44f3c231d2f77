"""``python -m atlas indicators``: the official statistics without a browser.

``indicators --json`` prints the catalogue; ``indicators --values SERIES --year YEAR --json``
prints the totals of one series and year. Exit 0 on success, 2 with a message on stderr for an
unknown series or year (or --values without --year).
"""

from __future__ import annotations

import json
import sys

from atlas.errors import UserError
from atlas.values import official


def indicators(series: str | None, year: int | None, as_json: bool) -> int:
    """Print the catalogue, or one series' regional values; returns the exit code."""
    try:
        if series is None:
            out = official.cli_catalogue()
        elif year is None:
            years = ", ".join(map(str, official.years(series)))
            return _fail(f"--values {series} needs --year (years: {years})")
        else:
            out = official.cli_values(series, year)
    except UserError as exc:
        return _fail(exc.msg.render())
    print(json.dumps(out, ensure_ascii=False) if as_json else _text(out))
    return 0


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 2


def _text(out: list[dict] | dict) -> str:
    """Readable lines for a person at a terminal."""
    if isinstance(out, list):
        return "\n".join(f"{s['id']:18} {s['years'][0]}–{s['years'][-1]}  {s['names']['en']}" for s in out)
    lines = [f"{out['series']} {out['year']} ({out['unit']})"]
    lines += [f"  {code:6} {'no data' if v is None else f'{v:,.2f}'}" for code, v in out["values"].items()]
    nat = out["national"]
    lines.append(f"  {'KG':6} {'no data' if nat is None else f'{nat:,.2f}'}  (national)")
    return "\n".join(lines)
