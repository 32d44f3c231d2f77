"""Map labels that never overlap: boxes from font metrics, placed greedily in the fitted view.

Rules, in order: every label must lie wholly inside the canvas and clear of every other label and of
the city symbols; the two small cities (Bishkek, Osh city) carry their words beside them on a leader
line; names are placed first and values are added only where the taller two-line box still fits, so
values go before names when space runs out; a label with no free spot is dropped (its unit keeps
its tooltip, the text summary and the table). Narrow maps thus show fewer labels.

Widths come from the DejaVu Sans Bold outlines that matplotlib ships, the font the deck asks the
browser for first (Debian's fonts-dejavu-core), measured as the sum of glyph advances, as the
browser's ``measureText`` does.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from atlas.draw.fit import View

FONT_PX = 12
LINE_HEIGHT = 1.15
#: deck.gl's ``background_padding`` (x, y) around the text, and a safety margin for hinting.
PAD_X, PAD_Y = 3, 1
SLACK = 1.04
GAP = 2  # pixels kept between two labels and between a label and the canvas edge
#: Units drawn too small to hold their words: their label goes beside them on a leader line.
CITIES = ("KG-GB", "KG-GO")
CITY_RADIUS = 12  # Osh city's circle (11 px) and Bishkek's small polygon, as obstacles


#: FreeType faces are not thread-safe, and every session's script runs in a thread of its own: two
#: sessions measuring at once through one face corrupted the heap and aborted the server.
_FONT_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def _font():
    from matplotlib import ft2font, get_data_path

    return ft2font.FT2Font(os.path.join(get_data_path(), "fonts", "ttf", "DejaVuSans-Bold.ttf"))


@lru_cache(maxsize=4096)
def _advance(ch: str) -> float:
    """Advance width of one character at 1 px font size (unhinted, as a browser lays text out)."""
    with _FONT_LOCK:
        font = _font()
        font.set_size(64, 72)
        try:
            glyph = font.load_char(ord(ch))
        except (RuntimeError, ValueError):
            return 0.6
        return glyph.linearHoriAdvance / 65536 / 64


def text_box(text: str, size: float = FONT_PX) -> tuple[float, float]:
    """Width and height in pixels of a (multi-line) label with its background padding.

    >>> w, h = text_box("Naryn")
    >>> 40 < w < 50, round(h, 1)
    (True, 15.8)
    """
    lines = text.split("\n")
    width = max(sum(_advance(ch) for ch in line) for line in lines) * size * SLACK
    return width + 2 * PAD_X, len(lines) * size * LINE_HEIGHT + 2 * PAD_Y


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in canvas pixels, by its centre and size."""

    x: float
    y: float
    w: float
    h: float

    @property
    def edges(self) -> tuple[float, float, float, float]:
        return self.x - self.w / 2, self.y - self.h / 2, self.x + self.w / 2, self.y + self.h / 2

    def intersects(self, other: Box, gap: float = 0.0) -> bool:
        """True if the boxes overlap or come closer than ``gap``.

        >>> Box(0, 0, 10, 10).intersects(Box(12, 0, 10, 10)), Box(0, 0, 10, 10).intersects(Box(9, 0, 10, 10))
        (False, True)
        """
        a, b = self.edges, other.edges
        return a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap

    def inside(self, width: float, height: float, gap: float = GAP) -> bool:
        x0, y0, x1, y1 = self.edges
        return x0 >= gap and y0 >= gap and x1 <= width - gap and y1 <= height - gap


@dataclass(frozen=True)
class Label:
    """One placed label: its code, text, box and, for the cities, where its leader line starts."""

    code: str
    text: str
    box: Box
    leader_from: tuple[float, float] | None = None  # canvas pixel of the unit


def font_px(width: int) -> int:
    """The label size for a map ``width`` px wide: a point smaller on a phone.

    >>> font_px(340), font_px(900)
    (11, 12)
    """
    return 11 if width < 440 else FONT_PX


def _near(w: float, h: float) -> list[tuple[float, float]]:
    """Offsets tried for a unit's own label: on its point, then nudged a little each way."""
    out = [(0.0, 0.0)]
    for fy in (0.0, -0.6, 0.6, -1.1, 1.1, -1.6, 1.6):
        for fx in (0.0, -0.3, 0.3, -0.5, 0.5):
            if fx or fy:
                out.append((fx * w, fy * h))
    return out


def _beside(w: float, h: float) -> list[tuple[float, float]]:
    """Offsets tried for a city's label: off the symbol, on a short leader line, in eight directions."""
    out = []
    for reach in (22, 34, 50):
        for angle in (-90, -45, 0, 45, 90, 135, 180, -135):
            a = math.radians(angle)
            out.append((math.cos(a) * (reach + w / 2), math.sin(a) * (reach + h / 2)))
    return out


def place(anchors: Mapping[str, tuple[float, float]], names: Mapping[str, str], values: Mapping[str, str],
          view: View, order: Sequence[str] | None = None, size: float = FONT_PX) -> list[Label]:
    """Place a name (and, where room is left, its value) for each unit; none overlaps another.

    ``anchors``: lon/lat of each unit's label point; ``order``: who is placed first (default: the
    cities, then the anchors' order).

    >>> from atlas.draw.fit import Frame, fit
    >>> view = fit((70.0, 39.0, 80.0, 43.0), Frame(400))
    >>> placed = place({"A": (72, 41), "B": (72.05, 41)}, {"A": "Alpha", "B": "Beta"}, {}, view)
    >>> [l.text for l in placed], overlaps(placed)
    (['Alpha', 'Beta'], [])
    """
    codes = [c for c in (order or [*[c for c in CITIES if c in anchors], *anchors]) if c in anchors]
    points = {c: view.project(*anchors[c]) for c in codes}
    obstacles = [Box(*points[c], 2 * CITY_RADIUS, 2 * CITY_RADIUS) for c in CITIES if c in points]
    placed: dict[str, Label] = {}

    # Where the other units' names would sit on their own points: a city's label keeps off them if it can.
    reserved = {c: Box(*points[c], *text_box(names.get(c, c), size)) for c in codes if c not in CITIES}

    def free(box: Box, code: str, polite: bool = False) -> bool:
        if not box.inside(view.width, view.height):
            return False
        others = [lab.box for c, lab in placed.items() if c != code]
        if polite:
            others += [b for c, b in reserved.items() if c != code and c not in placed]
        return not any(box.intersects(o, GAP) for o in [*others, *obstacles])

    def try_place(code: str, text: str) -> Label | None:
        w, h = text_box(text, size)
        x, y = points[code]
        city = code in CITIES
        for polite in (True, False) if city else (False,):
            for dx, dy in _beside(w, h) if city else _near(w, h):
                box = Box(x + dx, y + dy, w, h)
                if free(box, code, polite):
                    return Label(code, text, box, (x, y) if city else None)
        return None

    for code in codes:  # names first: a name is worth more than any value
        label = try_place(code, names.get(code, code))
        if label:
            placed[code] = label
    for code in list(placed):  # then values, where the taller box still fits
        value = values.get(code)
        if value:
            label = try_place(code, f"{placed[code].text}\n{value}")
            if label:
                placed[code] = label
    return list(placed.values())


def overlaps(labels: Sequence[Label]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes intersect (empty when the layout is sound).

    >>> overlaps([Label("A", "a", Box(0, 0, 10, 10)), Label("B", "b", Box(5, 0, 10, 10))])
    [('A', 'B')]
    """
    return [(a.code, b.code) for i, a in enumerate(labels) for b in labels[i + 1 :] if a.box.intersects(b.box)]
