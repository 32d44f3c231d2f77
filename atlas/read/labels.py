"""Labels as statistics offices print them: footnote marks, notes in brackets, village prefixes.

``strip_label("г. Ош1")`` gives ``("г. Ош", ["1"])``: the name to match and what was taken off.
``clean_labels(df, report)`` applies it to the names columns of a read table, only where the
stripped name matches a unit and the printed one does not (a name is never changed for nothing),
and renames year headers with a footnote mark (``20221`` among ``2020``, ``2021``). Every change
is listed in the report. ``osh_context(series)`` reads a bare "Osh" as the oblast when the same
column also names Osh city.
"""

from __future__ import annotations

import re

import pandas as pd

from atlas.i18n import N_, Msg
from atlas.places import regions
from atlas.read.model import ReadReport

_SPACES = re.compile(r"[\u00a0\u202f\u2007\u2009\u200b\s]+")
_NOTE = re.compile(r"\s*[(\[][^()\[\]]*[)\]]")
_MARK = re.compile(r"(?<=[^\W\d_])\s?([\d¹²³⁴⁵⁶⁷⁸⁹⁰*]{1,2})\)?$")
_VILLAGE = re.compile(r"^(?:[сc]|пгт|п|а|ш)\.\s*(?=[A-Za-z])")
_YEAR_MARK = re.compile(r"^((?:19[5-9]|20[0-4])\d)(?:\d{1,2}|[*¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})$")
_PLACED = ("code", "alias", "ambiguous")
_CANDIDATE = re.compile(r"[\d()\[\]*¹²³⁴⁵⁶⁷⁸⁹⁰\u00a0\u202f\u2007\u2009\u200b]|^\s*[сcпаш]\.|\s{2,}")
MAX_DISTINCT = 300


def strip_label(text: str) -> tuple[str, list[str]]:
    """The label without footnote marks, notes in brackets and a Cyrillic village prefix before a
    Latin name; no-break spaces become spaces. Returns (label, the parts taken off).

    >>> strip_label("г. Ош1"), strip_label("Ошская область (до 2013 г. включая г. Ош)")[0]
    (('г. Ош', ['1']), 'Ошская область')
    >>> strip_label("с. Kara-Suu")
    ('Kara-Suu', ['с.'])
    """
    removed: list[str] = []
    out = _SPACES.sub(" ", str(text)).strip()
    for note in _NOTE.findall(out):
        removed.append(note.strip())
    out = _NOTE.sub("", out).strip()
    if m := _MARK.search(out):
        removed.append(m.group(1))
        out = out[: m.start()].rstrip()
    if m := _VILLAGE.match(out):
        removed.append(m.group(0).strip())
        out = out[m.end():]
    return out, removed


def _placed(value: str) -> bool:
    return regions.match_value(value).method in _PLACED


def clean_labels(df: pd.DataFrame, report: ReadReport, seen: dict | None = None) -> tuple[pd.DataFrame, bool]:
    """Strip footnotes from names that only match once stripped; fix footnoted year headers.

    Returns the table and whether anything changed. ``seen`` holds distinct values the caller has
    already computed (column → values). Called by ``clean.clean_table`` for every kind of table.

    >>> d, changed = clean_labels(pd.DataFrame({"Область": ["г. Ош1", "Нарын"], "N": [1, 2]}), ReadReport())
    >>> d["Область"].tolist(), changed
    (['г. Ош', 'Нарын'], True)
    """
    changed = False
    renames = _year_headers([str(c) for c in df.columns], report)
    if renames:
        df = df.rename(columns=renames)
        changed = True
    for col in df.columns:
        series = df[col]
        if not (pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series)):
            continue
        if col in (seen or {}):
            uniq = seen[col]  # computed by the totals check: not again
        elif series.iloc[:5000].nunique() > MAX_DISTINCT:
            continue  # names of units repeat; dates, comments and ids do not (and cost a full unique)
        else:
            uniq = pd.Series(series.unique())
        if len(uniq) > MAX_DISTINCT + 1:
            continue
        uniq = uniq[uniq.map(lambda v: isinstance(v, str))]
        maybe = uniq[uniq.str.contains(_CANDIDATE, regex=True)]
        mapping = {}
        for raw in maybe:
            label, removed = strip_label(raw)
            if removed or label != raw:
                if label and label != raw and _placed(label) and not _placed(raw):
                    mapping[raw] = label
                    report.messages.append(Msg(
                        N_("“{raw}” was read as “{label}” (taken off for matching: {removed}).") if removed
                        else N_("“{raw}” was read as “{label}” (odd spaces made plain)."),
                        {"raw": raw, "label": label, "removed": ", ".join(removed)}))
        if mapping:
            df = df.assign(**{col: series.replace(mapping)})
            changed = True
    return df, changed


def _year_headers(names: list[str], report: ReadReport) -> dict[str, str]:
    """``20221`` → ``2022`` when other headers are plain years and the year is not already a header.

    >>> _year_headers(["Region", "2020", "2021", "20221"], ReadReport())
    {'20221': '2022'}
    """
    years = [n for n in names if re.fullmatch(r"(?:19[5-9]|20[0-4])\d", n.strip())]
    if not years:
        return {}
    out = {}
    for name in names:
        m = _YEAR_MARK.match(name.strip())
        if m and m.group(1) not in names and m.group(1) not in out.values():
            out[name] = m.group(1)
            report.messages.append(Msg(N_("The header “{raw}” was read as the year {year} (footnote mark taken off)."),
                                       {"raw": name, "year": m.group(1)}))
    return out


def osh_context(series: pd.Series) -> tuple[dict, list[Msg]]:
    """Bare "Osh"/"Ош" is the oblast when the same column also names Osh city ("г. Ош", "Osh city").

    Returns fixes (raw value → KG-O) for the matcher and what to tell the user.

    >>> osh_context(pd.Series(["Ош", "г. Ош", "Нарын"]))[0]
    {'Ош': 'KG-O'}
    """
    uniq = pd.Series(series.dropna().unique()[: MAX_DISTINCT + 1])
    if len(uniq) > MAX_DISTINCT:
        return {}, []
    matches = {raw: regions.match_value(raw) for raw in uniq if isinstance(raw, str)}
    city = [raw for raw, m in matches.items() if m.code == "KG-GO"]
    bare = [raw for raw, m in matches.items() if m.method == "ambiguous"
            and {c for c, _ in m.suggestions} == {"KG-O", "KG-GO"}]
    if not city or not bare:
        return {}, []
    msgs = [Msg(N_("“{raw}” was read as Osh oblast because the same column also names Osh city (“{city}”)."),
                {"raw": raw, "city": city[0]}) for raw in bare]
    return {raw: "KG-O" for raw in bare}, msgs
