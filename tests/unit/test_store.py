"""The store, run against SQLite and PostgreSQL (the ``store`` fixture is parametrised in conftest)."""

from __future__ import annotations

import io
import sqlite3
import threading
from dataclasses import replace
from datetime import date

import pandas as pd
import pytest
import sqlalchemy as sa

from atlas import ogp
from atlas.errors import UserError
from atlas.keep import SavedView, Store, Story, get_store, migrations, normalise_url
from atlas.keep.engine import _enter_wal
from atlas.ogp.reports import (
    NATIONAL,
    Report,
    ReportFilter,
    ReportInvalid,
    compute_stats,
    evidence_link,
    validate_report,
)
from atlas.places.gazetteer import CODES
from atlas.security import new_editor_key

TODAY = date(2021, 6, 1)


def make(**changes) -> Report:
    base = Report(
        commitment_id="KG0001",
        regions=("KG-B",),
        status="in_progress",
        evidence="https://example.kg/minutes.pdf",
        observed_on=date(2020, 3, 15),
        organisation="Batken Youth",
        activity="Open data portal launched",
        contact="+996 555 000",
    )
    return replace(base, **changes)


# ---- validation (pure) --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"observed_on": date(2021, 6, 2)}, "observed_on", "future"),
        ({"observed_on": "2020-02-30"}, "observed_on", "not a date"),
        ({"observed_on": date(2017, 12, 31)}, "observed_on", "before 2018-01-01"),
        ({"evidence": "javascript:alert(1)"}, "evidence", "http:// or https://"),
        ({"evidence": "ftp://files.kg/a.pdf"}, "evidence", "http:// or https://"),
        ({"evidence": "data:text/html,<b>x</b>"}, "evidence", "http:// or https://"),
        ({"evidence": "https://"}, "evidence", "not a complete web address"),
        ({"evidence": "   "}, "evidence", "Add evidence"),
        ({"status": "done"}, "status", "status"),
        ({"commitment_id": "KG0099"}, "commitment_id", "KG0099"),
        ({"regions": ()}, "regions", "at least one"),
        ({"regions": ("KG-B", "Batken")}, "regions", "Batken"),
        ({"regions": ("KG-B", NATIONAL)}, "regions", "not both"),
        ({"organisation": ""}, "organisation", "organisation"),
        ({"contact": "x" * 201}, "contact", "200"),
    ],
)
def test_validation_names_the_field_and_the_problem(changes, field, words):
    with pytest.raises(ReportInvalid) as caught:
        validate_report(make(**changes), today=TODAY)
    assert list(caught.value.problems) == [field]
    assert words in caught.value.problems[field].render()


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"commitment_id": " kg0002 "}, {"commitment_id": "KG0002"}),
        ({"commitment_id": "KG0004"}, {"commitment_id": "KG0004"}),  # known to exist, not in the data yet
        ({"regions": ["KG-GO", "KG-B", "KG-B"]}, {"regions": ("KG-B", "KG-GO")}),
        ({"regions": NATIONAL}, {"regions": (NATIONAL,)}),
        ({"observed_on": "2020-05-31"}, {"observed_on": date(2020, 5, 31)}),
        (
            {"evidence": "Minutes of the 12 May hearing: = seen"},
            {"evidence": "Minutes of the 12 May hearing: = seen"},
        ),
        ({"evidence": "Note: the portal was down"}, {"evidence": "Note: the portal was down"}),
        ({"organisation": "  Budget Watch "}, {"organisation": "Budget Watch"}),
    ],
)
def test_validation_tidies_good_input(changes, expected):
    tidy = validate_report(make(**changes), today=TODAY)
    assert {k: getattr(tidy, k) for k in expected} == expected


@pytest.mark.parametrize(
    ("evidence", "link"),
    [
        ("https://gov.kg/a?b=1", "https://gov.kg/a?b=1"),
        (" http://x.kg ", "http://x.kg"),
        ("Minutes seen at the akimiat", None),
        ("www.gov.kg", None),
        ("javascript:alert(1)", None),
    ],
)
def test_evidence_link_only_for_web_addresses(evidence, link):
    assert evidence_link(evidence) == link


def test_several_problems_are_reported_together():
    with pytest.raises(ReportInvalid) as caught:
        validate_report(make(status="?", evidence="", organisation=""), today=TODAY)
    assert set(caught.value.problems) == {"status", "evidence", "organisation"}
    assert "3 fields need fixing" in caught.value.msg.render()


# ---- reports on both backends -------------------------------------------------------------------


def test_new_database_is_at_latest_schema(store: Store):
    assert store.schema_version() == migrations.LATEST


def test_add_get_and_list(store: Store, editor_key: str):
    first = store.add_report(make(), editor_key, today=TODAY)
    second = store.add_report(make(regions=("KG-C", "KG-GB"), observed_on=date(2020, 7, 1)), editor_key, today=TODAY)
    got = store.get_report(first)
    assert (got.commitment_id, got.regions, got.observed_on, got.contact) == (
        "KG0001",
        ("KG-B",),
        date(2020, 3, 15),
        "+996 555 000",
    )
    assert [r.id for r in store.list_reports()] == [second, first]  # newest observation first
    assert store.get_report(10_000) is None


def test_a_participant_cannot_make_a_sample(store: Store, editor_key: str):
    rid = store.add_report(make(is_sample=True), editor_key, today=TODAY)
    assert store.get_report(rid).is_sample is False
    assert [r.id for r in store.list_reports()] == [rid]


class _BusyFile:
    """A cursor on a fresh file whose switch to WAL is refused ``busy`` times, as when connections race."""

    def __init__(self, busy: int, error: str = "database is locked") -> None:
        self.busy, self.error, self.mode = busy, error, "delete"

    def execute(self, sql: str) -> _BusyFile:
        if sql.endswith("=WAL"):
            if self.busy:
                self.busy -= 1
                raise sqlite3.OperationalError(self.error)
            self.mode = "wal"
        return self

    def fetchone(self) -> tuple[str]:
        return (self.mode,)


def test_a_file_switched_to_wal_while_others_race_waits_its_turn():
    racing = _BusyFile(busy=3)
    _enter_wal(racing)
    assert racing.mode == "wal"
    # a file already in WAL is only read
    done = _BusyFile(busy=0)
    done.mode = "wal"
    _enter_wal(done)
    with pytest.raises(sqlite3.OperationalError, match="disk I/O"):
        _enter_wal(_BusyFile(busy=1, error="disk I/O error"))  # not a lock: no retry
    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _enter_wal(_BusyFile(busy=10**6), patience_s=0.05)  # a lock that never ends is reported


def test_stores_opened_at_once_on_a_new_database_migrate_it_once(store_url: str):
    opened, errors = [], []

    def open_store() -> None:
        try:
            opened.append(Store(store_url))
        except Exception as exc:  # collected: a thread's exception would otherwise vanish
            errors.append(exc)

    threads = [threading.Thread(target=open_store) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(opened) == 8
    assert {s.schema_version() for s in opened} == {migrations.LATEST}
    with opened[0].engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM schema_version")).scalar_one() == 1
    for s in opened:
        s.close()


def test_editor_key_is_not_stored_in_clear(store: Store, editor_key: str):
    store.add_report(make(), editor_key, today=TODAY)
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT editor_key_hash FROM reports")).scalar_one()
    assert editor_key not in stored and len(stored) == 64


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (ReportFilter(), ["a", "b", "c", "d"]),
        (ReportFilter(commitment_id="KG0002"), ["c"]),
        (ReportFilter(status="stalled"), ["b", "d"]),
        (ReportFilter(region="KG-B"), ["a", "b"]),
        (ReportFilter(region="KG-GO"), ["b"]),
        (ReportFilter(region="KG-G"), []),  # a code prefix is not a match
        (ReportFilter(region="%"), []),
        (ReportFilter(region=NATIONAL), ["d"]),
        (ReportFilter(organisation="budget watch"), ["c"]),
        (ReportFilter(observed_from=date(2020, 2, 1), observed_to=date(2020, 6, 30)), ["b", "c"]),
        (ReportFilter(status="stalled", region="KG-B"), ["b"]),
    ],
)
def test_filters(store: Store, editor_key: str, filters, expected):
    reports = {
        "a": make(regions=("KG-B",), observed_on=date(2020, 1, 10), activity="a"),
        "b": make(regions=("KG-B", "KG-GO"), status="stalled", observed_on=date(2020, 2, 10), activity="b"),
        "c": make(
            commitment_id="KG0002",
            regions=("KG-C",),
            organisation="Budget Watch",
            observed_on=date(2020, 6, 30),
            activity="c",
        ),
        "d": make(regions=(NATIONAL,), status="stalled", observed_on=date(2020, 12, 1), activity="d"),
    }
    for report in reports.values():
        store.add_report(report, editor_key, today=TODAY)
    assert sorted(r.activity for r in store.list_reports(filters)) == expected


def test_only_the_key_holder_can_edit_or_withdraw(store: Store, editor_key: str):
    rid = store.add_report(make(), editor_key, today=TODAY)
    stranger = new_editor_key()
    with pytest.raises(UserError, match="Only the browser session"):
        store.update_report(rid, {"status": "completed"}, stranger, today=TODAY)
    with pytest.raises(UserError, match="Only the browser session"):
        store.withdraw_report(rid, stranger)
    with pytest.raises(UserError, match="Only the browser session"):
        store.update_report(rid, {"status": "completed"}, "", today=TODAY)
    assert store.get_report(rid).status == "in_progress"
    updated = store.update_report(rid, {"status": "completed", "regions": ["KG-T"]}, editor_key, today=TODAY)
    assert (updated.status, updated.regions) == ("completed", ("KG-T",))
    assert [r.id for r in store.my_reports(editor_key)] == [rid]
    assert store.my_reports(stranger) == []
    store.withdraw_report(rid, editor_key)
    assert store.get_report(rid) is None
    with pytest.raises(UserError, match="does not exist"):
        store.withdraw_report(rid, editor_key)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"observed_on": date(2030, 1, 1)}, "1 field needs fixing"),
        ({"editor_key_hash": "x"}, "cannot be changed"),
        ({"is_sample": True}, "cannot be changed"),
    ],
)
def test_bad_updates_are_refused_and_change_nothing(store: Store, editor_key: str, changes, message):
    rid = store.add_report(make(), editor_key, today=TODAY)
    with pytest.raises(UserError, match=message):
        store.update_report(rid, changes, editor_key, today=TODAY)
    assert store.get_report(rid).observed_on == date(2020, 3, 15) and not store.get_report(rid).is_sample


def test_moderation_needs_pin_and_hides_or_deletes(store: Store, editor_key: str):
    rid = store.add_report(make(), editor_key, today=TODAY)
    with pytest.raises(UserError, match="trainer PIN"):
        store.moderate(rid, "hide", pin_ok=False)
    store.moderate(rid, "hide", pin_ok=True)
    assert store.list_reports() == []
    assert [r.id for r in store.list_reports(include_hidden=True)] == [rid]
    store.moderate(rid, "show", pin_ok=True)
    assert [r.id for r in store.list_reports()] == [rid]
    store.moderate(rid, "delete", pin_ok=True)
    assert store.get_report(rid) is None
    with pytest.raises(UserError, match="does not exist"):
        store.moderate(rid, "hide", pin_ok=True)


def test_samples_are_flagged_kept_apart_and_cleared(store: Store, editor_key: str):
    real = store.add_report(make(), editor_key, today=TODAY)
    with pytest.raises(UserError):
        store.load_samples(pin_ok=False)
    assert store.load_samples(pin_ok=True, count=25, today=TODAY) == 25
    assert store.load_samples(pin_ok=True, count=25, today=TODAY) == 25  # replaces, does not pile up
    assert store.count_samples() == 25
    assert [r.id for r in store.list_reports()] == [real]
    everything = store.list_reports(include_samples=True)
    assert len(everything) == 26 and sum(r.is_sample for r in everything) == 25
    assert all(r.organisation.startswith("Sample: ") for r in everything if r.is_sample)
    assert store.report_stats().by_commitment["total"].sum() == 1
    assert store.clear_samples(pin_ok=True) == 25
    assert [r.id for r in store.list_reports(include_samples=True)] == [real]


def test_csv_export_is_formula_safe_and_leaves_out_contacts(store: Store, editor_key: str):
    store.add_report(
        make(activity='=HYPERLINK("http://evil")', organisation="@SUM(A1)", evidence="-2+3 seen at the hearing"),
        editor_key,
        today=TODAY,
    )
    df = pd.read_csv(io.BytesIO(store.reports_csv()), encoding="utf-8-sig", dtype=str)
    assert df.loc[0, "activity"] == '\'=HYPERLINK("http://evil")'
    assert df.loc[0, "organisation"] == "'@SUM(A1)"
    assert df.loc[0, "evidence"] == "'-2+3 seen at the hearing"
    assert "contact" not in df.columns
    with_contact = pd.read_csv(io.BytesIO(store.reports_csv(include_contact=True)), dtype=str, encoding="utf-8-sig")
    assert with_contact.loc[0, "contact"] == "'+996 555 000"


def test_stats_on_store_match_hand_counts(store: Store, editor_key: str):
    rows = [
        make(regions=("KG-B", "KG-C"), status="completed", observed_on=date(2020, 1, 5)),
        make(regions=("KG-B",), status="stalled", observed_on=date(2020, 1, 25)),
        make(commitment_id="KG0003", regions=(NATIONAL,), status="completed", observed_on=date(2020, 3, 1)),
    ]
    for report in rows:
        store.add_report(report, editor_key, today=TODAY)
    stats = store.report_stats()
    assert stats.by_commitment.loc["KG0001", ["completed", "stalled", "total"]].tolist() == [1, 1, 2]
    assert stats.by_commitment.loc["KG0003", "completed"] == 1
    assert stats.by_region.loc["KG-B", ["reports", "completed"]].tolist() == [2, 1]
    assert stats.by_region.loc["KG-B", "share_completed"] == pytest.approx(0.5)
    assert stats.by_region.loc["KG-C", "share_completed"] == pytest.approx(1.0)
    assert pd.isna(stats.by_region.loc["KG-N", "share_completed"])  # no reports is not 0 %
    assert stats.by_region.loc[NATIONAL, "reports"] == 1
    assert stats.timeline.to_dict("list") == {
        "month": [date(2020, 1, 1), date(2020, 3, 1)],
        "reports": [2, 1],
    }


def test_stats_of_nothing_have_every_region_and_status():
    stats = compute_stats([])
    assert list(stats.by_region.index) == [*CODES, NATIONAL]
    assert stats.by_region["reports"].sum() == 0 and stats.by_region["share_completed"].isna().all()
    assert list(stats.by_commitment.columns) == [
        "not_started",
        "in_progress",
        "completed",
        "stalled",
        "unclear",
        "total",
    ]
    assert stats.timeline.empty


# ---- reference table versions --------------------------------------------------------------------


def test_reference_versions_replace_keep_and_restore(store: Store, editor_key: str):
    assert store.reference_csv() is None
    assert len(ogp.active_commitments(store)) == 20
    newer = ogp.bundled_csv() + b"KG0004,Open Budget,,,Ministry of Finance,,,,national,,,,,,,\n"
    with pytest.raises(UserError, match="trainer PIN"):
        ogp.upload_commitments(store, newer, "add KG0004", "trainer", pin_ok=False)
    version = ogp.upload_commitments(store, newer, "add KG0004", "trainer", pin_ok=True)
    assert len(ogp.active_commitments(store)) == 21
    assert "KG0004" not in ogp.missing_ids(ogp.active_commitments(store))
    with pytest.raises(ogp.CommitmentsInvalid):
        ogp.upload_commitments(store, b"commitment_id,title_en\nKG0001,x\n", "bad", "trainer", pin_ok=True)
    assert len(ogp.active_commitments(store)) == 21  # a bad upload changes nothing
    listed = store.list_reference_versions()
    assert [(v.version, v.active, v.rows) for v in listed] == [(version, True, 21), (0, False, 20)]
    store.activate_reference_version(0, pin_ok=True)
    assert store.reference_csv() is None and len(ogp.active_commitments(store)) == 20
    store.activate_reference_version(version, pin_ok=True)
    assert store.reference_csv() == newer
    with pytest.raises(UserError, match="does not exist"):
        store.activate_reference_version(version + 5, pin_ok=True)
    assert store.reference_csv() == newer


def test_reports_may_name_commitments_of_the_active_version(store: Store, editor_key: str):
    with pytest.raises(ReportInvalid):
        store.add_report(make(commitment_id="KG0027"), editor_key, today=TODAY)
    newer = ogp.bundled_csv() + b"KG0027,Later commitment,,,Parliament,,,,national,,,,,,,\n"
    ogp.upload_commitments(store, newer, "", "", pin_ok=True)
    assert store.add_report(make(commitment_id="KG0027"), editor_key, today=TODAY) > 0


# ---- views, stories, gallery ----------------------------------------------------------------------


def test_views_round_trip_with_dataset_bytes(store: Store, editor_key: str):
    spec = {"dataset": "upload:ab12", "column": "schools", "classes": 5, "lang": "ky", "title": "Мектептер"}
    data = bytes(range(256)) * 10
    sid = store.save_view(
        SavedView(spec=spec, title=" Schools ", team="Naryn", dataset=data, dataset_name="schools.xlsx"),
        editor_key,
    )
    assert len(sid) == 8 and sid.replace("-", "").replace("_", "").isalnum()
    view = store.get_view(sid)
    assert (view.spec, view.title, view.team, view.dataset, view.dataset_name) == (
        spec,
        "Schools",
        "Naryn",
        data,
        "schools.xlsx",
    )
    assert store.get_view("nope1234") is None


def test_gallery_flags_and_permissions(store: Store, editor_key: str):
    a = store.save_view(SavedView(spec={}, title="A", dataset=b"x"), editor_key)
    b = store.save_view(SavedView(spec={}, title="B"), editor_key)
    assert store.list_gallery("views") == []  # nothing published yet
    stranger = new_editor_key()
    with pytest.raises(UserError, match="Only the session"):
        store.set_gallery_flags("views", a, published=True, editor_key=stranger)
    store.set_gallery_flags("views", a, published=True, editor_key=editor_key)
    store.set_gallery_flags("views", b, published=True, editor_key=editor_key)
    with pytest.raises(UserError, match="trainer"):
        store.set_gallery_flags("views", b, featured=True, editor_key=editor_key)
    store.set_gallery_flags("views", b, featured=True, pin_ok=True)
    gallery = store.list_gallery("views")
    assert [v.title for v in gallery] == ["B", "A"] and all(v.dataset is None for v in gallery)
    assert [v.title for v in store.list_gallery("views", featured_only=True)] == ["B"]
    store.set_gallery_flags("views", a, hidden=True, pin_ok=True)
    assert [v.title for v in store.list_gallery("views")] == ["B"]
    assert store.get_view(a) is None and store.get_view(a, include_hidden=True).hidden


def test_stories_keep_order_and_check_views(store: Store, editor_key: str):
    ids = [store.save_view(SavedView(spec={"n": n}, title=f"V{n}"), editor_key) for n in range(3)]
    order = (ids[2], ids[0], ids[1])
    sid = store.save_story(Story(title="Budget year", view_ids=order, author="Aida", published=True), editor_key)
    story = store.get_story(sid)
    assert (story.title, story.view_ids, story.author) == ("Budget year", order, "Aida")
    assert [s.short_id for s in store.list_gallery("stories")] == [sid]
    with pytest.raises(UserError, match="do not exist"):
        store.save_story(Story(title="x", view_ids=(ids[0], "missing1")), editor_key)
    with pytest.raises(UserError, match="at least one"):
        store.save_story(Story(title="x", view_ids=()), editor_key)
    with pytest.raises(UserError, match="Only the session"):
        store.delete_item("stories", sid, editor_key=new_editor_key())
    store.delete_item("stories", sid, editor_key=editor_key)
    assert store.get_story(sid) is None


# ---- configuration and upgrades -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgres://u:p@h:5432/db", "postgresql+psycopg://u:p@h:5432/db"),
        ("postgresql://h/db", "postgresql+psycopg://h/db"),
        ("postgresql+psycopg://h/db", "postgresql+psycopg://h/db"),
        ("sqlite:////tmp/x.sqlite3", "sqlite:////tmp/x.sqlite3"),
    ],
)
def test_normalise_url(url, expected):
    assert normalise_url(url) == expected


def test_get_store_default_is_a_wal_sqlite_file_in_var_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ACHYK_DATABASE_URL", raising=False)
    monkeypatch.delenv("ACHYK_SQLITE_PATH", raising=False)
    monkeypatch.setenv("ACHYK_VAR_DIR", str(tmp_path / "var"))
    store = get_store()
    try:
        assert (tmp_path / "var" / "achyk.sqlite3").is_file()
        with store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
    finally:
        store.close()


def test_database_from_a_newer_release_is_refused(store_url: str):
    Store(store_url).close()
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_version SET version = :v"), {"v": migrations.LATEST + 1})
    engine.dispose()
    with pytest.raises(UserError, match="newer version"):
        Store(store_url)


def test_upgrade_from_version_1_keeps_the_workshop_data(store_url: str):
    engine = sa.create_engine(store_url)
    with engine.begin() as conn:
        assert migrations.upgrade(conn, target=1) == 1
        conn.execute(
            sa.text(
                "INSERT INTO reports (commitment_id, activity, regions, status, evidence, observed_on,"
                " organisation, contact, editor_key_hash, is_sample, created_at)"
                " VALUES ('KG0003', 'Clinic data', ',KG-N,', 'stalled', 'https://x.kg/a', :d,"
                " 'Naryn NGO', '', :h, :f, :t)"
            ),
            {
                "d": date(2019, 11, 2),
                "h": "0" * 64,
                "f": False,
                "t": pd.Timestamp("2019-11-03").to_pydatetime(),
            },
        )
        conn.execute(
            sa.text(
                "INSERT INTO reference_versions (created_at, note, author, rows, csv, active)"
                " VALUES (:t, 'v1', 'trainer', 20, :csv, :a)"
            ),
            {"t": pd.Timestamp("2019-11-01").to_pydatetime(), "csv": ogp.bundled_csv(), "a": True},
        )
    engine.dispose()
    store = Store(store_url)
    try:
        assert store.schema_version() == migrations.LATEST
        (report,) = store.list_reports()
        assert (report.commitment_id, report.regions, report.status, report.hidden) == (
            "KG0003",
            ("KG-N",),
            "stalled",
            False,
        )
        assert report.updated_at == report.created_at
        assert store.reference_csv() == ogp.bundled_csv()
        store.moderate(report.id, "hide", pin_ok=True)  # the new column works on old rows
        assert store.list_reports() == []
        assert store.save_view(SavedView(spec={}, title="after upgrade"), "k")
    finally:
        store.close()


def test_schema_matches_the_query_tables(store: Store):
    from atlas.keep import schema as store_module

    inspector = sa.inspect(store.engine)
    for table in store_module._md.sorted_tables:
        assert {c["name"] for c in inspector.get_columns(table.name)} == set(table.c.keys()), table.name
