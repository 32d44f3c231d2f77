"""Pure helpers behind the Open Government pages: commitment filters, counts, labels and plotly charts.

Pages pass in the tables (``ogp.active_commitments``, ``Store.report_stats``) and the translation ``_``;
everything here is testable without Streamlit.

Public API:

- ``IRM_FIELDS`` (column → label msgid), ``COUNT_NOTE`` / ``SOURCE_NOTE`` (msgids the explorer shows).
- ``tags(cell)``, ``tag_options(df, column)``, ``filter_commitments(df, areas, leads, irm_field, irm_value)``.
- ``tag_counts(df, column)``, ``irm_table(df)``, ``empty_irm_fields(df)``.
- ``commitment_choices(df, not_in_data)``, ``safe_links(cell)``, ``md_link(label, url)``, ``organisations(frame)``.
- ``reports_display(frame, lang, _)``, ``map_values(by_region, metric)``.
- Figures: ``count_bar``, ``irm_bar``, ``status_bar``, ``timeline_bar``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from atlas.i18n import N_, format_date
from atlas.ogp import commitments
from atlas.ogp.reports import NATIONAL, STATUSES, evidence_link
from atlas.places.gazetteer import CODES, region_name

IRM_FIELDS: dict[str, str] = {
    "irm_verifiable": N_("Verifiable"),
    "irm_relevance": N_("Relevant to OGP values"),
    "irm_potential_impact": N_("Ambition / potential impact"),
    "irm_completion": N_("Completion"),
    "irm_diog": N_("Did it open government?"),
    "irm_starred": N_("Starred"),
}
STATUS_COLORS: dict[str, str] = {
    "not_started": "#bdbdbd",
    "in_progress": "#6baed6",
    "completed": "#238b45",
    "stalled": "#d94801",
    "unclear": "#9e9ac8",
}
COUNT_NOTE = N_(
    "Sources disagree on how many commitments the plan has: the IRM Design Report counts 18 "
    "(also OSCE and EWMI), the OGP member page counted 25, the OGP website has an ID up to KG0026, "
    "and 24.kg reported 19. This table has {present} commitments with data; {missing} more are known "
    "only by their number."
)
SOURCE_NOTE = N_(
    "OGP commitment pages KG0001-KG0026 (opengovpartnership.org) and the IRM Design Report 2018-2020 "
    "(published 2021); provenance in data/ogp_commitments.md"
)
FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13, color="#1d2b33")
_HTTP = re.compile(r"^https?://[^\s/?#]+\S*$", re.IGNORECASE)


def tags(cell: str) -> list[str]:
    """The semicolon-separated values of one cell, stripped, without "NA" or empties.

    >>> tags("Open Data; Health;  ; NA")
    ['Open Data', 'Health']
    """
    return [t.strip() for t in str(cell or "").split(";") if t.strip() and t.strip() != "NA"]


def tag_options(df: pd.DataFrame, column: str) -> list[str]:
    """Every distinct tag in ``column``, sorted (for a multiselect).

    >>> tag_options(pd.DataFrame({"a": ["x; y", "y"]}), "a")
    ['x', 'y']
    """
    return sorted({t for cell in df[column] for t in tags(cell)})


def filter_commitments(
    df: pd.DataFrame,
    areas: Sequence[str] = (),
    leads: Sequence[str] = (),
    irm_field: str | None = None,
    irm_value: str | None = None,
) -> pd.DataFrame:
    """Rows having any of ``areas`` (policy areas) and any of ``leads``; ``irm_value`` "" means empty.

    >>> t = commitments.bundled_commitments()
    >>> len(filter_commitments(t, irm_field="irm_diog", irm_value="Major"))
    1
    """
    keep = pd.Series(True, index=df.index)
    if areas:
        keep &= df["policy_areas"].map(lambda c: bool(set(tags(c)) & set(areas)))
    if leads:
        keep &= df["lead_institution"].isin(list(leads))
    if irm_field in IRM_FIELDS and irm_value is not None:
        keep &= df[irm_field].fillna("").str.strip() == irm_value
    return df[keep]


def tag_counts(df: pd.DataFrame, column: str) -> pd.Series:
    """How many commitments carry each tag of ``column``, most frequent first (ties by name).

    >>> tag_counts(pd.DataFrame({"a": ["x; y", "y"]}), "a").to_dict()
    {'y': 2, 'x': 1}
    """
    counts = pd.Series([t for cell in df[column] for t in tags(cell)], dtype="object").value_counts()
    return counts.sort_index().sort_values(ascending=False, kind="stable").astype(int)


def irm_table(df: pd.DataFrame) -> pd.DataFrame:
    """Per IRM field (rows, ``IRM_FIELDS`` order) the count of each value; column "" = empty cells.

    >>> int(irm_table(commitments.bundled_commitments()).loc["irm_completion", ""])
    20
    """
    long = df[list(IRM_FIELDS)].fillna("").apply(lambda s: s.str.strip()).melt(var_name="field")
    table = pd.crosstab(long["field"], long["value"]).reindex(list(IRM_FIELDS), fill_value=0)
    if "" not in table.columns:
        table[""] = 0
    table.columns.name = None
    return table.astype(int)


def empty_irm_fields(df: pd.DataFrame) -> list[str]:
    """IRM fields with no value in any row (the explorer says so rather than drawing empty bars).

    >>> empty_irm_fields(commitments.bundled_commitments())
    ['irm_completion', 'irm_starred']
    """
    table = irm_table(df)
    return [f for f in IRM_FIELDS if table.loc[f].drop("").sum() == 0]


def active_choices(store, lang: str, not_in_data: str) -> dict[str, str]:
    """``commitment_choices`` of the active table in ``lang``, made once per (version, language): read-only."""
    return _choices_of(store.reference_csv() if store is not None else None, lang, not_in_data)


@lru_cache(maxsize=16)
def _choices_of(data: bytes | None, lang: str, not_in_data: str) -> dict[str, str]:
    return commitment_choices(commitments.localised_version(data, lang), not_in_data)


def commitment_choices(df: pd.DataFrame, not_in_data: str) -> dict[str, str]:
    """ID → label for a select box: every present and known-missing ID, missing ones labelled.

    >>> commitment_choices(commitments.bundled_commitments(), "not in the data yet")["KG0004"]
    'KG0004 — not in the data yet'
    """
    full = commitments.with_missing(df)
    # ``title`` is the title in the page's language (commitments.localised); without it, the English one.
    title = "title" if "title" in full.columns else "title_en"
    return {
        row.commitment_id: f"{row.commitment_id} — {getattr(row, title) if row.in_data else not_in_data}"
        for row in full.itertuples()
    }


def safe_links(cell: str) -> list[str]:
    """The http(s) links in a space-separated source cell; anything else (javascript:, data:) is dropped.

    >>> safe_links("https://a.org/x javascript:alert(1) http://b.kg")
    ['https://a.org/x', 'http://b.kg']
    """
    return [u for u in str(cell or "").split() if _HTTP.match(u)]


def md_link(label: str, url: str) -> str:
    r"""A Markdown link that cannot break out of its brackets; non-http(s) URLs give the label alone.

    >>> md_link("page [1]", "https://a.org/x_(y)"), md_link("x", "javascript:alert(1)")
    ('[page \\[1\\]](https://a.org/x_%28y%29)', 'x')
    """
    text = re.sub(r"([\\\[\]*_`])", r"\\\1", label)
    if not _HTTP.match(url or ""):
        return text
    quoted = url.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{text}]({quoted})"


def organisations(frame: pd.DataFrame) -> list[str]:
    """Distinct organisation names in a reports frame, case-insensitively deduplicated, sorted.

    >>> organisations(pd.DataFrame({"organisation": ["B", "a", "A"]}))
    ['a', 'B']
    """
    first: dict[str, str] = {}
    for name in frame["organisation"]:
        first.setdefault(str(name).strip().lower(), str(name).strip())
    return sorted(first.values(), key=str.lower)


def region_label(code: str, lang: str, _: Callable[[str], str]) -> str:
    """A region code, or "national", as a name in ``lang``.

    >>> region_label("national", "en", str), region_label("KG-B", "en", str)
    ('national', 'Batken Region')
    """
    return _(N_("national")) if code == NATIONAL else region_name(code, lang)


def reports_display(frame: pd.DataFrame, lang: str, _: Callable[[str], str]) -> pd.DataFrame:
    """A reports frame as the list shows it: translated status, region names, dates, a safe link column.

    >>> reports_display(pd.DataFrame(columns=["id"]), "en", str).empty
    True
    """
    if frame.empty:
        return pd.DataFrame()

    def each_distinct(column: str, show: Callable) -> pd.Series:
        # formatted once per distinct value: a workshop's hundreds of reports share few dates and places
        values = frame[column]
        return values.map({v: show(v) for v in values.unique()})

    out = pd.DataFrame({
        "id": frame["id"],
        "commitment": frame["commitment_id"],
        "activity": frame["activity"],
        "regions": each_distinct("regions", lambda s: ", ".join(region_label(c, lang, _) for c in s.split("; "))),
        "status": each_distinct("status", lambda s: _(STATUSES.get(s, s))),
        "observed": each_distinct("observed_on", lambda d: format_date(d, lang, "medium")),
        "organisation": frame["organisation"],
        "evidence": frame["evidence"],
        "link": each_distinct("evidence", evidence_link),
        "sample": frame["is_sample"].map(lambda s: _(N_("sample")) if s else ""),
    })
    return out.reset_index(drop=True)


def map_values(by_region: pd.DataFrame, metric: str) -> pd.Series:
    """Values for the map by ISO code: "reports" (0 is a real count) or "share" (% completed, NaN = none).

    >>> from atlas.ogp.reports import compute_stats
    >>> bool(map_values(compute_stats([]).by_region, "share").isna().all())
    True
    """
    table = by_region.reindex(list(CODES))
    if metric == "share":
        return (table["share_completed"] * 100).astype(float)
    return table["reports"].astype(float)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(title=dict(text=title, x=0), font=FONT, height=height, plot_bgcolor="white",
                      margin=dict(l=10, r=30, t=50, b=10),
                      legend=dict(orientation="h", y=-0.15, traceorder="normal"))
    return fig


def _count_ticks(highest: float) -> dict:
    # Counts are whole numbers: no "0.2 reports" ticks when there are only a few.
    return dict(tickformat=",d", dtick=max(1, int(highest) // 6 + (int(highest) % 6 > 0)), rangemode="tozero")


def count_bar(counts: pd.Series, title: str, count_label: str, wrap: int = 45) -> go.Figure:
    """Horizontal bars, largest on top, with the count written at each bar.

    >>> list(count_bar(pd.Series({"a": 2, "b": 1}), "t", "n").data[0].x)
    [1, 2]
    """
    ordered = counts.iloc[::-1]
    labels = [name if len(name) <= wrap else name[: wrap - 1] + "…" for name in ordered.index]
    fig = go.Figure(go.Bar(
        x=ordered.tolist(), y=labels, orientation="h", text=ordered.tolist(), textposition="outside",
        marker_color="#2c7fb8", hovertext=list(ordered.index), hovertemplate="%{hovertext}: %{x}<extra></extra>",
        name=count_label,
    ))
    ticks = _count_ticks(counts.max() if len(counts) else 0)
    fig.update_xaxes(title=count_label, showgrid=True, gridcolor="#eee", **ticks)
    return _layout(fig, title, max(240, 60 + 26 * len(ordered)))


def irm_bar(table: pd.DataFrame, _: Callable[[str], str], title: str, empty_label: str) -> go.Figure:
    """Stacked bars per IRM field: one segment per value, grey for empty cells.

    >>> len(irm_bar(irm_table(commitments.bundled_commitments()), str, "t", "empty").data) > 1
    True
    """
    fields = [_(IRM_FIELDS[f]) for f in table.index]
    fig = go.Figure()
    values = [c for c in table.columns if c != ""]
    for value in values:
        fig.add_bar(y=fields, x=table[value].tolist(), name=value, orientation="h",
                    text=[n or "" for n in table[value]], textposition="inside")
    fig.add_bar(y=fields, x=table[""].tolist(), name=empty_label, orientation="h", marker_color="#dededa",
                text=table[""].tolist(), textposition="inside")
    fig.update_layout(barmode="stack", yaxis=dict(autorange="reversed"))
    return _layout(fig, title, 380)


def status_bar(by_commitment: pd.DataFrame, _: Callable[[str], str], title: str, count_label: str,
               titles: dict[str, str] | None = None) -> go.Figure:
    """Stacked bars of report status counts per commitment (columns ``STATUSES`` keys).

    ``titles`` (ID → title in the page's language) are shown when hovering over a bar.

    >>> from atlas.ogp.reports import compute_stats
    >>> len(status_bar(compute_stats([]).by_commitment, str, "t", "n").data)
    5
    """
    fig = go.Figure()
    for key, label in STATUSES.items():
        column = by_commitment[key] if key in by_commitment else pd.Series(0, index=by_commitment.index)
        fig.add_bar(x=list(by_commitment.index), y=column.tolist(), name=_(label),
                    marker_color=STATUS_COLORS[key],
                    hovertext=[f"{c} — {titles[c]}" if titles and titles.get(c) else c for c in by_commitment.index])
    highest = by_commitment[list(STATUSES)].sum(axis=1).max() if len(by_commitment) else 0
    fig.update_layout(barmode="stack", xaxis=dict(type="category"), bargap=0.35 if len(by_commitment) > 3 else 0.7)
    fig.update_yaxes(title=count_label, gridcolor="#eee", **_count_ticks(highest))
    return _layout(fig, title, 420)


def timeline_bar(timeline: pd.DataFrame, lang: str, title: str, count_label: str) -> go.Figure:
    """Reports per month (by date observed), months written in ``lang``.

    >>> import datetime as dt
    >>> timeline_bar(pd.DataFrame({"month": [dt.date(2020, 3, 1)], "reports": [2]}), "en", "t", "n").data[0].x
    ('March 2020',)
    """
    labels = [format_date(m, lang, "LLLL y") for m in timeline["month"]]
    fig = go.Figure(go.Bar(x=labels, y=timeline["reports"].tolist(), marker_color="#2c7fb8", name=count_label))
    fig.update_layout(xaxis=dict(type="category"), bargap=0.3 if len(labels) > 3 else 0.7)
    ticks = _count_ticks(timeline["reports"].max() if len(labels) else 0)
    fig.update_yaxes(title=count_label, gridcolor="#eee", **ticks)
    return _layout(fig, title, 320)
