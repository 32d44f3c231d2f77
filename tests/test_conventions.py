"""Conventions the project promises: checked, not hoped for."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from atlas import catalogue
from atlas.places import gazetteer, geo

ROOT = Path(__file__).resolve().parents[1]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", sorted((ROOT / "atlas").rglob("*.py")), ids=lambda p: p.name)
def test_atlas_never_imports_streamlit(path):
    assert "streamlit" not in _imports(path)


def test_every_page_is_registered_in_the_router():
    router = (ROOT / "app.py").read_text(encoding="utf-8")
    registered = set(re.findall(r"st\.Page\(\s*\"(app_pages/[^\"]+)\"", router))
    on_disk = {f"app_pages/{p.name}" for p in (ROOT / "app_pages").glob("*.py")}
    assert registered == on_disk


def test_nothing_that_runs_reads_the_shared_folder():
    offenders = []
    pattern = re.compile(r"[\"'/]shared[/\"']")
    for folder in ("atlas", "app_pages", "ui", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if path.name != "test_conventions.py" and pattern.search(path.read_text(encoding="utf-8")):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


@pytest.mark.parametrize("folder", ["data", "geo"])
def test_every_bundled_file_has_a_catalogue_entry_and_readme(folder):
    listed = " ".join(entry.path for entry in catalogue.ENTRIES)
    readme = (ROOT / folder / "README.md").read_text(encoding="utf-8")
    for path in (ROOT / folder).iterdir():
        if path.suffix in (".csv", ".geojson"):
            assert f"{folder}/{path.name}" in listed, path.name
            assert path.name in readme, path.name
    for entry in catalogue.ENTRIES:
        assert entry.source and entry.licence and entry.date


@pytest.mark.parametrize("name", ["kg_level1_full.geojson", "kg_level1_screen.geojson"])
def test_boundaries_are_wgs84_with_the_expected_codes(name):
    data = json.loads((ROOT / "geo" / name).read_text(encoding="utf-8"))
    codes = {f["properties"]["iso_3166_2"] for f in data["features"]}
    assert codes == set(gazetteer.CODES)  # Bishkek and Osh city are real polygons
    assert data.get("crs") is None or "4326" in json.dumps(data["crs"]) or "CRS84" in json.dumps(data["crs"])
    shapes = geo.admin1(name.split("_")[2].split(".")[0])
    assert shapes.is_valid.all()
    lon_min, lat_min, lon_max, lat_max = shapes.total_bounds
    assert 69 < lon_min < lon_max < 81 and 39 < lat_min < lat_max < 44


def test_screen_boundaries_are_light_and_keep_shared_borders():
    import shapely

    screen = geo.admin1("screen")
    assert int(shapely.get_num_coordinates(screen.geometry.values).sum()) <= 10_000
    assert not (ROOT / "geo" / "kg_admin1_full.geojson").exists()  # Natural Earth only for neighbours
    # No gaps or overlaps between neighbours: the union is as large as the sum of the parts.
    union = shapely.union_all(screen.geometry.values)
    assert abs(union.area - shapely.area(screen.geometry.values).sum()) < 1e-4


@pytest.mark.parametrize("path", sorted((ROOT / "app_pages").glob("*.py")), ids=lambda p: p.name)
def test_pages_stay_thin(path):
    # Pages read widgets, call atlas/ and render; logic that grows belongs in atlas/ or ui/.
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 150


def test_no_legacy_pages_folder():
    # A folder named pages/ beside app.py switches Streamlit to its old multipage mode on a
    # fresh server: a direct link then runs the page without the router (no menu, no config).
    assert not (ROOT / "pages").exists()
