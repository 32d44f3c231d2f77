"""plotly Figure builders. Plotly's JavaScript ships inside Streamlit, so charts need no CDN."""

from __future__ import annotations

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
