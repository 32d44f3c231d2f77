"""Conventions: every UI string goes through atlas.i18n, and every msgid has ky and ru translations.

When one of these fails, the message says what to run:
    .venv/bin/python scripts/i18n.py extract    # after adding or changing _("…") / N_("…")
    .venv/bin/python scripts/i18n.py check      # what is left to translate, with glossary hints
    .venv/bin/python scripts/i18n.py lint       # strings shown without _()
"""

from __future__ import annotations

import pytest

from atlas import i18n
from atlas.paths import ROOT
from scripts import i18n as tool  # scripts/ is a namespace package on the test path

TARGETS = tool.TARGET_LANGS


@pytest.fixture(scope="module")
def report():
    return tool.check(ROOT)


def _listing(lines: list[str], limit: int = 60) -> str:
    shown = lines[:limit] + ([f"… and {len(lines) - limit} more"] if len(lines) > limit else [])
    return "\n".join(shown)


def test_catalogue_languages_are_the_app_languages() -> None:
    assert set(TARGETS) | {i18n.SOURCE_LANG} == set(i18n.LANGS)
    assert i18n.DEFAULT_LANG in i18n.LANGS


@pytest.mark.parametrize("lang", TARGETS)
def test_catalogue_parses_with_the_right_language(lang: str) -> None:
    catalogue = tool.read_catalogue(i18n.po_path(lang), lang)
    assert str(catalogue.locale) == lang
    assert catalogue.num_plurals >= 1


def test_catalogues_read_without_errors(report) -> None:
    assert not report.unreadable, _listing(report.unreadable)


def test_every_string_in_the_code_is_in_the_catalogues(report) -> None:
    missing = [f"{', '.join(where)}: {msgid!r}" for msgid, where in report.not_in_catalogue.items()]
    assert not missing, (
        f"{len(missing)} msgid(s) are not in the catalogues; run "
        "`.venv/bin/python scripts/i18n.py extract`, then translate them:\n" + _listing(missing)
    )


def test_every_msgid_has_a_kyrgyz_and_russian_translation(report) -> None:
    todo = [
        f"{', '.join(t.where[:2]) or '?'}: {t.msgid!r} → "
        + ", ".join(f"{lang} {state}" for lang, state in sorted(t.status.items()))
        for t in report.todo
    ]
    assert not todo, (
        f"{len(todo)} msgid(s) lack a ky or ru translation; see "
        "`.venv/bin/python scripts/i18n.py check`:\n" + _listing(todo)
    )


def test_translations_keep_the_placeholders(report) -> None:
    assert not report.placeholders, _listing(report.placeholders)


def test_catalogues_agree_with_the_glossary(report) -> None:
    assert not report.glossary, _listing(report.glossary)


@pytest.mark.parametrize("lang", TARGETS)
def test_glossary_terms_are_used_at_run_time(lang: str) -> None:
    _ = i18n.translator(lang)
    for term in tool.read_glossary():
        assert _(term.en) == getattr(term, lang), term


def test_glossary_covers_the_core_domain_terms() -> None:
    terms = {t.en for t in tool.read_glossary()}
    core = {
        "Open Government Partnership",
        "Commitment",
        "Milestone",
        "Lead institution",
        "Oblast",
        "Civil society",
        "Monitoring",
        "Datathon",
        "Per capita",
        "No data",
    }
    assert core <= terms, core - terms


def test_kyrgyz_is_written_in_kyrgyz_cyrillic() -> None:
    """Real Kyrgyz uses ө, ү, ң somewhere; a catalogue without them is transliterated or Russian."""
    catalogue = tool.read_catalogue(i18n.po_path("ky"), "ky")
    text = " ".join(m.string for m in catalogue if m.id and isinstance(m.string, str))
    assert any(letter in text for letter in "өүңӨҮҢ")
    latin_only = [
        m.id
        for m in catalogue
        if m.id and isinstance(m.string, str) and m.string and m.string.isascii() and m.string != m.id
    ]
    assert not latin_only, f"Latin-only Kyrgyz translations: {latin_only[:20]}"


def test_no_ui_string_bypasses_the_translation_layer() -> None:
    files = tool.ui_files(ROOT)
    findings = tool.lint(ROOT, files + sorted((ROOT / "atlas").rglob("*.py")))
    assert not findings, (
        f"{len(findings)} string(s) reach the user without _() (wrap them, or add `# i18n: ok` on the "
        "line for a deliberate case such as a language name):\n" + _listing([str(f) for f in findings])
    )


def test_every_select_box_has_a_placeholder_in_the_users_language() -> None:
    """Streamlit's own placeholder ("Choose an option", "No options to select") is English only."""
    import ast

    missing = []
    for path in tool.ui_files(ROOT):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("selectbox", "multiselect")
                    and not any(k.arg == "placeholder" for k in node.keywords)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, "select boxes with Streamlit's English placeholder: " + ", ".join(missing)
