"""Front matter: every mistake reported with the file and the right 1-based line."""

from __future__ import annotations

import pytest

from portal.courses.frontmatter import (
    COURSE_FIELDS,
    MODULE_FIELDS,
    QUIZ_FIELDS,
    ContentError,
    parse_document,
    read_document,
)

COURSE = """---
title: Kursus
code: K-01
jp: 20
competency_type: manajerial
competencies: [M.05]
mode: e-learning
pass_mark: 70
summary: Ringkas.
---
Isi.
"""


def parse(text, fields=COURSE_FIELDS):
    return parse_document(text, fields, "content/x/course.md")


def messages(errors):
    return [str(e) for e in errors]


def test_valid_course_front_matter():
    doc, errors = parse(COURSE)
    assert errors == []
    assert doc.meta == {"title": "Kursus", "code": "K-01", "jp": 20,
                        "competency_type": "manajerial", "competencies": ["M.05"],
                        "mode": "e-learning", "partner": None, "pass_mark": 70,
                        "summary": "Ringkas.", "reviewed": None, "target_level": None}
    assert doc.lines["jp"] == 4
    assert doc.body == "Isi.\n"
    assert doc.body_line == 11


def test_content_error_format():
    error = ContentError("content/x/course.md", 4, 'unknown key "judul"')
    assert str(error) == 'content/x/course.md:4: unknown key "judul"'
    assert (error.path, error.line, error.message) == ("content/x/course.md", 4,
                                                       'unknown key "judul"')


def test_unknown_key_reports_its_line():
    _, errors = parse(COURSE.replace("code: K-01", "code: K-01\njudul: Salah"))
    assert len(errors) == 1
    assert str(errors[0]).startswith('content/x/course.md:4: unknown key "judul"')


def test_missing_required_key():
    _, errors = parse(COURSE.replace("summary: Ringkas.\n", ""))
    assert messages(errors) == ['content/x/course.md:1: missing required key "summary"']


@pytest.mark.parametrize("line,replacement,fragment", [
    (4, "jp: 0", '"jp" must be a whole number ≥ 1'),
    (4, "jp: 2.5", '"jp" must be a whole number'),
    (4, "jp: dua", '"jp" must be a whole number'),
    (4, "jp: true", '"jp" must be a whole number'),
    (8, "pass_mark: 101", '"pass_mark" must be a whole number from 0 to 100'),
    (8, "pass_mark: -1", '"pass_mark" must be a whole number ≥ 0'),
    (5, "competency_type: teknikal", '"competency_type" must be one of: teknis | manajerial '
                                     '| sosial_kultural'),
    (7, "mode: daring", '"mode" must be one of: e-learning | klasikal | blended'),
    (6, "competencies: [M05]", '"competencies" has "M05", which is not a competency code'),
    (6, "competencies: []", '"competencies" must be a list of competency codes'),
    (2, "title: ''", '"title" must be non-empty text'),
])
def test_wrong_types_report_the_key_line(line, replacement, fragment):
    key = replacement.split(":")[0]
    original = next(l for l in COURSE.splitlines() if l.startswith(key + ":"))
    _, errors = parse(COURSE.replace(original, replacement))
    assert len(errors) == 1, messages(errors)
    assert errors[0].line == line
    assert fragment in errors[0].message


def test_several_errors_are_all_reported_in_line_order():
    text = COURSE.replace("jp: 20", "jp: nol").replace("mode: e-learning", "moda: daring")
    _, errors = parse(text)
    assert messages(errors) == [
        'content/x/course.md:1: missing required key "mode"',
        'content/x/course.md:4: "jp" must be a whole number (≥ 1)',
        'content/x/course.md:7: unknown key "moda" (allowed: title, code, jp, '
        'competency_type, competencies, target_level, mode, partner, pass_mark, summary, reviewed)',
    ]


def test_malformed_yaml_reports_its_line():
    _, errors = parse(COURSE.replace("competencies: [M.05]", "competencies: [M.05"))
    assert len(errors) == 1
    assert errors[0].message.startswith("the front matter is not valid YAML")
    assert errors[0].line == 7
    assert "starts on line 6" in errors[0].message


def test_colon_in_text_gets_a_hint():
    _, errors = parse(COURSE.replace("title: Kursus", "title: Kursus: Dasar"))
    assert len(errors) == 1 and errors[0].line == 2
    assert "in quotes" in errors[0].message


def test_malformed_yaml_bad_indentation_line():
    _, errors = parse("---\ntitle: a\nminutes: 5\n  extra: x\n---\nbody\n", MODULE_FIELDS)
    assert len(errors) == 1
    assert errors[0].line == 4


def test_duplicate_key():
    _, errors = parse("---\ntitle: a\nminutes: 5\ntitle: b\n---\nx\n", MODULE_FIELDS)
    assert messages(errors) == ['content/x/course.md:4: key "title" is given twice']


def test_missing_front_matter():
    _, errors = parse("# Judul\n\nTeks\n")
    assert len(errors) == 1 and errors[0].line == 1
    assert "must start with front matter" in errors[0].message


def test_unclosed_front_matter():
    _, errors = parse("---\ntitle: a\n")
    assert messages(errors) == [
        "content/x/course.md:1: the front matter is not closed by a --- line"]


def test_front_matter_must_be_a_mapping():
    _, errors = parse("---\n- a\n- b\n---\nx\n", MODULE_FIELDS)
    assert len(errors) == 1 and errors[0].line == 2


def test_quiz_defaults_and_optional_values():
    doc, errors = parse("---\nkind: practice\ntitle: Latihan\n---\n", QUIZ_FIELDS)
    assert errors == []
    assert doc.meta == {"kind": "practice", "title": "Latihan", "time_limit": None,
                        "attempts": 0, "grading": "highest", "shuffle": False, "draw": None,
                        "shuffle_options": True, "review": None}


def test_quiz_wrong_values():
    doc, errors = parse("---\nkind: ujian\ntitle: T\nshuffle: ya\ngrading: best\n"
                        "time_limit: 0\n---\n", QUIZ_FIELDS)
    assert [(e.line, e.message.split(" must")[0]) for e in errors] == [
        (2, '"kind"'), (4, '"shuffle"'), (5, '"grading"'), (6, '"time_limit"')]


def test_read_document_reads_utf8_with_bom_and_crlf(tmp_path):
    path = tmp_path / "01-a.md"
    path.write_bytes(b"\xef\xbb\xbf---\r\ntitle: Pengantar\r\nminutes: 30\r\n---\r\nIsi\r\n")
    doc, errors = read_document(path, MODULE_FIELDS)
    assert errors == []
    assert doc.meta == {"title": "Pengantar", "minutes": 30, "reviewed": None,
                        "min_minutes": None, "id": None}
    assert doc.body.strip() == "Isi"


def test_read_document_rejects_non_utf8(tmp_path):
    path = tmp_path / "01-a.md"
    path.write_bytes(b"---\ntitle: a\nminutes: 1\n---\nCaf\xe9\n")
    _, errors = read_document(path, MODULE_FIELDS, "c/01-a.md")
    assert messages(errors) == ["c/01-a.md:5: the file is not UTF-8 text"]


def test_a_value_yaml_cannot_build_is_an_error_at_its_line_not_a_crash():
    # YAML reads 2026-02-30 as a date that does not exist; the file gets a clear error.
    doc, errors = parse(COURSE.replace("title: Kursus", "title: 2026-02-30"))
    assert messages(errors) == [
        'content/x/course.md:2: "title" is not a valid value (day is out of range for '
        'month)']
    assert "title" not in doc.meta


@pytest.mark.parametrize("key, value, named", [
    ("title", "Kursus 🚀 Digital", "U+1F680 ROCKET"),
    ("code", "K\u200b-01", "U+200B ZERO WIDTH SPACE"),
])
def test_printed_course_fields_refuse_what_a_certificate_cannot_print(key, value, named):
    original = COURSE.split("\n")
    text = "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line
                     for line in original)
    line = next(i for i, row in enumerate(original, 1) if row.startswith(f"{key}:"))
    _doc, errors = parse(text)
    assert messages(errors) == [
        f'content/x/course.md:{line}: "{key}" has a character a certificate cannot print: '
        f'{named}']


def test_printed_course_fields_are_normalized():
    doc, errors = parse(COURSE.replace("title: Kursus", "title: Kursus\u00a0\u00a0Digital"))
    assert errors == []
    assert doc.meta["title"] == "Kursus Digital"
