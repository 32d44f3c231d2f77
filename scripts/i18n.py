"""Maintain the translation catalogues: extract, update, check, apply, compile, lint.

    .venv/bin/python scripts/i18n.py extract   # code + docs/GLOSSARY.md → messages.pot → ky/ru .po
    .venv/bin/python scripts/i18n.py update    # messages.pot → ky/ru .po (no extraction)
    .venv/bin/python scripts/i18n.py check     # what is missing, fuzzy, stale or broken (exit 1 if any)
    .venv/bin/python scripts/i18n.py check --json > todo.json   # the same as a fill-in form
    .venv/bin/python scripts/i18n.py apply todo.json            # write the filled-in form into the .po
    .venv/bin/python scripts/i18n.py compile   # validate and write .mo files next to the .po (git-ignored)
    .venv/bin/python scripts/i18n.py lint      # UI strings in app.py, app_pages/, ui/ that bypass _()

English is the source language: msgids are the English text, so only ky and ru have catalogues.
"""

from __future__ import annotations

import argparse
import ast
import io
import json
import re
import string
import sys
import tokenize
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
POT = LOCALES / "messages.pot"
GLOSSARY = ROOT / "docs" / "GLOSSARY.md"
BABEL_CFG = ROOT / "babel.cfg"
TARGET_LANGS: tuple[str, ...] = ("ky", "ru")  # en is the source language
PROJECT = "Achyk Atlas"
COMMENT_TAGS = ("TRANSLATORS:",)
#: Babel's keywords plus atlas.i18n's plural markers: nN_("one", "many") and plural_msg("one", "many", n).
KEYWORDS = {**DEFAULT_KEYWORDS, "nN_": (1, 2), "plural_msg": (1, 2)}
_SKIP_DIRS = {
    ".venv",
    "venv",
    "node_modules",
    "var",
    "data",
    "geo",
    "static",
    "tests",
    "artifacts",
    "locales",
}
_DATE_HEADERS = ("POT-Creation-Date", "PO-Revision-Date")
CMD = ".venv/bin/python scripts/i18n.py"


# ---------------------------------------------------------------- catalogues


@dataclass(frozen=True)
class Term:
    """One glossary row: the English msgid and its Kyrgyz and Russian translations."""

    en: str
    ky: str
    ru: str
    note: str
    line: int


def po_path(lang: str, locales: Path = LOCALES) -> Path:
    """The catalogue of ``lang``, e.g. ``locales/ky/LC_MESSAGES/messages.po``."""
    return locales / lang / "LC_MESSAGES" / "messages.po"


def read_glossary(path: Path = GLOSSARY) -> list[Term]:
    """The rows of the glossary's term table (first table with four or more columns).

    >>> [t.ru for t in read_glossary() if t.en == "No data"]
    ['Нет данных']
    """
    terms: list[Term] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.lstrip().startswith("|") or len(cells) < 4:
            continue
        if set(cells[0]) <= set("-: ") or cells[0].lower().startswith("english"):
            continue  # the separator and header rows
        terms.append(Term(cells[0], cells[1], cells[2], cells[3], number))
    return terms


def _relative(path: str | Path, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def extract_template(root: Path = ROOT, glossary: Path | None = None) -> Catalog:
    """Every msgid in the code (per babel.cfg) and the glossary, with file:line locations.

    >>> "No data" in extract_template()
    True
    """
    with (root / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = _new_catalog(None)

    def keep(dirpath: str) -> bool:
        name = Path(dirpath).name
        return not (name in _SKIP_DIRS or name.startswith((".", "_")))

    for filename, lineno, message, comments, context in extract_from_dir(
        root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
        directory_filter=keep,
    ):
        added = template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
        _mark_format(added)
    glossary = glossary or root / "docs" / "GLOSSARY.md"
    if glossary.exists():
        for term in read_glossary(glossary):
            location = (_relative(glossary, root), term.line)
            old = template.get(term.en)
            locations = [*(old.locations if old else []), location]
            comments = ["glossary term" + (f": {term.note}" if term.note else "")]
            template.add(term.en, None, locations, auto_comments=comments)
    return template


def _mark_format(message: Message) -> None:
    """Flag ``{name}`` messages as python-brace-format, the style this app uses.

    Babel flags any ``%`` as python-format ("% of the total" looks like ``% o``), which makes
    gettext tools reject good translations; Poedit and msgfmt check brace placeholders instead.
    """
    message.flags.discard("python-format")
    text = message.id[0] if isinstance(message.id, tuple | list) else message.id
    if placeholder_names(text):
        message.flags.add("python-brace-format")


def _render(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    # No line numbers in the files: they would change with every edit of the code; `check`
    # prints fresh file:line locations instead.
    write_po(
        buffer,
        catalog,
        width=100,
        include_lineno=False,
        omit_header=False,
        ignore_obsolete=False,
        sort_output=False,
    )
    return buffer.getvalue()


def _without_dates(text: bytes) -> list[bytes]:
    return [line for line in text.splitlines() if not any(h.encode() in line for h in _DATE_HEADERS)]


def write_if_changed(path: Path, catalog: Catalog) -> bool:
    """Write ``catalog`` to ``path`` unless only the header dates would change; True if written."""
    new = _render(catalog)
    if path.exists() and _without_dates(path.read_bytes()) == _without_dates(new):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(new)
    return True


def _new_catalog(lang: str | None) -> Catalog:
    team = {"ky": "Kyrgyz", "ru": "Russian"}.get(lang or "", "")
    return Catalog(
        locale=lang,
        project=PROJECT,
        version="0.1",
        copyright_holder="Achyk Atlas contributors",
        msgid_bugs_address="",
        language_team=team,
        last_translator="",
        fuzzy=False,
    )


def read_catalogue(path: Path, lang: str) -> Catalog:
    """A .po file as a Babel Catalog (a fresh empty one if the file does not exist yet)."""
    if not path.exists():
        return _new_catalog(lang)
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, abort_invalid=True)


def merge(template: Catalog, catalogue: Catalog, glossary: Sequence[Term], lang: str) -> Catalog:
    """Bring ``catalogue`` in line with ``template``; translations kept, glossary terms enforced."""
    # No fuzzy matching: on short UI strings Babel's guesses are wrong more often than right
    # ("(population {year})" → "Population"), and a wrong guess is worse than a visible gap.
    catalogue.update(template, no_fuzzy_matching=True, update_creation_date=True)
    for message in catalogue:
        if message.id:
            _mark_format(message)
    for term in glossary:
        message = catalogue.get(term.en)
        wanted = getattr(term, lang, "")
        if message is not None and wanted:
            message.string = wanted
            message.flags.discard("fuzzy")
    return catalogue


def cmd_extract(root: Path = ROOT) -> list[Path]:
    """Regenerate messages.pot from the code and the glossary, then update each .po from it."""
    template = extract_template(root)
    pot = root / "locales" / "messages.pot"
    written = [pot] if write_if_changed(pot, template) else []
    return written + _update_all(template, root)


def cmd_update(root: Path = ROOT) -> list[Path]:
    """Update each .po from the existing messages.pot."""
    with (root / "locales" / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    return _update_all(template, root)


def _update_all(template: Catalog, root: Path) -> list[Path]:
    glossary_path = root / "docs" / "GLOSSARY.md"
    glossary = read_glossary(glossary_path) if glossary_path.exists() else []
    written = []
    for lang in TARGET_LANGS:
        path = po_path(lang, root / "locales")
        catalogue = merge(template, read_catalogue(path, lang), glossary, lang)
        if write_if_changed(path, catalogue):
            written.append(path)
    return written


# ---------------------------------------------------------------- check


@dataclass
class Todo:
    """A msgid that needs a translator: which languages lack what, and where it is used."""

    msgid: str
    msgid_plural: str | None
    where: list[str]
    status: dict[str, str] = field(default_factory=dict)  # lang → "missing" | "fuzzy"
    current: dict[str, str | list[str]] = field(default_factory=dict)
    nplurals: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    """Everything ``check`` finds; ``ok`` when a translator has nothing left to do."""

    total: int = 0
    not_in_catalogue: dict[str, list[str]] = field(default_factory=dict)  # msgid → where
    todo: list[Todo] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)
    glossary: list[str] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (
            self.not_in_catalogue or self.todo or self.placeholders or self.glossary or self.unreadable
        )


def _msgid(message: Message) -> str:
    return message.id[0] if isinstance(message.id, tuple | list) else message.id


def _where(message: Message | None) -> list[str]:
    if message is None:
        return []
    return [f"{file}:{line}" if line else file for file, line in message.locations]


def placeholder_names(text: str) -> set[str] | None:
    """The ``{names}`` in a str.format text, or None if the braces are broken.

    >>> sorted(placeholder_names("Row {row}: {column}"))
    ['column', 'row']
    """
    try:
        return {
            name.split(".")[0].split("[")[0]
            for _, name, _, _ in string.Formatter().parse(text)
            if name is not None
        }
    except ValueError:
        return None


def _placeholder_problem(msgid: str, msgstr: str, plural_form: bool) -> str | None:
    wanted, got = placeholder_names(msgid), placeholder_names(msgstr)
    if wanted is None:
        return None  # the English text is not a format string; nothing to compare
    if got is None:
        return "unbalanced { } braces"
    extra, lacking = got - wanted, wanted - got
    if extra:
        return "unknown placeholder(s) " + ", ".join(f"{{{n}}}" for n in sorted(extra))
    if lacking and not plural_form:  # a plural form may say "one row" without {n}
        return "lacks placeholder(s) " + ", ".join(f"{{{n}}}" for n in sorted(lacking))
    return None


def _check_message(
    message: Message, lang: str, report: Report, todos: dict[str, Todo], fresh: Message | None
) -> None:
    key = _msgid(message)
    strings = list(message.string) if isinstance(message.string, tuple | list) else [message.string]
    ids = list(message.id) if isinstance(message.id, tuple | list) else [message.id]
    status = "fuzzy" if message.fuzzy else "missing" if not all(strings) else None
    if status:
        todo = todos.setdefault(
            key, Todo(key, ids[1] if len(ids) > 1 else None, _where(fresh) or _where(message))
        )
        todo.status[lang] = status
        todo.current[lang] = strings if len(ids) > 1 else strings[0]
        todo.nplurals[lang] = len(strings)
    for index, text in enumerate(strings):
        if not text:
            continue
        source = ids[0] if index == 0 or len(ids) == 1 else ids[1]
        problem = _placeholder_problem(source, text, len(ids) > 1)
        if problem:
            report.placeholders.append(f"{lang}: msgid {source!r} → msgstr {text!r}: {problem}")


def check(root: Path = ROOT) -> Report:
    """Compare the code, the glossary and the ky/ru catalogues.

    >>> isinstance(check().ok, bool)
    True
    """
    report = Report()
    template = extract_template(root)
    fresh = {_msgid(m): m for m in template if m.id}
    report.total = len(fresh)
    todos: dict[str, Todo] = {}
    glossary_path = root / "docs" / "GLOSSARY.md"
    glossary = read_glossary(glossary_path) if glossary_path.exists() else []
    for lang in TARGET_LANGS:
        path = po_path(lang, root / "locales")
        try:
            catalogue = read_catalogue(path, lang)
        except Exception as error:  # report every problem at once rather than stop at the first
            report.unreadable.append(f"{_relative(path, root)}: {error}")
            continue
        known = {_msgid(m): m for m in catalogue if m.id}
        for key, message in fresh.items():
            if key not in known:
                report.not_in_catalogue.setdefault(key, _where(message))
        for key, message in known.items():
            _check_message(message, lang, report, todos, fresh.get(key))
        for term in glossary:
            message = known.get(term.en)
            wanted = getattr(term, lang)
            if message is not None and message.string and message.string != wanted:
                report.glossary.append(
                    f"{lang}: {term.en!r} is {message.string!r} in {_relative(path, root)} but "
                    f"{wanted!r} in docs/GLOSSARY.md:{term.line}"
                )
    report.todo = list(todos.values())
    return report


def glossary_hints(msgid: str, glossary: Sequence[Term]) -> list[Term]:
    """The glossary terms a msgid mentions, so a translator can reuse their words.

    >>> [t.en for t in glossary_hints("Lead institution of each commitment", read_glossary())]
    ['Commitment', 'Lead institution']
    """
    low = msgid.lower()
    return [t for t in glossary if t.en != msgid and re.search(rf"(?<!\w){re.escape(t.en.lower())}", low)]


def format_report(report: Report, glossary: Sequence[Term]) -> str:
    """The ``check`` report as text a translator can work through top to bottom."""
    lines = [
        f"i18n check: {report.total} msgids in the code and glossary; languages {', '.join(TARGET_LANGS)}."
    ]
    if report.unreadable:
        lines += ["", "UNREADABLE CATALOGUES (fix the .po syntax first)"]
        lines += [f"  {entry}" for entry in report.unreadable]
    if report.not_in_catalogue:
        lines += [
            "",
            f"NOT IN THE CATALOGUES YET ({len(report.not_in_catalogue)}): run `{CMD} extract`, "
            "then translate them",
        ]
        lines += [
            f"  {', '.join(where) or '?'}  {msgid!r}" for msgid, where in report.not_in_catalogue.items()
        ]
    if report.todo:
        counts = {lang: sum(lang in t.status for t in report.todo) for lang in TARGET_LANGS}
        lines += [
            "",
            "TRANSLATIONS TO WRITE ("
            + ", ".join(f"{lang}: {n}" for lang, n in counts.items())
            + f"): fill the msgstr in {', '.join(_relative(po_path(lang), ROOT) for lang in TARGET_LANGS)}"
            f", or `{CMD} check --json > todo.json`, fill it in, `{CMD} apply todo.json`",
        ]
        for todo in report.todo:
            lines.append(
                f"  msgid {todo.msgid!r}" + (f" / plural {todo.msgid_plural!r}" if todo.msgid_plural else "")
            )
            if todo.where:
                lines.append(
                    f"    used at: {', '.join(todo.where[:4])}" + (" …" if len(todo.where) > 4 else "")
                )
            missing = [lang for lang in TARGET_LANGS if todo.status.get(lang) == "missing"]
            if missing:
                lines.append(f"    missing: {', '.join(missing)}")
            for lang in TARGET_LANGS:
                if todo.status.get(lang) == "fuzzy":
                    guess = todo.current.get(lang)
                    lines.append(f"    {lang}: fuzzy guess {guess!r}: check it, then drop '#, fuzzy'")
            for term in glossary_hints(todo.msgid, glossary):
                lines.append(f"    glossary: {term.en} = ky «{term.ky}», ru «{term.ru}»")
    if report.placeholders:
        lines += ["", "BROKEN PLACEHOLDERS (the app falls back to English for these)"]
        lines += [f"  {entry}" for entry in report.placeholders]
    if report.glossary:
        lines += [
            "",
            f"CATALOGUE DISAGREES WITH docs/GLOSSARY.md (run `{CMD} extract` to apply the glossary)",
        ]
        lines += [f"  {entry}" for entry in report.glossary]
    lines += ["", "OK: every msgid has a ky and ru translation." if report.ok else "NOT OK (exit status 1)."]
    return "\n".join(lines)


def todo_form(report: Report, glossary: Sequence[Term]) -> list[dict]:
    """The ``check --json`` form: one object per msgid; fill ``ky``/``ru`` and give it to ``apply``."""
    form = []
    for msgid, where in report.not_in_catalogue.items():
        form.append(
            {"msgid": msgid, "where": where, "ky": "", "ru": "", "note": f"run `{CMD} extract` first"}
        )
    for todo in report.todo:
        entry: dict = {"msgid": todo.msgid, "where": todo.where}
        if todo.msgid_plural:
            entry["msgid_plural"] = todo.msgid_plural
        for lang in TARGET_LANGS:
            current = todo.current.get(lang, "")
            if lang not in todo.status:
                continue
            if todo.msgid_plural:
                entry[lang] = (
                    list(current) if isinstance(current, list) else [""] * todo.nplurals.get(lang, 2)
                )
            else:
                entry[lang] = current if todo.status[lang] == "fuzzy" else ""
            entry[f"{lang}_status"] = todo.status[lang]
        hints = {t.en: {"ky": t.ky, "ru": t.ru} for t in glossary_hints(todo.msgid, glossary)}
        if hints:
            entry["glossary"] = hints
        form.append(entry)
    return form


def cmd_apply(form: Iterable[dict], root: Path = ROOT) -> tuple[int, list[str]]:
    """Write filled-in translations into the .po files; returns (count written, msgids not found)."""
    form = list(form)
    written, unknown = 0, []
    for lang in TARGET_LANGS:
        path = po_path(lang, root / "locales")
        catalogue = read_catalogue(path, lang)
        for entry in form:
            value = entry.get(lang)
            if not value or (isinstance(value, list) and not all(value)):
                continue
            message = catalogue.get(entry["msgid"])
            if message is None:
                unknown.append(f"{lang}: {entry['msgid']!r}")
                continue
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            written += 1
        write_if_changed(path, catalogue)
    return written, unknown


def cmd_compile(root: Path = ROOT) -> list[str]:
    """Write messages.mo next to each .po (for gettext tools; the app reads the .po itself)."""
    problems = check(root).placeholders  # Babel's own checkers only know %-style formats
    for lang in TARGET_LANGS:
        path = po_path(lang, root / "locales")
        catalogue = read_catalogue(path, lang)
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
    return problems


# ---------------------------------------------------------------- lint: strings that bypass _()

#: Streamlit calls whose positional string arguments a user reads.
SHOWN_POSITIONAL = {
    "title",
    "header",
    "subheader",
    "markdown",
    "write",
    "caption",
    "text",
    "html",
    "badge",
    "button",
    "selectbox",
    "radio",
    "checkbox",
    "text_input",
    "number_input",
    "slider",
    "select_slider",
    "file_uploader",
    "expander",
    "info",
    "warning",
    "error",
    "success",
    "toast",
    "spinner",
    "status",
    "popover",
    "download_button",
    "link_button",
    "form_submit_button",
    "toggle",
    "multiselect",
    "text_area",
    "metric",
    "date_input",
    "time_input",
    "color_picker",
    "camera_input",
    "chat_input",
    "pills",
    "segmented_control",
    "dialog",
    "feedback",
    "tabs",
    "progress",
    "write_stream",
}
#: Keywords that carry visible text in any streamlit call.
SHOWN_KEYWORDS = {"label", "help", "placeholder", "caption", "title", "page_title", "body", "text"}
#: Calls whose options list is shown as is unless a ``format_func`` translates it.
OPTION_CALLS = {"selectbox", "radio", "multiselect", "select_slider", "pills", "segmented_control"}
#: Calls whose first positional argument is a file or page, not text.
PATH_FIRST = {"Page", "page_link", "switch_page", "image", "audio", "video", "logo"}
TRANSLATE_CALLS = {"_", "N_", "nN_", "plural_msg", "gettext", "ngettext", "pgettext", "npgettext"}
ALLOW_COMMENT = re.compile(r"#.*\bi18n:\s*ok\b")

_MARKUP = [
    (re.compile(r"<(style|script)\b.*?</\1\s*>", re.S | re.I), " "),
    (re.compile(r"<!--.*?-->", re.S), " "),
    (re.compile(r"<[^<>]*>"), " "),  # HTML tags with their attributes
    (re.compile(r"&[A-Za-z]+;|&#\d+;"), " "),
    (re.compile(r"\]\([^)]*\)"), "]"),  # markdown link targets
    (re.compile(r"(https?|mailto|ftp)://\S+|mailto:\S+"), " "),
    (re.compile(r":material/[a-z0-9_]+:"), " "),
    (re.compile(r":(red|orange|yellow|green|blue|violet|gray|grey|rainbow|primary)(-background)?\["), " "),
    (re.compile(r":[a-z0-9_+-]+:"), " "),  # emoji shortcodes
    (re.compile(r"\{[^{}]*\}"), " "),  # format placeholders and the slots of values
]
_LETTER = re.compile(r"[^\W\d_]")


@dataclass(frozen=True)
class Finding:
    """A string a user would read without translation."""

    path: str
    line: int
    call: str
    text: str
    why: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}: {self.why}: {self.text!r}"


def visible_letters(template: str) -> bool:
    """Whether text remains once markup, URLs, icons and ``{}`` slots are removed.

    >>> visible_letters("<b>{}</b> — {}"), visible_letters("Rows: {}")
    (False, True)
    """
    for pattern, replacement in _MARKUP:
        template = pattern.sub(replacement, template)
    return bool(_LETTER.search(template))


def _dotted(node: ast.AST) -> list[str]:
    """``st.sidebar.button`` → ["st", "sidebar", "button"]; calls and subscripts are looked through."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Name):
            parts.append(node.id)
            return parts[::-1]
        else:
            return parts[::-1]


def _is_translation(node: ast.AST) -> bool:
    if not isinstance(node, ast.Call):
        return False
    func = node.func
    if isinstance(func, ast.Name) and func.id in TRANSLATE_CALLS:
        return True
    if isinstance(func, ast.Attribute) and func.attr in {
        "gettext",
        "ngettext",
        "pgettext",
        "npgettext",
        "render",
    }:
        return True  # _.ngettext(...), Msg(...).render(_)
    # tr()("…") and translator(lang)("…")
    return isinstance(func, ast.Call) and _dotted(func.func)[-1:] in (["tr"], ["translator"])


def templates(node: ast.AST, limit: int = 16) -> list[str]:
    """The texts an expression can show, with ``{}`` wherever a value or a translation goes.

    >>> templates(ast.parse('f"{n} rows" if n else _("None")', mode="eval").body)
    ['{} rows', '{}']
    """
    if isinstance(node, ast.Constant):
        return [node.value.replace("{", "{{").replace("}", "}}")] if isinstance(node.value, str) else ["{}"]
    if isinstance(node, ast.JoinedStr):
        return [
            "".join(templates(part)[0] if isinstance(part, ast.Constant) else "{}" for part in node.values)
        ]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [left + right for left in templates(node.left) for right in templates(node.right)][:limit]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return templates(node.left)
    if isinstance(node, ast.IfExp):
        return (templates(node.body) + templates(node.orelse))[:limit]
    if isinstance(node, ast.BoolOp):
        return [t for value in node.values for t in templates(value)][:limit]
    if _is_translation(node):
        return ["{}"]
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in {"format", "join"}
    ):
        if isinstance(node.func.value, ast.Constant | ast.JoinedStr):
            found = templates(node.func.value)
            if node.func.attr == "join" and node.args and isinstance(node.args[0], ast.List | ast.Tuple):
                found += [t for element in node.args[0].elts for t in templates(element)]
            return found[:limit]
    return ["{}"]


class _Linter(ast.NodeVisitor):
    """Finds streamlit calls showing untranslated text, and _() calls that cannot be extracted."""

    def __init__(self, path: str, source: str):
        self.path = path
        self.source = source
        self.findings: list[Finding] = []
        self.st_names: set[str] = set()
        self.widget_names: set[str] = set()  # columns, tabs, containers, sidebar handles
        self.allowed = _allowed_lines(source)

    # -- what is streamlit
    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name == "streamlit":
                self.st_names.add(alias.asname or "streamlit")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module == "streamlit":
            for alias in node.names:
                self.widget_names.add(alias.asname or alias.name)

    def _is_st(self, node: ast.AST) -> bool:
        root = _dotted(node)[:1]
        return bool(root) and (root[0] in self.st_names or root[0] in self.widget_names)

    def _mentions_st(self, node: ast.AST | None) -> bool:
        return node is not None and any(
            isinstance(n, ast.Name) and (n.id in self.st_names or n.id in self.widget_names)
            for n in ast.walk(node)
        )

    def _bind(self, target: ast.AST | None, value: ast.AST | None) -> None:
        if target is not None and self._mentions_st(value):
            self.widget_names.update(n.id for n in ast.walk(target) if isinstance(n, ast.Name))

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind(node.target, node.value)
        self.generic_visit(node)

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, node.iter)
        self.generic_visit(node)

    def visit_With(self, node: ast.With) -> None:
        for item in node.items:
            self._bind(item.optional_vars, item.context_expr)
        self.generic_visit(node)

    # -- what is shown
    def visit_Call(self, node: ast.Call) -> None:
        name = _dotted(node.func)
        if _is_translation(node) and isinstance(node.func, ast.Name | ast.Attribute):
            self._check_msgid(node, name[-1] if name else "_")
        elif name and name[-1] == "Msg" and node.args:
            self._check_msg(node)
        elif name and self._is_st(node.func) and not (set(name[:-1]) & {"session_state", "query_params"}):
            self._check_streamlit(node, ".".join(name))
        self.generic_visit(node)

    def _check_msgid(self, node: ast.Call, func: str) -> None:
        count = 2 if func in {"ngettext", "npgettext", "nN_", "plural_msg"} else 1
        start = 1 if func in {"pgettext", "npgettext"} else 0
        for arg in node.args[start : start + count]:
            if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str)) and not isinstance(
                arg, ast.Name | ast.Attribute | ast.Subscript | ast.Call
            ):
                self._report(
                    arg,
                    f"{func}()",
                    "text in _() must be one literal string, e.g. "
                    '_("{n} rows").format(n=n), or Babel cannot extract it',
                )

    def _check_msg(self, node: ast.Call) -> None:
        first = node.args[0]
        for text in templates(first) if not _is_translation(first) else []:
            if visible_letters(text):
                self._report(first, "Msg", 'Msg text must be N_("…") so it is extracted', text)

    def _check_streamlit(self, node: ast.Call, call: str) -> None:
        method = call.rsplit(".", 1)[-1]
        is_column = "column_config" in call
        shown_positional = method in SHOWN_POSITIONAL or is_column
        args = node.args[1:] if method in PATH_FIRST else node.args
        has_format_func = any(k.arg == "format_func" for k in node.keywords)
        for index, arg in enumerate(args if shown_positional else []):
            if method in OPTION_CALLS and index == 1:
                if not has_format_func:
                    self._check_elements(arg, call, "options shown without format_func")
                continue
            if method == "tabs" and index == 0:
                self._check_elements(arg, call, "tab label")
                continue
            if method == "navigation" and index == 0:
                continue
            self._check_text(arg, call, "untranslated text")
        if method == "navigation" and node.args and isinstance(node.args[0], ast.Dict):
            for key in node.args[0].keys:
                if key is not None:
                    self._check_text(key, call, "untranslated section name")
        for keyword in node.keywords:
            if keyword.arg in SHOWN_KEYWORDS:
                self._check_text(keyword.value, call, f"untranslated {keyword.arg}=")
            elif keyword.arg == "options" and method in OPTION_CALLS and not has_format_func:
                self._check_elements(keyword.value, call, "options shown without format_func")

    def _check_elements(self, node: ast.AST, call: str, why: str) -> None:
        if isinstance(node, ast.List | ast.Tuple | ast.Set):
            for element in node.elts:
                self._check_text(element, call, why)

    def _check_text(self, node: ast.AST, call: str, why: str) -> None:
        for text in templates(node):
            if visible_letters(text):
                self._report(node, call, why + " (wrap it in _())", text)
                return

    def _report(self, node: ast.AST, call: str, why: str, text: str | None = None) -> None:
        lines = range(node.lineno, (node.end_lineno or node.lineno) + 1)
        if any(line in self.allowed for line in lines):
            return
        shown = text if text is not None else (ast.get_source_segment(self.source, node) or "")
        self.findings.append(Finding(self.path, node.lineno, call, shown.replace("{}", "…"), why))


def _allowed_lines(source: str) -> set[int]:
    allowed: set[int] = set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT and ALLOW_COMMENT.search(token.string):
                allowed.add(token.start[0])
    except (tokenize.TokenError, SyntaxError):
        pass
    return allowed


def lint_source(source: str, path: str = "<string>") -> list[Finding]:
    """Strings in ``source`` a user would read untranslated.

    >>> [f.text for f in lint_source('import streamlit as st\\nst.title("Map")\\nst.title(_("Map"))')]
    ['Map']
    """
    try:
        tree = ast.parse(source, filename=path)
    except SyntaxError as error:
        return [Finding(path, error.lineno or 0, "parse", error.msg or "", "cannot parse the file")]
    linter = _Linter(path, source)
    # Imports first, so an `import streamlit as st` below a helper still counts.
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            linter.visit(node)
    linter.visit(tree)
    return linter.findings


def ui_files(root: Path = ROOT) -> list[Path]:
    """The files whose streamlit calls the lint reads: app.py, app_pages/**/*.py, ui/**/*.py."""
    files = [root / "app.py"] if (root / "app.py").exists() else []
    for folder in ("app_pages", "ui"):
        files += sorted((root / folder).rglob("*.py")) if (root / folder).is_dir() else []
    return files


def lint(root: Path = ROOT, files: Iterable[Path] | None = None) -> list[Finding]:
    """Every bypass of the translation layer in the UI files (and Msg texts in atlas/)."""
    chosen = list(files) if files is not None else ui_files(root) + sorted((root / "atlas").rglob("*.py"))
    findings: list[Finding] = []
    for path in chosen:
        findings += lint_source(path.read_text(encoding="utf-8"), _relative(path, root))
    return findings


# ---------------------------------------------------------------- command line


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("command", choices=["extract", "update", "check", "apply", "compile", "lint"])
    parser.add_argument("file", nargs="?", help="the filled-in form for `apply`")
    parser.add_argument("--json", action="store_true", help="`check`: print a fill-in form for `apply`")
    args = parser.parse_args(argv)
    out = sys.stdout
    if args.command in {"extract", "update"}:
        written = cmd_extract() if args.command == "extract" else cmd_update()
        print(
            "\n".join(f"wrote {_relative(p, ROOT)}" for p in written) or "catalogues already up to date",
            file=out,
        )
        return 0
    if args.command == "check":
        report, glossary = check(), read_glossary()
        if args.json:
            json.dump(todo_form(report, glossary), out, ensure_ascii=False, indent=1)
            out.write("\n")
        else:
            print(format_report(report, glossary), file=out)
        return 0 if report.ok else 1
    if args.command == "apply":
        if not args.file:
            parser.error("apply needs the JSON file written by `check --json`")
        count, unknown = cmd_apply(json.loads(Path(args.file).read_text(encoding="utf-8")))
        print(f"wrote {count} translations", file=out)
        for entry in unknown:
            print(f"  not in the catalogue (run extract first): {entry}", file=out)
        return 1 if unknown else 0
    if args.command == "compile":
        problems = cmd_compile()
        print("\n".join(problems) or "compiled " + ", ".join(TARGET_LANGS), file=out)
        return 1 if problems else 0
    findings = lint()
    for finding in findings:
        print(finding, file=out)
    print(f"{len(findings)} string(s) bypass the translation layer" if findings else "no bypasses", file=out)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
