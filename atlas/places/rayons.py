"""Match names and codes of the 55 level-2 units (rayons, towns, the two cities) to COD p-codes.

The level-2 half of the gazetteer; ``atlas.places.regions`` is the level-1 half and lends its
normalisation (mojibake, look-alike letters, folded Kyrgyz letters, totals).

Public API:

- ``match_value(raw, oblast=None) -> regions.Match``: one value → p-code. Order: codes (p-code
  ``KG02205000000``, 14-digit SOATE ``41702205000000``, 8-digit SOATE ``41702205``), totals, a
  whole-oblast row (method ``"oblast"``: a subtotal, not a unit of this level), then the aliases
  of ``units.level2_aliases()``, narrowed by what the value says ("район", "р-н", "rayon",
  "district" → a rayon; "г.", "город", "шаары", "town" → a town) and by ``oblast`` (an ISO code
  from the file's oblast column), then fuzzy matching with the same thresholds as level 1. A
  name shared by a rayon and a town ("Нарын") is ``"ambiguous"``: the page asks.
- ``match_column(series, oblasts=None, fixes=None) -> regions.MatchResult``: every distinct
  (value, oblast) pair once; ``codes`` is a categorical Series over the 55 p-codes.
- ``detect_level(series) -> int``: 2 when more rows name rayons or towns than oblasts.
- ``detect_columns(df) -> (unit column, oblast column)``: where a level-2 file keeps its names.
"""

from __future__ import annotations

import re
from collections.abc import Hashable
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import regions, units

#: The 55 p-codes in the gazetteer's order (rayons and towns by oblast, then the two cities).
PCODES: tuple[str, ...] = tuple(units.level2().index)
#: Bishkek and Osh city stand at both levels: ISO code ↔ p-code.
CITY_PCODES = {"KG-GB": "KG11000000000", "KG-GO": "KG21000000000"}
_RAYON = re.compile(r"(?<![\w])(?:район\w*|р-н\w*|р-он\w*|р\.|rayon\w*|raion\w*|district|aimag\w*|аймаг\w*)(?![\w])")
_TOWN = frozenset("г гор город шаары шаар ш town city of gorod shaary shaar".split())
_PCODE2 = re.compile(r"^KG\d{11}$")
_SOATE14 = re.compile(r"^417\d{11}$")
_SOATE8 = re.compile(r"^417\d{5}$")


def _key(name: str) -> tuple[str, str]:
    """(stem, kind) of a level-2 name; kind is "rayon", "town", "oblast" or "".

    >>> _key("Ак-Суйский р-н"), _key("г. Нарын"), _key("Naryn District")
    (('аксуйский', 'rayon'), ('нарын', 'town'), ('naryn', 'rayon'))
    """
    text = regions._fix_mojibake(str(name))[0].lower()
    kind = ""
    if _RAYON.search(text):
        text, kind = _RAYON.sub(" ", text), "rayon"
    stem = []
    for word in regions._split_words(text):
        if word in _TOWN:
            kind = kind or "town"
        elif word in regions._REGION_WORDS:
            kind = "oblast"
        elif word not in regions._NOISE_WORDS:
            stem.append(word)
    return "".join(stem), kind


def _exact(name: str) -> str:
    """The name lower-cased without spaces or punctuation, Kyrgyz letters kept ("Кара-Көл" ≠ "Каракол")."""
    return re.sub(r"[\W_]+", "", regions._fix_mojibake(str(name))[0].lower())


@lru_cache(maxsize=1)
def _exact_index() -> dict[str, frozenset[str]]:
    """Exact spelling → p-codes: folding ө to о makes Kara-Köl town read like Karakol; this does not."""
    index: dict[str, set[str]] = {}
    for alias, code in zip(units.level2_aliases()["alias"], units.level2_aliases()["pcode"], strict=True):
        index.setdefault(_exact(alias), set()).add(code)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _index() -> dict[str, frozenset[str]]:
    """Alias stem → the p-codes it may name (built once from the alias file and display names)."""
    table = units.level2()
    rows = list(zip(units.level2_aliases()["alias"], units.level2_aliases()["pcode"], strict=True))
    for col in ("name_en", "name_ru", "name_ky", "name_en_cod", "name_ru_cod", "name_ky_cod"):
        rows += [(str(v), code) for code, v in table[col].items() if str(v)]
    index: dict[str, set[str]] = {}
    for alias, code in rows:
        stem, _ = _key(alias)
        if stem:
            index.setdefault(stem, set()).add(code)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    """Every code form (p-code, 14- and 8-digit SOATE) → p-code."""
    table = units.level2()
    out = {code: code for code in table.index}
    out.update({s: code for code, s in table["soate"].items() if s})
    out.update({s: code for code, s in table["soate8"].items() if s})
    return out


def match_code(raw: object) -> str | None:
    """A level-2 p-code or SOATE code (14 or 8 digits) → p-code, else None.

    >>> match_code("KG02205000000"), match_code(41702205000000), match_code("41702205"), match_code("KG-N")
    ('KG02205000000', 'KG02205000000', 'KG02205000000', None)
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper().replace(" ", "")
    if _PCODE2.match(text) or _SOATE14.match(text) or _SOATE8.match(text):
        return _codes().get(text)
    return None


def _narrow(codes: frozenset[str], kind: str, oblast: str | None) -> list[str]:
    """Keep the candidates the value's own words and its oblast allow."""
    types, parents = units.unit_types(), units.parents()
    out = sorted(codes)
    if kind == "rayon":
        out = [c for c in out if types[c] == "rayon"] or out
    elif kind == "town":
        out = [c for c in out if types[c] != "rayon"] or out
    if oblast:
        out = [c for c in out if parents[c] == oblast]
    return out


def _level1(raw: object) -> regions.Match | None:
    """A value naming a level-1 unit: a city is its level-2 unit, an oblast is a subtotal row."""
    m = regions.match_value(raw)
    if m.method not in ("code", "alias") or m.code is None:
        return None
    if m.code in CITY_PCODES:
        return regions.Match(CITY_PCODES[m.code], m.method, m.score)
    return regions.Match(None, "oblast", 100.0, ((m.code, 100.0),))


def match_value(raw: object, oblast: str | None = None) -> regions.Match:
    """Match one raw value to a level-2 p-code; ``oblast`` (ISO code) narrows the candidates.

    >>> match_value("Кара-Бууринский район").code, match_value("Нарын").method
    ('KG07215000000', 'ambiguous')
    >>> match_value("г. Нарын").code, match_value("Нарынская область").method
    ('KG04400000010', 'oblast')
    """
    if not regions._present(raw):
        return regions.Match(None, "none", 0.0)
    if code := match_code(raw):
        return regions.Match(code, "code", 100.0)
    text = str(raw)
    if regions.is_total(text):
        return regions.Match(None, "total", 100.0)
    stem, kind = _key(text)
    if kind == "oblast" and (whole := _level1(raw)):
        return whole
    exact = _exact_index().get(_exact(text), frozenset())
    if len(exact) == 1 and _narrow(exact, kind, oblast):
        return regions.Match(next(iter(exact)), "alias", 100.0)
    found = _index().get(stem)
    if found:
        cands = _narrow(found, kind, oblast)
        if len(cands) == 1:
            return regions.Match(cands[0], "alias", 100.0)
        if len(cands) > 1:
            return regions.Match(None, "ambiguous", 100.0, tuple((c, 100.0) for c in cands))
    if not kind and (whole := _level1(raw)):
        return whole
    return _fuzzy(stem, kind, oblast)


def _fuzzy(stem: str, kind: str, oblast: str | None) -> regions.Match:
    """Fuzzy step, as honest as level 1: a clear winner above the threshold, short stems never."""
    best: dict[str, float] = {}
    for key, score, _ in process.extract(stem, list(_index()), scorer=fuzz.ratio, limit=15):
        for code in _narrow(_index()[key], kind, oblast):
            best[code] = max(best.get(code, 0.0), float(score))
    ranked = sorted(((c, round(s, 1)) for c, s in best.items() if s >= regions.FUZZY_SUGGEST),
                    key=lambda cs: -cs[1])[:3]
    if not ranked:
        return regions.Match(None, "none", 0.0)
    code, score = ranked[0]
    if score >= regions.FUZZY_ACCEPT and len(stem) >= 4:
        if len(ranked) > 1 and ranked[1][1] >= score - 3:
            return regions.Match(None, "ambiguous", score, tuple(ranked))
        return regions.Match(code, "fuzzy", score, tuple(ranked))
    return regions.Match(None, "none", score, tuple(ranked))


def _apply_fix(raw: Hashable, match: regions.Match, fixes: dict) -> regions.Match:
    if raw not in fixes:
        return match
    code = fixes[raw]
    if code is not None and code not in PCODES:
        raise UserError(Msg(N_("Unknown region code {code}."), {"code": code}))
    return regions.Match(code, "user" if code else "excluded", 100.0, match.suggestions)


def oblast_codes(oblasts: pd.Series) -> pd.Series:
    """The oblast column's values → ISO codes of oblasts (None where it names none).

    >>> oblast_codes(pd.Series(["Нарынская обл.", "?"])).tolist()
    ['KG-N', None]
    """
    distinct = {raw: regions.match_value(raw) for raw in oblasts.dropna().unique()}
    lookup = {raw: m.code if m.method in ("code", "alias", "fuzzy") else None for raw, m in distinct.items()}
    return pd.Series([lookup.get(v) if regions._present(v) else None for v in oblasts],
                     index=oblasts.index, dtype=object)


def match_column(series: pd.Series, oblasts: pd.Series | None = None, fixes: dict | None = None
                 ) -> regions.MatchResult:
    """Match every row at level 2; ``oblasts`` (the file's oblast column) settles shared names.

    >>> r = match_column(pd.Series(["Нарын", "Ак-Талинский р-н"])); (r.matched_rows, r.ambiguous)
    (1, ['Нарын'])
    """
    fixes = fixes or {}
    context = oblast_codes(oblasts) if oblasts is not None else pd.Series(None, index=series.index, dtype=object)
    obls = [o if isinstance(o, str) else None for o in context]
    keys = list(zip(series.tolist(), obls, strict=True))
    found: dict[tuple, regions.Match] = {}
    for raw, obl in dict.fromkeys(keys):
        found[(raw, obl)] = _apply_fix(raw, match_value(raw, obl), fixes)
    codes = pd.Series(pd.Categorical([found[k].code for k in keys], categories=list(PCODES)),
                      index=series.index, name="code")
    by_raw: dict[object, tuple[int, regions.Match]] = {}
    for key in keys:
        n, _ = by_raw.get(key[0], (0, found[key]))
        by_raw[key[0]] = (n + 1, found[key])
    rows = [(raw, n, m) for raw, (n, m) in by_raw.items()]
    report = regions._report(rows)
    result = regions.MatchResult(
        codes=codes, report=report, matched_rows=int(codes.notna().sum()), total_rows=len(series),
        unmatched=[r for r, _, m in rows if m.method == "none" and regions._present(r)],
        ambiguous=[r for r, _, m in rows if m.method == "ambiguous"],
        uncertain=[r for r, _, m in rows if m.method == "fuzzy"],
    )
    if whole := sum(n for _, n, m in rows if m.method == "oblast"):
        result.warnings.append(Msg(N_("{n} rows name a whole oblast, not a rayon or town: they are left out "
                                      "at this level (read the file by oblast to map them)."), {"n": whole}))
    return result


def _level_counts(series: pd.Series) -> tuple[int, int]:
    """Rows naming an oblast (level 1) and rows naming a rayon or town (level 2); cities count for neither."""
    counts = series.dropna().value_counts()
    one = two = 0
    for raw, n in counts.head(300).items():
        m1, m2 = regions.match_value(raw), match_value(raw)
        if m2.method == "code":  # a level-2 code also carries its oblast's digits: it is level 2
            m1 = regions.Match(None, "none", 0.0)
        if m1.method in ("code", "alias", "fuzzy", "ambiguous") and m1.code not in CITY_PCODES:
            one += int(n)
        if m2.method in ("code", "alias", "fuzzy", "ambiguous") and m2.code not in CITY_PCODES.values():
            two += int(n)
    return one, two


def detect_level(series: pd.Series) -> int:
    """2 when more rows name a rayon or town than an oblast, else 1 (bare "Нарын" counts for both).

    >>> detect_level(pd.Series(["Нарын", "Талас", "Чуй"])), detect_level(pd.Series(["Ак-Суйский р-н", "Нарын"]))
    (1, 2)
    """
    one, two = _level_counts(series)
    return 2 if two > one else 1


def detect_columns(df: pd.DataFrame) -> tuple[str | None, str | None]:
    """(the column naming level-2 units, the column naming oblasts), each None when absent.

    >>> detect_columns(pd.DataFrame({"obl": ["Нарынская", "Чуйская"], "r": ["Ат-Башинский", "Кеминский"]}))
    ('r', 'obl')
    """
    best2, best1, share2, share1 = None, None, 0.0, 0.0
    for col in df.columns:
        values = df[col]
        if pd.api.types.is_float_dtype(values) or pd.api.types.is_bool_dtype(values) or values.nunique() > 300:
            continue
        total = int(values.notna().sum()) or 1
        one, two = _level_counts(values)
        if two > one and two / total > share2:
            best2, share2 = col, two / total
        elif one >= two and one / total > share1:
            best1, share1 = col, one / total
    return (best2 if share2 >= 0.5 else None), (best1 if share1 >= 0.5 else None)


def aggregate(df: pd.DataFrame, codes: pd.Series, value_col: str | None, how: str = "sum") -> pd.DataFrame:
    """One row per matched level-2 unit (``value``, ``rows``), in ``PCODES`` order.

    >>> d = pd.DataFrame({"v": [1.0, 2.0]}); c = pd.Series(["KG02205000000"] * 2)
    >>> aggregate(d, c, "v").to_dict("index")
    {'KG02205000000': {'value': 3.0, 'rows': 2}}
    """
    if how not in regions.AGGREGATIONS:
        raise UserError(Msg(N_("Unknown aggregation {how}; use one of {valid}."),
                            {"how": how, "valid": ", ".join(regions.AGGREGATIONS)}))
    key = pd.Series(np.asarray(codes, dtype=object), index=df.index, name="code")
    values = df[value_col] if value_col else pd.Series(1.0, index=df.index)
    grouped = values.groupby(key, sort=False, dropna=True)
    value = grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)
    out = pd.DataFrame({"value": value, "rows": grouped.size()})
    order = [c for c in PCODES if c in out.index]
    return out.loc[order].rename_axis("code")


def names(lang: str) -> dict[str, str]:
    """Display name of every level-2 unit in ``lang``.

    >>> names("ky")["KG07215000000"]
    'Айтматов району'
    """
    return {code: units.unit_name(code, lang) for code in PCODES}

