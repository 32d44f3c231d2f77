"""atlas.i18n: catalogues, fallbacks, plural forms, numbers, dates, browser locales."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import pytest

from atlas import i18n
from atlas.i18n import LANG_NAMES, LANGS, N_, Msg, fmt_number, format_date, lang_from_locale, month_name

NBSP = ("\xa0", "\u202f")  # the spec allows a normal or a narrow no-break space


def spaces(text: str) -> str:
    """The text with either no-break space shown as a plain space, for readable expectations."""
    for char in NBSP:
        text = text.replace(char, " ")
    return text


def write_po(path: Path, lang: str, entries: str, plural: str = "nplurals=2; plural=(n != 1);") -> Path:
    """A small catalogue written the way Babel/gettext write them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    header = (
        'msgid ""\nmsgstr ""\n'
        f'"Language: {lang}\\n"\n'
        '"Content-Type: text/plain; charset=utf-8\\n"\n'
        f'"Plural-Forms: {plural}\\n"\n\n'
    )
    path.write_text(header + entries, encoding="utf-8")
    return path


RU_PLURAL = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)


@pytest.fixture
def ru_catalogue(tmp_path: Path) -> Path:
    entries = (
        'msgid "Map"\nmsgstr "Карта"\n\n'
        'msgid "Table"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Legend"\nmsgstr "Легенда"\n\n'
        'msgid "Read {rows} rows"\nmsgstr "Прочитано строк: {row}"\n\n'
        'msgid "{n} region"\nmsgid_plural "{n} regions"\n'
        'msgstr[0] "{n} регион"\nmsgstr[1] "{n} региона"\nmsgstr[2] "{n} регионов"\n\n'
    )
    return write_po(i18n.po_path("ru", tmp_path), "ru", entries, RU_PLURAL)


@pytest.mark.parametrize(
    ("msgid", "expected"),
    [
        ("Map", "Карта"),  # translated
        ("Table", "Table"),  # empty msgstr → English
        ("Legend", "Legend"),  # fuzzy → English: an unchecked guess is not shown
        ("Never seen", "Never seen"),  # not in the catalogue → English
        ("", ""),  # the header is not a message
    ],
)
def test_catalogue_lookup_falls_back_to_english(ru_catalogue: Path, msgid: str, expected: str) -> None:
    assert i18n.load_catalogue(ru_catalogue, "ru")(msgid) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "1 регион"),
        (2, "2 региона"),
        (5, "5 регионов"),
        (11, "11 регионов"),
        (21, "21 регион"),
        (0, "0 регионов"),
    ],
)
def test_russian_plural_forms(ru_catalogue: Path, n: int, expected: str) -> None:
    _ = i18n.load_catalogue(ru_catalogue, "ru")
    assert _.ngettext("{n} region", "{n} regions", n).format(n=n) == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "1 row"), (3, "3 rows")])
def test_untranslated_plural_uses_english_rule(ru_catalogue: Path, n: int, expected: str) -> None:
    _ = i18n.load_catalogue(ru_catalogue, "ru")
    assert _.ngettext("{n} row", "{n} rows", n).format(n=n) == expected


@pytest.mark.parametrize(
    "content",
    [b"", b"\xff\xfe garbage \x00", b'msgid "a"\nmsgstr[0] "x"\n', b'msgid "Map"\nmsgstr "\xd0"\n'],
)
def test_broken_or_empty_catalogue_gives_english(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "messages.po"
    path.write_bytes(content)
    assert i18n.load_catalogue(path, "ky")("Map") == "Map"


def test_missing_catalogue_gives_english(tmp_path: Path) -> None:
    assert i18n.load_catalogue(tmp_path / "nope.po", "ky")("Map") == "Map"


def test_translator_rereads_an_edited_catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(i18n, "LOCALES", tmp_path)
    path = write_po(i18n.po_path("ky", tmp_path), "ky", 'msgid "Map"\nmsgstr "Карта"\n')
    assert i18n.translator("ky")("Map") == "Карта"
    write_po(path, "ky", 'msgid "Map"\nmsgstr "Картасы"\n')
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert i18n.translator("ky")("Map") == "Картасы"


@pytest.mark.parametrize("lang", ["en", "xx", "", None, "RU-ru"])
def test_source_and_unknown_languages_show_english(lang: str | None) -> None:
    assert i18n.translator(lang)("No data") == "No data"  # type: ignore[arg-type]


@pytest.mark.parametrize(("lang", "expected"), [("ky", "Маалымат жок"), ("ru", "Нет данных")])
def test_shipped_catalogues_translate_glossary_terms(lang: str, expected: str) -> None:
    assert i18n.translator(lang)("No data") == expected


def test_translator_is_cached_and_lookup_is_fast() -> None:
    assert i18n.translator("ru") is i18n.translator("ru")
    _ = i18n.translator("ru")
    start = time.perf_counter()
    for _i in range(10_000):
        _("No data")
        i18n.translator("ky")
    per_call = (time.perf_counter() - start) / 10_000
    assert per_call < 1e-3


@pytest.mark.parametrize(
    ("translation", "params", "expected"),
    [
        ("Прочитано строк: {rows}", {"rows": 3}, "Прочитано строк: 3"),
        ("Прочитано строк: {row}", {"rows": 3}, "Read 3 rows"),  # translator's typo → English
        ("Прочитано строк: {rows", {"rows": 3}, "Read 3 rows"),  # broken brace → English
        ("Прочитано строк: {rows}", {}, "Read {rows} rows"),  # caller forgot the value → raw text
    ],
)
def test_msg_render_never_raises(translation: str, params: dict, expected: str) -> None:
    msg = Msg(N_("Read {rows} rows"), params)
    assert msg.render(lambda text: translation if text == msg.text else text) == expected


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.5, "ky", 1, "1 234,5"),
        (1234.5, "ru", 1, "1 234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567, "ru", None, "1 234 567"),
        (1234567, "en", None, "1,234,567"),
        (12.25, "ru", None, "12,3"),  # default: 1 decimal from 10 to 100, halves round up
        (2.5, "en", 0, "3"),  # not banker's rounding
        (0.125, "ky", None, "0,13"),
        (-1234.5, "ru", 1, "-1 234,5"),
        (-0.001, "en", 1, "0.0"),  # no "-0.0"
        (150.0, "en", None, "150"),
        (7, "en", 2, "7.00"),
        (None, "ru", None, ""),
        (float("nan"), "ru", 1, ""),
        (float("inf"), "ru", None, "∞"),
        (1234.5, "xx", 1, "1,234.5"),  # unknown language → English format
    ],
)
def test_fmt_number(value: float | None, lang: str, decimals: int | None, expected: str) -> None:
    assert spaces(fmt_number(value, lang, decimals)) == expected


def test_fmt_number_uses_a_no_break_space_in_ky_and_ru() -> None:
    for lang in ("ky", "ru"):
        text = fmt_number(1234, lang)
        assert text[1] in NBSP, repr(text)  # a plain space would let a browser wrap "1 | 234"


def test_fmt_number_accepts_numpy_and_pandas_values() -> None:
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    assert spaces(fmt_number(np.int64(1234), "ru")) == "1 234"
    assert spaces(fmt_number(np.float32(0.5), "en", 1)) == "0.5"
    assert fmt_number(pd.NA, "ru") == ""


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ky-KG", "ky"),
        ("ky", "ky"),
        ("KY_kg", "ky"),
        ("kir", "ky"),
        ("ru-RU", "ru"),
        ("ru", "ru"),
        ("en-US", "en"),
        ("en-GB", "en"),
        ("kk-KZ", "ru"),
        ("de-DE", "ru"),
        ("", "ru"),
        (None, "ru"),
        ("ru_RU.UTF-8", "ru"),
        ("  en  ", "en"),
    ],
)
def test_lang_from_locale(locale: str | None, expected: str) -> None:
    assert lang_from_locale(locale) == expected


@pytest.mark.parametrize(
    ("requested", "browser", "expected"),
    [
        ("ky", "en-US", "ky"),
        ("EN", "ky-KG", "en"),
        ("fr", "ky-KG", "ky"),
        (None, None, "ru"),
        ("", "en", "en"),
    ],
)
def test_pick_lang_prefers_the_link(requested: str | None, browser: str | None, expected: str) -> None:
    assert i18n.pick_lang(requested, browser) == expected


@pytest.mark.parametrize(
    ("value", "lang", "must_contain"),
    [
        (dt.date(2020, 3, 5), "ru", ["5", "марта", "2020"]),
        (dt.date(2020, 3, 5), "en", ["March", "5", "2020"]),
        (dt.date(2020, 3, 5), "ky", ["март", "2020"]),
        (dt.datetime(2019, 12, 31, 23, 0), "ru", ["31", "декабря", "2019"]),
        ("2018-09-01", "en", ["September", "1", "2018"]),
    ],
)
def test_format_date_follows_the_language(value: object, lang: str, must_contain: list[str]) -> None:
    text = format_date(value, lang).lower()  # type: ignore[arg-type]
    assert all(part.lower() in text for part in must_contain), text


@pytest.mark.parametrize("value", [None, "", "not a date", "2020-13-45", float("nan")])
def test_format_date_of_no_date_is_empty(value: object) -> None:
    assert format_date(value, "ru") == ""  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("month", "lang", "expected"),
    [(3, "ru", "март"), (5, "ru", "май"), (3, "ky", "март"), (12, "en", "december"), (1, "ky", "январь")],
)
def test_month_name(month: int, lang: str, expected: str) -> None:
    assert month_name(month, lang).lower() == expected


@pytest.mark.parametrize("lang", LANGS)
def test_twelve_distinct_month_names(lang: str) -> None:
    names = [month_name(m, lang) for m in range(1, 13)]
    assert len(set(names)) == 12 and all(names)
    assert month_name(0, lang) == month_name(13, lang) == ""


def test_language_names_are_written_in_their_own_language() -> None:
    assert set(LANG_NAMES) == set(LANGS)
    assert LANG_NAMES["ky"] == "Кыргызча" and LANG_NAMES["ru"] == "Русский" and LANG_NAMES["en"] == "English"
