"""Maps open on their extent at every width, and their labels never overlap (issue 16, parts 1 and 2)."""

from __future__ import annotations

import pytest

from atlas.draw import fit, labels, maps
from atlas.draw.fit import Frame
from atlas.draw.mapview import region_view
from atlas.i18n import LANGS, translator
from atlas.values import datasets

WIDTHS = [300, 340, 358, 476, 640, 900, 1200]


def _country_box(view: fit.View) -> tuple[float, float, float, float]:
    lon0, lat0, lon1, lat1 = maps._country_bounds()
    (x0, y1), (x1, y0) = view.project(lon0, lat0), view.project(lon1, lat1)
    return x0, y0, x1, y1


@pytest.mark.parametrize("frame", [Frame(w) for w in WIDTHS] + [Frame(476, 470), Frame(900, 470), Frame(358, 600)])
def test_the_whole_country_fits_inside_the_canvas_with_a_margin(frame):
    view = maps.country_view(frame)
    x0, y0, x1, y1 = _country_box(view)
    pad = fit.PADDING - 0.5
    assert x0 >= pad and y0 >= pad and x1 <= view.width - pad and y1 <= view.height - pad
    # ... and as large as it can be: one side touches the padding.
    assert min(x0, y0, view.width - x1, view.height - y1) <= fit.PADDING + 0.5
    if frame.height:
        assert view.height == frame.height


def test_a_wider_column_zooms_in_and_the_height_follows_the_country():
    narrow, wide = maps.country_view(Frame(340)), maps.country_view(Frame(900))
    assert wide.zoom > narrow.zoom + 1
    assert fit.MIN_HEIGHT <= narrow.height < wide.height <= fit.MAX_HEIGHT


def test_the_data_extent_is_fitted_not_the_country():
    view = fit.fit(fit.bounds_of([{"type": "Point", "coordinates": [74.5, 42.8]},
                                  {"type": "Point", "coordinates": [74.7, 42.9]}]), Frame(476, 300))
    assert view.zoom > 9
    x, y = view.project(74.6, 42.85)
    assert abs(x - 238) < 1 and abs(y - 150) < 2


def test_project_and_unproject_are_inverse():
    view = maps.country_view(Frame(476))
    for lon, lat in maps.label_anchors().values():
        x, y = view.project(lon, lat)
        back = view.unproject(x, y)
        assert abs(back[0] - lon) < 1e-9 and abs(back[1] - lat) < 1e-9


def test_text_box_grows_with_the_text_and_its_lines():
    w1, h1 = labels.text_box("Naryn")
    w2, h2 = labels.text_box("Naryn Region")
    w3, h3 = labels.text_box("Naryn Region\n292 140")
    assert w2 > w1 and w3 == w2 and h3 > h1 == h2
    # Cyrillic has real widths (not a fallback): "Ш" is wider than "і".
    assert labels.text_box("ШШШШ")[0] > labels.text_box("іііі")[0] * 2


def _layouts():
    for lang in LANGS:
        for key in datasets.INDICATORS:
            ind = datasets.indicator(key)
            view = region_view(ind.compute(), ind.unit, lang, translator(lang))
            yield lang, key, view


@pytest.mark.parametrize("width", WIDTHS)
def test_labels_do_not_overlap_stay_inside_and_keep_off_the_city_symbols(width):
    fitted = maps.country_view(Frame(width))
    anchors = maps.label_anchors()
    cities = [labels.Box(*fitted.project(*anchors[c]), 2 * labels.CITY_RADIUS, 2 * labels.CITY_RADIUS)
              for c in labels.CITIES]
    for lang, key, view in _layouts():
        placed = labels.place(anchors, view.names, view.style.value_texts, fitted, size=labels.font_px(width))
        assert labels.overlaps(placed) == [], (lang, key, width)
        for label in placed:
            assert label.box.inside(fitted.width, fitted.height, 0), (lang, key, label)
            assert not any(label.box.intersects(c) for c in cities), (lang, key, label)
        codes = {label.code for label in placed}
        # The two cities are always named, beside their symbol on a leader line.
        assert set(labels.CITIES) <= codes, (lang, key, width)
        assert all(label.leader_from for label in placed if label.code in labels.CITIES)
        if width >= 476:
            assert codes == set(anchors), (lang, key, width, set(anchors) - codes)


def test_values_go_before_names_and_narrow_maps_carry_fewer_labels():
    ind = datasets.indicator("population")
    view = region_view(ind.compute(), ind.unit, "ru", translator("ru"))
    counts = {}
    for width in (340, 900):
        fitted = maps.country_view(Frame(width))
        placed = labels.place(maps.label_anchors(), view.names, view.style.value_texts, fitted,
                              size=labels.font_px(width))
        counts[width] = (len(placed), sum("\n" in label.text for label in placed))
        # Every label starts with its unit's name: a value never stands alone.
        assert all(label.text.split("\n")[0] == view.names[label.code] for label in placed)
    assert counts[900] == (9, 9)
    assert counts[340][0] <= 9 and counts[340][1] < counts[340][0]


def test_the_deck_draws_the_labels_where_the_layout_put_them():
    ind = datasets.indicator("population")
    view = region_view(ind.compute(), ind.unit, "ky", translator("ky"))
    frame = Frame(476)
    deck = view.deck(frame=frame)
    layers = {layer.id: layer for layer in deck.layers}
    fitted = maps.country_view(frame)
    placed = {label.text: label for label in labels.place(
        maps.label_anchors(), view.names, view.style.value_texts, fitted, size=labels.font_px(476))}
    rows = layers["labels"].data
    assert len(rows) == len(placed) == 9
    for row in rows:
        x, y = fitted.project(*row["position"])
        box = placed[row["text"]].box
        assert abs(x - box.x) < 1 and abs(y - box.y) < 1
    assert len(layers["leaders"].data) == 2
    assert deck.height == fitted.height
    assert deck.initial_view_state.zoom == pytest.approx(fitted.zoom, abs=1e-3)
