"""Commitments explorer (app_pages/ogp.py): filters change the count, missing IDs listed, cards link safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas import ogp
from atlas.ogp import monitoring

ROOT = Path(__file__).resolve().parents[2]
TABLE = ogp.bundled_commitments()




def run(lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / "app_pages/ogp.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def shown_count(at: AppTest) -> tuple[int, int]:
    text = " ".join(m.value for m in at.markdown)
    found = re.search(r"Commitments that match: \*\*(\d+)\*\* of (\d+)", text)
    assert found, text
    return int(found.group(1)), int(found.group(2))


def test_all_commitments_and_the_disagreement_are_shown():
    at = run()
    assert not at.exception
    assert shown_count(at) == (20, 20)
    note = " ".join(i.value for i in at.info)
    for fact in ("18", "25", "KG0026", "19", "24.kg"):
        assert fact in note
    assert "Source" in " ".join(c.value for c in at.caption)


def test_missing_ids_are_listed_as_not_in_the_data():
    at = run()
    text = " ".join(m.value for m in at.markdown)
    for cid in ("KG0004", "KG0005", "KG0008", "KG0013", "KG0014", "KG0015"):
        assert cid in text
    at.selectbox(key="ogp_detail").select("KG0004").run()
    assert any("not in the data yet" in w.value for w in at.warning)


@pytest.mark.parametrize(
    "key, value, expected",
    [
        ("ogp_areas", ["Open Parliaments"], lambda t: monitoring.filter_commitments(t, areas=["Open Parliaments"])),
        ("ogp_leads", ["Ministry of Finance of Kyrgyz Republic"],
         lambda t: t[t["lead_institution"] == "Ministry of Finance of Kyrgyz Republic"]),
    ],
)
def test_filters_change_the_count(key, value, expected):
    at = run()
    options = at.multiselect(key=key).options
    assert set(value) <= set(options), options
    at.multiselect(key=key).set_value(value).run()
    count = len(expected(TABLE))
    assert 0 < count < 20
    assert shown_count(at) == (count, 20)


def test_irm_filter_for_empty_values():
    at = run()
    at.selectbox(key="ogp_irm_field").select("irm_verifiable").run()
    at.selectbox(key="ogp_irm_value").select("").run()
    empty = int((TABLE["irm_verifiable"] == "").sum())
    assert shown_count(at) == (empty, 20)


def test_detail_card_links_only_http_sources():
    at = run()
    at.selectbox(key="ogp_detail").select("KG0001").run()
    text = " ".join(m.value for m in at.markdown)
    assert "Open Data" in text
    assert "](https://www.opengovpartnership.org/members/kyrgyz-republic/commitments/KG0001/)" in text


@pytest.mark.parametrize(("lang", "title", "lead"), [
    ("ru", "Открытые данные", "Министерство финансов Кыргызской Республики"),
    ("ky", "Ачык маалыматтар", "Кыргыз Республикасынын Финансы министрлиги"),
])
def test_titles_and_leads_are_shown_in_the_page_language(lang, title, lead):
    at = run(lang)
    assert not at.exception
    table = at.dataframe[0].value
    assert title in set(table["title"]) and lead in set(table["lead"])
    assert not set(table["title"]) & set(TABLE["title_en"]), "no title is left in English"
    assert any("OGP" in c.value and ("перевод" in c.value or "которулган" in c.value) for c in at.caption)
    # the lead filter lists the translated names and still filters by institution
    at.multiselect(key="ogp_leads").set_value(["Ministry of Finance of Kyrgyz Republic"]).run()
    assert lead in at.multiselect(key="ogp_leads").options
    count = int((TABLE["lead_institution"] == "Ministry of Finance of Kyrgyz Republic").sum())
    assert set(at.dataframe[0].value["lead"]) == {lead}
    assert len(at.dataframe[0].value) == count
    at.selectbox(key="ogp_detail").select("KG0001").run()
    assert any(h.value.endswith(title) for h in at.subheader)
    assert "Open Data" in " ".join(m.value for m in at.markdown)  # the English title stays on the card


def test_english_page_has_no_translation_note():
    at = run("en")
    assert not any("translation" in c.value for c in at.caption)
