"""Vector files: GeoJSON, zipped shapefiles and GeoPackage, read with pyogrio and reprojected to WGS 84."""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from pathlib import Path

import pandas as pd

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.read import safety
from atlas.read.clean import unique_names
from atlas.read.locate import is_point_layer
from atlas.read.model import ENCODINGS, Guess, ReadOptions, ReadReport, Upload
from atlas.read.roles import detect_roles

# --------------------------------------------------------------------------- vector files


def read_geojson(data: bytes, opts: ReadOptions) -> Upload:
    """GeoJSON (an old-style ``crs`` member is honoured by GDAL) → WGS 84 GeoDataFrame."""
    safety.check_vertices(data.count(b"["))
    return read_vector_path(data, "upload.geojson", opts)


def read_shapefile(zf: zipfile.ZipFile, opts: ReadOptions) -> Upload:
    """Zipped shapefile, possibly in a subfolder; members are written under fixed names, never theirs."""
    shp = [i for i in zf.infolist() if i.filename.lower().endswith(".shp") and "__macosx" not in i.filename.lower()]
    if not shp:
        raise UserError(Msg(N_("The zip file holds no shapefile (.shp).")))
    stem = shp[0].filename[:-4]
    parts = {i.filename[len(stem) :].lower(): i for i in zf.infolist() if i.filename[:-4] == stem}
    missing = [ext for ext in (".shx", ".dbf") if ext not in parts]
    if missing:
        raise UserError(Msg(N_("The shapefile is missing its {parts} file."), {"parts": ", ".join(missing)}))
    with tempfile.TemporaryDirectory(prefix="atlas-") as tmp:
        for ext, info in parts.items():
            if ext in (".shp", ".shx", ".dbf", ".prj", ".cpg"):
                (Path(tmp) / f"layer{ext}").write_bytes(safety.read_member(zf, info))
        up = _read_vector_file(Path(tmp) / "layer.shp", opts)
    if len(shp) > 1:
        up.report.messages.append(
            Msg(
                N_("The zip holds {n} shapefiles; the first, {name}, was read."),
                {"n": len(shp), "name": Path(shp[0].filename).name},
            )
        )
    return up


def read_vector_path(data: bytes, name: str, opts: ReadOptions) -> Upload:
    """Write bytes to a private temp file under a fixed name and read it with pyogrio."""
    with tempfile.TemporaryDirectory(prefix="atlas-") as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        return _read_vector_file(path, opts)


def _read_vector_file(path: Path, opts: ReadOptions) -> Upload:
    """Read the chosen layer, check sizes, reproject to EPSG:4326."""
    import geopandas as gpd
    import pyogrio
    import shapely

    report = ReadReport()
    try:
        layers = [str(row[0]) for row in pyogrio.list_layers(path)]
        layer = opts.sheet if opts.sheet in layers else layers[0]
        info = pyogrio.read_info(path, layer=layer)
        safety.check_rows(int(info.get("features") or 0))
        enc = _gdal_encoding(opts.shapefile_encoding) if opts.shapefile_encoding else None
        gdf = gpd.read_file(path, layer=layer, engine="pyogrio", **({"encoding": enc} if enc else {}))
    except UserError:
        raise
    except Exception as exc:  # GDAL errors come in many types; the user needs one message
        detail = scrub_paths(str(exc), path.parent)[:200]
        raise UserError(Msg(N_("The map file could not be read: {detail}"), {"detail": detail})) from exc
    report.guesses["sheet"] = Guess(layer, layers, "first layer")
    if path.suffix == ".shp":
        report.guesses["encoding"] = Guess(enc or info.get("encoding") or "", list(ENCODINGS), ".cpg file or chosen")
    safety.check_vertices(int(shapely.get_num_coordinates(gdf.geometry.values).sum()))
    names = [str(c) for c in gdf.columns]
    if len(set(names)) < len(names):  # a damaged .dbf can name two fields alike
        geo = gdf.geometry.name
        gdf.columns = [c if c == geo else n for c, n in zip(names, unique_names(names), strict=True)]
        gdf = gdf.set_geometry(geo)
    for col in [c for c in gdf.columns if c != "geometry" and pd.api.types.is_object_dtype(gdf[c])]:
        nested = gdf[col].map(lambda v: isinstance(v, (dict, list)))
        if nested.any():  # GeoJSON properties holding objects or lists: shown as their JSON text
            gdf[col] = gdf[col].where(~nested, gdf[col].map(lambda v: json.dumps(v, ensure_ascii=False)[:500]))
    gdf = _to_wgs84(gdf, report)
    if gdf.empty:
        raise UserError(Msg(N_("The map file has no features.")))
    report.messages.insert(
        0,
        Msg(
            N_("Read {rows} features ({types})."),
            {"rows": len(gdf), "types": ", ".join(sorted(set(gdf.geom_type.dropna())))},
        ),
    )
    roles = detect_roles(pd.DataFrame(gdf.drop(columns="geometry")))
    if is_point_layer(gdf):
        # a point lies where its coordinates say: an attribute such as addr:city is not its unit
        roles.region = roles.code = None
        report.messages.append(Msg(N_("The points are placed in the regions by their coordinates and counted "
                                      "per region; choose a column of numbers to add them up instead.")))
    return Upload(gdf, "vector", report, layers, roles)


_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[/\\][^/\\\s'\":]+)+[/\\]([^/\\\s'\":]+)")


def scrub_paths(text: str, folder: Path | None = None) -> str:
    """A parser's message without any server path: the private folder and every absolute path
    are cut down to the bare file name.

    >>> scrub_paths("'/tmp/atlas-x1/upload.geojson' not recognized as a supported file format")
    "'upload.geojson' not recognized as a supported file format"
    """
    if folder is not None:
        text = text.replace(str(folder) + "/", "").replace(str(folder), "")
    return _PATH.sub(r"\1", text)


def _gdal_encoding(name: str) -> str:
    """Python codec name → the name GDAL's iconv knows ("latin-1" → "ISO-8859-1").

    >>> _gdal_encoding("cp1251"), _gdal_encoding("latin-1")
    ('CP1251', 'ISO-8859-1')
    """
    import codecs

    try:
        canon = codecs.lookup(name).name
    except LookupError as exc:
        raise UserError(Msg(N_("Unknown encoding {enc}."), {"enc": name})) from exc
    return {"iso8859-1": "ISO-8859-1", "utf-8": "UTF-8", "koi8-r": "KOI8-R"}.get(canon, canon.upper())


def _to_wgs84(gdf, report: ReadReport):
    """Reproject projected data; data without a CRS is taken as degrees only if it looks like degrees.

    GeoJSON without a ``crs`` member is WGS 84 by definition, so GDAL reports EPSG:4326 even when
    the numbers are metres; the same range check catches those.
    """
    minx, miny, maxx, maxy = gdf.total_bounds if len(gdf) else (0, 0, 0, 0)
    geographic = gdf.crs is None or gdf.crs.to_epsg() == 4326
    if geographic and (max(abs(minx), abs(maxx)) > 180 or max(abs(miny), abs(maxy)) > 90):
        raise UserError(
            Msg(
                N_(
                    "The coordinates are not in degrees and the file does not say which "
                    "projection they use (no .prj or crs)."
                )
            )
        )
    if gdf.crs is None:
        report.messages.append(Msg(N_("The file does not name its coordinate system; WGS 84 degrees were assumed.")))
        return gdf.set_crs(4326)
    if gdf.crs.to_epsg() != 4326:
        src = gdf.crs.to_string()
        gdf = gdf.to_crs(4326)
        report.messages.append(Msg(N_("Coordinates were converted from {crs} to WGS 84."), {"crs": src}))
    return gdf


def vector_points(gdf) -> tuple[pd.Series, pd.Series]:
    """(lat, lon) of each feature: the point itself, or a point inside a line or polygon.

    >>> import geopandas as gpd, shapely
    >>> vector_points(gpd.GeoDataFrame(geometry=[shapely.Point(74.6, 42.9)]))[0].tolist()
    [42.9]
    """
    pts = gdf.geometry.representative_point()
    return pd.Series(pts.y.to_numpy(), index=gdf.index), pd.Series(pts.x.to_numpy(), index=gdf.index)
