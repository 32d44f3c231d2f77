"""The prepared official boundaries (both levels, lakes), the level-2 gazetteer and the mountain lens."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from atlas.paths import DATA, GEO
from atlas.places import gazetteer, units

ALBERS = "+proj=aea +lat_1=39.5 +lat_2=42.5 +lat_0=41 +lon_0=74.5 +datum=WGS84 +units=m"
BOUNDARY_FILES = [
    ("kg_level1_full.geojson", 1), ("kg_level1_screen.geojson", 1),
    ("kg_level2_full.geojson", 2), ("kg_level2_screen.geojson", 2),
]


def _expected_keys(level: int) -> set[str]:
    return set(gazetteer.CODES) if level == 1 else set(units.level2().index)


@pytest.mark.parametrize(("name", "level"), BOUNDARY_FILES)
def test_boundary_files_are_lonlat_with_exactly_the_expected_keys(name, level):
    data = json.loads((GEO / name).read_text(encoding="utf-8"))
    crs = json.dumps(data.get("crs"))
    assert data.get("crs") is None or "4326" in crs or "CRS84" in crs
    keys = [f["properties"]["iso_3166_2" if level == 1 else "pcode"] for f in data["features"]]
    assert len(keys) == len(set(keys)) == (9 if level == 1 else 55)
    assert set(keys) == _expected_keys(level)
    shapes = units.shapes(level, name.split("_")[2].split(".")[0])
    assert shapes.is_valid.all() and not shapes.is_empty.any()
    west, south, east, north = shapes.total_bounds
    assert 69 < west < east < 81 and 39 < south < north < 43.5


def test_level2_is_40_rayons_13_towns_and_the_two_cities():
    counts = units.level2()["unit_type"].value_counts().to_dict()
    assert counts == {"rayon": 40, "town": 13, "city": 2}
    cities = units.level2().query("unit_type == 'city'")
    assert dict(cities["parent_iso"]) == {"KG11000000000": "KG-GB", "KG21000000000": "KG-GO"}
    # 8 rayons in Chüy, 5 in Naryn ... as data/regions.csv counts them
    rayons = units.level2().query("unit_type == 'rayon'")["parent_iso"].value_counts()
    expected = gazetteer.regions()["rayons"].dropna().astype(float).astype(int)
    assert rayons.sort_index().to_dict() == expected.sort_index().to_dict()


@pytest.mark.parametrize(("level", "resolution"), [(1, "screen"), (1, "full"), (2, "screen"), (2, "full")])
def test_shared_borders_stay_shared(level, resolution):
    geoms = units.shapes(level, resolution).geometry.values
    if level == 2:  # the lakes fill the rayon layer's holes
        geoms = np.concatenate([geoms, units.lakes().geometry.values]) if resolution == "screen" else geoms
    union = shapely.union_all(geoms)
    parts = shapely.area(geoms).sum()
    assert abs(union.area - parts) < 1e-4 * parts  # no overlaps
    assert shapely.coverage_is_valid(geoms)


def test_screen_levels_nest_and_lakes_fit_their_shores():
    level1 = units.shapes(1).set_index("iso_3166_2").geometry
    pieces = units.shapes(2).assign(parent=lambda d: d["parent_iso"])[["parent", "geometry"]]
    lakes = units.lakes().rename(columns={"parent_iso": "parent"})[["parent", "geometry"]]
    built = pd.concat([pieces, lakes]).dissolve("parent").geometry
    for code in gazetteer.CODES:
        gap = level1[code].symmetric_difference(built[code]).area
        assert gap < 1e-6 * level1[code].area, code


def test_each_unit_lies_in_its_parent_oblast():
    level1 = units.shapes(1, "full").set_index("iso_3166_2").geometry
    level2 = units.shapes(2, "full")
    for pcode, parent, geom in zip(level2["pcode"], level2["parent_iso"], level2.geometry, strict=True):
        point = geom.representative_point()
        inside = [code for code, shape in level1.items() if shape.covers(point)]
        assert inside == [parent], pcode


def test_lakes_are_issyk_kul_and_son_kul_with_their_area():
    lakes = units.lakes().to_crs(ALBERS).set_index("name_en")
    assert dict(lakes["parent_iso"]) == {"Issyk-Kul": "KG-Y", "Son-Kul": "KG-N"}
    # PROVENANCE: Issyk-Kul about 6,250 km²; the screen shape keeps it within 2 %
    assert lakes.area["Issyk-Kul"] / 1e6 == pytest.approx(6250, rel=0.02)
    assert 200 < lakes.area["Son-Kul"] / 1e6 < 350
    lake_point = shapely.Point(77.3, 42.4)  # open water, east of Cholpon-Ata's latitude
    assert not units.shapes(2, "full").geometry.covers(lake_point).any()
    assert units.shapes(1, "full").set_index("iso_3166_2").geometry["KG-Y"].covers(lake_point)


def test_gazetteer_codes_names_and_areas():
    table = units.level2()
    assert (table["soate"] == "417" + table.index.str[2:]).all()
    assert (table.index.str[:4] == table["parent_pcode"].str[:4]).all()
    for col in ("name_en", "name_ru", "name_ky"):
        assert table[col].str.strip().ne("").all() and table[col].is_unique, col
    # Display names fixed, the COD's own kept beside them
    fixed = {"KG04220000000": "At-Bashy District", "KG04235000000": "Kochkor District",
             "KG08217000000": "Moskva District", "KG07215000000": "Aitmatov District"}
    assert {k: table.at[k, "name_en"] for k in fixed} == fixed
    assert table.at["KG07215000000", "name_en_cod"] == "Kara-Buura"
    # 8-digit codes are unique where given; Kok-Zhangak shares Suzak's first 8 digits
    given = table.loc[table["soate8"] != "", "soate8"]
    assert given.is_unique and table.at["KG03220400010", "soate8"] == ""
    # the stated area is the polygon's
    full = units.shapes(2, "full").set_index("pcode").to_crs(ALBERS)
    measured = full.area / 1e6
    assert np.allclose(table.loc[measured.index, "area_km2"], measured, rtol=0.01)
    assert table["area_km2"].sum() + units.lakes().to_crs(ALBERS).area.sum() / 1e6 == pytest.approx(
        units.shapes(1, "full").to_crs(ALBERS).area.sum() / 1e6, rel=0.01)


@pytest.mark.parametrize(
    ("spelling", "pcode"),
    [
        ("Ат-Башынский р-н", "KG04220000000"),
        ("Ak-Bashy", "KG04220000000"),
        ("At-Bashy District", "KG04220000000"),
        ("Kochokor rayon", "KG04235000000"),
        ("Moscow", "KG08217000000"),
        ("Московский район", "KG08217000000"),
        ("Kara-Buura", "KG07215000000"),
        ("Кара-Бууринский район", "KG07215000000"),
        ("Айтматов району", "KG07215000000"),
        ("г. Каракол", "KG02410000010"),
        ("Өзгөн району", "KG06255000000"),
        ("город Бишкек", "KG11000000000"),
        ("Osh", "KG21000000000"),
    ],
)
def test_spellings_name_the_right_unit(spelling, pcode):
    aliases = units.level2_aliases()
    found = set(aliases.loc[aliases["alias"].str.casefold() == spelling.casefold(), "pcode"])
    assert found == {pcode}


def test_every_unit_has_spellings_and_ambiguous_names_list_every_unit():
    aliases = units.level2_aliases()
    assert set(aliases["pcode"]) == set(units.level2().index)
    assert aliases.groupby("pcode").size().min() >= 5
    naryn = set(aliases.loc[aliases["alias"] == "Нарын", "pcode"])
    assert naryn == {"KG04245000000", "KG04400000010"}  # the rayon and the town: the app must ask


@pytest.mark.parametrize(
    ("place", "lon", "lat", "metres", "tolerance"),
    [
        ("Bishkek", 74.59, 42.87, 770, 60),
        ("Naryn", 75.99, 41.43, 2040, 60),
        ("Issyk-Kul surface", 77.5, 42.45, 1600, 30),
    ],
)
def test_spot_elevations(place, lon, lat, metres, tolerance):
    assert units.elevation_at(lon, lat) == pytest.approx(metres, abs=tolerance), place


@pytest.mark.parametrize("point", [(60.0, 40.0), (76.9, 43.25), (float("nan"), 41.0), (None, 41.0), ("x", 41)])
def test_no_elevation_outside_the_country_or_for_bad_coordinates(point):
    assert units.elevation_at(*point) is None  # (76.9, 43.25) is Almaty, Kazakhstan


def test_elevation_stats_cover_both_levels():
    level1, level2 = units.elevation_stats(1), units.elevation_stats(2)
    assert set(level1.index) == set(gazetteer.CODES) and set(level2.index) == set(units.level2().index)
    for table in (level1, level2):
        assert table["share_above_2000m"].between(0, 1).all()
        assert (table["share_above_3000m"] <= table["share_above_2000m"]).all()
        assert (table["elev_mean_m"] > 300).all() and (table["elev_mean_m"] < 5000).all()
    assert level1.at["KG-GB", "share_above_2000m"] == 0
    assert level1.at["KG-N", "elev_median_m"] > level1.at["KG-C", "elev_median_m"]
    assert level1.loc["KG-GB"].equals(level2.loc["KG11000000000"])  # the same polygon at both levels


def test_screen_files_and_the_relief_stay_small():
    for name, limit in [("kg_level1_screen.geojson", 40_000), ("kg_level2_screen.geojson", 40_000),
                        ("kg_lakes_screen.geojson", 5_000), ("relief.png", 300_000),
                        ("elevation_grid.npz", 400_000)]:
        assert (GEO / name).stat().st_size <= limit, name
    # the geojson files are compact JSON: no indentation to send on every rerun
    assert b"\n" not in (GEO / "kg_level2_screen.geojson").read_bytes()


def _pixel(lon: float, lat: float) -> tuple[int, int]:
    west, south, east, north = units.relief()["bounds"]
    image = Image.open(units.relief()["path"])
    merc = lambda d: math.log(math.tan(math.pi / 4 + math.radians(d) / 2))  # noqa: E731
    x = (lon - west) / (east - west) * (image.width - 1)
    y = (merc(north) - merc(lat)) / (merc(north) - merc(south)) * (image.height - 1)
    return image.getpixel((round(x), round(y)))


def test_relief_is_grey_inside_the_country_and_transparent_outside():
    image = Image.open(units.relief()["path"])
    assert image.mode == "LA" and image.width >= 800
    assert _pixel(75.5, 41.5)[1] == 255  # Naryn oblast
    assert _pixel(76.9, 43.25)[1] == 0  # Almaty, Kazakhstan
    assert _pixel(70.0, 39.3)[1] == 0  # Tajikistan, south of Batken
    grey = np.array(image)[..., 0][np.array(image)[..., 1] == 255]
    assert grey.std() > 5  # shaded, not a flat silhouette


def test_elevation_csv_has_a_source_line_in_the_readme():
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert "elevation_by_unit.csv" in readme and "f98b053b-0cbc-6c23-e053-6c86abc0af7b" in readme
