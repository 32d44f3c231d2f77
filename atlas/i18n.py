"""Translation layer (placeholder until the i18n work lands): identity translator and number formats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

LANGS: tuple[str, ...] = ("ky", "ru", "en")
DEFAULT_LANG = "ru"


def N_(text: str) -> str:
    """Mark a string for extraction without translating it now."""
    return text


def translator(lang: str) -> Callable[[str], str]:
    """Return the gettext function for ``lang``."""
    return lambda text: text


def fmt_number(value: float | int | None, lang: str = "en", decimals: int | None = None) -> str:
    """Format a number the way readers of ``lang`` expect; ``None``/NaN gives an empty string."""
    if value is None or value != value:
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() or abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    text = f"{value:,.{decimals}f}"
    if lang in ("ky", "ru"):
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


@dataclass(frozen=True)
class Msg:
    """A user-facing message from atlas/: a msgid with ``{placeholders}``, translated at the page."""

    text: str
    params: dict = field(default_factory=dict)

    def render(self, _: Callable[[str], str] = str) -> str:
        return _(self.text).format(**self.params)
