"""plotly Figure builders. Plotly's JavaScript ships inside Streamlit, so charts need no CDN."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

import pandas as pd
import plotly.graph_objects as go

FONT = dict(family="DejaVu Sans, Arial, sans-serif", size=13, color="#1d2b33")
NO_DATA_BAR = "#dededa"


def ranked_bar(
    values: pd.Series,
    names: Mapping[str, str],
    colors: Mapping[str, str | None],
    fmt: Callable[[float], str],
    no_data_label: str,
    average: float | None = None,
    average_label: str = "",
    highlight: str | None = None,
) -> go.Figure:
    """Horizontal bars, highest on top, coloured like the map; regions without data are listed
    at the bottom with the words "no data" instead of a zero-length bar.

    >>> s = pd.Series({"KG-N": 2.0, "KG-T": None})
    >>> fig = ranked_bar(s, {"KG-N": "Naryn", "KG-T": "Talas"}, {"KG-N": "#123456"}, str, "no data")
    >>> list(fig.data[0].y)
    ['Talas', 'Naryn']
    """
    ordered = values.sort_values(ascending=True, na_position="first")
    labels = [names.get(code, code) for code in ordered.index]
    texts = [no_data_label if pd.isna(v) else fmt(v) for v in ordered]
    bar_colors = [colors.get(code) or NO_DATA_BAR for code in ordered.index]
    lines = [2.5 if code == highlight else 0 for code in ordered.index]
    fig = go.Figure(
        go.Bar(
            x=ordered.fillna(0).tolist(), y=labels, orientation="h", text=texts, textposition="outside",
            marker=dict(color=bar_colors, line=dict(color="#14181b", width=lines)),
            customdata=list(ordered.index), hovertext=texts, hoverinfo="y+text", cliponaxis=False,
        )
    )
    if average is not None and pd.notna(average):
        fig.add_vline(x=average, line=dict(color="#555", dash="dot", width=1.5))
        fig.add_annotation(x=average, y=-0.02, yref="paper", yanchor="top", text=average_label,
                           showarrow=False, font=dict(size=11, color="#555"), xanchor="center")
    top = float(ordered.max()) if ordered.notna().any() else 1.0
    fig.update_layout(
        font=FONT, margin=dict(l=8, r=16, t=8, b=28), height=40 + 34 * len(ordered),
        plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)", showlegend=False,
        xaxis=dict(visible=False, range=[0, top * 1.45]), yaxis=dict(tickfont=dict(size=13)),
        dragmode=False,
    )
    return fig


def time_series(
    by_year: pd.DataFrame,
    names: Mapping[str, str],
    fmt: Callable[[float], str],
    highlight: str | None = None,
    current_year: int | None = None,
) -> go.Figure:
    """One line per region across the years (rows: years, columns: ISO codes, NaN = no data);
    the highlighted region is drawn thick and dark, the others thin and pale.

    >>> df = pd.DataFrame({"KG-N": [1.0, 2.0], "KG-T": [3.0, None]}, index=[2019, 2020])
    >>> [t.name for t in time_series(df, {"KG-N": "Naryn"}, str, highlight="KG-N").data]
    ['KG-T', 'Naryn']
    """
    fig = go.Figure()
    # The highlighted line last, so it is drawn on top.
    order = sorted(by_year.columns, key=lambda code: code == highlight)
    for code in order:
        series = by_year[code]
        hot = code == highlight
        fig.add_trace(go.Scatter(
            x=list(by_year.index), y=series.tolist(), mode="lines+markers", name=names.get(code, code),
            line=dict(color="#14181b" if hot else "#8aa7b3", width=3 if hot else 1.3),
            marker=dict(size=6 if hot else 4), customdata=[code] * len(series), connectgaps=False,
            hovertext=[f"{names.get(code, code)}: {fmt(v)}" if pd.notna(v) else names.get(code, code)
                       for v in series],
            hoverinfo="text+x",
        ))
    if current_year is not None:
        fig.add_vline(x=current_year, line=dict(color="#999", dash="dot", width=1))
    fig.update_layout(
        font=FONT, margin=dict(l=8, r=8, t=8, b=8), height=280, showlegend=False,
        plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)", dragmode=False,
        xaxis=dict(tickformat="d", dtick=1), yaxis=dict(gridcolor="#e6e6e1", rangemode="tozero"),
    )
    return fig


def class_histogram(
    values: pd.Series,
    breaks: list[float],
    lower: float,
    colors: list[str],
    names: Mapping[str, str],
    fmt: Callable[[float], str],
    highlight: str | None = None,
) -> go.Figure:
    """Where the regions' values fall, one dot-stacked bar per class interval, with every class
    break drawn as a vertical line. With nine regions each region is a block of its own, so a
    reader sees exactly which regions share a class.

    >>> s = pd.Series({"KG-N": 1.0, "KG-T": 4.0, "KG-B": None})
    >>> fig = class_histogram(s, [2.0, 4.0], 1.0, ["#eee", "#333"], {}, str)
    >>> sorted(shape.x0 for shape in fig.layout.shapes)
    [1.0, 2.0, 4.0]
    """
    known = pd.to_numeric(values, errors="coerce").dropna().sort_values()
    edges = [lower, *breaks]
    bars: dict[str, list] = {k: [] for k in ("x", "base", "width", "color", "line", "lw", "code", "text")}
    for i, upper in enumerate(breaks):
        low = edges[i]
        inside = known[(known > low) | ((known == low) & (i == 0))]
        inside = inside[inside <= upper]
        for stack, (code, value) in enumerate(inside.items()):
            hot = code == highlight
            bars["x"].append((low + upper) / 2)
            bars["base"].append(stack)
            bars["width"].append(max(upper - low, 1e-9) * 0.94)
            bars["color"].append(colors[i] if i < len(colors) else NO_DATA_BAR)
            bars["line"].append("#14181b" if hot else "#ffffff")
            bars["lw"].append(2.5 if hot else 1)
            bars["code"].append(code)
            bars["text"].append(f"{names.get(code, code)}: {fmt(value)}")
    # One trace for all blocks: plotly validates per trace, and nine traces cost ~10x the time.
    fig = go.Figure(go.Bar(
        x=bars["x"], y=[1] * len(bars["x"]), base=bars["base"], width=bars["width"],
        marker=dict(color=bars["color"], line=dict(color=bars["line"], width=bars["lw"])),
        customdata=bars["code"], hovertext=bars["text"], hoverinfo="text",
    ))
    lines = [dict(type="line", xref="x", yref="paper", x0=e, x1=e, y0=0, y1=1,
                  line=dict(color="#555", dash="dot", width=1)) for e in edges]
    fig.update_layout(
        shapes=lines, font=FONT, margin=dict(l=8, r=8, t=8, b=8), height=220, showlegend=False, barmode="overlay",
        plot_bgcolor="rgba(0,0,0,0)", paper_bgcolor="rgba(0,0,0,0)", dragmode=False,
        yaxis=dict(dtick=1, title=None, gridcolor="#e6e6e1"), xaxis=dict(tickvals=edges,
                                                                          ticktext=[fmt(e) for e in edges]),
    )
    return fig


def ranked_bar_html(
    values: pd.Series,
    names: Mapping[str, str],
    colors: Mapping[str, str | None],
    fmt: Callable[[float], str],
    no_data_label: str,
    average: float | None = None,
    average_label: str = "",
) -> str:
    """The ranked bar as plain HTML and CSS: no chart library to load, so it costs the first page
    nothing but its bytes. Every text is escaped; colours must be ``#rrggbb``.

    >>> html_text = ranked_bar_html(pd.Series({"KG-N": 2.0, "KG-T": None}), {"KG-N": "<b>N</b>"},
    ...                             {"KG-N": "#123456"}, str, "no data")
    >>> "&lt;b&gt;N&lt;/b&gt;" in html_text and "no data" in html_text
    True
    """
    ordered = values.sort_values(ascending=False, na_position="last")
    top = float(ordered.max()) if ordered.notna().any() and ordered.max() > 0 else 1.0
    avg = None if average is None or pd.isna(average) else min(100.0, max(0.0, float(average)) / top * 100)
    rows = []
    for code, value in ordered.items():
        name = html.escape(names.get(code, code))
        color = colors.get(code)
        color = color if color and _HEX.fullmatch(color) else NO_DATA_BAR
        width = 0.0 if pd.isna(value) else max(0.0, float(value)) / top * 100
        text = html.escape(no_data_label if pd.isna(value) else fmt(value))
        # the bar (and the average's dotted line) are drawn by the stylesheet from two variables: a
        # rayon ranking has 55 rows, resent whenever the palette changes
        rows.append(
            f"<div class='rb-row' role='listitem'><span class='rb-name'>{name}</span>"
            f"<span class='rb-area' style='--w:{width:.1f}%;--c:{color}'></span>"
            f"<span class='rb-value'>{text}</span></div>"
        )
    if avg is None:
        return f"<div class='rb' role='list'>{''.join(rows)}</div>{RANKED_BAR_CSS}"
    rows.append(
        f"<div class='rb-row' role='listitem'><span class='rb-name'></span><span class='rb-area'>"
        f"<span class='rb-avg'>{html.escape(average_label)}: "
        f"{html.escape(fmt(average))}</span></span><span class='rb-value'></span></div>"
    )
    # a dotted line at the national average through every row, so the rows make one line
    return f"<div class='rb rb-with-avg' role='list' style='--avg:{avg:.1f}%'>{''.join(rows)}</div>{RANKED_BAR_CSS}"


_HEX = re.compile(r"#[0-9a-fA-F]{6}")
RANKED_BAR_CSS = """<style>
.rb{font-size:0.92rem;line-height:1.25}
.rb-row{display:flex;align-items:center;gap:.6em;margin:0;padding:.14em 0}
.rb-name{flex:0 0 38%;text-align:right;color:#44525a;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.rb-area{flex:1;position:relative;height:1.3em}
.rb-area[style]::before{content:"";position:absolute;left:0;top:0;bottom:0;width:var(--w);background:var(--c);
  border-radius:2px;min-width:2px}
.rb-avg{position:absolute;top:0;left:var(--avg);transform:translateX(-50%);font-size:.8rem;color:#555;white-space:nowrap}
.rb-with-avg .rb-row:not(:last-child) .rb-area::after{content:"";position:absolute;left:var(--avg);
  top:-.2em;bottom:-.2em;border-left:1.5px dotted #555}
.rb-value{flex:0 0 6.5em;white-space:nowrap;color:#1d2b33}
</style>"""
