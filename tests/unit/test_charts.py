"""plotly builders for the map builder: time series per region, class histogram with breaks."""

from __future__ import annotations

import pandas as pd
import pytest

from atlas.draw import charts
from atlas.draw.classify import classify


@pytest.mark.parametrize("highlight", [None, "KG-N", "KG-T"])
def test_time_series_draws_one_line_per_region_highlight_on_top(highlight):
    df = pd.DataFrame({"KG-N": [1.0, 2.0, 3.0], "KG-T": [3.0, None, 1.0], "KG-B": [0.0, 0.0, 0.0]},
                      index=[2019, 2020, 2021])
    fig = charts.time_series(df, {"KG-N": "Naryn", "KG-T": "Talas", "KG-B": "Batken"}, str, highlight, 2020)
    assert len(fig.data) == 3
    assert list(fig.data[0].x) == [2019, 2020, 2021]
    if highlight:
        assert fig.data[-1].customdata[0] == highlight and fig.data[-1].line.width > fig.data[0].line.width
    assert any(shape.x0 == 2020 for shape in fig.layout.shapes)  # the year on the map is marked


@pytest.mark.parametrize(("values", "scheme", "k"), [
    ([1, 2, 3, 10, 20, 30, 100, 200, None], "quantiles", 3),
    ([0, 0, 1, 5, 5, 9, 9, 9, 40], "equal_interval", 4),
    ([1, 2, 3, 4, 5, 6, 7, 8, 9], "natural_breaks", 5),
])
def test_histogram_puts_each_region_in_its_class_and_draws_every_break(values, scheme, k):
    codes = [f"R{i}" for i in range(len(values))]
    s = pd.Series(values, index=codes, dtype=float)
    c = classify(s, scheme=scheme, k=k)
    fig = charts.class_histogram(s, list(c.bins), c.lower, list(c.colors), {}, str)
    bar = fig.data[0]
    assert len(bar.x) == s.notna().sum()  # one block per region with data, none for no data
    klass = dict(zip(codes, c.class_of(s), strict=True))
    for code, color in zip(bar.customdata, bar.marker.color, strict=True):
        assert color == c.colors[klass[code]]
    assert sorted(shape.x0 for shape in fig.layout.shapes) == sorted([c.lower, *c.bins])


def test_html_ranked_bar_orders_scales_escapes_and_names_no_data():
    import re

    import pandas as pd

    from atlas.draw.charts import ranked_bar_html

    values = pd.Series({"KG-N": 50.0, "KG-T": 100.0, "KG-B": None})
    names = {"KG-N": "Naryn", "KG-T": "<script>x</script>", "KG-B": "Batken"}
    out = ranked_bar_html(values, names, {"KG-N": "#112233", "KG-T": "javascript:x"}, lambda v: f"{v:g}",
                          "No data", average=75.0, average_label="average")
    widths = [float(w) for w in re.findall(r"style='--w:([0-9.]+)%", out)]
    assert widths == [100.0, 50.0, 0.0]  # highest first, proportional, no data has no bar
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "javascript:" not in out  # a colour that is not #rrggbb is replaced
    assert out.index("&lt;script&gt;") < out.index("Naryn") < out.index("Batken")
    assert "No data" in out and "average: 75" in out and "--avg:75.0%" in out
