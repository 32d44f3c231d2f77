"""The house by stage: atlas/ is packages named after the walk, and imports only go down it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ATLAS = ROOT / "atlas"

# The walk, in order: a stage may import the stages before it, never one after it. The gazetteer
# (places) comes first because reading a table already needs to know what a region name looks like
# (to find the region column and the totals row). ogp and keep stand at the side; share (saved views,
# the workshop's demo) is the end of the walk and may use everything.
ALLOWED: dict[str, set[str]] = {
    "places": set(),
    "read": {"places"},
    "values": {"places", "read"},
    "draw": {"places", "read", "values"},
    "ogp": {"places", "read", "values"},
    "keep": {"places", "ogp"},
    "share": {"places", "read", "values", "draw", "ogp", "keep"},
}
ENTRY_POINTS = {"__main__"}  # the command line may call any stage


def _targets(source: str) -> set[str]:
    """The atlas packages or top-level modules that ``source`` imports (at any depth)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "atlas":
            parts = node.module.split(".")
            names = [parts[1]] if len(parts) > 1 else [a.name for a in node.names]
        elif isinstance(node, ast.Import):
            names = [a.name.split(".")[1] for a in node.names if a.name.startswith("atlas.")]
        found |= set(names)
    return found


def _base() -> set[str]:
    return {p.stem for p in ATLAS.glob("*.py")} - ENTRY_POINTS - {"__init__"}


def violations(package: str | None, module: str, source: str) -> list[str]:
    """What ``source`` (module ``module`` of ``package``, None for top level) imports against the walk."""
    base = _base()
    if package is None:
        if module in ENTRY_POINTS | {"__init__"}:
            return []
        return sorted(t for t in _targets(source) if t not in base)
    allowed = ALLOWED[package] | base | {package}
    return sorted(t for t in _targets(source) if t not in allowed)


def _modules():
    for path in sorted(ATLAS.rglob("*.py")):
        rel = path.relative_to(ATLAS)
        yield (rel.parts[0] if len(rel.parts) > 1 else None), path


@pytest.mark.parametrize("package,path", list(_modules()), ids=lambda v: str(v) if isinstance(v, str) else None)
def test_imports_only_go_down_the_walk(package, path):
    assert violations(package, path.stem, path.read_text(encoding="utf-8")) == []


def test_the_check_catches_an_import_up_or_across_the_walk():
    assert violations("read", "text", "from atlas.draw import maps\n") == ["draw"]
    assert violations("places", "regions", "def f():\n    from atlas.values.indicators import x\n") == ["values"]
    assert violations("keep", "store", "import atlas.share.saved\n") == ["share"]
    assert violations(None, "errors", "from atlas import places\n") == ["places"]
    assert violations("draw", "maps", "from atlas.places import geo\nfrom atlas.errors import UserError\n") == []


def test_every_folder_in_atlas_is_a_stage_with_a_docstring():
    folders = {p.name for p in ATLAS.iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == set(ALLOWED)
    for name in folders:
        init = ATLAS / name / "__init__.py"
        assert ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))), name


@pytest.mark.parametrize("path", sorted(ATLAS.rglob("*.py")), ids=lambda p: str(p.relative_to(ATLAS)))
def test_no_module_is_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_the_store_facade_stays_small():
    assert len((ATLAS / "keep" / "store.py").read_text(encoding="utf-8").splitlines()) < 200
