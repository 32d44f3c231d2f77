"""Monitoring dashboard (app_pages/dashboard.py): counts, map, timeline; samples only when asked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.keep import get_store
from atlas.ogp.reports import Report

ROOT = Path(__file__).resolve().parents[2]




def add(reports: list[tuple[str, tuple[str, ...], str, date]], samples: int = 0) -> None:
    store = get_store()
    for cid, regions, status, day in reports:
        store.add_report(Report(cid, regions, status, "seen at the akimiat", day, "Test NGO"), "key-1")
    if samples:
        store.load_samples(pin_ok=True, count=samples)
    store.close()


def run() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/dashboard.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_empty_store_says_there_are_no_reports():
    at = run()
    assert not at.exception
    assert "No monitoring reports yet" in at.info[0].value
    assert not at.metric


def test_only_samples_says_so_until_toggled():
    add([], samples=15)
    at = run()
    assert "Only illustrative sample reports exist so far (15)" in at.info[0].value
    at.toggle(key="dash_samples").set_value(True).run()
    assert metrics(at)["Reports"] == "15"
    assert any("not real data" in w.value for w in at.warning)


@pytest.mark.parametrize(
    "reports, expected",
    [
        ([("KG0001", ("KG-B",), "completed", date(2020, 3, 2))],
         {"Reports": "1", "Commitments with reports": "1", "National-level reports": "0"}),
        ([("KG0001", ("KG-B", "KG-N"), "completed", date(2020, 3, 2)),
          ("KG0002", ("national",), "stalled", date(2020, 4, 2)),
          ("KG0002", ("KG-N",), "in_progress", date(2020, 4, 9))],
         {"Reports": "3", "Commitments with reports": "2", "National-level reports": "1"}),
    ],
)
def test_counts_map_and_timeline_follow_the_reports(reports, expected):
    add(reports, samples=10)  # samples are stored but must not be counted
    at = run()
    assert not at.exception, at.exception
    assert metrics(at) == expected
    months = {d.replace(day=1) for *_, d in reports}
    timeline = at.get("plotly_chart")[-1]
    assert timeline.proto.spec.count('"type":"bar"') == 1
    for month in months:
        assert month.strftime("%B %Y") in timeline.proto.spec
    assert len(at.get("deck_gl_json_chart")) == 1
    text = " ".join(m.value for m in at.markdown)
    assert "Highest: " in text
    # counts read as bare numbers ("Batken Region (1)"): never "1 reports"
    assert "Lowest: " in text and " reports)" not in text and "(1)" in text


def test_share_completed_on_the_map():
    add([("KG0001", ("KG-B",), "completed", date(2020, 3, 2)),
         ("KG0001", ("KG-B",), "stalled", date(2020, 3, 5)),
         ("KG0003", ("KG-T",), "completed", date(2020, 3, 9))])
    at = run()
    at.radio(key="dash_metric").set_value("share").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Highest: Talas Region (100 %)" in text
    assert "Lowest: Batken Region (50 %)" in text
    assert "No data:" in text  # regions without reports are no data, not 0 %
