"""atlas.ogp.monitoring: commitment filters and counts, safe links, report tables, chart builders."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from atlas import ogp
from atlas.ogp import monitoring as m
from atlas.ogp.reports import Report, compute_stats

TABLE = ogp.bundled_commitments()


def table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame([{c: "" for c in ogp.COLUMNS} | r for r in rows])


SMALL = table([
    {"commitment_id": "KG0001", "policy_areas": "Open Data; Health", "lead_institution": "MoH",
     "irm_verifiable": "Yes"},
    {"commitment_id": "KG0002", "policy_areas": "Open Data", "lead_institution": "MoF", "irm_verifiable": ""},
    {"commitment_id": "KG0007", "policy_areas": "Budget; NA", "lead_institution": "MoF", "irm_verifiable": "No"},
])


@pytest.mark.parametrize(
    "kwargs, ids",
    [
        ({}, ["KG0001", "KG0002", "KG0007"]),
        ({"areas": ["Health"]}, ["KG0001"]),
        ({"areas": ["Health", "Budget"]}, ["KG0001", "KG0007"]),
        ({"leads": ["MoF"]}, ["KG0002", "KG0007"]),
        ({"areas": ["Open Data"], "leads": ["MoF"]}, ["KG0002"]),
        ({"irm_field": "irm_verifiable", "irm_value": ""}, ["KG0002"]),
        ({"irm_field": "irm_verifiable", "irm_value": "Yes"}, ["KG0001"]),
        ({"irm_field": "not_a_field", "irm_value": "Yes"}, ["KG0001", "KG0002", "KG0007"]),
        ({"areas": ["NA"]}, []),
    ],
)
def test_filter_commitments(kwargs, ids):
    assert m.filter_commitments(SMALL, **kwargs)["commitment_id"].tolist() == ids


def test_tag_counts_and_options():
    assert m.tag_counts(SMALL, "policy_areas").to_dict() == {"Open Data": 2, "Budget": 1, "Health": 1}
    assert m.tag_options(SMALL, "policy_areas") == ["Budget", "Health", "Open Data"]
    assert m.tag_counts(SMALL.iloc[0:0], "policy_areas").empty


def test_irm_table_counts_every_cell_once():
    irm = m.irm_table(TABLE)
    assert list(irm.index) == list(m.IRM_FIELDS)
    assert (irm.sum(axis=1) == len(TABLE)).all()
    assert irm.loc["irm_verifiable", ""] == int((TABLE["irm_verifiable"] == "").sum())
    assert m.empty_irm_fields(SMALL) == [f for f in m.IRM_FIELDS if f != "irm_verifiable"]


def test_commitment_choices_label_missing_ids_and_never_invent_titles():
    choices = m.commitment_choices(TABLE, "not in the data yet")
    assert len(choices) == 26 and list(choices) == sorted(choices)
    missing = [c for c, label in choices.items() if label.endswith("not in the data yet")]
    assert missing == ["KG0004", "KG0005", "KG0008", "KG0013", "KG0014", "KG0015"]
    assert choices["KG0001"] == "KG0001 — Open Data"


@pytest.mark.parametrize(
    "cell, links",
    [
        ("https://a.org/x", ["https://a.org/x"]),
        ("http://a.org https://b.org/y", ["http://a.org", "https://b.org/y"]),
        ("javascript:alert(1) data:text/html,x file:///etc/passwd ftp://a.org", []),
        ("  ", []),
        ("HTTPS://A.ORG/x", ["HTTPS://A.ORG/x"]),
    ],
)
def test_safe_links(cell, links):
    assert m.safe_links(cell) == links


@pytest.mark.parametrize(
    "label, url, expected",
    [
        ("page 1", "https://a.org/x", "[page 1](https://a.org/x)"),
        ("p", "https://a.org/x)](javascript:alert(1)", "[p](https://a.org/x%29]%28javascript:alert%281%29)"),
        ("p", "javascript:alert(1)", "p"),
        ("[x]", "https://a.org", r"[\[x\]](https://a.org)"),
    ],
)
def test_md_link_cannot_escape(label, url, expected):
    assert m.md_link(label, url) == expected


def test_organisations_case_insensitive():
    frame = pd.DataFrame({"organisation": ["Budget Watch", "budget watch ", "Aigerim NGO"]})
    assert m.organisations(frame) == ["Aigerim NGO", "Budget Watch"]


REPORTS = [
    Report("KG0001", ("KG-B", "KG-N"), "completed", "https://e.kg/1", date(2020, 3, 2), "A", id=1),
    Report("KG0001", ("KG-B",), "stalled", "seen", date(2020, 3, 20), "B", id=2, is_sample=True),
    Report("KG0004", ("national",), "unclear", "seen", date(2020, 5, 1), "C", id=3),
]


def test_reports_display_translates_and_links_safely():
    frame = pd.DataFrame([{**r.__dict__, "regions": "; ".join(r.regions)} for r in REPORTS])
    shown = m.reports_display(frame, "en", str)
    assert shown["regions"].tolist() == ["Batken Region, Naryn Region", "Batken Region", "national"]
    assert shown["link"][0] == "https://e.kg/1" and shown["link"][1:].isna().all()
    assert shown["sample"].tolist() == ["", "sample", ""]
    assert shown["observed"].tolist()[0] == "Mar 2, 2020"


@pytest.mark.parametrize(
    "metric, expected",
    [("reports", {"KG-B": 2.0, "KG-N": 1.0, "KG-T": 0.0}), ("share", {"KG-B": 50.0, "KG-N": 100.0})],
)
def test_map_values(metric, expected):
    values = m.map_values(compute_stats(REPORTS).by_region, metric)
    assert list(values.index) == ["KG-B", "KG-C", "KG-J", "KG-N", "KG-O", "KG-T", "KG-Y", "KG-GB", "KG-GO"]
    for code, value in expected.items():
        assert values[code] == value
    assert metric == "reports" or pd.isna(values["KG-T"])  # no reports: no data, not 0 %


def test_charts_carry_the_numbers():
    stats = compute_stats(REPORTS)
    status = m.status_bar(stats.by_commitment, str, "t", "n")
    by_name = {trace.name: list(trace.y) for trace in status.data}
    assert by_name["completed"] == [1, 0] and by_name["unclear"] == [0, 1]
    timeline = m.timeline_bar(stats.timeline, "ru", "t", "n")
    assert list(timeline.data[0].y) == [2, 1]
    assert list(timeline.data[0].x)[0].lower().startswith("март")
    bars = m.count_bar(pd.Series({"a very long institution name indeed": 3, "b": 1}), "t", "n", wrap=10)
    assert list(bars.data[0].y) == ["b", "a very lo…"]
    irm = m.irm_bar(m.irm_table(SMALL), str, "t", "empty")
    assert irm.data[-1].name == "empty" and sum(irm.data[-1].x) == int((SMALL[list(m.IRM_FIELDS)] == "").sum().sum())
