"""ViewSpec: everything needed to redraw a map, and its round trips to links, JSON and captions.

A shared link or a saved view is only as good as its parser: ``from_query_params`` and
``from_json`` never raise; what they cannot read falls back to the default and is reported.

>>> spec = ViewSpec(normalisation="share", k=4)
>>> spec.to_query_params()
{'n': 'share', 'k': '4'}
>>> ViewSpec.from_query_params(spec.to_query_params()) == (spec, [])
True
"""

from __future__ import annotations

import dataclasses
import json
import math
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from atlas.draw.classify import DEFAULT_K, DEFAULT_PALETTE, DEFAULT_SCHEME, K_MAX, K_MIN, PALETTES, SCHEMES
from atlas.i18n import DEFAULT_LANG, LANGS, N_, Msg
from atlas.values.indicators import AGGREGATIONS, NORMALISATIONS, population_year

MAP_TYPES: dict[str, str] = {
    "choropleth": N_("Coloured regions"),
    "bubbles": N_("Circles sized by value"),
    "points": N_("Points"),
    "choropleth_points": N_("Coloured regions with points"),
    "hexbin": N_("Hexagon bins"),
    "heatmap": N_("Heat map"),
}
#: Map types that colour regions by class, so the caption names the classification.
CLASSED_MAP_TYPES = frozenset({"choropleth", "choropleth_points"})

#: Longest accepted text per field: links must stay shareable and a title must fit a page.
TEXT_LIMITS = {"column": 200, "title": 200, "subtitle": 300, "note": 2000, "source": 500, "author": 200}
MAX_FILTER_COLUMNS, MAX_FILTER_VALUES = 20, 200
_DATASET = re.compile(
    r"^(?:[a-z][a-z0-9_]{0,59}|upload:[0-9a-f]{64}|sdg:[A-Za-z0-9_]{1,40}(?::[a-z]{1,20}=[A-Za-z0-9_]{1,20}){0,3})$"
)
#: Dataset keys that are families rather than names: an upload of this session, an official series.
_FAMILIES = ("upload", "sdg")
# Control characters make text unprintable or spoof layout; the note may keep line breaks and tabs.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
_CONTROL_ONE_LINE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class ViewSpec:
    """A map, fully described. The defaults draw a good first map: NGO projects per 10,000
    people, natural breaks in five colour-blind-safe classes, regions labelled."""

    dataset: str = "ngo_sample"
    column: str = ""  # "" with aggregation "count": count rows
    aggregation: str = "count"
    normalisation: str = "per_10k"
    filters: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    map_type: str = "choropleth"
    scheme: str = DEFAULT_SCHEME
    k: int = DEFAULT_K
    breaks: tuple[float, ...] = ()
    palette: str = DEFAULT_PALETTE
    reverse: bool = False
    center: float | None = None  # None: the national average
    year: int | None = None
    since: int | None = None  # a year: the map shows the change from it to ``year``
    labels: bool = True
    level: int = 1  # 1: oblasts and the two cities (ISO codes); 2: rayons and towns (p-codes)
    relief: bool = False  # the shaded relief over the map (the mountain lens)
    title: str = ""
    subtitle: str = ""
    note: str = ""
    source: str = ""
    author: str = ""
    lang: str = DEFAULT_LANG

    def cache_key(self) -> tuple:
        """The spec as a hashable tuple (filters sorted), for caches of views every session shares.

        >>> ViewSpec.from_cache_key(ViewSpec(filters={"sex": ("F",)}).cache_key()).filters
        {'sex': ('F',)}
        """
        return tuple((f.name, tuple(sorted((k, tuple(v)) for k, v in self.filters.items()))
                      if f.name == "filters" else getattr(self, f.name)) for f in dataclasses.fields(self))

    @classmethod
    def from_cache_key(cls, key: tuple) -> ViewSpec:
        return cls(**{name: dict(value) if name == "filters" else value for name, value in key})

    # --- query parameters ---------------------------------------------------------------------

    def to_query_params(self) -> dict[str, str]:
        """Short keys, defaults left out, so a shared link stays short.

        >>> ViewSpec(year=2020, labels=False).to_query_params()
        {'y': '2020', 'lb': '0'}
        """
        default = ViewSpec()
        return {
            f.short: f.dump(getattr(self, f.name))
            for f in _FIELDS
            if getattr(self, f.name) != getattr(default, f.name)
        }

    @classmethod
    def from_query_params(
        cls, params: Mapping[str, str | list[str]], datasets: Collection[str] | None = None
    ) -> tuple[ViewSpec, list[Msg]]:
        """Read a link's parameters; unknown keys are ignored, bad values become defaults and
        are reported. ``datasets``: the valid built-in keys, if the caller wants them checked.

        >>> spec, problems = ViewSpec.from_query_params({"k": "99", "zzz": "1", "p": "Blues"})
        >>> spec.palette, spec.k, [m.params["key"] for m in problems]
        ('Blues', 5, ['k'])
        """
        raw: dict[str, Any] = {}
        for f in _FIELDS:
            if f.short in params:
                value = params[f.short]
                # A repeated parameter: the last one wins, as when a user edits a link by hand.
                raw[f.name] = value[-1] if isinstance(value, list | tuple) and value else value
        return _build(raw, {f.name: f.short for f in _FIELDS}, datasets)

    # --- JSON ---------------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """All fields as JSON-able values (lists, dicts, numbers), for the store.

        >>> ViewSpec(breaks=(1.5, 3.0)).to_dict()["breaks"]
        [1.5, 3.0]
        """
        out = dataclasses.asdict(self)
        out["filters"] = {k: list(v) for k, v in self.filters.items()}
        out["breaks"] = list(self.breaks)
        return out

    @classmethod
    def from_dict(cls, data: Any, datasets: Collection[str] | None = None) -> tuple[ViewSpec, list[Msg]]:
        """The inverse of ``to_dict``; never raises.

        >>> ViewSpec.from_dict({"k": 3})[0].k
        3
        """
        if not isinstance(data, Mapping):
            return cls(), [Msg(N_("The saved view could not be read; the default map is shown"))]
        names = {f.name for f in _FIELDS}
        raw = {k: v for k, v in data.items() if k in names}
        return _build(raw, {f.name: f.name for f in _FIELDS}, datasets)

    def to_json(self) -> str:
        """Compact JSON of ``to_dict``.

        >>> ViewSpec().to_json()[:24]
        '{"aggregation":"count","'
        """
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":"),
                          allow_nan=False)

    @classmethod
    def from_json(
        cls, text: str | bytes, datasets: Collection[str] | None = None
    ) -> tuple[ViewSpec, list[Msg]]:
        """Read ``to_json`` output; never raises.

        >>> ViewSpec.from_json("not json")[0] == ViewSpec()
        True
        """
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError):
            return cls(), [Msg(N_("The saved view could not be read; the default map is shown"))]
        return cls.from_dict(data, datasets)

    @property
    def classes(self) -> int:
        """How many classes the map asks for (manual breaks decide their own number).

        >>> ViewSpec(scheme="manual", breaks=(1.0, 2.0)).classes
        3
        """
        return len(self.breaks) + 1 if self.scheme == "manual" else self.k


# --- field codecs: parse accepts text (from links) or native values (from JSON) -----------------


@dataclass(frozen=True)
class _Field:
    name: str
    short: str
    parse: Callable[[Any], Any]  # raises ValueError with a reason msgid
    dump: Callable[[Any], str]


def _choice(options: Collection[str]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if isinstance(value, str) and value in options:
            return value
        raise ValueError(N_("Ignored {key}={value}: not one of the choices; using the default"))

    return parse


def _text(name: str, multiline: bool = False) -> Callable[[Any], str]:
    limit = TEXT_LIMITS[name]

    def parse(value: Any) -> str:
        if not isinstance(value, str):
            raise ValueError(N_("Ignored {key}={value}: not text; using the default"))
        if len(value) > limit:
            raise ValueError(N_("Ignored {key}={value}: too long; using the default"))
        if (_CONTROL if multiline else _CONTROL_ONE_LINE).search(value):
            raise ValueError(N_("Ignored {key}={value}: contains control characters; using the default"))
        return value

    return parse


def _parse_dataset(value: Any) -> str:
    if isinstance(value, str) and _DATASET.match(value):
        return value
    raise ValueError(N_("Ignored {key}={value}: not a dataset name; using the default"))


def _parse_int(lo: int, hi: int) -> Callable[[Any], int]:
    def parse(value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError(N_("Ignored {key}={value}: not a whole number; using the default"))
        if isinstance(value, int):
            number = value
        elif isinstance(value, str) and re.fullmatch(r"-?\d{1,6}", value.strip()):
            number = int(value)
        else:
            raise ValueError(N_("Ignored {key}={value}: not a whole number; using the default"))
        if not lo <= number <= hi:
            raise ValueError(N_("Ignored {key}={value}: out of range; using the default"))
        return number

    return parse


def _parse_optional_int(lo: int, hi: int) -> Callable[[Any], int | None]:
    inner = _parse_int(lo, hi)
    return lambda value: None if value is None or value == "" else inner(value)


def _parse_float(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(N_("Ignored {key}={value}: not a number; using the default"))
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 40:
        try:
            number = float(value.strip())
        except ValueError:
            raise ValueError(N_("Ignored {key}={value}: not a number; using the default")) from None
    else:
        raise ValueError(N_("Ignored {key}={value}: not a number; using the default"))
    if not math.isfinite(number):
        raise ValueError(N_("Ignored {key}={value}: not a number; using the default"))
    return number


def _parse_optional_float(value: Any) -> float | None:
    return None if value is None or value == "" else _parse_float(value)


def _parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("1", "true", "yes", "on"):
        return True
    if isinstance(value, str) and value.strip().lower() in ("0", "false", "no", "off"):
        return False
    raise ValueError(N_("Ignored {key}={value}: not yes/no; using the default"))


def _parse_breaks(value: Any) -> tuple[float, ...]:
    items = value.split(",") if isinstance(value, str) else value
    if isinstance(value, str) and not value.strip():
        return ()
    if not isinstance(items, list | tuple) or len(items) > K_MAX - 1:
        raise ValueError(N_("Ignored {key}={value}: not a list of up to six numbers; using the default"))
    numbers = tuple(_parse_float(v) for v in items)
    if any(b <= a for a, b in zip(numbers, numbers[1:], strict=False)):
        raise ValueError(N_("Ignored {key}={value}: breaks must increase; using the default"))
    return numbers


def _parse_filters(value: Any) -> dict[str, tuple[str, ...]]:
    if isinstance(value, str):
        if len(value) > 20_000:
            raise ValueError(N_("Ignored {key}={value}: too long; using the default"))
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise ValueError(N_("Ignored {key}={value}: not readable; using the default")) from None
    if not isinstance(value, Mapping) or len(value) > MAX_FILTER_COLUMNS:
        raise ValueError(N_("Ignored {key}={value}: not readable; using the default"))
    out: dict[str, tuple[str, ...]] = {}
    for col, allowed in value.items():
        ok_list = isinstance(allowed, list | tuple) and len(allowed) <= MAX_FILTER_VALUES
        if not isinstance(col, str) or not ok_list or not all(isinstance(v, str) for v in allowed):
            raise ValueError(N_("Ignored {key}={value}: not readable; using the default"))
        out[col] = tuple(allowed)
    return out


def _dump_float(x: float) -> str:
    """Shortest text that reads back as the same float; "2500" rather than "2500.0"."""
    text = repr(float(x))
    return text[:-2] if text.endswith(".0") else text


def _dump_filters(filters: Mapping[str, tuple[str, ...]]) -> str:
    return json.dumps({k: list(v) for k, v in filters.items()}, ensure_ascii=False, separators=(",", ":"))


_FIELDS: tuple[_Field, ...] = (
    _Field("dataset", "d", _parse_dataset, str),
    _Field("column", "c", _text("column"), str),
    _Field("aggregation", "a", _choice(AGGREGATIONS), str),
    _Field("normalisation", "n", _choice(NORMALISATIONS), str),
    _Field("filters", "f", _parse_filters, _dump_filters),
    _Field("map_type", "m", _choice(MAP_TYPES), str),
    _Field("scheme", "s", _choice(SCHEMES), str),
    _Field("k", "k", _parse_int(K_MIN, K_MAX), str),
    _Field("breaks", "b", _parse_breaks, lambda b: ",".join(_dump_float(x) for x in b)),
    _Field("palette", "p", _choice(PALETTES), str),
    _Field("reverse", "r", _parse_bool, lambda b: "1" if b else "0"),
    _Field("center", "ce", _parse_optional_float, lambda c: "" if c is None else _dump_float(c)),
    _Field("year", "y", _parse_optional_int(1900, 2100), lambda y: "" if y is None else str(y)),
    _Field("since", "sn", _parse_optional_int(1900, 2100), lambda y: "" if y is None else str(y)),
    _Field("labels", "lb", _parse_bool, lambda b: "1" if b else "0"),
    _Field("level", "lv", _parse_int(1, 2), str),
    _Field("relief", "rl", _parse_bool, lambda b: "1" if b else "0"),
    _Field("title", "t", _text("title"), str),
    _Field("subtitle", "st", _text("subtitle"), str),
    _Field("note", "no", _text("note", multiline=True), str),
    _Field("source", "so", _text("source"), str),
    _Field("author", "au", _text("author"), str),
    _Field("lang", "l", _choice(LANGS), str),
)


def _shown(value: Any) -> str:
    """A bad value, shortened, for the problem message."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:39] + "…"


def _build(raw: Mapping[str, Any], keys: Mapping[str, str], datasets: Collection[str] | None
           ) -> tuple[ViewSpec, list[Msg]]:
    """Parse each present field; keep the default and report the ones that do not parse."""
    values: dict[str, Any] = {}
    problems: list[Msg] = []
    for f in _FIELDS:
        if f.name not in raw:
            continue
        try:
            values[f.name] = f.parse(raw[f.name])
        except (ValueError, TypeError, RecursionError) as exc:
            # Each parser's reason is a whole sentence, so translators see it in context.
            template = exc.args[0] if exc.args and isinstance(exc.args[0], str) and "{key}" in exc.args[0] \
                else N_("Ignored {key}={value}: not readable; using the default")
            problems.append(Msg(template, {"key": keys[f.name], "value": _shown(raw[f.name])}))
    chosen = values.get("dataset")
    if datasets is not None and chosen is not None and chosen.split(":")[0] not in (*_FAMILIES, *datasets):
        problems.append(Msg(N_("Ignored {key}={value}: no such dataset; using the default"),
                            {"key": keys["dataset"], "value": _shown(values.pop("dataset"))}))
    if values.get("scheme") == "manual" and not values.get("breaks"):
        values.pop("scheme")
        problems.append(Msg(N_("Manual classes came without break values; using {scheme}"),
                            {"scheme": SCHEMES[DEFAULT_SCHEME].label}))
    return ViewSpec(**values), problems


# --- caption -------------------------------------------------------------------------------------

_SUBJECT = {
    "sum": N_("Total of {column}"),
    "count": N_("Number of rows"),
    "mean": N_("Average of {column}"),
    "median": N_("Median of {column}"),
    "min": N_("Minimum of {column}"),
    "max": N_("Maximum of {column}"),
}
_PER = {
    "none": "{what}",
    "per_10k": N_("{what} per 10,000 people"),
    "per_1000km2": N_("{what} per 1,000 km²"),
    "share": N_("{what}, % of the national total"),
}
_SCHEME_CAPTION = {
    "natural_breaks": N_("natural breaks ({k} classes)"),
    "quantiles": N_("quantiles ({k} classes)"),
    "equal_interval": N_("equal intervals ({k} classes)"),
    "manual": N_("manual breaks ({k} classes)"),
    "unclassed": N_("continuous colour scale"),
}


def _tr(_: Callable[[str], str], msgid: str, **params: Any) -> str:
    """Translate and fill in; a translation with broken placeholders falls back to English."""
    try:
        return _(msgid).format(**params)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return msgid.format(**params)


def describe(spec: ViewSpec, _: Callable[[str], str] = lambda s: s, unit_label: str | None = None) -> str:
    """A one-line caption saying what the map shows and how it is classed.

    ``unit_label`` names what is counted (e.g. "NGO projects", already translated); without
    it the caption is built from the aggregation and column.

    >>> describe(ViewSpec(year=2021), unit_label="NGO projects")
    'NGO projects per 10,000 people, 2021, natural breaks (5 classes)'
    """
    if unit_label:
        what = unit_label
    elif spec.aggregation == "count" and spec.column:
        what = _tr(_, N_("Number of {column} values"), column=spec.column)
    else:
        what = _tr(_, _SUBJECT[spec.aggregation], column=spec.column)
    per = _PER[spec.normalisation]
    if spec.since is not None and spec.year is not None:
        what = _tr(_, N_("Change in {what} from {since} to {year}"), what=what, since=spec.since, year=spec.year)
    parts = [_tr(_, per, what=what) if spec.normalisation != "none" else what]
    if spec.normalisation == "per_10k" and spec.year != population_year():
        # The rate divides by one year's population; say which when the data year differs.
        parts[0] += " " + _tr(_, N_("(population {year})"), year=population_year())
    if spec.year is not None and spec.since is None:
        parts.append(str(spec.year))
    if spec.filters:
        chosen = "; ".join(f"{col}: {', '.join(vals)}" for col, vals in spec.filters.items() if vals)
        if chosen:
            parts.append(_tr(_, N_("only {filters}"), filters=chosen))
    if spec.map_type in CLASSED_MAP_TYPES:
        parts.append(_tr(_, _SCHEME_CAPTION[spec.scheme], k=spec.classes))
    return ", ".join(parts)
