"""Prepare the official boundaries at both levels from OCHA COD-AB (../shared/geo-source/cod_ab_kgz).

Run once by a maintainer (`python scripts/prepare_geo_cod.py`); the app only reads geo/ and data/.

- geo/kg_level1_full.geojson    9 units (7 oblasts, Bishkek and Osh city), ISO key, p-code, SOATE
- geo/kg_level1_screen.geojson  the same for the screen: the level-2 screen shapes dissolved by oblast
- geo/kg_level2_full.geojson    55 units (40 rayons, 13 towns, Bishkek, Osh city), p-code key
- geo/kg_level2_screen.geojson  the same, coverage-simplified so shared borders stay shared
- geo/kg_lakes_screen.geojson   Issyk-Kul and Son-Kul: the holes of the rayon layer, drawn as water
- data/units_level2.csv         the level-2 gazetteer: codes, parent, names en/ru/ky, type, area
- data/units_level2_aliases.csv spellings of the 55 units → p-code (a bare name may name several)

Screen shapes: rayons, towns, the two cities and the two lakes form one coverage; it is simplified
in one pass (`shapely.coverage_simplify`), so a rayon's border, its neighbour's and the oblast's
outline built from them are the same line, and the lakes fit their shores exactly.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from shapely.ops import polylabel

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "geo-source" / "cod_ab_kgz"
GEO = ROOT / "geo"
DATA = ROOT / "data"

SCREEN_TOLERANCE_DEG = 0.035  # about 3.5 km: one pixel at the opening zoom (zoom 5 is ~3.7 km per pixel here)
SCREEN_DECIMALS = 3  # about 100 m
FULL_DECIMALS = 5  # about 1 m: the source's own precision is no better for point-in-polygon
CITIES = {"KG11000000000": "KG-GB", "KG21000000000": "KG-GO"}

# English names the COD spells wrongly or that changed since 2018; the COD form stays an alias.
EN_FIXES = {"Ak-Bashy": "At-Bashy", "Kochokor": "Kochkor", "Moscow": "Moskva", "Kara-Buura": "Aitmatov"}
# Kara-Buura rayon (Talas) was renamed Aitmatov rayon; the COD (2018) has the old name everywhere.
RENAMED = {"KG07215000000": ("Айтматовский", "Айтматов")}
# Other common Latin spellings seen in tables and maps (transliteration variants, not guesses of units).
EN_VARIANTS = {
    "Alamudun": ["Alamüdün", "Alamedin"],
    "Jaiyl": ["Zhaiyl", "Jayil", "Zhayyl"],
    "Uzgen": ["Özgön", "Ozgon", "Uzgen"],
    "Tup": ["Tüp", "Tyup"],
    "Ton": ["Tong"],
    "Ysyk-Ata": ["Issyk-Ata"],
    "Issyk-Kul": ["Ysyk-Köl", "Ysyk-Kol"],
    "Chui": ["Chüy", "Chuy"],
    "Jeti-Oguz": ["Jeti-Ögüz", "Djety-Oguz", "Dzhety-Oguz"],
    "Kara-Kulja": ["Kara-Kuldja", "Kara-Kuldzha"],
    "Kadamjai": ["Kadamjay", "Kadamzhay"],
    "Leilek": ["Leylek"],
    "Bazar-Korgon": ["Bazar-Kurgan"],
    "Chon-Alai": ["Chong-Alay", "Chon-Alay"],
    "Alai": ["Alay"],
    "Ak-Tala": ["Ak-Talaa"],
    "Kok-Zhangak": ["Kök-Jangak", "Kok-Jangak"],
    "Kara-Kul": ["Kara-Köl"],
    "Kyzyl-Kia": ["Kyzyl-Kiya"],
    "Sulukta": ["Sülüktü"],
    "Tash-Kumir": ["Tash-Kömür"],
    "Tokmok": ["Tokmak"],
    "Balykchy": ["Rybachye"],
    "At-Bashy": ["At-Bashi"],
    "Moskva": ["Moskovsky"],
}
LAKES = {"KG-Y": ("Issyk-Kul", "Иссык-Куль", "Ысык-Көл"), "KG-N": ("Son-Kul", "Сон-Куль", "Соң-Көл")}


def soate(pcode: str) -> str:
    """SOATE (СОАТЕ) code of a COD p-code: "417" + its digits.

    >>> soate("KG08203000000")
    '41708203000000'
    """
    return "417" + pcode[2:]


def _strip(name: str, *marks: str) -> str:
    for mark in marks:
        name = name.replace(mark, "")
    return " ".join(name.split())


def _gazetteer(a1: gpd.GeoDataFrame, a2: gpd.GeoDataFrame, iso_of: dict[str, str]) -> pd.DataFrame:
    regions = pd.read_csv(DATA / "regions.csv", dtype=str).set_index("iso_3166_2")
    rows = []
    for r in a2.itertuples():
        town = r.adm2_name.endswith("(city)")
        en_cod = _strip(r.adm2_name, "(city)")
        ru, ky = RENAMED.get(r.adm2_pcode, (_strip(r.adm2_name1, "г."), _strip(r.adm2_name2, " ш.")))
        en = EN_FIXES.get(en_cod, en_cod)
        rows.append({
            "pcode": r.adm2_pcode, "parent_iso": iso_of[r.adm1_pcode], "parent_pcode": r.adm1_pcode,
            "unit_type": "town" if town else "rayon",
            "name_en": f"{en} Town" if town else f"{en} District",
            "name_ru": f"город {ru}" if town else f"{ru} район",
            "name_ky": f"{ky} шаары" if town else f"{ky} району",
            "name_en_cod": r.adm2_name, "name_ru_cod": r.adm2_name1, "name_ky_cod": r.adm2_name2,
            "area_km2_cod": round(float(r.area_sqkm), 1), "geometry": r.geometry,
        })
    for r in a1[a1.adm1_pcode.isin(CITIES)].itertuples():
        iso = CITIES[r.adm1_pcode]
        rows.append({
            "pcode": r.adm1_pcode, "parent_iso": iso, "parent_pcode": r.adm1_pcode, "unit_type": "city",
            "name_en": regions.at[iso, "name_en"], "name_ru": regions.at[iso, "name_ru"],
            "name_ky": regions.at[iso, "name_ky"],
            "name_en_cod": r.adm1_name, "name_ru_cod": r.adm1_name1, "name_ky_cod": r.adm1_name2,
            "area_km2_cod": round(float(r.area_sqkm), 1), "geometry": r.geometry,
        })
    units = gpd.GeoDataFrame(rows, crs=4326).sort_values("pcode").reset_index(drop=True)
    units["soate"] = units["pcode"].map(soate)
    # The 8-digit rayon code of many statistical tables; Kok-Zhangak town (KG03220400010) shares its
    # first 8 digits with Suzak rayon (KG03220000000), so an 8-digit code is given only where unique.
    code8 = units["soate"].str[:8]
    units["soate8"] = code8.where(~code8.duplicated(keep=False) | (units["unit_type"] != "town"), "")
    units["area_km2"] = (units.to_crs(_ALBERS).area / 1e6).round(1)
    labels = [polylabel(max(getattr(g, "geoms", [g]), key=lambda p: p.area), 0.002) for g in units.geometry]
    units["label_lon"] = [round(p.x, 4) for p in labels]
    units["label_lat"] = [round(p.y, 4) for p in labels]
    return units


# An equal-area projection centred on Kyrgyzstan, for areas in km².
_ALBERS = "+proj=aea +lat_1=39.5 +lat_2=42.5 +lat_0=41 +lon_0=74.5 +datum=WGS84 +units=m"


def _aliases(units: pd.DataFrame) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for u in units.itertuples():
        if u.unit_type == "city":
            continue
        en_cod = _strip(u.name_en_cod, "(city)")
        en = EN_FIXES.get(en_cod, en_cod)
        latin = [en, en_cod, *EN_VARIANTS.get(en_cod, []), *EN_VARIANTS.get(en, [])]
        ru_adj, ky = (_strip(u.name_ru_cod, "г."), _strip(u.name_ky_cod, " ш."))
        cyr_ru, cyr_ky = [ru_adj], [ky]
        if u.pcode in RENAMED:
            cyr_ru, cyr_ky = [RENAMED[u.pcode][0], ru_adj], [RENAMED[u.pcode][1], ky]
        forms: list[str] = [u.name_en, u.name_ru, u.name_ky, u.name_en_cod, u.name_ru_cod, u.name_ky_cod]
        if u.unit_type == "rayon":
            for b in latin:
                forms += [b, f"{b} District", f"{b} Rayon", f"{b} Raion"]
            for a in cyr_ru:
                forms += [a, f"{a} район", f"{a} р-н", f"{a} р-н.", f"{a} р.", f"{a} районы"]
            for k in cyr_ky:
                forms += [k, f"{k} району", f"{k} р-ну", f"{k} район"]
        else:
            for b in latin:
                forms += [b, f"{b} Town", f"{b} City", f"{b} (city)", f"City of {b}", f"Town of {b}"]
            for a in cyr_ru:
                forms += [a, f"г.{a}", f"г. {a}", f"город {a}"]
            for k in cyr_ky:
                forms += [k, f"{k} ш.", f"{k} шаары", f"{k} шаар"]
        rows += [(f, u.pcode) for f in forms]
    level1 = pd.read_csv(DATA / "region_aliases.csv", dtype=str)
    for pcode, iso in CITIES.items():
        rows += [(a, pcode) for a in level1.loc[level1["iso_3166_2"] == iso, "alias"]]
    # At level 2 there is no Osh oblast unit, so a bare "Osh" names the city.
    rows += [("Osh", "KG21000000000"), ("Ош", "KG21000000000")]
    seen, unique = set(), []
    for alias, pcode in rows:
        key = (unicodedata.normalize("NFC", alias).casefold(), pcode)
        if alias and key not in seen:
            seen.add(key)
            unique.append((unicodedata.normalize("NFC", alias), pcode))
    return unique


def _write(gdf: gpd.GeoDataFrame, name: str, decimals: int) -> None:
    gdf = gdf.copy()
    gdf["geometry"] = shapely.set_precision(gdf.geometry.values, 10**-decimals)
    assert gdf.geometry.is_valid.all() and not gdf.geometry.is_empty.any(), name
    data = json.loads(gdf.to_json(drop_id=True, ensure_ascii=False))
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    (GEO / name).write_text(text, encoding="utf-8")
    vertices = int(shapely.get_num_coordinates(gdf.geometry.values).sum())
    print(f"geo/{name}: {len(gdf)} features, {vertices} vertices, {len(text.encode()):,} bytes compact JSON")


def main() -> None:
    a1 = gpd.read_file(SRC / "kgz_admin1.shp")
    a2 = gpd.read_file(SRC / "kgz_admin2.shp")
    assert str(a1.crs) == str(a2.crs) == "EPSG:4326"
    regions = pd.read_csv(DATA / "regions.csv", dtype=str)
    iso_of = dict(zip(regions["ocha_pcode"], regions["iso_3166_2"], strict=True))
    assert set(a1["adm1_pcode"]) == set(iso_of) and len(a1) == 9 and len(a2) == 53

    units = _gazetteer(a1, a2, iso_of)
    assert len(units) == 55 and shapely.coverage_is_valid(units.geometry.values)
    # The lakes are what the oblasts cover and the 55 units do not.
    level1 = a1.assign(iso_3166_2=a1["adm1_pcode"].map(iso_of)).sort_values("iso_3166_2")
    holes = shapely.union_all(level1.geometry.values).difference(shapely.union_all(units.geometry.values))
    lakes = [g for g in getattr(holes, "geoms", [holes]) if g.area > 1e-4]
    lake_rows = []
    for g in lakes:
        iso = level1.loc[level1.geometry.contains(g.representative_point()), "iso_3166_2"].item()
        en, ru, ky = LAKES[iso]
        lake_rows.append({"name_en": en, "name_ru": ru, "name_ky": ky, "parent_iso": iso, "geometry": g})
    lakes_gdf = gpd.GeoDataFrame(lake_rows, crs=4326)
    lakes_gdf["area_km2"] = (lakes_gdf.to_crs(_ALBERS).area / 1e6).round(1)
    print("lakes:", lakes_gdf[["name_en", "area_km2"]].to_dict("records"))

    # One coverage of units and lakes, simplified together.
    cover = list(units.geometry.values) + list(lakes_gdf.geometry.values)
    assert shapely.coverage_is_valid(cover)
    simple = shapely.coverage_simplify(cover, SCREEN_TOLERANCE_DEG)
    screen2 = units[["pcode", "parent_iso"]].copy()
    screen2 = gpd.GeoDataFrame(screen2, geometry=list(simple[: len(units)]), crs=4326)
    lakes_screen = lakes_gdf[["name_en", "name_ru", "name_ky", "parent_iso"]].copy()
    lakes_screen = gpd.GeoDataFrame(lakes_screen, geometry=list(simple[len(units) :]), crs=4326)

    parent = list(units["parent_iso"]) + list(lakes_gdf["parent_iso"])
    dissolved = gpd.GeoDataFrame({"iso_3166_2": parent}, geometry=list(simple), crs=4326).dissolve("iso_3166_2")
    props = level1.set_index("iso_3166_2")["adm1_pcode"]
    screen1 = gpd.GeoDataFrame(
        {"iso_3166_2": dissolved.index, "ocha_pcode": props.loc[dissolved.index].values},
        geometry=dissolved.geometry.values, crs=4326,
    )
    screen1["soate"] = screen1["ocha_pcode"].map(soate)
    full1 = gpd.GeoDataFrame(
        {"iso_3166_2": level1["iso_3166_2"].values, "ocha_pcode": level1["adm1_pcode"].values},
        geometry=level1.geometry.values, crs=4326,
    )
    full1["soate"] = full1["ocha_pcode"].map(soate)
    full2 = units[["pcode", "parent_iso", "soate", "unit_type", "geometry"]]

    GEO.mkdir(exist_ok=True)
    _write(full1.reset_index(drop=True), "kg_level1_full.geojson", FULL_DECIMALS)
    _write(screen1.reset_index(drop=True), "kg_level1_screen.geojson", SCREEN_DECIMALS)
    _write(full2, "kg_level2_full.geojson", FULL_DECIMALS)
    _write(screen2, "kg_level2_screen.geojson", SCREEN_DECIMALS)
    _write(lakes_screen, "kg_lakes_screen.geojson", SCREEN_DECIMALS)

    columns = ["pcode", "soate", "soate8", "parent_iso", "parent_pcode", "unit_type", "name_en", "name_ru",
               "name_ky", "name_en_cod", "name_ru_cod", "name_ky_cod", "area_km2", "area_km2_cod",
               "label_lon", "label_lat"]
    units[columns].to_csv(DATA / "units_level2.csv", index=False, lineterminator="\n")
    print(f"data/units_level2.csv: {len(units)} units")
    aliases = _aliases(units)
    with (DATA / "units_level2_aliases.csv").open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["alias", "pcode"])
        writer.writerows(aliases)
    print(f"data/units_level2_aliases.csv: {len(aliases)} spellings")


if __name__ == "__main__":
    main()
