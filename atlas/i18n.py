"""Translation layer: gettext catalogues (locales/<lang>/LC_MESSAGES/messages.po), numbers, dates.

UI strings are English msgids wrapped in ``_()``; ``translator(lang)`` returns that ``_``.
The ``.po`` files are the source of truth: they are read once per language (and again only
when the file changes) with Babel and kept in memory, so no compiled ``.mo`` is needed.
A msgid with no translation falls back to its English text; nothing here raises on a missing
or broken catalogue (the conventions test is what fails the build instead).
"""

from __future__ import annotations

import datetime as dt
import gettext
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from numbers import Integral
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.dates import get_month_names
from babel.messages.pofile import read_po
from babel.numbers import parse_pattern

from atlas.paths import ROOT

LANGS: tuple[str, ...] = ("ky", "ru", "en")
DEFAULT_LANG = "ru"
#: Each language named in itself, for the language switch (deliberately not translated).
LANG_NAMES: dict[str, str] = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}
#: The language the msgids are written in; it needs no catalogue.
SOURCE_LANG = "en"
LOCALES: Path = ROOT / "locales"
DOMAIN = "messages"

_log = logging.getLogger(__name__)


def N_(text: str) -> str:
    """Mark a string for extraction without translating it now (translate later with ``_``).

    >>> N_("No data")
    'No data'
    """
    return text


def po_path(lang: str, locales: Path = LOCALES) -> Path:
    """Where the catalogue of ``lang`` lives.

    >>> po_path("ky").relative_to(ROOT).as_posix()
    'locales/ky/LC_MESSAGES/messages.po'
    """
    return locales / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


class Translator:
    """The ``_`` of one language: call it with a msgid; ``.ngettext`` picks a plural form.

    >>> _ = Translator("en", {}, {}, lambda n: int(n != 1))
    >>> _("No data"), _.ngettext("{n} region", "{n} regions", 2)
    ('No data', '{n} regions')
    """

    __slots__ = ("lang", "_messages", "_plurals", "_plural")

    def __init__(
        self,
        lang: str,
        messages: Mapping[str, str],
        plurals: Mapping[str, tuple[str, ...]],
        plural: Callable[[int], int],
    ):
        self.lang = lang
        self._messages = dict(messages)
        self._plurals = dict(plurals)
        self._plural = plural

    def __call__(self, message: str) -> str:
        # An empty msgstr never gets here (it is not loaded), so ``or`` only guards odd input.
        return self._messages.get(message) or message

    gettext = __call__

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of ``singular``/``plural`` that fits ``n`` in this language.

        >>> Translator("en", {}, {}, lambda n: int(n != 1)).ngettext("{n} row", "{n} rows", 1)
        '{n} row'
        """
        forms = self._plurals.get(singular)
        if forms:
            try:
                index = self._plural(abs(int(n)))
            except (TypeError, ValueError, OverflowError):
                index = -1
            if 0 <= index < len(forms) and forms[index]:
                return forms[index]
        return singular if n == 1 else plural

    def __contains__(self, message: str) -> bool:
        return message in self._messages or message in self._plurals

    def __repr__(self) -> str:
        return f"<Translator {self.lang}: {len(self._messages) + len(self._plurals)} messages>"


def _english_plural(n: int) -> int:
    return int(n != 1)


def load_catalogue(path: Path, lang: str) -> Translator:
    """Read one ``.po`` file into a ``Translator``; fuzzy and empty entries are left out.

    >>> load_catalogue(Path("/nonexistent.po"), "ky")("Map")
    'Map'
    """
    try:
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, abort_invalid=True)
    except FileNotFoundError:
        return Translator(lang, {}, {}, _english_plural)
    except Exception as error:  # a broken catalogue must not take the app down: English instead
        _log.warning("cannot read %s (%s); falling back to English", path, error)
        return Translator(lang, {}, {}, _english_plural)
    messages: dict[str, str] = {}
    plurals: dict[str, tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            forms = tuple(message.string or ())
            if any(forms):
                plurals[message.id[0]] = forms
        elif message.string:
            messages[message.id] = message.string
    try:
        plural = gettext.c2py(catalog.plural_expr)
    except (ValueError, TypeError):
        plural = _english_plural
    return Translator(lang, messages, plurals, plural)


@lru_cache(maxsize=16)
def _cached_catalogue(lang: str, path: Path, mtime_ns: int) -> Translator:
    # mtime_ns is part of the key so an edited .po is picked up on the next page run.
    return load_catalogue(path, lang)


def translator(lang: str) -> Translator:
    """The ``_`` for ``lang``; the source language and unknown codes give English text.

    >>> translator("en")("No data")
    'No data'
    """
    if lang not in LANGS or lang == SOURCE_LANG:
        return _source_translator()
    path = po_path(lang, LOCALES)  # the module global, read now, so tests can point it elsewhere
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        mtime = 0
    return _cached_catalogue(lang, path, mtime)


@lru_cache(maxsize=1)
def _source_translator() -> Translator:
    return Translator(SOURCE_LANG, {}, {}, _english_plural)


def lang_from_locale(locale: str | None) -> str:
    """The app language for a browser locale such as ``navigator.language``; else ``DEFAULT_LANG``.

    >>> lang_from_locale("ky-KG"), lang_from_locale("en-US"), lang_from_locale("de-DE")
    ('ky', 'en', 'ru')
    """
    if not locale or not isinstance(locale, str):
        return DEFAULT_LANG
    primary = re.split(r"[-_.@]", locale.strip().lower(), maxsplit=1)[0]
    # "kir" is the ISO 639-2 code some systems report for Kyrgyz.
    primary = {"kir": "ky", "rus": "ru", "eng": "en"}.get(primary, primary)
    return primary if primary in LANGS else DEFAULT_LANG


def pick_lang(requested: str | None, browser_locale: str | None = None) -> str:
    """The language to show: a valid ``?lang=`` value first, then the browser's, then Russian.

    >>> pick_lang("ky", "en-US"), pick_lang("xx", "en-US"), pick_lang(None, None)
    ('ky', 'en', 'ru')
    """
    if isinstance(requested, str) and requested.strip().lower() in LANGS:
        return requested.strip().lower()
    return lang_from_locale(browser_locale)


def _babel_locale(lang: str) -> str:
    return lang if lang in LANGS else SOURCE_LANG


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, and pandas' NA/NaT (whose comparison is NA → TypeError)
    except TypeError:
        return True


@lru_cache(maxsize=32)
def _number_pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals > 0 else ""))


def _default_decimals(value: Decimal) -> int:
    size = abs(value)
    if value == value.to_integral_value() or size >= 100:
        return 0
    return 1 if size >= 10 else 2


def fmt_number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """``value`` as readers of ``lang`` write it: ``1 234,5`` (ky, ru; no-break space) or ``1,234.5``.

    ``None``/NaN give ``""``; halves round up (2.5 → 3), as in school, not to even.

    >>> fmt_number(1234.5, "en", 1), fmt_number(1234.5, "ru", 1)
    ('1,234.5', '1\\xa0234,5')
    """
    if _is_missing(value):
        return ""
    try:
        number = Decimal(int(value)) if isinstance(value, Integral) else Decimal(str(float(value)))
    except (TypeError, ValueError, InvalidOperation):
        return str(value)
    if number.is_infinite():
        return "∞" if number > 0 else "−∞"
    if decimals is None:
        decimals = _default_decimals(number)
    decimals = max(0, min(int(decimals), 12))
    rounded = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return _number_pattern(decimals).apply(rounded, _babel_locale(lang))


def _as_date(value: object) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    to_pydatetime = getattr(value, "to_pydatetime", None)  # pandas Timestamp without importing pandas
    return to_pydatetime().date() if callable(to_pydatetime) and not _is_missing(value) else None


def format_date(value: dt.date | dt.datetime | str | None, lang: str = "en", style: str = "long") -> str:
    """A date written in ``lang`` (Babel/CLDR ``style``: short, medium, long); ``""`` if it is no date.

    >>> format_date(dt.date(2020, 3, 5), "en"), format_date("2020-03-05", "ru", "short")
    ('March 5, 2020', '05.03.2020')
    """
    day = None if _is_missing(value) else _as_date(value)
    if day is None:
        return ""
    return _babel_format_date(day, format=style, locale=_babel_locale(lang))


@lru_cache(maxsize=32)
def _month_names(lang: str, width: str, context: str) -> dict[int, str]:
    return dict(get_month_names(width, context, locale=Locale.parse(_babel_locale(lang))))


def month_name(month: int, lang: str = "en", width: str = "wide", context: str = "stand-alone") -> str:
    """The name of ``month`` (1-12) on its own, e.g. as an axis label; ``""`` outside 1-12.

    >>> month_name(3, "ru"), month_name(3, "ky"), month_name(3, "en")
    ('март', 'Март', 'March')
    """
    try:
        return _month_names(lang, width, context).get(int(month), "")
    except (TypeError, ValueError):
        return ""


def nN_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message (singular, plural) for extraction without translating it now.

    Translate it later with ``_.ngettext(*pair, n)``, ``plural_msg`` or ``count_text``.

    >>> nN_("{n} row", "{n} rows")
    ('{n} row', '{n} rows')
    """
    return singular, plural


def plural_form_number(n: object) -> int:
    """The whole number that picks a plural form for ``n``.

    A fraction reads like "2": Russian puts a noun after a fraction in the genitive singular
    (2,5 проекта), which is the form it uses for 2, and English uses the plural (2.5 projects).

    >>> plural_form_number(21), plural_form_number(2.5), plural_form_number(3.0), plural_form_number(None)
    (21, 2, 3, 2)
    """
    try:
        number = abs(float(n))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 2
    if number != number or number == float("inf"):
        return 2
    return int(number) if number == int(number) else 2


def _pick(_: Callable[[str], str], singular: str, plural: str, n: object) -> str:
    """``_.ngettext`` when ``_`` is a Translator; a plain function (``str``) gets the English rule."""
    count = plural_form_number(n)
    ngettext = getattr(_, "ngettext", None)
    if callable(ngettext):
        return ngettext(singular, plural, count)
    return singular if count == 1 else plural


@dataclass(frozen=True)
class Msg:
    """A user-facing message from atlas/: a msgid with ``{placeholders}``, translated at the page.

    With ``plural`` and ``n`` it is a plural message (gettext ``msgid_plural``): the form is
    chosen for ``n`` in the page's language; build those with ``plural_msg``.

    >>> Msg(N_("Read {rows} rows"), {"rows": 3}).render(translator("en"))
    'Read 3 rows'
    """

    text: str
    params: dict = field(default_factory=dict)
    plural: str = ""
    n: int | float | None = None

    def _texts(self, _: Callable[[str], str]) -> tuple[str, str]:
        if self.plural:
            english = self.text if plural_form_number(self.n) == 1 else self.plural
            return _pick(_, self.text, self.plural, self.n), english
        return _(self.text), self.text

    def render(self, _: Callable[[str], str] = str) -> str:
        """The message in the language of ``_``; a translation with broken placeholders gives English."""
        for text in self._texts(_):
            try:
                return text.format(**self.params)
            except (KeyError, IndexError, ValueError, AttributeError, TypeError):
                continue  # a translator's typo in a placeholder must not hide the message
        return self._texts(str)[1]


def plural_msg(singular: str, plural: str, n: int | float, params: Mapping | None = None) -> Msg:
    """A plural ``Msg``: ``{n}`` is filled with ``n`` unless ``params`` gives it another value.

    Write the two English texts as literals here (the extraction reads them as one plural entry).

    >>> m = plural_msg("{n} row was left out", "{n} rows were left out", 1)
    >>> m.render(), plural_msg("{n} row was left out", "{n} rows were left out", 3).render()
    ('1 row was left out', '3 rows were left out')
    """
    return Msg(singular, {"n": n, **(params or {})}, plural, n)


#: Units that are count nouns: the number and the noun must agree ("1 проект, 2 проекта, 5 проектов").
#: Key: the unit's msgid as the datasets name it; value: the plural message that prints a value with it.
COUNT_UNITS: dict[str, tuple[str, str]] = {
    "people": nN_("{value} person", "{value} people"),
    "projects": nN_("{value} project", "{value} projects"),
    "reports": nN_("{value} report", "{value} reports"),
    "commitments": nN_("{value} commitment", "{value} commitments"),
    "som": nN_("{value} som", "{value} som"),
    "organisations": nN_("{value} organisation", "{value} organisations"),
    "activities": nN_("{value} activity", "{value} activities"),
}


def is_count_unit(unit: str) -> bool:
    """Whether ``unit`` (a msgid) is a count noun printed with ``count_text``.

    >>> is_count_unit("projects"), is_count_unit("people per km²")
    (True, False)
    """
    return unit in COUNT_UNITS


def count_text(value: float | int | None, unit: str, lang: str, _: Callable[[str], str] = str) -> str:
    """``value`` with ``unit`` in ``lang``, the noun agreeing with the number; ``""`` for no value.

    A unit that is no count noun is written after the number as it is (translated).

    >>> count_text(21, "projects", "en"), count_text(1234, "people", "en"), count_text(3, "km²", "en")
    ('21 projects', '1,234 people', '3 km²')
    """
    if _is_missing(value):
        return ""
    number = fmt_number(value, lang)
    if unit in COUNT_UNITS:
        singular, plural = COUNT_UNITS[unit]
        return Msg(singular, {"value": number}, plural, value).render(_)  # type: ignore[arg-type]
    return f"{number} {_(unit) if unit else ''}".strip()


def _reset_caches() -> None:
    """Forget every loaded catalogue (tests and the i18n script use this after writing a .po)."""
    _cached_catalogue.cache_clear()
