"""Prepare the neighbouring countries in geo/ from the public-domain Natural Earth copies in ../shared.

Run once by a maintainer (`python scripts/prepare_geo.py`); the app only reads geo/.

- geo/neighbours_screen.geojson country outlines around Kyrgyzstan, simplified (context only)

Kyrgyzstan itself comes from OCHA COD-AB (scripts/prepare_geo_cod.py): Natural Earth's oblasts and
the point that stood in for Osh city are no longer used.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "geo-source"
OUT = ROOT / "geo"


def _write(gdf: gpd.GeoDataFrame, name: str, decimals: int | None) -> None:
    gdf = gdf.copy()
    if decimals is not None:
        gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10**-decimals)
    assert gdf.geometry.is_valid.all(), name
    text = gdf.to_json(drop_id=True, ensure_ascii=False)
    data = json.loads(text)
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    print(f"{name}: {len(gdf)} features, {int(shapely.get_num_coordinates(gdf.geometry.values).sum())} vertices")


def main() -> None:
    OUT.mkdir(exist_ok=True)
    countries = gpd.read_file(SRC / "central_asia_countries_naturalearth.geojson")[["iso_a2", "geometry"]]
    countries = countries[countries["iso_a2"] != "KG"].reset_index(drop=True)
    countries["geometry"] = shapely.simplify(countries.geometry.values, 0.08, preserve_topology=True)
    _write(countries, "neighbours_screen.geojson", 2)


if __name__ == "__main__":
    main()
