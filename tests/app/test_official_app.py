"""Official statistics in the pages: the picker on the Overview and in the builder in every language,
the refusal to divide a rate by population, the change-since map, and the commitment pages."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from atlas.i18n import LANGS, fmt_number, translator
from atlas.values import official
from tests.app.test_pages import ROOT, run_page

KY_COMMITTEE = "Улуттук статистика комитети"
RU_COMMITTEE = "Национальный статистический комитет"


def texts(at: AppTest) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


@pytest.mark.parametrize("lang", LANGS)
def test_overview_opens_on_an_official_rate_with_its_source_and_country_value(lang):
    at = run_page("app_pages/overview.py", lang)
    assert not at.exception
    _ = translator(lang)
    assert at.radio(key="overview_source").value == "official"
    series = at.selectbox(key="overview_sdg_series").value
    year = at.select_slider(key="overview_sdg_year").value
    assert (series, year) == ("SI_POV_NAHC", official.years("SI_POV_NAHC")[-1])
    shown = texts(at)
    assert official.name(series, lang) in shown  # the caption and legend, in the page's language
    assert f"{series} · {year}" in shown and _("National Statistical Committee of the Kyrgyz Republic, "
                                                "national SDG platform") in shown
    national = fmt_number(official.national(series, year), lang)
    assert f"{_('Kyrgyzstan')}: {national} %" in shown  # the legend's reference line
    assert not at.warning  # no "not real data" banner: this is the statistics office's data


@pytest.mark.parametrize("lang", LANGS)
def test_overview_picker_walks_goal_target_series_and_breakdown(lang):
    at = run_page("app_pages/overview.py", lang)
    at.selectbox(key="overview_sdg_goal").select("8").run()
    at.selectbox(key="overview_sdg_target").select("8.5").run()
    assert at.selectbox(key="overview_sdg_series").value == "SL_TLF_UEM"
    at.selectbox(key="overview_sdg_breakdown").select("sex=F").run()
    at.select_slider(key="overview_sdg_year").set_value(2015).run()
    assert not at.exception
    value = official.values("SL_TLF_UEM", 2015, {"sex": "F"})["KG-N"]
    ranking = next(m.value for m in at.markdown if "rb-row" in m.value)
    assert fmt_number(value, lang) in ranking
    label = official.codes().loc[("sex", "F"), f"name_{lang}"]
    assert f"{official.name('SL_TLF_UEM', lang)} ({label})" in texts(at)


def test_overview_change_since_map_in_kyrgyz():
    at = run_page("app_pages/overview.py", "ky")
    at.toggle(key="overview_sdg_change").set_value(True).run()
    at.select_slider(key="overview_sdg_since").set_value(2015).run()
    assert not at.exception
    assert len(at.get("deck_gl_json_chart")) == 2  # the year's map and the change map
    change = official.change_since("SI_POV_NAHC", 2015, 2023)
    shown = texts(at)
    assert "SI_POV_NAHC · 2015–2023" in shown
    assert "пайыздык пункт" in shown  # a difference of percentages is in percentage points
    top = max(change, key=lambda c: change[c])
    assert fmt_number(change[top], "ky") in shown


@pytest.mark.parametrize("lang", LANGS)
def test_builder_maps_an_official_series_and_refuses_per_capita_for_a_rate(lang):
    at = run_page("app_pages/builder.py", lang)
    at.selectbox(key="builder_dataset").select("sdg").run()
    assert not at.exception and not at.error
    _ = translator(lang)
    assert at.query_params["d"] == ["sdg:SI_POV_NAHC"] or at.query_params["d"] == "sdg:SI_POV_NAHC"
    assert "SI_POV_NAHC" in texts(at)
    at.radio(key="builder_normalisation").set_value("per_10k").run()
    errors = " ".join(e.value for e in at.error)
    assert official.name("SI_POV_NAHC", lang) in errors
    assert _("As counted (no adjustment)") in errors
    assert not at.get("deck_gl_json_chart")  # no map of a meaningless number


def test_builder_change_since_and_count_series_per_capita():
    at = run_page("app_pages/builder.py", "en")
    at.selectbox(key="builder_dataset").select("sdg").run()
    at.selectbox(key="builder_since").set_value(2010).run()
    assert not at.exception and not at.error
    assert any("Change in" in c.value and "2010 to 2023" in c.value for c in at.caption)
    at.selectbox(key="builder_since").set_value(None).run()
    at.selectbox(key="builder_sdg_goal").select("13").run()
    assert at.selectbox(key="builder_sdg_series").value == "VC_DSR_MORT"  # a count, not a rate
    at.radio(key="builder_normalisation").set_value("per_10k").run()
    assert not at.error and at.get("deck_gl_json_chart")


def test_builder_link_to_an_official_breakdown_restores_the_picker():
    at = AppTest.from_file(str(ROOT / "app_pages/builder.py"), default_timeout=60)
    at.query_params.update({"d": "sdg:SL_TLF_UEM:sex=F", "y": "2020", "lang": "ru"})
    at.run()
    assert not at.exception and not at.error
    assert at.selectbox(key="builder_sdg_series").value == "SL_TLF_UEM"
    assert at.selectbox(key="builder_sdg_breakdown").value == "sex=F"
    assert at.select_slider(key="builder_year").value == 2020
    assert RU_COMMITTEE in texts(at)


def test_commitment_detail_shows_linked_series_with_reason_and_source():
    at = run_page("app_pages/ogp.py", "ky")
    at.selectbox(key="ogp_detail").set_value("KG0003").run()
    assert not at.exception
    shown = texts(at)
    for series in official.series_for_commitment("KG0003"):
        assert f"[{series}]" in shown
        assert official.link_reason("KG0003", series, "ky") in shown
    assert KY_COMMITTEE in shown
    assert len(at.dataframe) >= 1 + len(official.series_for_commitment("KG0003"))


def test_dashboard_puts_statistics_beside_monitoring_reports():
    from atlas.ogp.reports import ReportFilter
    from ui.state import store

    store().load_samples(pin_ok=True)
    at = run_page("app_pages/dashboard.py", "en", dash_samples=True)
    at.selectbox(key="dash_linked_commitment").set_value("KG0026").run()
    assert not at.exception
    shown = texts(at)
    assert "[_L_KG_160501_1A]" in shown and official.link_reason("KG0026", "_L_KG_160501_1A", "en") in shown
    assert len(at.dataframe) == len(official.series_for_commitment("KG0026"))  # one table per linked series
    table = at.dataframe[0].value  # _L_KG_160501_1A, the first link
    reports = store().report_stats(ReportFilter(commitment_id="KG0026"), include_samples=True).by_region
    assert table["reports"].tolist() == reports["reports"].iloc[:9].tolist()
