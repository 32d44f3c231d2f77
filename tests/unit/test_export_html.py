"""The single-file HTML handout: nothing fetched from anywhere, every data text escaped."""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser

import pytest

from atlas.draw.export import Handout, render_html
from atlas.places.gazetteer import CODES, region_name

ATTACKS = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>']


def make_handout(**changes) -> Handout:
    """A Russian handout: Talas has no data, Batken is zero."""
    values = {c: float(i) for i, c in enumerate(CODES)} | {"KG-T": None}
    fields = dict(
        title="Проекты НКО по областям, 2021",
        subtitle="Число проектов (ң ө ү)",
        note="Город Ош показан отдельным знаком.",
        source="Источник: Нацстатком",
        date_text="01.05.2024",
        lang="ru",
        region_names={c: region_name(c, "ru") for c in CODES},
        values=values,
        value_texts={c: "" if v is None else f"{v:g} проектов" for c, v in values.items()},
        colors={c: None if v is None else ("#eff3ff" if v < 4 else "#3182bd") for c, v in values.items()},
        legend=[("#eff3ff", "0 – 4", 4), ("#3182bd", "4 – 8", 4)],
        no_data_label="Нет данных",
        unit="Проекты",
        chart_title="Рейтинг",
        caption="Карта проектов",
        region_heading="Область",
    )
    fields.update(changes)
    return Handout(**fields)


class _Collector(HTMLParser):
    """Every tag with its attributes, and the text inside <script> and <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.styles: list[str] = []
        self._in: str | None = None

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in = tag if tag in ("script", "style") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "style":
            self.styles.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def _references(parsed: _Collector) -> list[str]:
    """Everything a browser could fetch: src/href/xlink:href/srcset/poster/data values and CSS url()."""
    refs = [
        value or ""
        for _, attrs in parsed.tags
        for name, value in attrs.items()
        if name in ("src", "href", "xlink:href", "srcset", "poster", "data", "action", "background")
    ]
    css = parsed.styles + [attrs.get("style") or "" for _, attrs in parsed.tags]
    refs += [m for text in css for m in re.findall(r"url\(([^)]*)\)", text)]
    refs += [m for text in css for m in re.findall(r"@import\s+([^;]+)", text)]
    refs += [attrs.get("fill") or "" for _, attrs in parsed.tags if "url(" in (attrs.get("fill") or "")]
    return refs


def test_nothing_is_fetched_from_a_url():
    html = render_html(make_handout(source="Источник: https://stat.kg/ru/", note="см. //example.org"))
    refs = _references(_parse(html))
    assert refs, "the map should at least use its own no-data pattern"
    for ref in refs:
        assert "//" not in ref and ":" not in ref.replace("url(", ""), ref
    assert "https://stat.kg/ru/" in html  # shown as plain text only
    assert not re.search(r"<(link|img|iframe|object|embed|base)\b", html)


def test_content_security_policy_forbids_requests_and_allows_only_our_script():
    parsed = _parse(render_html(make_handout()))
    policy = next(
        a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"
    )
    assert "default-src 'none'" in policy
    (script,) = parsed.scripts
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy  # else the browser would block the tooltips
    assert [t for t, _ in parsed.tags].count("script") == 1


@pytest.mark.parametrize("attack", ATTACKS)
@pytest.mark.parametrize("field", ["title", "subtitle", "note", "source", "region", "value", "legend", "no_data"])
def test_data_text_is_escaped(field, attack):
    h = make_handout()
    if field == "region":
        h.region_names["KG-N"] = attack
    elif field == "value":
        h.value_texts["KG-N"] = attack
    elif field == "legend":
        h.legend[0] = ("#eff3ff", attack, 4)
    elif field == "no_data":
        h.no_data_label = attack
    else:
        setattr(h, field, attack)
    html = render_html(h)
    assert attack not in html
    assert not re.search(r"<(img|svg onload|script>alert)", html)
    assert [t for t, _ in _parse(html).tags].count("script") == 1
    assert attack.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;") in html


def test_colours_that_are_not_hex_codes_never_reach_a_style():
    h = make_handout()
    h.colors["KG-N"] = "red;background:url(https://x.example/a.png)"
    h.legend[0] = ("blue;background-image:url(//x.example/b.png)", "0 – 4", 4)
    html = render_html(h)
    assert "x.example" not in html


def test_map_table_and_legend_show_every_unit():
    h = make_handout()
    html = render_html(h)
    parsed = _parse(html)
    units = {a["data-code"]: a for _, a in parsed.tags if "data-code" in a}
    assert set(units) == set(CODES)
    osh = [t for t, a in parsed.tags if a.get("data-code") == "KG-GO"]
    assert sorted(osh) == ["circle", "path"]  # Osh city: its real polygon and a symbol over it
    assert units["KG-T"]["fill"] == "url(#nodata)" and units["KG-B"]["fill"] == "#eff3ff"
    assert units["KG-T"]["data-value"] == "Нет данных" and units["KG-B"]["data-value"] == "0 проектов"
    rows = re.findall(r"<tr><td class=\"num\">([^<]*)</td><td>([^<]*)</td>", html)
    assert [name for _, name in rows] == [h.name(c) for c in h.ranked()]
    assert rows[0] == ("1", "город Ош") and rows[-1] == ("–", "Таласская область")
    for text in ['Нет данных<span class="count">1', '0 – 4<span class="count">4', "Область"]:
        assert text in html
    assert '<html lang="ru">' in html
