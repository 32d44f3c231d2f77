"""scripts/i18n.py: the bypass lint, extraction, merge, check and apply, on projects made in tmp."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from scripts import i18n as tool  # scripts/ is a namespace package on the test path

HEAD = "import streamlit as st\nfrom atlas.i18n import N_, Msg\n"


@pytest.mark.parametrize(
    ("code", "flagged"),
    [
        ('st.title("Map")', ["Map"]),
        ('st.title(_("Map"))', []),
        ('st.markdown("---")', []),
        ('st.write("—", "•", "1 234")', []),
        ('st.write(f"{n} rows")', ["… rows"]),
        ("st.write(f\"{_('Rows')}: {n}\")", []),
        ('st.info("Rows: " + str(n))', ["Rows: …"]),
        ('st.caption(_("Source") + ": " + " · ".join(sources))', []),
        ('st.button("Go", key="go")', ["Go"]),
        ('st.text_input(_("Name"), key="name_input", placeholder="e.g. Naryn")', ["e.g. Naryn"]),
        ('st.slider(_("Year"), 2018, 2020, help="Pick a year")', ["Pick a year"]),
        ('st.selectbox(_("Language"), ["ky", "ru"], format_func=LANG_NAMES.get)', []),
        ('st.selectbox(_("View"), ["Map", "Table"])', ["Map", "Table"]),
        ('st.radio(_("View"), options=["Map"], key="v")', ["Map"]),
        ('st.tabs(["Map", _("Table")])', ["Map"]),
        ('st.Page("app_pages/map.py", title="Map", icon="🗺️")', ["Map"]),
        ('st.Page("app_pages/map.py", title=_("Map"), icon=":material/map:")', []),
        ('st.navigation({"Explore": pages})', ["Explore"]),
        ('st.navigation({_("Explore"): pages})', []),
        ('st.sidebar.radio("🌐", LANGS, key="lang")', []),
        ('c1, c2 = st.columns(2)\nc1.metric("Rows", 3)', ["Rows"]),
        ('with st.expander(_("More")) as box:\n    box.caption("note")', ["note"]),
        ('for tab in st.tabs([_("A")]):\n    tab.write("x y")', ["x y"]),
        ('st.caption("English")  # i18n: ok', []),
        ('st.markdown(\n    "Kyrgyz",  # i18n: ok\n)', []),
        ('st.markdown("<div class=\'x\'>" + _("Hi") + "</div>", unsafe_allow_html=True)', []),
        ("st.markdown(f\"<span style='color:red'>{_('Hi')}</span>\", unsafe_allow_html=True)", []),
        ("st.markdown(f\"[{_('Source')}](https://data.gov.kg)\")", []),
        ("st.markdown(f\":red[{_('Error')}] :material/warning:\")", []),
        ("st.error(err.msg.render(_))", []),
        ('st.write(_.ngettext("{n} row", "{n} rows", n).format(n=n))', []),
        ('st.title(tr()("Map"))', []),
        ('st.title("km²")', ["km²"]),
        ('st.metric(_("Rows"), "1 234", "+5%")', []),
        ('st.column_config.NumberColumn("Population", format="%d")', ["Population"]),
        ('st.set_page_config(page_title="Achyk Atlas", layout="wide")', ["Achyk Atlas"]),
        ('st.session_state.setdefault("lang", "ru")', []),
        ('st.query_params.get("lang", "ru")', []),
        ('st.image("static/logo.png")', []),
        ('st.image(path, caption="Logo")', ["Logo"]),
        ('st.write(_("Yes") if ok else "No")', ["No"]),
        ('logger.info("Loaded")\nhandle.write("header")\nname.title()', []),
        ('st.write(_(f"{n} rows"))', ['f"{n} rows"']),
        ('st.write(_("a " + b))', ['"a " + b']),
        ('raise UserError(Msg("File is empty"))', ["File is empty"]),
        ('raise UserError(Msg(N_("File is empty")))', []),
    ],
)
def test_lint_flags_exactly_the_untranslated_text(code: str, flagged: list[str]) -> None:
    findings = tool.lint_source(HEAD + code, "app_pages/x.py")
    assert [f.text for f in findings] == flagged


def test_lint_without_streamlit_import_ignores_same_named_methods() -> None:
    assert tool.lint_source('import logging\nlog = logging.getLogger()\nlog.error("Boom")') == []


def test_lint_finding_names_file_line_and_string() -> None:
    [finding] = tool.lint_source(HEAD + '\n\nst.header("Welcome")\n', "app_pages/home.py")
    assert str(finding).startswith("app_pages/home.py:5: st.header:")
    assert "'Welcome'" in str(finding)


def test_lint_reports_a_syntax_error_instead_of_crashing() -> None:
    [finding] = tool.lint_source("st.title(\n", "app_pages/broken.py")
    assert finding.path == "app_pages/broken.py" and "parse" in finding.why


def make_project(root: Path, code: str, terms: list[tuple[str, str, str]]) -> Path:
    """A tiny project: babel.cfg, app.py with ``code``, a glossary with ``terms``."""
    (root / "babel.cfg").write_text("[python: app.py]\n[python: app_pages/**.py]\n", encoding="utf-8")
    (root / "app.py").write_text(code, encoding="utf-8")
    (root / "docs").mkdir(exist_ok=True)
    rows = "\n".join(f"| {en} | {ky} | {ru} | note |" for en, ky, ru in terms)
    (root / "docs" / "GLOSSARY.md").write_text(
        "# G\n\n| English (msgid) | ky | ru | Notes |\n| --- | --- | --- | --- |\n" + rows + "\n",
        encoding="utf-8",
    )
    return root


APP = textwrap.dedent(
    """\
    import streamlit as st
    st.title(_("Hello"))
    st.write(_.ngettext("{n} region", "{n} regions", n).format(n=n))
    """
)
TERMS = [("No data", "Маалымат жок", "Нет данных")]


def test_extract_check_apply_round_trip(tmp_path: Path) -> None:
    root = make_project(tmp_path, APP, TERMS)
    written = tool.cmd_extract(root)
    assert {p.relative_to(root).as_posix() for p in written} == {
        "locales/messages.pot",
        "locales/ky/LC_MESSAGES/messages.po",
        "locales/ru/LC_MESSAGES/messages.po",
    }
    report = tool.check(root)
    assert not report.ok
    assert {t.msgid: sorted(t.status) for t in report.todo} == {
        "Hello": ["ky", "ru"],
        "{n} region": ["ky", "ru"],
    }
    assert tool.placeholder_names("{n} region") == {"n"}
    form = tool.todo_form(report, tool.read_glossary(root / "docs" / "GLOSSARY.md"))
    for entry in form:
        if entry["msgid"] == "Hello":
            entry.update(ky="Салам", ru="Привет")
        else:
            entry.update(ky=["{n} аймак", "{n} аймак"], ru=["{n} регион", "{n} региона", "{n} регионов"])
    count, unknown = tool.cmd_apply(json.loads(json.dumps(form)), root)
    assert (count, unknown) == (4, [])
    assert tool.check(root).ok
    from atlas.i18n import load_catalogue

    ru = load_catalogue(root / "locales/ru/LC_MESSAGES/messages.po", "ru")
    assert (ru("Hello"), ru("No data"), ru.ngettext("{n} region", "{n} regions", 5)) == (
        "Привет",
        "Нет данных",
        "{n} регионов",
    )
    assert tool.cmd_extract(root) == []  # nothing changed: no rewrite, no header-date churn


def test_new_string_is_reported_then_merged_keeping_old_translations(tmp_path: Path) -> None:
    root = make_project(tmp_path, 'st.title(_("Hello"))\n', TERMS)
    tool.cmd_extract(root)
    tool.cmd_apply([{"msgid": "Hello", "ky": "Салам", "ru": "Привет"}], root)
    (root / "app_pages").mkdir()
    (root / "app_pages" / "map.py").write_text('\n\nst.header(_("Choose a region"))\n', encoding="utf-8")
    report = tool.check(root)
    assert report.not_in_catalogue == {"Choose a region": ["app_pages/map.py:3"]}
    assert "scripts/i18n.py extract" in tool.format_report(report, [])
    tool.cmd_extract(root)
    report = tool.check(root)
    assert not report.not_in_catalogue
    assert [t.msgid for t in report.todo] == ["Choose a region"]
    assert tool.cmd_apply([{"msgid": "Hello", "ky": "", "ru": ""}], root)[0] == 0  # blanks never erase


@pytest.mark.parametrize(
    ("msgstr", "problem"),
    [
        ("Прочитано строк: {rows}", None),
        ("Прочитано строк: {row}", "unknown placeholder"),
        ("Прочитано строк", "lacks placeholder"),
        ("Прочитано строк: {rows", "braces"),
    ],
)
def test_check_reports_broken_placeholders(tmp_path: Path, msgstr: str, problem: str | None) -> None:
    root = make_project(tmp_path, 'x = _("Read {rows} rows")\n', [])
    tool.cmd_extract(root)
    tool.cmd_apply([{"msgid": "Read {rows} rows", "ky": "{rows} сап окулду", "ru": msgstr}], root)
    found = tool.check(root).placeholders
    assert (problem is None and found == []) or (
        len(found) == 1 and problem in found[0] and found[0][:3] == "ru:"
    )


def test_check_reports_glossary_disagreement_and_extract_repairs_it(tmp_path: Path) -> None:
    root = make_project(tmp_path, "", TERMS)
    tool.cmd_extract(root)
    path = root / "locales/ru/LC_MESSAGES/messages.po"
    path.write_text(path.read_text(encoding="utf-8").replace("Нет данных", "Данных нет"), encoding="utf-8")
    assert len(tool.check(root).glossary) == 1
    tool.cmd_extract(root)
    assert tool.check(root).ok


def test_fuzzy_translation_counts_as_missing(tmp_path: Path) -> None:
    root = make_project(tmp_path, 'x = _("Map")\n', [])
    tool.cmd_extract(root)
    tool.cmd_apply([{"msgid": "Map", "ky": "Карта", "ru": "Карта"}], root)
    path = root / "locales/ky/LC_MESSAGES/messages.po"
    text = path.read_text(encoding="utf-8").replace('msgid "Map"', '#, fuzzy\nmsgid "Map"')
    path.write_text(text, encoding="utf-8")
    [todo] = tool.check(root).todo
    assert todo.status == {"ky": "fuzzy"} and "fuzzy guess 'Карта'" in tool.format_report(
        tool.check(root), []
    )


def test_command_line_exit_status(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    root = make_project(tmp_path, 'x = _("Map")\n', [])
    monkeypatch.setattr(tool, "ROOT", root)
    monkeypatch.setattr(tool, "GLOSSARY", root / "docs" / "GLOSSARY.md")
    monkeypatch.setattr(tool, "LOCALES", root / "locales")
    for name in ("cmd_extract", "check", "lint"):
        original = getattr(tool, name)
        monkeypatch.setattr(tool, name, lambda *a, _f=original, **k: _f(root))
    assert tool.main(["extract"]) == 0
    assert tool.main(["check"]) == 1
    assert "'Map'" in capsys.readouterr().out
    assert tool.main(["check", "--json"]) == 1
    form = json.loads(capsys.readouterr().out)
    assert [entry["msgid"] for entry in form] == ["Map"]
