"""Plural messages and count-noun units read as native in Russian (1, 2, 5, 21), and render in ky and en."""

from __future__ import annotations

import re

import pytest

from atlas import i18n
from atlas.i18n import COUNT_UNITS, Msg, count_text
from atlas.paths import ROOT
from scripts import i18n as tool

NUMBERS = (1, 2, 5, 21)


def _plural_msgids() -> list[tuple[str, str]]:
    """Every plural message the code uses (from the extraction, so a new one is tested at once)."""
    template = tool.extract_template(ROOT)
    return [tuple(m.id) for m in template if m.id and isinstance(m.id, tuple | list)]


PLURALS = _plural_msgids()


def _params(text: str, n: int) -> dict:
    names = tool.placeholder_names(text) or set()
    return {name: n if name in {"n", "value"} else f"<{name}>" for name in names}


def _render(lang: str, pair: tuple[str, str], n: int) -> str:
    singular, plural = pair
    return Msg(singular, _params(singular + plural, n), plural, n).render(i18n.translator(lang))


def _shape(text: str, n: int) -> str:
    """The text with its number blanked, so the forms for 1 and 21 can be compared."""
    return re.sub(rf"(?<!\d){n}(?!\d)", "#", text)


def test_the_code_has_plural_messages() -> None:
    assert len(PLURALS) >= 20, PLURALS
    assert {("{value} project", "{value} projects")} <= set(PLURALS)


@pytest.mark.parametrize("pair", PLURALS, ids=lambda p: p[0][:40])
def test_russian_has_three_forms_chosen_like_a_native_speaker(pair: tuple[str, str]) -> None:
    shown = {n: _render("ru", pair, n) for n in NUMBERS}
    for n, text in shown.items():
        assert str(n) in text and re.search("[а-яё]", text), text  # translated, number kept
    shapes = {n: _shape(t, n) for n, t in shown.items()}
    assert shapes[1] == shapes[21], shown  # 21 takes the form of 1
    # 2 and 5 may share a form where Russian grammar does (2/5 строках, 5 человек = 1 человек),
    # but the message must vary with the number.
    assert len({shapes[1], shapes[2], shapes[5]}) >= 2, shown
    forms = i18n.translator("ru")._plurals[pair[0]]
    assert len(forms) == 3 and all(forms)
    for n, index in ((1, 0), (2, 1), (5, 2), (21, 0)):
        assert shown[n] == forms[index].format(**_params(pair[0] + pair[1], n)), (n, forms)


@pytest.mark.parametrize("unit", sorted(COUNT_UNITS))
def test_count_units_agree_with_the_number_in_russian(unit: str) -> None:
    shown = {n: count_text(n, unit, "ru", i18n.translator("ru")) for n in NUMBERS}
    nouns = {n: t.split(" ", 1)[1] for n, t in shown.items()}
    assert nouns[1] == nouns[21] and nouns[1] != nouns[2], shown
    assert count_text(2.5, unit, "ru", i18n.translator("ru")).endswith(nouns[2])  # 2,5 проекта


def test_count_unit_examples() -> None:
    ru = i18n.translator("ru")
    assert [count_text(n, "projects", "ru", ru) for n in (1, 2, 5, 21)] == [
        "1 проект", "2 проекта", "5 проектов", "21 проект"
    ]
    assert [count_text(n, "people", "ru", ru) for n in (1, 2, 5, 32154)] == [
        "1 человек", "2 человека", "5 человек", "32\xa0154 человека"
    ]
    assert count_text(5, "people", "ky", i18n.translator("ky")) == "5 адам"


@pytest.mark.parametrize("lang", ["ky", "en"])
@pytest.mark.parametrize("pair", PLURALS, ids=lambda p: p[0][:40])
def test_kyrgyz_and_english_render(lang: str, pair: tuple[str, str]) -> None:
    for n in NUMBERS:
        text = _render(lang, pair, n)
        assert str(n) in text and "{" not in text
        if lang == "ky":
            assert re.search("[а-яөүң]", text.lower()), text
    if lang == "en":
        assert _render("en", pair, 1) == pair[0].format(**_params(pair[0] + pair[1], 1))
        assert _render("en", pair, 5) == pair[1].format(**_params(pair[0] + pair[1], 5))


def test_kyrgyz_catalogue_declares_one_form() -> None:
    assert tool.read_catalogue(i18n.po_path("ky"), "ky").num_plurals == 1
    assert tool.read_catalogue(i18n.po_path("ru"), "ru").num_plurals == 3
