"""The Indonesian catalogues are complete, keep every placeholder and are compiled.

Indonesian (``id``) is the default locale, so a UI string without an Indonesian translation
would show up in English for every user. Two catalogues: ``messages`` (the portal's own
strings; the extraction here uses the very options of ``make messages``, read from the
Makefile) and ``wtforms`` (WTForms' built-in validation messages, checked against the
template WTForms ships).
"""

from __future__ import annotations

import io
import os
import re
import shlex
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "portal" / "translations"
ID_PO = TRANSLATIONS / "id" / "LC_MESSAGES" / "messages.po"
ID_WTFORMS_PO = TRANSLATIONS / "id" / "LC_MESSAGES" / "wtforms.po"
CATALOGUES = sorted(TRANSLATIONS.glob("*/LC_MESSAGES/*.po"))

#: A named placeholder such as ``%(num)d`` or ``%(title)s``: (name, conversion).
PLACEHOLDER = re.compile(r"%\((\w+)\)[#0 +-]*\d*(?:\.\d+)?([diouxXeEfFgGcrsa])")
SAMPLE_VALUE = {"d": 3, "i": 3, "o": 3, "u": 3, "x": 3, "X": 3, "c": 65,
                "e": 1.5, "E": 1.5, "f": 1.5, "F": 1.5, "g": 1.5, "G": 1.5}


def extract_options() -> list[str]:
    """The ``PYBABEL_EXTRACT`` options of the Makefile's ``messages`` target."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    match = re.search(r"^PYBABEL_EXTRACT\s*:=\s*(.+)$", text, re.MULTILINE)
    assert match, "the Makefile defines PYBABEL_EXTRACT for `make messages`"
    return shlex.split(match.group(1))


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogue template extracted from the code now, as ``make messages`` does."""
    out = tmp_path_factory.mktemp("i18n") / "messages.pot"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        CommandLineInterface().run(["pybabel", "-q", "extract", *extract_options(),
                                    "-o", str(out), "."])
    finally:
        os.chdir(cwd)
    with out.open("rb") as handle:
        return read_po(handle)


def read_catalogue(path: Path):
    with path.open("rb") as handle:
        return read_po(handle, locale=path.parent.parent.name)


@pytest.fixture(scope="module")
def indonesian():
    return read_catalogue(ID_PO)


@pytest.fixture(params=CATALOGUES, ids=lambda path: str(path.relative_to(TRANSLATIONS)))
def catalogue_path(request) -> Path:
    return request.param


def placeholders(text: str) -> set[tuple[str, str]]:
    return set(PLACEHOLDER.findall(text))


def msgid_text(message) -> list[str]:
    return list(message.id) if isinstance(message.id, (list, tuple)) else [message.id]


def msgstr_texts(message) -> list[str]:
    return list(message.string) if isinstance(message.string, (list, tuple)) else [message.string]


def is_translated(message) -> bool:
    texts = msgstr_texts(message)
    return bool(texts) and all(text.strip() for text in texts)


def show(message) -> str:
    return " | ".join(msgid_text(message))


def test_extraction_finds_python_template_lazy_and_plural_strings(extracted):
    ids = {message.id if isinstance(message.id, str) else message.id[0]: message
           for message in extracted if message.id}
    locations = {key: {path for path, _line in m.locations} for key, m in ids.items()}
    assert "portal/auth/reauth.py" in locations["Please log in to open that page."]  # _()
    assert "portal/quizzes/views.py" in locations["Pre-test"]  # _l() in a module constant
    assert "portal/auth/forms.py" in locations["Full name"]  # _l() in a form
    assert "portal/templates/base.html" in locations["Log out"]  # _() in a template
    plural = ids["%(num)d module"]  # ngettext() in a template
    assert plural.id == ("%(num)d module", "%(num)d modules")


def missing_translations(template, catalogue) -> list[str]:
    """What of ``template`` lacks a usable translation in ``catalogue``, one line each."""
    problems = []
    for message in template:
        if not message.id:
            continue
        translated = catalogue.get(message.id)
        if translated is None:
            problems.append(f"not in the catalogue: {show(message)}")
        elif translated.pluralizable != message.pluralizable or (
                message.pluralizable and tuple(translated.id) != tuple(message.id)):
            problems.append(f"plural form differs from the code: {show(message)}")
        elif translated.fuzzy:
            problems.append(f"fuzzy (needs checking): {show(message)}")
        elif not is_translated(translated):
            problems.append(f"not translated: {show(message)}")
    return problems


#: A call of a translation function with a literal string, as written in Python or Jinja.
TRANSLATION_CALL = re.compile(r"""(?<![\w.])(?:_|_l|gettext|lazy_gettext|ngettext)\(\s*["']""")


def test_every_file_with_ui_strings_is_extracted(extracted):
    """pybabel silently skips folders it ignores (by default any starting with ``_``, such as
    templates/_macros): every file that calls a translation function must reach the
    catalogue."""
    extracted_files = {path for message in extracted for path, _line in message.locations}
    sources = [*(ROOT / "portal").rglob("*.py"), *(ROOT / "portal" / "templates").rglob("*.html")]
    with_strings = {str(path.relative_to(ROOT)) for path in sources
                    if "__pycache__" not in path.parts
                    and TRANSLATION_CALL.search(path.read_text(encoding="utf-8"))}
    assert with_strings, "the scan finds the portal's translated files"
    missing = sorted(with_strings - extracted_files)
    assert not missing, ("files with UI strings that `make messages` does not extract (check "
                         "babel.cfg and --ignore-dirs):\n  " + "\n  ".join(missing))


def test_every_ui_string_has_an_indonesian_translation(extracted, indonesian):
    problems = missing_translations(extracted, indonesian)
    assert not problems, (
        f"{len(problems)} UI string(s) lack an Indonesian translation. Run `make messages`, "
        f"translate them in {ID_PO.relative_to(ROOT)}, then `make translations`:\n  "
        + "\n  ".join(problems))


def test_every_wtforms_message_has_an_indonesian_translation():
    """WTForms ships no Indonesian; the portal's ``wtforms`` catalogue covers every message
    of the installed WTForms (a WTForms upgrade with new messages fails here)."""
    from wtforms.i18n import messages_path

    with (Path(messages_path()) / "wtforms.pot").open("rb") as handle:
        template = read_po(handle)
    problems = missing_translations(template, read_catalogue(ID_WTFORMS_PO))
    assert not problems, (
        f"{len(problems)} WTForms message(s) lack an Indonesian translation. Run "
        f"`make messages`, translate them in {ID_WTFORMS_PO.relative_to(ROOT)}, then "
        f"`make translations`:\n  " + "\n  ".join(problems))


def test_catalogue_has_no_fuzzy_entries_and_one_plural_form(catalogue_path):
    catalogue = read_catalogue(catalogue_path)
    assert catalogue.num_plurals == 1
    assert catalogue.plural_expr == "0"
    assert not catalogue.fuzzy, "the catalogue header is marked fuzzy"
    fuzzy = [show(m) for m in catalogue if m.id and m.fuzzy]
    assert not fuzzy, "fuzzy entries:\n  " + "\n  ".join(fuzzy)
    wrong_forms = [show(m) for m in catalogue
                   if m.id and m.pluralizable and len(msgstr_texts(m)) != 1]
    assert not wrong_forms, "Indonesian plurals have exactly one form:\n  " + "\n  ".join(
        wrong_forms)


def test_translations_keep_the_placeholders_of_their_msgid(catalogue_path):
    problems = []
    for message in read_catalogue(catalogue_path):
        if not message.id:
            continue
        expected = set().union(*(placeholders(text) for text in msgid_text(message)))
        for text in msgstr_texts(message):
            found = placeholders(text)
            if text and found != expected:
                problems.append(f"{show(message)!r}: expected {sorted(expected)}, "
                                f"found {sorted(found)} in {text!r}")
    assert not problems, "placeholders changed:\n  " + "\n  ".join(problems)


def test_translations_format_like_their_msgid(catalogue_path):
    """Templates %-format every string (Jinja's new-style gettext), so a lone % in a
    translation would break the page: every translation must format wherever its msgid
    does."""
    problems = []
    for message in read_catalogue(catalogue_path):
        if not message.id:
            continue
        values = {name: SAMPLE_VALUE.get(conv, "x")
                  for text in msgid_text(message) for name, conv in placeholders(text)}
        try:
            msgid_text(message)[0] % values
        except (ValueError, TypeError, KeyError):
            continue  # a Python-side string that is never %-formatted
        for text in msgstr_texts(message):
            try:
                text % values
            except (ValueError, TypeError, KeyError) as error:
                problems.append(f"{text!r}: {error}")
    assert not problems, "translations that do not format:\n  " + "\n  ".join(problems)


def test_compiled_catalogue_is_up_to_date(catalogue_path):
    compiled = catalogue_path.with_suffix(".mo")
    expected = io.BytesIO()
    write_mo(expected, read_catalogue(catalogue_path))
    assert compiled.exists() and compiled.read_bytes() == expected.getvalue(), (
        f"{compiled.relative_to(ROOT)} is missing or older than its .po: "
        "run `make translations`")


def test_only_indonesian_needs_a_catalogue():
    """English is the msgids themselves; every other configured locale has a catalogue."""
    from portal.config import load_config

    locales = load_config(str(ROOT / "instance"))["PORTAL_LOCALES"]
    catalogues = sorted(p.name for p in TRANSLATIONS.iterdir() if p.is_dir())
    assert catalogues == sorted(set(locales) - {"en"})
