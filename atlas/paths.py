"""Where the bundled files and the runtime state live."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
GEO = ROOT / "geo"
STATIC = ROOT / "static"


def var_dir() -> Path:
    """The folder for runtime state (database, saved uploads); ``ACHYK_VAR_DIR`` overrides it.

    >>> var_dir().name
    'var'
    """
    path = Path(os.environ.get("ACHYK_VAR_DIR") or ROOT / "var")
    path.mkdir(parents=True, exist_ok=True)
    return path
