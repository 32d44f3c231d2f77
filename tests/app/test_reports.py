"""Monitoring reports (app_pages/reports.py): form validation per field, saving, ownership, list filters, samples."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.keep import get_store
from atlas.ogp.reports import local_today

ROOT = Path(__file__).resolve().parents[2]




def run() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/reports.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    return at.run()


def fill(at: AppTest, prefix: str = "new", **changes) -> AppTest:
    values = {
        "commitment": "KG0003", "regions": ["KG-N", "KG-O"], "status": "stalled",
        "evidence": "https://example.kg/minutes", "observed": local_today() - timedelta(days=3),
        "organisation": "Naryn Youth Centre", "activity": "Health data portal launch",
    } | changes
    at.selectbox(key=f"{prefix}_commitment").select(values["commitment"])
    at.multiselect(key=f"{prefix}_regions").set_value(values["regions"])
    at.selectbox(key=f"{prefix}_status").select(values["status"])
    at.text_area(key=f"{prefix}_evidence").input(values["evidence"])
    at.date_input(key=f"{prefix}_observed").set_value(values["observed"])
    at.text_input(key=f"{prefix}_organisation").input(values["organisation"])
    at.text_input(key=f"{prefix}_activity").input(values["activity"])
    return at.button(key=f"{prefix}_submit").click().run()


def errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def shown(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize(
    "change, message",
    [
        ({"observed": local_today() + timedelta(days=10)}, "is in the future"),
        ({"evidence": "javascript:alert(1)"}, "must start with http:// or https://"),
        ({"regions": ["KG-N", "national"]}, 'either "national" or regions'),
        ({"organisation": "  "}, "Name the organisation"),
    ],
)
def test_a_bad_field_shows_its_message_and_nothing_is_saved(change, message):
    at = fill(run(), **change)
    assert not at.exception
    assert message in errors(at)
    assert "1 field needs fixing" in errors(at)
    assert "0 reports shown." in shown(at)
    assert not at.code  # no editor key shown: nothing was saved


def test_a_valid_report_is_saved_listed_and_its_key_shown():
    at = fill(run())
    assert not at.exception, at.exception
    assert errors(at) == ""
    assert any("is saved" in s.value for s in at.success)
    assert at.code[0].value == at.session_state["editor_key"]
    assert "1 report shown." in shown(at)
    table = at.dataframe[0].value
    row = table.iloc[0]
    assert (row["commitment"], row["status"], row["organisation"]) == ("KG0003", "stalled", "Naryn Youth Centre")
    assert row["regions"] == "Naryn Region, Osh Region"
    assert row["link"] == "https://example.kg/minutes"


def test_the_owner_can_edit_another_session_cannot_without_the_key():
    at = fill(run())
    key = at.session_state["editor_key"]
    at = fill(at.run(), prefix="edit1", status="completed")
    assert any("is changed" in s.value for s in at.success)
    assert at.dataframe[0].value.iloc[0]["status"] == "completed"

    other = run()
    assert "No reports of yours yet" in " ".join(c.value for c in other.caption)
    with pytest.raises(KeyError):
        other.selectbox(key="reports_mine")
    other.text_input(key="reports_kept_key").input("not-the-key").run()
    assert "No reports of yours yet" in " ".join(c.value for c in other.caption)
    other.text_input(key="reports_kept_key").input(key).run()
    assert other.selectbox(key="reports_mine").value == 1  # the kept key finds the report
    assert len(other.selectbox(key="reports_mine").options) == 1


def test_withdraw_needs_confirmation_and_removes_the_report():
    at = fill(run())
    at = at.run()
    assert at.button(key="withdraw_1").disabled
    at.checkbox(key="withdraw_sure_1").check().run()
    at.button(key="withdraw_1").click().run()
    assert any("withdrawn" in s.value for s in at.success)
    assert "0 reports shown." in shown(at)


def test_samples_are_hidden_until_toggled_and_labelled():
    store = get_store()
    loaded = store.load_samples(pin_ok=True, count=12)
    store.close()
    at = run()
    assert "0 reports shown." in shown(at)
    at.toggle(key="list_samples").set_value(True).run()
    assert f"{loaded} reports shown." in shown(at)
    assert set(at.dataframe[0].value["sample"]) == {"sample"}
    assert any("not real data" in w.value for w in at.warning)


def test_filters_narrow_the_list():
    at = fill(run())
    at = fill(at, regions=["KG-B"], status="completed", organisation="Batken Women")
    assert "2 reports shown." in shown(at)
    at.selectbox(key="list_region").select("KG-B").run()
    assert "1 report shown." in shown(at)
    at.selectbox(key="list_region").select(None).run()
    at.selectbox(key="list_org").select("Naryn Youth Centre").run()
    assert at.dataframe[0].value["organisation"].tolist() == ["Naryn Youth Centre"]
