"""The NGO activity register: validation (table-driven), counts per unit at both levels, beneficiaries per
10,000, gaps beside an official indicator, public-only exports, and the store on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import threading

import pandas as pd
import pytest

from atlas.errors import UserError
from atlas.ogp import register_stats as rs
from atlas.ogp.register import Activity, Entry, EntryInvalid, area_choices, expand, validate_entry
from atlas.places import gazetteer, units
from atlas.values import datasets

NARYN_ATBASHY = "KG04220000000"
AKSUU = "KG02205000000"  # Ysyk-Köl oblast


def entry(name="Suu Bulak", **activity) -> Entry:
    act = {"theme": "water", "areas": (NARYN_ATBASHY,), "year_from": 2022} | activity
    return Entry(name, "ngo", (Activity(**act),), contact="private@example.kg")


@pytest.mark.parametrize("change, field, text", [
    ({"name": ""}, "name", "Give the organisation's name."),
    ({"org_type": "club"}, "org_type", "Choose the type of organisation."),
    ({"activities": ()}, "activities", "Add at least one activity."),
    ({"theme": "sport"}, "a0.theme", "Choose a theme from the list."),
    ({"areas": ()}, "a0.areas", "Choose where you work"),
    ({"areas": ("KG99999999999",)}, "a0.areas", "Unknown place(s): KG99999999999."),
    ({"year_from": None}, "a0.years", "Give the year the activity started."),
    ({"year_from": 1985}, "a0.years", "Years run from 1991"),
    ({"year_from": 2023, "year_to": 2021}, "a0.years", "The end year is before the start year."),
    ({"year_from": "twenty"}, "a0.years", "Years are whole numbers like 2023."),
    ({"beneficiaries": -5}, "a0.beneficiaries", "a number from 0 to"),
    ({"beneficiaries": 2.5}, "a0.beneficiaries", "a whole number of people"),
    ({"link": "ftp://files.kg/x"}, "a0.link", "must start with http:// or https://"),
    ({"link": "javascript:alert(1)"}, "a0.link", "must start with http:// or https://"),
    ({"link": "https://x"}, "a0.link", "not a complete web address"),
    ({"contact": "x" * 201}, "contact", "at most 200 characters"),
])
def test_each_problem_is_named_for_its_field(change, field, text):
    base = entry()
    org = {k: v for k, v in change.items() if k in ("name", "org_type", "activities", "contact")}
    act = {k: v for k, v in change.items() if k not in org}
    if act:
        org["activities"] = (Activity(**({"theme": "water", "areas": (NARYN_ATBASHY,), "year_from": 2022} | act)),)
    with pytest.raises(EntryInvalid) as err:
        validate_entry(Entry(**{"name": base.name, "org_type": "ngo", "activities": base.activities} | org),
                       now=2026)
    assert text in err.value.problems[field].render(str)


@pytest.mark.parametrize("areas, kept", [
    (("country", NARYN_ATBASHY), ("country",)),
    ((NARYN_ATBASHY, "oblast:KG-N"), ("oblast:KG-N",)),  # the whole oblast holds its rayon
    ((AKSUU, NARYN_ATBASHY, AKSUU), None),
])
def test_places_are_tidied(areas, kept):
    saved = validate_entry(entry(areas=areas), now=2026).activities[0].areas
    assert saved == (kept or tuple(a for a in area_choices() if a in areas))


def test_numbers_typed_with_spaces_and_the_whole_country_count_everywhere():
    act = validate_entry(entry(beneficiaries="1 200", areas=("country",)), now=2026).activities[0]
    assert act.beneficiaries == 1200
    assert len(expand(act.areas)) == len(units.parents()) == 55


def test_counts_per_unit_at_both_levels_and_wide_work_in_each_rayon():
    naryn = [p for p, parent in units.parents().items() if parent == "KG-N"]
    entries = [
        Entry("A", "ngo", (Activity("water", ("oblast:KG-N",), 2022),), id=1),
        Entry("B", "ngo", (Activity("health", (NARYN_ATBASHY, AKSUU), 2022),
                           Activity("water", (NARYN_ATBASHY,), 2023)), id=2),
    ]
    level2 = rs.per_unit(entries, 2).table
    assert level2.loc[NARYN_ATBASHY, "organisations"] == 2 and level2.loc[NARYN_ATBASHY, "activities"] == 3
    assert (level2.loc[naryn, "organisations"] >= 1).all()
    assert level2.loc["KG11000000000", "organisations"] == 0  # Bishkek: nothing registered, a real zero
    level1 = rs.per_unit(entries, 1, theme="water").table
    assert level1.loc["KG-N", "organisations"] == 2 and level1.loc["KG-Y", "activities"] == 0


def test_beneficiaries_per_10k_only_where_they_stay_in_one_oblast():
    entries = [Entry("A", "ngo", (Activity("water", (NARYN_ATBASHY,), 2022, None, 2000),
                                  Activity("water", (NARYN_ATBASHY, AKSUU), 2022, None, 999)), id=1)]
    counts = rs.per_unit(entries, 1)
    population = gazetteer.regions().loc["KG-N", "population"]
    assert counts.table.loc["KG-N", "per_10k"] == pytest.approx(2000 / population * 10_000)
    assert pd.isna(counts.table.loc["KG-Y", "per_10k"])  # the 999 are not split: no data, not a guess
    assert counts.unattributed == 1


def test_gaps_list_the_rayons_without_work_worst_first_beside_the_official_value():
    entries = [Entry("A", "ngo", (Activity("water", ("oblast:KG-N",), 2022),), id=1)]
    official = {"KG-B": 40.0, "KG-T": 90.0, "KG-N": 10.0, "KG-C": None}
    gaps = rs.gaps(entries, "water", official)
    assert not set(gaps.units["parent_iso"]) & {"KG-N"}
    # water: a low share with safe water is worse, so Batken (40 %) comes before Talas (90 %)
    order = list(dict.fromkeys(gaps.units["parent_iso"]))
    assert order.index("KG-B") < order.index("KG-T")
    assert gaps.units.query("parent_iso == 'KG-C'")["indicator"].isna().all()
    assert gaps.oblasts.loc["KG-N", "rayons_without"] == 0 and gaps.oblasts.loc["KG-N", "indicator"] == 10.0


def test_country_wide_work_fills_gaps_only_when_asked():
    entries = [Entry("A", "ngo", (Activity("health", ("country",), 2022),), id=1)]
    assert len(rs.gaps(entries, "health", {}, wide=False).units) == 55
    assert len(rs.gaps(entries, "health", {}, wide=True).units) == 0


def test_exports_have_public_fields_only_and_no_formula_cells():
    entries = [Entry("=HYPERLINK(\"http://x\")", "ngo", (Activity("water", (NARYN_ATBASHY,), 2022, None, 5,
                     "https://a.kg", "+cmd|' /C calc'!A0"),), contact="@secret", id=1)]
    text = rs.register_csv(entries).decode("utf-8-sig")
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    cells = [c for c in frame.to_numpy().ravel() if c]
    assert cells and not [c for c in cells if c[0] in "=+-@\t\r"]
    assert "secret" not in text and "contact" not in frame.columns
    geo = json.loads(rs.register_geojson(entries))
    props = {f["properties"]["pcode"]: f["properties"] for f in geo["features"]}
    assert props[NARYN_ATBASHY]["organisations"] == 1 and props[AKSUU]["organisations"] == 0
    assert "secret" not in json.dumps(geo)


def test_the_register_is_a_builder_dataset_apart_from_the_sample():
    entries = [Entry("A", "ngo", (Activity("water", (NARYN_ATBASHY, AKSUU), 2022, None, 70),), id=1)]
    datasets.set_register_source(lambda: rs.builder_frame(entries))
    table = datasets.builtin_table("ngo_register")
    assert not table.is_sample and datasets.builtin_table("ngo_sample").is_sample
    assert sorted(table.frame["region_code"]) == ["KG-N", "KG-Y"]
    assert table.frame["beneficiaries"].isna().all()  # spread over two oblasts: not counted twice


# --- the store, on SQLite and PostgreSQL -------------------------------------------------------------


def test_store_add_edit_withdraw_with_the_key(store):
    org_id, key = store.add_entry(entry())
    assert store.entry_for_key(key).id == org_id
    assert store.entry_for_key("wrong") is None
    with pytest.raises(UserError, match="does not open"):
        store.update_entry(org_id, entry("Hijack"), "wrong-key")
    with pytest.raises(UserError, match="does not open"):
        store.withdraw_entry(org_id, "wrong-key")
    store.update_entry(org_id, entry("Suu Bulak 2", theme="health"), key)
    assert store.get_entry(org_id).activities[0].theme == "health"
    store.withdraw_entry(org_id, key)
    assert store.list_entries(include_hidden=True) == []


def test_store_keeps_the_key_hashed_and_the_trainer_hides(store):
    org_id, key = store.add_entry(entry())
    with store._tx() as conn:
        row = conn.exec_driver_sql("SELECT editor_key_hash FROM organisations").one()
    assert key not in row[0] and len(row[0]) == 64
    before = store.register_stamp()
    with pytest.raises(UserError):
        store.moderate_entry(org_id, "hide", pin_ok=False)
    store.moderate_entry(org_id, "hide", pin_ok=True)
    assert store.list_entries() == [] and store.register_stamp() != before
    store.moderate_entry(org_id, "show", pin_ok=True)
    assert [e.id for e in store.list_entries()] == [org_id]


def test_forty_organisations_at_once_lose_nothing(store):
    ids, errors, lock = [], [], threading.Lock()

    def submit(n: int) -> None:
        try:
            org_id, _key = store.add_entry(entry(f"Org {n}", areas=("oblast:KG-T", NARYN_ATBASHY)))
            with lock:
                ids.append(org_id)
        except Exception as exc:  # noqa: BLE001 - collected: a thread's exception would vanish
            errors.append(exc)

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    saved = store.list_entries()
    assert sorted(e.id for e in saved) == sorted(ids) and len(set(ids)) == 40
    assert all(len(e.activities) == 1 for e in saved)
    assert sorted(e.name for e in saved) == sorted(f"Org {n}" for n in range(40))


def test_themes_match_known_ogp_policy_areas_and_official_series():
    from atlas import ogp
    from atlas.ogp.register import THEMES
    from atlas.values import official

    areas = {a.strip() for text in ogp.bundled_commitments()["policy_areas"].dropna() for a in text.split(";")}
    for key, theme in THEMES.items():
        assert set(theme.ogp_areas) <= areas, key
        assert all(1 <= goal <= 17 for goal in theme.sdg_goals), key
        if theme.series:
            year = official.years(theme.series)[-1]
            assert any(v is not None for v in official.values(theme.series, year).values()), key
            assert str(official.info(theme.series)["goal"]) in {str(g) for g in theme.sdg_goals}, key
