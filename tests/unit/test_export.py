"""Static handouts (PNG, PDF, SVG), CSV, GeoJSON and file names, from a generated Kyrgyz handout.

The handout has one unit with no data (Talas) and one with the value zero (Jalal-Abad) painted in
the palette's lightest colour: the two must never look alike.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import shutil
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from shapely.geometry import Point, shape

from atlas.draw.export import (
    Handout,
    handout_figure,
    handout_filename,
    joined_csv,
    match_report_csv,
    regions_geojson,
    render_pdf,
    render_png,
    render_svg,
)
from atlas.draw.export_model import COS_MID_LAT, LABEL_ANCHORS, city_lonlat, shapes
from atlas.places.gazetteer import CODES, region_name

PALETTE = ["#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c"]
VALUES = {
    "KG-B": 12,
    "KG-C": 48,
    "KG-J": 0,
    "KG-N": 7,
    "KG-O": 21,
    "KG-T": None,
    "KG-Y": 30,
    "KG-GB": 95,
    "KG-GO": 64,
}
BREAKS = [5, 20, 35, 60]
TITLE = "Өкмөт: коомдук уюмдардын долбоорлору, 2021-жыл"


def _class(value: float | None) -> str | None:
    if value is None:
        return None
    return PALETTE[sum(value >= b for b in BREAKS)]


def make_handout(**changes) -> Handout:
    """A Kyrgyz handout: Talas has no data, Jalal-Abad is zero, Osh city differs from Osh oblast."""
    values = changes.pop("values", VALUES)
    colors = {code: _class(v) for code, v in values.items()}
    fields = dict(
        title=TITLE,
        subtitle="Аймактар боюнча долбоорлордун саны (ң ө ү)",
        note="Эскертүү: Ош шаары өзүнчө белги менен көрсөтүлөт. Бюджет $5 – $10.",
        source="Булагы: Улуттук статистика комитети",
        author="Achyk Atlas",
        date_text="2024-05-01",
        lang="ky",
        region_names={c: region_name(c, "ky") for c in CODES},
        values=values,
        value_texts={c: "" if v is None else f"{v} долбоор" for c, v in values.items()},
        colors=colors,
        legend=[(p, f"класс {i}", list(colors.values()).count(p)) for i, p in enumerate(PALETTE)],
        no_data_label="Маалымат жок",
        unit="Долбоорлор",
        chart_title="Рейтинг",
        caption="Аймактар боюнча карта",
    )
    fields.update(changes)
    return Handout(**fields)


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(round(255 * c) for c in to_rgb(hex_colour))


@pytest.fixture(scope="module")
def page() -> tuple[np.ndarray, object]:
    """The sample page without labels, drawn once: an RGB array and the map axes."""
    return _map_pixels(make_handout(labels=False))


def _map_pixels(h: Handout) -> tuple[np.ndarray, object]:
    """The drawn page as an RGB array and the map axes, so lon/lat can be turned into pixels."""
    fig = handout_figure(h)
    fig.canvas.draw()
    image = np.asarray(fig.canvas.buffer_rgba())[:, :, :3]
    return image, next(ax for ax in fig.axes if ax.get_label() == "map")


def _patch_at(image: np.ndarray, ax, lon: float, lat: float, half: int = 4) -> np.ndarray:
    """The (2*half+1)² pixels around a lon/lat on the map, as a list of RGB triples."""
    x, y = ax.transData.transform((lon * COS_MID_LAT, lat))
    row, col = image.shape[0] - round(y), round(x)
    return image[row - half : row + half + 1, col - half : col + half + 1].reshape(-1, 3)


def _inside(code: str) -> tuple[float, float]:
    point = shapes()[code].representative_point()
    return point.x, point.y


# ---- PNG ---------------------------------------------------------------------------------------


def test_zero_and_no_data_regions_look_different(page):
    image, ax = page
    zero = _patch_at(image, ax, *_inside("KG-J"))
    missing = _patch_at(image, ax, *_inside("KG-T"))
    assert {tuple(p) for p in zero} == {_rgb(PALETTE[0])}  # a plain fill in the zero class colour
    assert _rgb(PALETTE[0]) not in {tuple(p) for p in missing}
    assert len({tuple(p) for p in missing}) >= 2, "no-data unit should be hatched"


@pytest.mark.parametrize("code", ["KG-N", "KG-Y", "KG-C", "KG-B"])
def test_each_region_is_filled_with_its_class_colour(code, page):
    image, ax = page
    colours = {tuple(p) for p in _patch_at(image, ax, *_inside(code))}
    assert colours == {_rgb(_class(VALUES[code]))}


def test_osh_city_is_its_own_symbol_over_the_oblast(page):
    image, ax = page
    centre = {tuple(p) for p in _patch_at(image, ax, *city_lonlat(), half=2)}
    assert centre == {_rgb(_class(VALUES["KG-GO"]))}
    assert _class(VALUES["KG-GO"]) != _class(VALUES["KG-O"])  # else this test would prove nothing


def test_png_is_a4_landscape_with_several_fill_colours_in_the_map(dpi=100):
    h = make_handout()
    image = Image.open(io.BytesIO(render_png(h, dpi=dpi))).convert("RGB")
    width, height = image.size
    assert abs(width - 11.69 * dpi) <= 1 and abs(height - 8.27 * dpi) <= 1  # A4 landscape
    fig = handout_figure(h)
    box = next(ax for ax in fig.axes if ax.get_label() == "map").get_window_extent()
    scale = dpi / fig.dpi
    top = image.size[1] - box.y1 * scale
    crop = np.asarray(image.crop((box.x0 * scale, top, box.x1 * scale, top + box.height * scale)))
    colours, counts = np.unique(crop.reshape(-1, 3), axis=0, return_counts=True)
    big = {tuple(int(v) for v in c) for c, n in zip(colours, counts, strict=True) if n > 0.003 * crop.size / 3}
    used = {_rgb(c) for c in h.colors.values() if c}
    assert used - {_rgb(PALETTE[4])} <= big  # every class colour on the map (Bishkek's is tiny)


def test_kyrgyz_letters_have_glyphs():
    """matplotlib warns "Glyph ... missing" when the font cannot draw a letter."""
    h = make_handout(title="ӨҮҢ өүң Ысык-Көл", no_data_label="Маалымат жок ң")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        render_png(h, dpi=20)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({c: None for c in CODES}, id="all-no-data"),
        pytest.param({c: float(i - 4) for i, c in enumerate(CODES)}, id="negative-values"),
        pytest.param({c: 0.0 for c in CODES}, id="all-zero"),
        pytest.param({c: float("nan") for c in CODES}, id="nan"),
    ],
)
def test_unusual_values_still_render(values):
    h = make_handout(values=values, colors={c: None if v is None or v != v else "#6baed6" for c, v in values.items()})
    assert render_png(h, dpi=20)[:4] == b"\x89PNG"


@pytest.mark.parametrize("code", sorted(LABEL_ANCHORS))
def test_label_anchors_lie_inside_their_unit(code):
    assert shapes()[code].contains(Point(*LABEL_ANCHORS[code]))


# ---- PDF ---------------------------------------------------------------------------------------


def _pdf_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} not found: install the Debian package poppler-utils")
    return path


@pytest.fixture(scope="module")
def pdf_file(tmp_path_factory) -> Path:
    """The sample handout as a PDF file, rendered once for the module."""
    file = tmp_path_factory.mktemp("pdf") / "handout.pdf"
    file.write_bytes(render_pdf(make_handout()))
    return file


@pytest.fixture(scope="module")
def pdf_text(pdf_file) -> str:
    """The PDF's text as pdftotext reads it, words joined by single spaces."""
    out = subprocess.run([_pdf_tool("pdftotext"), str(pdf_file), "-"], capture_output=True, check=True, text=True)
    return " ".join(out.stdout.split())


def test_pdf_is_one_a4_landscape_page(pdf_file):
    info = subprocess.run([_pdf_tool("pdfinfo"), str(pdf_file)], capture_output=True, check=True, text=True).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert re.search(r"Pages:\s+1\n", info)
    assert (round(width), round(height)) == (842, 595)  # A4 is 297 × 210 mm


@pytest.mark.parametrize(
    "expected",
    [
        TITLE,
        "Аймактар боюнча",
        "Ош шаары",
        "Маалымат жок",
        "Ысык-Көл",
        "ң ө ү",
        "64 долбоор",
        "Рейтинг",
        "Булагы",
        "2024-05-01",
        "Эскертүү",
        "Бюджет $5 – $10",  # a dollar sign must not switch on mathtext
    ],
)
def test_pdf_text_can_be_found(expected, pdf_text):
    assert expected in pdf_text


# ---- SVG ---------------------------------------------------------------------------------------


def test_svg_is_well_formed_and_carries_the_texts():
    h = make_handout(title="A --> B <c> & Көл")  # would end an XML comment or open a tag if unescaped
    svg = render_svg(h).decode("utf-8")
    root = ET.fromstring(svg)
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert root.find("s:title", ns).text == "A --> B <c> & Көл"
    for text in ["Ош шаары", "Маалымат жок", "Ысык-Көл облусу", "Рейтинг", "64 долбоор"]:
        assert text in svg


# ---- file names --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "date", "ext", "expected"),
    [
        ("Ысык-Көл: НКО / 2021", dt.date(2024, 5, 1), "pdf", "ysyk-kol-nko-2021_2024-05-01.pdf"),
        ("Ңөү", "2024-05-01", ".PNG", "ngou_2024-05-01.png"),
        ("Жалал-Абад — ЖАЛПЫ", "2024-05-01", "csv", "zhalal-abad-zhalpy_2024-05-01.csv"),
        ("Щучье, Объём", "2024-05-01", "svg", "shchuche-obyom_2024-05-01.svg"),
        ("../../etc/passwd", "2024-05-01", "html", "etc-passwd_2024-05-01.html"),
        ("C:\\Windows\\evil", "2024/05/01", "svg", "c-windows-evil_2024-05-01.svg"),
        ("Chüy région", dt.date(2021, 1, 1), "geojson", "chuy-region_2021-01-01.geojson"),
        ("", None, "html", "handout.html"),
        ("中文标题", "2024-05-01", "pdf", "handout_2024-05-01.pdf"),
        ("=cmd|' /C calc'!A0", "2024-05-01", "p/d\\f", "cmd-c-calc-a0_2024-05-01.pdf"),
        ("NUL", "", "txt", "nul-handout.txt"),  # Windows refuses device names, even with an extension
        ("com1", "2024-05-01", "txt", "com1_2024-05-01.txt"),
    ],
)
def test_handout_filename(title, date, ext, expected):
    assert handout_filename(title, date, ext) == expected


def test_long_titles_are_cut():
    name = handout_filename("Өтө узун аталыш " * 40, "2024-05-01", "pdf")
    assert len(name) <= 100 and name.endswith("_2024-05-01.pdf") and "--" not in name


# ---- CSV and GeoJSON ---------------------------------------------------------------------------


def test_joined_csv_is_formula_safe_and_keeps_cyrillic_and_numbers():
    df = pd.DataFrame({"аймак": ["Ысык-Көл облусу", '=HYPERLINK("http://x")'], "value": [-3, 4]})
    rows = list(pd.read_csv(io.BytesIO(joined_csv(df)), encoding="utf-8-sig").itertuples(index=False))
    assert rows[0] == ("Ысык-Көл облусу", -3)
    assert rows[1][0].startswith("'=")


@pytest.mark.parametrize("as_frame", [True, False])
def test_match_report_csv(as_frame):
    report = [
        {"name": "Ош ш.", "code": "KG-GO", "score": 91.5},
        {"name": "+Talas", "code": "", "score": 40.0},
    ]
    data = match_report_csv(pd.DataFrame(report) if as_frame else report)
    lines = data.decode("utf-8-sig").splitlines()
    assert data.startswith(b"\xef\xbb\xbf")
    assert lines == ["name,code,score", "Ош ш.,KG-GO,91.5", "'+Talas,,40.0"]


def test_geojson_has_nine_polygons_with_values_osh_city_included():
    h = make_handout()
    collection = json.loads(regions_geojson(h), parse_constant=lambda c: pytest.fail(f"{c} is not JSON"))
    features = {f["properties"]["iso_3166_2"]: f for f in collection["features"]}
    assert set(features) == set(CODES)
    assert len(collection["features"]) == 9
    assert {f["geometry"]["type"] for f in features.values()} <= {"Polygon", "MultiPolygon"}
    assert shape(features["KG-GO"]["geometry"]).contains(Point(*city_lonlat()))  # the real city
    assert (features["KG-T"]["properties"]["value"], features["KG-T"]["properties"]["no_data"]) == (
        None,
        True,
    )
    assert features["KG-J"]["properties"]["value"] == 0 and features["KG-J"]["properties"]["no_data"] is False
    assert features["KG-Y"]["properties"]["name"] == "Ысык-Көл облусу"


def test_geojson_writes_nan_as_null():
    h = make_handout(values={**VALUES, "KG-N": float("nan")})
    props = {f["properties"]["iso_3166_2"]: f["properties"] for f in json.loads(regions_geojson(h))["features"]}
    assert props["KG-N"]["value"] is None and props["KG-N"]["no_data"] is True
