"""One self-contained HTML handout: an inline SVG map with tooltips, legend, ranked table, no URL.

The file opens from a USB stick with the network cut: no script, style, font or image comes from
anywhere else, and a Content-Security-Policy forbids any request at all. Every text that came from
data is HTML-escaped, and the tooltip script writes with ``textContent``, so a region called
``<img src=x onerror=alert(1)>`` shows as those characters. Colours are checked to be hex codes
before they reach a ``style`` attribute.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from html import escape

from shapely.geometry.base import BaseGeometry
from shapely.ops import unary_union

from atlas.draw.export_model import (
    CITY_POINT,
    COS_MID_LAT,
    MAP_BOUNDS,
    NO_DATA_EDGE,
    NO_DATA_FILL,
    Handout,
    city_lonlat,
    clip_text,
    label_anchor,
    neighbour_shapes,
    shapes,
)
from atlas.places.gazetteer import CODES

SCALE = 100.0  # SVG units per projected degree
_HEX = re.compile(r"#[0-9a-fA-F]{3}([0-9a-fA-F]{3})?([0-9a-fA-F]{2})?")
# Same spots as the static map: the cities are too small to carry their own words.
CITY_LABELS = {"KG-GB": (75.35, 43.32, "start"), CITY_POINT: (72.0, 40.66, "end")}

_CSS = """
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;color:#222;background:#fff;
font-family:"DejaVu Sans","Segoe UI",Arial,sans-serif}
h1{font-size:1.7em;margin:0 0 .2em}
.sub{color:#5f5f5f;font-size:1.1em;margin:0 0 1em}
main{display:grid;grid-template-columns:minmax(0,2.2fr) minmax(260px,1fr);gap:28px;align-items:start}
@media (max-width:860px){main{grid-template-columns:1fr}}
figure{margin:0;position:relative}
svg.map{width:100%;height:auto;display:block;background:#efefef}
.unit{stroke:#fff;stroke-width:.8;vector-effect:non-scaling-stroke;cursor:pointer}
.unit.nodata{stroke:#8c8c8c}
.unit:hover,.unit:focus{stroke:#222;stroke-width:2.5;outline:none}
.outline{fill:none;stroke:#6f6f6f;stroke-width:.9;vector-effect:non-scaling-stroke;pointer-events:none}
.lbl{font-size:12px;text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round;
fill:#222;pointer-events:none}
.lbl.city{font-weight:bold}
#tip{position:absolute;pointer-events:none;background:#fff;border:1px solid #888;border-radius:4px;
padding:6px 9px;font-size:.9em;box-shadow:0 2px 6px rgba(0,0,0,.2);max-width:22em;white-space:pre-line}
#tip b{display:block}
figcaption{color:#5f5f5f;font-size:.9em;margin-top:.5em}
.legend{list-style:none;padding:0;margin:.8em 0 0;display:grid;gap:4px 28px;
grid-template-columns:repeat(auto-fill,minmax(11em,15em))}
.legend li{display:flex;align-items:center;gap:8px}
.legend .count{margin-left:auto;color:#5f5f5f}
.sw{display:inline-block;width:26px;height:16px;border:1px solid #8c8c8c;flex:none}
.sw.city{width:14px;height:14px;border-radius:50%;border:2px solid #222;background:#fff;margin:0 6px}
.legend-title{font-weight:bold;margin:1em 0 0}
.hatch{background:repeating-linear-gradient(135deg,#8c8c8c 0 1px,#f4f4f4 1px 5px)}
h2{font-size:1.15em;margin:0 0 .5em}
table{border-collapse:collapse;width:100%;font-size:.95em}
th,td{text-align:left;padding:4px 6px;border-bottom:1px solid #e4e4e4;vertical-align:middle}
td.num{text-align:right;color:#5f5f5f}
.bar{height:10px;border:1px solid #8f8f8f;margin-top:3px}
td.nd{color:#5f5f5f;font-style:italic}
footer{border-top:1px solid #c8c8c8;margin-top:24px;padding-top:10px;font-size:.85em;color:#5f5f5f}
footer .note{color:#222}
@page{size:A4 landscape;margin:12mm}
@media print{body{padding:0;font-size:11px}}
"""

_JS = """
(function () {
  var fig = document.getElementById("fig"), tip = document.getElementById("tip");
  function place(x, y) {
    var box = fig.getBoundingClientRect();
    var left = Math.min(x - box.left + 14, box.width - tip.offsetWidth - 4);
    tip.style.left = Math.max(left, 0) + "px";
    tip.style.top = (y - box.top + 14) + "px";
  }
  function show(el, x, y) {
    var name = document.createElement("b");
    name.textContent = el.getAttribute("data-name");
    tip.textContent = "";
    tip.appendChild(name);
    tip.appendChild(document.createTextNode(el.getAttribute("data-value")));
    tip.hidden = false;
    place(x, y);
  }
  function hide() { tip.hidden = true; }
  var units = fig.querySelectorAll("[data-name]");
  for (var i = 0; i < units.length; i++) {
    units[i].addEventListener("mousemove", function (e) { show(this, e.clientX, e.clientY); });
    units[i].addEventListener("mouseleave", hide);
    units[i].addEventListener("focus", function () {
      var r = this.getBoundingClientRect();
      show(this, r.left + r.width / 2, r.top + r.height / 2);
    });
    units[i].addEventListener("blur", hide);
  }
})();
"""


def _colour(value: str | None, fallback: str = "#999999") -> str:
    """``value`` if it is a hex colour, else ``fallback``: only hex codes reach a style attribute.

    >>> _colour("red;background:url(x)")
    '#999999'
    """
    return value if value and _HEX.fullmatch(value) else fallback


def _xy(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection scaled by cos(41.5°), y down, origin at the map window's corner."""
    return (lon - MAP_BOUNDS[0]) * COS_MID_LAT * SCALE, (MAP_BOUNDS[3] - lat) * SCALE


def _path_d(geom: BaseGeometry) -> str:
    """SVG path data of a (multi)polygon with its holes, coordinates to 0.1 unit."""
    parts = []
    for polygon in getattr(geom, "geoms", [geom]):
        for ring in [polygon.exterior, *polygon.interiors]:
            points = [_xy(lon, lat) for lon, lat in ring.coords]
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in points) + "Z")
    return "".join(parts)


def _unit_attrs(h: Handout, code: str) -> str:
    """Fill, class and the data-* attributes the tooltip reads, all escaped."""
    fill = "url(#nodata)" if h.missing(code) else _colour(h.colors.get(code))
    classes = "unit nodata" if h.missing(code) else "unit"
    name, value = escape(h.name(code)), escape(h.value_text(code))
    return (
        f'class="{classes}" fill="{fill}" tabindex="0" data-code="{escape(code)}" data-name="{name}" '
        f'data-value="{value}" aria-label="{name}: {value}"'
    )


def _label_svg(h: Handout, code: str, x: float, y: float, anchor: str = "middle", city: bool = False) -> str:
    """Name and value in short lines (as on the printed map), centred on ``y``."""
    width = 22 if city else 16
    lines = clip_text(h.name(code), width, 2) + clip_text(h.value_text(code), width + 2, 2)
    first = f"{-0.6 * (len(lines) - 1) + 0.35:.2f}em"  # centre the block of lines on the anchor
    spans = "".join(
        f'<tspan x="{x:.1f}" dy="{first if i == 0 else "1.2em"}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    css = "lbl city" if city else "lbl"
    return f'<text class="{css}" x="{x:.1f}" y="{y:.1f}" style="text-anchor:{anchor}">{spans}</text>'


def _labels_svg(h: Handout) -> list[str]:
    out = [_label_svg(h, code, *_xy(*label_anchor(code))) for code in shapes() if code not in CITY_LABELS]
    starts = {"KG-GB": label_anchor("KG-GB"), CITY_POINT: city_lonlat()}
    for code, (lon, lat, anchor) in CITY_LABELS.items():
        (x0, y0), (x1, y1) = _xy(*starts[code]), _xy(lon, lat)
        out.append(f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y1:.1f}" stroke="#5f5f5f"/>')
        out.append(_label_svg(h, code, x1, y1, anchor, city=True))
    return out


@lru_cache(maxsize=1)
def _national_outline() -> BaseGeometry:
    return unary_union(list(shapes().values())).buffer(0)


def _tip(h: Handout, code: str, titles: bool) -> str:
    """A native SVG tooltip (``<title>``), for where no script may run (the app's map without WebGL)."""
    return f"<title>{escape(h.name(code))}&#10;{escape(h.value_text(code))}</title>" if titles else ""


def _map_svg(h: Handout, titles: bool = False) -> str:
    """The map: neighbours, the 8 polygons, the outline, Osh city's circle and labels; ``titles``
    adds each unit's name and value as a native tooltip."""
    width, height = _xy(MAP_BOUNDS[2], MAP_BOUNDS[1])
    pattern = (
        f'<defs><pattern id="nodata" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{NO_DATA_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{NO_DATA_EDGE}" stroke-width="1.4"/></pattern></defs>'
    )
    neighbours = "".join(f'<path d="{_path_d(g)}" fill="#efefef" stroke="#d4d4d4"/>' for g in neighbour_shapes())
    units = "".join(
        f'<path d="{_path_d(geom)}" fill-rule="evenodd" {_unit_attrs(h, code)}>{_tip(h, code, titles)}</path>'
        for code, geom in shapes().items()
    )
    outline = f'<path class="outline" d="{_path_d(_national_outline())}"/>'
    cx, cy = _xy(*city_lonlat())
    style = "stroke:#222;stroke-width:2"
    city = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="9" {_unit_attrs(h, CITY_POINT)} style="{style}">'
            f"{_tip(h, CITY_POINT, titles)}</circle>")
    labels = "".join(_labels_svg(h)) if h.labels else ""
    title = escape(h.caption or h.title)
    return (
        f'<svg class="map" viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{title}">'
        f"{pattern}<g>{neighbours}</g><g>{units}</g>{outline}{labels}{city}</svg>"
    )


def _legend_html(h: Handout) -> str:
    """Classes with counts, "No data" when any unit lacks data, and the Osh city symbol."""
    items = [
        f'<li><span class="sw" style="background:{_colour(colour)}"></span>{escape(label)}'
        f'<span class="count">{int(count)}</span></li>'
        for colour, label, count in h.legend
    ]
    if h.no_data_count():
        items.append(
            f'<li><span class="sw hatch"></span>{escape(h.no_data_label)}'
            f'<span class="count">{h.no_data_count()}</span></li>'
        )
    items.append(f'<li><span class="sw city"></span>{escape(h.name(CITY_POINT))}</li>')
    unit = f'<p class="legend-title">{escape(h.unit)}</p>' if h.unit else ""
    return f'{unit}<ul class="legend">{"".join(items)}</ul>'


def _table_html(h: Handout) -> str:
    """The ranked table; each row carries a bar in the map colour, scaled to the largest value."""
    with_data = [abs(float(h.values[c])) for c in CODES if not h.missing(c)]
    top = max(with_data, default=0.0) or 1.0
    rows = []
    for rank, code in enumerate(h.ranked(), start=1):
        if h.missing(code):
            rows.append(
                f'<tr><td class="num">–</td><td>{escape(h.name(code))}</td>'
                f'<td class="nd">{escape(h.no_data_label)}</td></tr>'
            )
            continue
        share = 100 * abs(float(h.values[code])) / top
        bar = f'<div class="bar" style="width:{share:.1f}%;background:{_colour(h.colors.get(code))}"></div>'
        rows.append(
            f'<tr><td class="num">{rank}</td><td>{escape(h.name(code))}</td>'
            f"<td>{escape(h.value_texts.get(code, ''))}{bar}</td></tr>"
        )
    head = f"<tr><th>#</th><th>{escape(h.region_heading)}</th><th>{escape(h.value_heading or h.unit)}</th></tr>"
    title = f"<h2>{escape(h.chart_title)}</h2>" if h.chart_title else ""
    return f"{title}<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def _footer_html(h: Handout) -> str:
    note = f'<p class="note">{escape(h.note)}</p>' if h.note else ""
    line = " · ".join(escape(t) for t in (h.source, h.author, h.date_text) if t)
    return f"<footer>{note}<p>{line}</p></footer>"


def _csp() -> str:
    """No request of any kind; only this file's own style and its one script (by hash) may run."""
    digest = base64.b64encode(hashlib.sha256(_JS.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; img-src data:"


def render_html(h: Handout) -> str:
    """The handout as one HTML file that works offline: map with tooltips, legend, ranked table.

    >>> "<svg" in render_html(Handout(title="T"))
    True
    """
    subtitle = f'<p class="sub">{escape(h.subtitle)}</p>' if h.subtitle else ""
    caption = f"<figcaption>{escape(h.caption)}</figcaption>" if h.caption else ""
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(h.lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_csp()}">'
        f"<title>{escape(h.title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(h.title)}</h1>{subtitle}</header><main>"
        f'<figure id="fig">{_map_svg(h)}<div id="tip" role="status" hidden></div>{caption}'
        f"{_legend_html(h)}</figure><section>{_table_html(h)}</section></main>"
        f"{_footer_html(h)}<script>{_JS}</script></body></html>\n"
    )
