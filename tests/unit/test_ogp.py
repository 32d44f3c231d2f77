"""The OGP commitments reference table: bundled content, validation of uploads, missing IDs."""

from __future__ import annotations

import csv
import io

import pytest

from atlas import ogp
from atlas.errors import UserError

MISSING = ["KG0004", "KG0005", "KG0008", "KG0013", "KG0014", "KG0015"]


def table_bytes(
    rows: list[dict[str, str]],
    delimiter: str = ",",
    encoding: str = "utf-8",
    columns: tuple[str, ...] = ogp.COLUMNS,
) -> bytes:
    """A reference CSV built in code: every column present, cells from ``rows``."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), delimiter=delimiter, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue().encode(encoding)


GOOD = {
    "commitment_id": "KG0001",
    "title_en": "Open Data",
    "level": "national",
    "start_date": "2018-09-01",
    "end_date": "2020-08-31",
    "irm_verifiable": "Yes",
    "source_url": "https://www.opengovpartnership.org/x/",
}


def test_bundled_table_has_the_twenty_known_commitments():
    df = ogp.bundled_commitments()
    assert len(df) == 20
    assert df["commitment_id"].is_unique and df["commitment_id"].is_monotonic_increasing
    assert set(df["level"]) == {"national"}
    assert ogp.missing_ids(df) == MISSING


def test_missing_ids_are_listed_but_never_invented():
    table = ogp.with_missing(ogp.bundled_commitments())
    assert len(table) == 26
    placeholders = table[~table["in_data"]]
    assert placeholders["commitment_id"].tolist() == MISSING
    content = [c for c in ogp.COLUMNS if c != "commitment_id"]
    assert (placeholders[content] == "").all().all()
    assert table["commitment_id"].tolist() == [f"KG{n:04d}" for n in range(1, 27)]


def test_known_ids_cover_present_and_missing():
    ids = ogp.known_ids(ogp.bundled_commitments())
    assert ids == {f"KG{n:04d}" for n in range(1, 27)}


@pytest.mark.parametrize(
    ("variant", "expected_ids"),
    [
        ({"delimiter": ";"}, ["KG0001"]),
        ({"encoding": "utf-8-sig"}, ["KG0001"]),
        ({"encoding": "cp1251"}, ["KG0001"]),
        ({"columns": tuple(reversed(ogp.COLUMNS))}, ["KG0001"]),
    ],
)
def test_uploads_from_excel_are_read(variant, expected_ids):
    row = dict(GOOD, lead_institution="Министерство юстиции")
    df = ogp.parse_commitments(table_bytes([row], **variant))
    assert df["commitment_id"].tolist() == expected_ids
    assert df.loc[0, "lead_institution"] == "Министерство юстиции"


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"commitment_id": "KG01"}, 'Row 2: commitment ID "KG01" is not like KG0001'),
        ({"title_en": ""}, "Row 2: the title is empty"),
        ({"start_date": "01.09.2018"}, 'Row 2: start_date "01.09.2018" is not a date'),
        ({"end_date": "2020-09-31"}, 'Row 2: end_date "2020-09-31" is not a date'),
        (
            {"start_date": "2020-01-01", "end_date": "2019-01-01"},
            "Row 2: the end date is before the start date",
        ),
        ({"level": "Batken"}, 'Row 2: level "Batken"'),
        ({"irm_verifiable": "maybe"}, "Row 2: irm_verifiable must be Yes, No or empty"),
        ({"source_url": "javascript:alert(1)"}, 'Row 2: source "javascript:alert(1)" is not an http(s) link'),
    ],
)
def test_each_bad_row_gets_a_clear_message(changes, words):
    with pytest.raises(ogp.CommitmentsInvalid) as caught:
        ogp.parse_commitments(table_bytes([dict(GOOD, **changes)]))
    messages = [m.render() for m in caught.value.problems]
    assert len(messages) == 1 and words in messages[0]


def test_problems_in_several_rows_are_all_listed_with_file_line_numbers():
    rows = [
        GOOD,
        dict(GOOD, commitment_id="KG0002", title_en=""),
        dict(GOOD),
        dict(GOOD, commitment_id="KG0003"),
    ]
    with pytest.raises(ogp.CommitmentsInvalid) as caught:
        ogp.parse_commitments(table_bytes(rows))
    messages = [m.render() for m in caught.value.problems]
    assert messages == ["Row 3: the title is empty.", "Row 4: commitment ID KG0001 appears twice."]
    assert "2 problems found" in caught.value.msg.render()


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (table_bytes([]), "no rows"),
        (table_bytes([GOOD], columns=ogp.COLUMNS[:-1]), "Missing columns: source_url"),
        (table_bytes([GOOD], columns=(*ogp.COLUMNS, "notes")), "Unknown columns: notes"),
    ],
)
def test_whole_file_problems(data, words):
    with pytest.raises(UserError) as caught:
        ogp.parse_commitments(data)
    problems = getattr(caught.value, "problems", [caught.value.msg])
    assert any(words in m.render() for m in [caught.value.msg, *problems])


def test_a_new_id_beyond_the_known_range_extends_it_without_gaps_being_invented():
    rows = [GOOD, dict(GOOD, commitment_id="KG0028", title_en="Later")]
    df = ogp.parse_commitments(table_bytes(rows))
    missing = ogp.missing_ids(df)
    assert "KG0027" in missing and "KG0028" not in missing and "KG0001" not in missing
    assert len(missing) == 26  # KG0002..KG0027


def test_no_store_means_the_bundled_table():
    assert ogp.active_commitments(None).equals(ogp.bundled_commitments())


@pytest.mark.parametrize("lang", ["ky", "ru"])
def test_every_bundled_title_and_lead_has_a_translation(lang):
    table = ogp.localised(ogp.bundled_commitments(), lang)
    assert (table["title"] != table["title_en"]).all(), table.loc[table["title"] == table["title_en"], "title_en"]
    assert (table["lead"] != table["lead_institution"]).all()
    assert table["title"].str.contains("[а-яё]", regex=True).all()


def test_a_changed_or_new_title_falls_back_to_english():
    table = ogp.bundled_commitments()
    table.loc[0, "title_en"] = "Open Data (revised)"
    shown = ogp.localised(table, "ru")
    assert shown.loc[0, "title"] == "Open Data (revised)"  # no stale translation of the old title
    assert shown.loc[1, "title"] == "Открытые данные — образование"
    assert ogp.localised(table, "en")["title"].tolist() == table["title_en"].tolist()
