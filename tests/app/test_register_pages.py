"""The register pages (app_pages/register.py, register_map.py): the form's messages per field, the key
shown once, edit and withdraw with the key, a wrong key refused, the live map and table in three languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from atlas.keep import get_store
from atlas.ogp.register import Activity, Entry
from atlas.places import units

ROOT = Path(__file__).resolve().parents[2]


def run(page: str = "register", lang: str = "en") -> AppTest:
    at = AppTest.from_file(str(ROOT / f"app_pages/{page}.py"), default_timeout=60)
    at.query_params["lang"] = lang
    return at.run()


def fill(at: AppTest, prefix: str = "reg_new", **changes) -> AppTest:
    values = {"name": "Suu Bulak", "type": "ngo", "theme": "water", "areas": ["KG04220000000", "oblast:KG-T"],
              "start": 2022, "people": 1200, "link": "https://suubulak.kg", "contact": "+996 555 000 111"} | changes
    at.text_input(key=f"{prefix}_name").input(values["name"])
    if values["type"]:
        at.selectbox(key=f"{prefix}_type").select(values["type"])
    at.text_input(key=f"{prefix}_contact").input(values["contact"])
    if values["theme"]:
        at.selectbox(key=f"{prefix}_theme0").select(values["theme"])
    at.multiselect(key=f"{prefix}_areas0").set_value(values["areas"])
    at.number_input(key=f"{prefix}_from0").set_value(values["start"])
    at.number_input(key=f"{prefix}_people0").set_value(values["people"])
    at.text_input(key=f"{prefix}_link0").input(values["link"])
    return at.button(key=f"{prefix}_submit").click().run()


def errors(at: AppTest) -> str:
    return " | ".join(e.value for e in at.error)


def test_a_complete_entry_is_saved_and_its_key_shown_once():
    at = fill(run())
    assert not at.exception and not errors(at)
    keys = [c.value for c in at.code]
    assert len(keys) == 1 and len(keys[0]) == 32
    saved = get_store().list_entries()
    assert [e.name for e in saved] == ["Suu Bulak"]
    assert saved[0].activities[0].areas == ("KG04220000000", "oblast:KG-T")
    assert get_store().entry_for_key(keys[0]).id == saved[0].id
    assert not run().code  # a fresh visit shows no key: it was shown once


@pytest.mark.parametrize("change, message", [
    ({"name": " "}, "Give the organisation's name."),
    ({"type": None}, "Choose the type of organisation."),
    ({"theme": None}, "Choose a theme from the list."),
    ({"areas": []}, "Choose where you work"),
    ({"link": "javascript:alert(1)"}, "A link must start with http:// or https://."),
    ({"link": "https://nodot"}, "The link is not a complete web address."),
])
def test_each_problem_is_named_under_its_field_and_nothing_is_saved(change, message):
    at = fill(run(), **change)
    assert message in errors(at)
    assert "The entry was not saved" in errors(at)
    assert get_store().list_entries() == []


def test_edit_and_withdraw_with_the_key_and_a_wrong_key_is_refused():
    store = get_store()
    org_id, key = store.add_entry(Entry("Jashtyk", "community", (Activity("health", ("oblast:KG-N",), 2021),)))
    at = run()
    at.text_input(key="reg_key_typed").input("not-the-key").run()
    assert "This editor key opens no entry" in errors(at)
    at.text_input(key="reg_key_typed").input(key).run()
    prefix = f"reg_edit{org_id}"
    at.text_input(key=f"{prefix}_name").input("Jashtyk Plus")
    at.button(key=f"{prefix}_submit").click().run()
    assert not errors(at)
    assert store.get_entry(org_id).name == "Jashtyk Plus"
    at.checkbox(key=f"reg_sure{org_id}").check().run()
    at.button(key=f"reg_withdraw{org_id}").click().run()
    assert store.get_entry(org_id) is None


@pytest.mark.parametrize("lang", ["ky", "ru", "en"])
def test_the_live_map_and_table_show_public_fields_only(lang):
    store = get_store()
    store.add_entry(Entry("Tabiyat", "ngo", (Activity("environment", ("KG04220000000",), 2020, None, 300),),
                          contact="secret@tabiyat.kg"))
    at = run("register_map", lang)
    assert not at.exception
    table = at.dataframe[0].value  # the live tab comes first; the gaps list is the second table
    assert list(table["organisation"]) == ["Tabiyat"]
    assert "secret@tabiyat.kg" not in table.to_csv()
    assert len(at.get("deck_gl_json_chart")) == 3  # live map; gaps map beside the official indicator map


def test_the_gaps_view_lists_rayons_without_work_beside_the_official_value():
    get_store().add_entry(Entry("Taza Suu", "ngo", (Activity("water", ("oblast:KG-N",), 2021),)))
    at = run("register_map")
    at.selectbox(key="reg_gap_theme").select("water").run()
    assert not at.exception
    assert any("Official indicator by oblast" in h.value for h in at.subheader)
    gaps = at.dataframe[1].value
    naryn = [p for p, parent in units.parents().items() if parent == "KG-N"]
    assert len(gaps) == 55 - len(naryn)  # Naryn oblast's rayons and town have work
    assert "Naryn" not in " ".join(gaps["oblast"])
    values = gaps["indicator"].dropna()
    assert len(values) > 0 and list(values) == sorted(values)  # water: the lowest share first


def test_the_register_is_a_dataset_of_the_map_builder_apart_from_the_sample():
    get_store().add_entry(Entry("Ala-Too Media", "media", (Activity("information", ("oblast:KG-T",), 2023),)))
    at = AppTest.from_file(str(ROOT / "app_pages/builder.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.selectbox(key="builder_dataset").select("ngo_register").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert "Talas" in text  # the only region with an activity
    assert not [w for w in at.warning if "Illustrative sample" in w.value]  # real entries: no sample banner
