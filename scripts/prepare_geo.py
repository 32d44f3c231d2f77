"""Prepare the boundary files in geo/ from the public-domain Natural Earth copies in ../shared.

Run once by a maintainer (`python scripts/prepare_geo.py`); the app only reads geo/.

- geo/kg_admin1_full.geojson    8 polygons at Natural Earth 1:10m resolution (print exports)
- geo/kg_admin1_screen.geojson  the same, coverage-simplified so neighbours keep shared borders
- geo/neighbours_screen.geojson country outlines around Kyrgyzstan, simplified (context only)
- geo/osh_city.geojson          Osh city as a point: Natural Earth has no polygon for it
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import shapely

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "geo-source"
OUT = ROOT / "geo"

SCREEN_TOLERANCE_DEG = 0.015  # about 1.5 km: a third of a pixel at the opening zoom
SCREEN_DECIMALS = 3  # about 100 m
# Osh city centre from GeoNames feature 1527534 ("Osh"), rounded to 0.001 degree.
OSH_CITY_LONLAT = (72.7985, 40.5283)


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
    admin = gpd.read_file(SRC / "kg_admin1_naturalearth_10m.geojson")[["iso_3166_2", "geometry"]]
    admin = admin.sort_values("iso_3166_2").reset_index(drop=True)
    assert shapely.coverage_is_valid(admin.geometry.values)
    _write(admin, "kg_admin1_full.geojson", None)
    screen = admin.copy()
    screen["geometry"] = shapely.coverage_simplify(admin.geometry.values, SCREEN_TOLERANCE_DEG)
    _write(screen, "kg_admin1_screen.geojson", SCREEN_DECIMALS)

    countries = gpd.read_file(SRC / "central_asia_countries_naturalearth.geojson")[["iso_a2", "geometry"]]
    countries = countries[countries["iso_a2"] != "KG"].reset_index(drop=True)
    countries["geometry"] = shapely.simplify(countries.geometry.values, 0.08, preserve_topology=True)
    _write(countries, "neighbours_screen.geojson", 2)

    osh = gpd.GeoDataFrame({"iso_3166_2": ["KG-GO"]}, geometry=[shapely.Point(OSH_CITY_LONLAT)], crs=4326)
    _write(osh, "osh_city.geojson", None)


if __name__ == "__main__":
    main()
