"""Match region names and codes, in any of Kyrgyz, Russian and English, to the 9 ISO 3166-2 codes.

Public API:

- ``normalise(name) -> str``: the comparison key of a name ("г. Бишкек" → "бишкек|city").
- ``match_value(raw) -> Match``: one value → ``Match(code, method, score, suggestions, note)``.
  Order: codes (ISO ``KG-Y``, HASC ``KG.YK``, OCHA p-code ``KG02000000000``, SOATE ``41702…``),
  then totals ("Кыргызская Республика" → method ``"total"``, code None), then the aliases of
  ``atlas.places.gazetteer.aliases()`` after normalisation, then "?" for lost Kyrgyz letters, then fuzzy
  matching (rapidfuzz) accepted at ``FUZZY_ACCEPT``. "Osh"/"Ош" alone is ``"ambiguous"``
  (oblast or city); the page asks the user.
- ``match_column(series, fixes=None, years=None) -> MatchResult``: matches distinct values only
  (``codes`` is a categorical Series over ``gazetteer.CODES``, missing where unmatched),
  applies the user's fixes (raw value → ISO code, or None for "not a region") to every row with
  that value; ``.report`` is the fixer's table (one row per distinct raw value, CSV-ready).
- ``detect_region_column(df) -> str | None``: the column whose values best match the gazetteer.
- ``find_duplicates(codes, by=None) -> DataFrame`` and ``aggregate_by_region(df, codes, value_col,
  how)`` with how in ``AGGREGATIONS`` (sum, mean, count, first).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from atlas.errors import UserError
from atlas.i18n import N_, Msg
from atlas.places import gazetteer

#: A fuzzy score (0-100, rapidfuzz ratio) at or above this is taken as a match (marked uncertain).
FUZZY_ACCEPT = 86.0
#: Below this a candidate is not even suggested.
FUZZY_SUGGEST = 55.0
#: Batken oblast was split from Osh oblast in 1999; the product owner asked for a warning on data
#: before 2002, when many statistical series still showed Batken inside Osh oblast.
BATKEN_SPLIT_YEAR = 2002
AGGREGATIONS = ("sum", "mean", "count", "first")
METHODS = ("code", "alias", "fuzzy", "ambiguous", "total", "none")

# Latin letters that look like Cyrillic ones, after lower-casing (and back).
_LAT2CYR = str.maketrans("aceopxykmhtb", "асеорхукмнтв")
_CYR2LAT = str.maketrans("асеорхукмнтві", "aceopxykmhtbi")
# Kyrgyz letters folded to their Russian look-alikes: CP1251 files and Russian spellings lose them.
_FOLD = str.maketrans({"ё": "е", "ө": "о", "ү": "у", "ң": "н", "һ": "х", "ı": "i", "ş": "sh", "ç": "ch"})
_CITY_WORDS = frozenset(
    "г гор город шаары шаар шаары ш city gorod shaary shaar shahar şaarı saary shaari town".split()
)
_REGION_WORDS = frozenset(
    "обл область областы облусу облысы region reg oblast oblasty oblusu province obl".split()
)
_NOISE_WORDS = frozenset("of the кр kr респ".split())
# Russian/transliterated adjectival endings: "Ошская" = of Osh, meaning the oblast.
_ADJ = re.compile(r"(?:ская|ский|скaя|skaya|skaja|skaia|skaya|skay|sky)$")
_TOTALS = (
    "всего",
    "итого",
    "бардыгы",
    "баары",
    "жыйынтык",
    "total",
    "grand total",
    "кыргызская республика",
    "кыргыз республикасы",
    "kyrgyz republic",
    "kyrgyzstan",
    "кыргызстан",
    "по республике",
    "республика боюнча",
    "кр",
    "республика",
)
# Stems that name both an oblast and a city: without "city"/"oblast" the value is ambiguous.
_AMBIGUOUS = {"ош": ("KG-O", "KG-GO"), "osh": ("KG-O", "KG-GO")}
# Old names that the alias file does not carry.
_OLD_NAMES = {"фрунзе": "KG-GB", "frunze": "KG-GB", "пржевальск": "KG-Y", "przhevalsk": "KG-Y"}
_ISO = re.compile(r"^KG-?(GB|GO|[BCJNOTY])$")
_PCODE = re.compile(r"^KG(\d\d)(\d{0,9})$")
_SOATE = re.compile(r"^417(\d\d)\d{0,9}$")
_HASC = re.compile(r"^KG\.([A-Z]{2})$")


@dataclass(frozen=True)
class Match:
    """The outcome for one raw value. ``suggestions`` are (code, score) pairs, best first."""

    code: str | None
    method: str
    score: float
    suggestions: tuple[tuple[str, float], ...] = ()
    note: str = ""

    @property
    def uncertain(self) -> bool:
        """A fuzzy match the user should confirm."""
        return self.method == "fuzzy"


@dataclass
class MatchResult:
    """Codes per row plus the fixer's report (``report``: one row per distinct raw value)."""

    codes: pd.Series
    report: pd.DataFrame
    matched_rows: int
    total_rows: int
    unmatched: list = field(default_factory=list)
    ambiguous: list = field(default_factory=list)
    uncertain: list = field(default_factory=list)
    warnings: list[Msg] = field(default_factory=list)

    def summary(self) -> Msg:
        """'N of M rows matched', ready for the page."""
        return Msg(
            N_("Rows matched to a region: {matched} of {total}"),
            {"matched": self.matched_rows, "total": self.total_rows},
        )


def _fix_mojibake(text: str) -> tuple[str, bool]:
    """Undo UTF-8 once decoded as CP1251 ("Р‘РёС€РєРµРє" → "Бишкек") and CP1251 once decoded as
    CP1252 ("Áèøêåê" → "Бишкек")."""
    if re.search(r"[\u00c0-\u00ff]{3}", text) and not re.search(r"[\u0400-\u04ff]", text):
        try:
            fixed = text.encode("cp1252").decode("cp1251")
        except (UnicodeEncodeError, UnicodeDecodeError):
            return text, False
        return fixed, fixed != text
    if not re.search(r"[РС][\u0400-\u045f\u2018-\u203a\u00a0-\u00bb]", text):
        return text, False
    try:
        fixed = text.encode("cp1251").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text, False
    return fixed, fixed != text


def _fix_script(word: str) -> str:
    """Turn look-alike letters into the script that dominates the word ("Бишkек" → "бишкек")."""
    cyr = sum("\u0400" <= ch <= "\u04ff" for ch in word)
    lat = sum("a" <= ch <= "z" for ch in word)
    if cyr and lat:
        return word.translate(_LAT2CYR) if cyr >= lat else word.translate(_CYR2LAT)
    return word


def _split_words(name: str) -> list[str]:
    text = unicodedata.normalize("NFC", name).lower().translate(_FOLD)
    text = re.sub(r"[\s\-‐–—_.,;:()\"'’`«»/\\]+", " ", text)
    return [_fix_script(w) for w in text.split()]


def normalise(name: str) -> str:
    """The comparison key: stem without spaces, then ``|city`` or ``|region`` when the name says so.

    >>> normalise("г. Бишкек"), normalise("Ошская обл."), normalise("Ысык-Көл")
    ('бишкек|city', 'ош|region', 'ысыккол')
    """
    text, _ = _fix_mojibake(str(name))
    kind = ""
    stem: list[str] = []
    for word in _split_words(text):
        if word in _CITY_WORDS:
            kind = "city"
        elif word in _REGION_WORDS:
            kind = kind or "region"
        elif word not in _NOISE_WORDS:
            stem.append(word)
    joined = "".join(stem)
    adj = _ADJ.sub("", joined)
    if adj != joined and len(adj) >= 2:
        joined, kind = adj, kind or "region"
    return f"{joined}|{kind}" if kind else joined


def _stem(key: str) -> str:
    return key.split("|", 1)[0]


@lru_cache(maxsize=1)
def _alias_index() -> dict[str, frozenset[str]]:
    """Normalised alias key → the codes it names (built once from data/region_aliases.csv)."""
    index: dict[str, set[str]] = {}
    table = gazetteer.aliases()
    names = gazetteer.regions()
    rows = list(zip(table["alias"], table["iso_3166_2"], strict=True))
    for col in ("name_en", "name_ky", "name_ru"):
        rows += [(str(v), code) for code, v in names[col].items()]
    for alias, code in rows:
        key = normalise(alias)
        index.setdefault(key, set()).add(code)
        index.setdefault(_stem(key), set()).add(code)
        # the stem before adjective stripping ("таласская") gives fuzzy matching a longer target
        plain = "".join(w for w in _split_words(alias) if w not in _CITY_WORDS | _REGION_WORDS | _NOISE_WORDS)
        if plain not in _AMBIGUOUS:
            index.setdefault(plain, set()).add(code)
    for stem, code in _OLD_NAMES.items():
        index.setdefault(stem, set()).add(code)
    return {k: frozenset(v) for k, v in index.items()}


@lru_cache(maxsize=1)
def _code_tables() -> tuple[dict[str, str], dict[str, str]]:
    """OCHA/SOATE two-digit unit numbers and HASC codes → ISO code."""
    reg = gazetteer.regions()
    by_num = {str(p)[2:4]: code for code, p in reg["ocha_pcode"].items() if isinstance(p, str)}
    by_hasc = {str(h).split(".")[-1]: code for code, h in reg["hasc"].items() if isinstance(h, str)}
    return by_num, by_hasc


def match_code(raw: object) -> str | None:
    """An ISO, HASC, OCHA p-code or SOATE code → ISO code, else None.

    >>> match_code("KG02000000000"), match_code(41711000000000), match_code("kg-go"), match_code("Ош")
    ('KG-Y', 'KG-GB', 'KG-GO', None)
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().upper().replace(" ", "")
    by_num, by_hasc = _code_tables()
    if m := _ISO.match(text):
        return f"KG-{m.group(1)}"
    if (m := _PCODE.match(text)) or (m := _SOATE.match(text)):
        return by_num.get(m.group(1))
    if m := _HASC.match(text):
        return by_hasc.get(m.group(1))
    return None


def is_total(raw: object) -> bool:
    """True for a country total or a "total" row label.

    >>> is_total("Кыргызская Республика"), is_total("Итого:"), is_total("Талас")
    (True, True, False)
    """
    words = " ".join(_split_words(_fix_mojibake(str(raw))[0]))
    return any(words == t or words.startswith(t + " ") for t in _TOTALS)


def _fuzzy(stem: str) -> list[tuple[str, float]]:
    """Best score per code for a stem, against every alias stem (suffixes kept and stripped)."""
    index = _alias_index()
    keys = [k for k in index if "|" not in k]
    best: dict[str, float] = {}
    for key, score, _ in process.extract(stem, keys, scorer=fuzz.ratio, limit=12):
        for code in index[key]:
            best[code] = max(best.get(code, 0.0), float(score))
    return sorted(best.items(), key=lambda kv: -kv[1])


def _wildcard(stem: str) -> list[str]:
    """Codes whose alias stems match a stem where "?" stands for a lost letter ("ысыккол")."""
    pattern = re.compile("^" + re.escape(stem).replace(r"\?", ".") + "$")
    index = _alias_index()
    return sorted({c for k, codes in index.items() if "|" not in k and pattern.match(k) for c in codes})


def _by_kind(stem: str, kind: str) -> Match | None:
    """Resolve a stem that names both an oblast and a city."""
    oblast, city = _AMBIGUOUS[stem]
    if kind == "city":
        return Match(city, "alias", 100.0)
    if kind == "region":
        return Match(oblast, "alias", 100.0)
    return Match(None, "ambiguous", 100.0, ((oblast, 100.0), (city, 100.0)))


def match_value(raw: object) -> Match:
    """Match one raw value to an ISO code.

    >>> match_value("Чуйская обл.").code, match_value("Ош").method, match_value("Ысык-К?л").code
    ('KG-C', 'ambiguous', 'KG-Y')
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)) or not str(raw).strip():
        return Match(None, "none", 0.0)
    if code := match_code(raw):
        return Match(code, "code", 100.0)
    text, repaired = _fix_mojibake(str(raw))
    note = "mojibake repaired" if repaired else ""
    if is_total(text):
        return Match(None, "total", 100.0, note=note)
    key = normalise(text)
    stem, kind = _stem(key), key.partition("|")[2]
    if stem in _AMBIGUOUS:
        return _by_kind(stem, kind)
    index = _alias_index()
    codes = index.get(key) or index.get(stem)
    if codes and len(codes) == 1:
        return Match(next(iter(codes)), "alias", 100.0, note=note)
    if "?" in stem:
        found = _wildcard(stem)
        if len(found) == 1:
            return Match(found[0], "alias", 95.0, ((found[0], 95.0),), note="lost letters repaired")
        sugg = tuple((c, 90.0) for c in found)
        return Match(None, "ambiguous" if found else "none", 0.0, sugg)
    return _fuzzy_match(stem, note)


def _fuzzy_match(stem: str, note: str) -> Match:
    """Fuzzy step: accept a clear winner above the threshold; short stems are never guessed."""
    ranked = [(c, round(s, 1)) for c, s in _fuzzy(stem) if s >= FUZZY_SUGGEST][:3]
    if not ranked:
        return Match(None, "none", 0.0, (), note)
    code, score = ranked[0]
    if score >= FUZZY_ACCEPT and len(stem) >= 4:
        if len(ranked) > 1 and ranked[1][1] >= score - 3:
            return Match(None, "ambiguous", score, tuple(ranked), note)
        return Match(code, "fuzzy", score, tuple(ranked), note)
    return Match(None, "none", score, tuple(ranked), note)


def _apply_fix(raw: Hashable, match: Match, fixes: dict) -> Match:
    """A user's fix wins over the automatic match; None means "not a region"."""
    if raw not in fixes:
        return match
    code = fixes[raw]
    if code is not None and code not in gazetteer.CODES:
        raise UserError(Msg(N_("Unknown region code {code}."), {"code": code}))
    return Match(code, "user" if code else "excluded", 100.0, match.suggestions)


def match_column(
    series: pd.Series,
    fixes: dict | None = None,
    years: pd.Series | None = None,
    progress: Callable[[float], None] | None = None,
) -> MatchResult:
    """Match every row through its distinct value; ``fixes`` map a raw value to a code or None.

    >>> r = match_column(pd.Series(["Нарын", "Нарын", "Атлантида"])); (r.matched_rows, r.unmatched)
    (2, ['Атлантида'])
    """
    fixes = fixes or {}
    # factorize once: every distinct value is matched once, rows get codes by integer take
    labels, uniques = pd.factorize(series, use_na_sentinel=True)
    sizes = np.bincount(labels[labels >= 0], minlength=len(uniques))
    rows = []
    for i, raw in enumerate(uniques):
        m = _apply_fix(raw, match_value(raw), fixes)
        rows.append((raw, int(sizes[i]), m))
        if progress and i % 50 == 0:
            progress(i / max(len(uniques), 1))
    blanks = int((labels < 0).sum())
    if blanks:
        rows.append((None, blanks, Match(None, "none", 0.0)))
    # categorical with the 9 codes as categories: cheap to build and to group 1M rows by
    where = {c: i for i, c in enumerate(gazetteer.CODES)}
    lookup = np.array([where.get(m.code, -1) for _, _, m in rows[: len(uniques)]] + [-1], dtype=np.int8)
    cat = pd.Categorical.from_codes(lookup[labels], categories=list(gazetteer.CODES))
    codes = pd.Series(cat, index=series.index, name="code")
    report = _report(rows)
    matched = int(codes.notna().sum())
    result = MatchResult(
        codes=codes,
        report=report,
        matched_rows=matched,
        total_rows=len(series),
        unmatched=[r for r, _, m in rows if m.method == "none" and _present(r)],
        ambiguous=[r for r, _, m in rows if m.method == "ambiguous"],
        uncertain=[r for r, _, m in rows if m.method == "fuzzy"],
    )
    if years is not None:
        result.warnings += batken_warnings(codes, years)
    if progress:
        progress(1.0)
    return result


def _present(raw: object) -> bool:
    return raw is not None and not (isinstance(raw, float) and np.isnan(raw)) and bool(str(raw).strip())


def _report(rows: list[tuple[object, int, Match]]) -> pd.DataFrame:
    """The fixer's table: one row per distinct raw value, worst first."""
    order = {"none": 0, "ambiguous": 1, "fuzzy": 2, "total": 3}
    rows = sorted(rows, key=lambda r: (order.get(r[2].method, 9), -r[1]))  # stable, as the table was
    return pd.DataFrame(
        {
            "raw": [r for r, _, _ in rows],
            "rows": [n for _, n, _ in rows],
            "code": [m.code for _, _, m in rows],
            "method": [m.method for _, _, m in rows],
            "score": [m.score for _, _, m in rows],
            "suggestions": ["; ".join(f"{c} ({s:.0f})" for c, s in m.suggestions) for _, _, m in rows],
            "note": [m.note for _, _, m in rows],
        }
    )


def batken_warnings(codes: pd.Series, years: pd.Series) -> list[Msg]:
    """Warn when rows before ``BATKEN_SPLIT_YEAR`` have Osh oblast but no Batken (Batken inside Osh).

    >>> len(batken_warnings(pd.Series(["KG-O"]), pd.Series([1998])))
    1
    """
    yrs = pd.to_numeric(years, errors="coerce")
    old = yrs < BATKEN_SPLIT_YEAR
    if not old.any():
        return []
    old_codes = set(codes[old.to_numpy()].dropna())
    if "KG-O" in old_codes and "KG-B" not in old_codes:
        return [
            Msg(
                N_(
                    "Rows before {year} show Osh oblast but no Batken: Batken oblast was part of Osh "
                    "oblast then, so Osh oblast's figures for those years include Batken."
                ),
                {"year": BATKEN_SPLIT_YEAR},
            )
        ]
    return []


def detect_region_column(df: pd.DataFrame, min_share: float = 0.5) -> str | None:
    """The column whose distinct values best match the gazetteer (by rows matched), or None.

    >>> detect_region_column(pd.DataFrame({"x": ["a", "b"], "obl": ["Талас", "Нарын"]}))
    'obl'
    """
    best, best_share = None, 0.0
    for col in df.columns:
        share = _column_match_share(df[col])
        if share > best_share:
            best, best_share = col, share
    return best if best_share >= min_share else None


def _column_match_share(col: pd.Series) -> float:
    """Share of non-blank rows whose value matches (or is ambiguous); columns with many values skip."""
    if pd.api.types.is_float_dtype(col) or pd.api.types.is_bool_dtype(col):
        return 0.0
    counts = col.dropna().value_counts()
    if counts.empty or len(counts) > 300:
        return 0.0
    hits = sum(
        n for raw, n in counts.items() if match_value(raw).method in ("code", "alias", "fuzzy", "ambiguous")
    )
    return hits / counts.sum()


def find_duplicates(codes: pd.Series, by: pd.Series | None = None) -> pd.DataFrame:
    """Regions that appear in more than one row (per value of ``by``, e.g. the year).

    >>> find_duplicates(pd.Series(["KG-T", "KG-T", "KG-N"])).to_dict("records")
    [{'code': 'KG-T', 'rows': 2}]
    """
    frame = pd.DataFrame({"code": codes.to_numpy()})
    keys = ["code"]
    if by is not None:
        frame["by"] = by.to_numpy()
        keys.append("by")
    sizes = frame.dropna(subset=["code"]).groupby(keys, sort=True).size().rename("rows").reset_index()
    return sizes[sizes["rows"] > 1].reset_index(drop=True)


def _sum_by_code(cat: pd.Categorical, values: np.ndarray) -> pd.DataFrame:
    """``aggregate_by_region(..., "sum")`` of float values as three bincounts: the sum, the values
    present (a code whose values are all blank has no data, not a sum of zero) and the rows."""
    k = np.asarray(cat.codes)
    n = len(cat.categories)
    listed = k >= 0
    present = listed & ~np.isnan(values)
    rows = np.bincount(k[listed], minlength=n)
    counted = np.bincount(k[present], minlength=n)
    sums = np.bincount(k[present], weights=values[present], minlength=n)
    out = pd.DataFrame({"value": np.where(counted > 0, sums, np.nan), "rows": rows},
                       index=pd.Index(list(cat.categories), dtype=object, name="code"))
    order = [c for c in gazetteer.CODES if c in out.index and out.at[c, "rows"] > 0]
    return out.loc[order]


def aggregate_by_region(
    df: pd.DataFrame, codes: pd.Series, value_col: str | None, how: str = "sum"
) -> pd.DataFrame:
    """One row per matched region: ``value`` aggregated by ``how`` and the number of ``rows``.

    >>> d = pd.DataFrame({"v": [1.0, 2.0, 5.0]}); c = pd.Series(["KG-T", "KG-T", None])
    >>> aggregate_by_region(d, c, "v").to_dict("index")
    {'KG-T': {'value': 3.0, 'rows': 2}}
    """
    if how not in AGGREGATIONS:
        raise UserError(
            Msg(
                N_("Unknown aggregation {how}; use one of {valid}."),
                {"how": how, "valid": ", ".join(AGGREGATIONS)},
            )
        )
    # categorical keys: grouping 1M rows by 9 known codes is then an integer bincount, not hashing
    cat = codes.array if isinstance(codes.dtype, pd.CategoricalDtype) else pd.Categorical(codes.to_numpy())
    values = df[value_col] if value_col else pd.Series(1.0, index=df.index)
    if how == "sum" and pd.api.types.is_float_dtype(values.dtype):
        return _sum_by_code(cat, values.to_numpy(dtype=float, na_value=np.nan))
    key = pd.Series(cat, index=df.index, name="code")
    grouped = values.groupby(key, sort=False, observed=True)
    # min_count=1: a region whose values are all blank has no data, not a sum of zero
    value = grouped.sum(min_count=1) if how == "sum" else grouped.agg(how)
    out = pd.DataFrame({"value": value, "rows": grouped.size()})
    order = [c for c in gazetteer.CODES if c in out.index]
    out = out.loc[order]
    out.index = pd.Index(order, dtype=object, name="code")
    return out
