"""Warnings of ``flask content check``: regulations whose review is missing or more than a
year old, and post-test questions that repeat a pre-test question."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from portal.courses.frontmatter import MODULE_FIELDS, parse_document
from portal.courses.loader import check_course
from portal.courses.review import (
    Citation,
    ContentWarning,
    ReviewScope,
    find_citations,
    normalise_prompt,
    review_due,
    shared_question_warnings,
    stale_review_warnings,
)

TODAY = date(2026, 11, 30)
#: 30 November 2026, 08.00 WIB.
MOMENT = datetime(2026, 11, 30, 1, 0, tzinfo=timezone.utc)


# --- regulation names -------------------------------------------------------------------

def test_citations_in_the_forms_courses_write_them():
    text = (
        "SPBE diatur dalam Peraturan Presiden Nomor 95 Tahun 2018 dan Perpres 132/2022.\n"
        "UU PDP (UU 27/2022) juga disebut Undang-Undang Nomor 27 Tahun 2022.\n"
        "PermenPANRB 59/2020, Permendagri 72/2022, Peraturan LKPP 12/2021,\n"
        "Perka BKN 22/2007, PP 11/2017 Pasal 203 ayat (4), Peraturan LAN 10/2018,\n"
        "Peraturan Menteri PANRB Nomor 38 Tahun 2017 dan Perpres\n"
        "16/2018.\n")
    found = find_citations(text, "c/01-a.md", first_line=5)
    assert [(c.line, c.text) for c in found] == [
        (5, "Peraturan Presiden Nomor 95 Tahun 2018"), (5, "Perpres 132/2022"),
        (6, "UU 27/2022"), (6, "Undang-Undang Nomor 27 Tahun 2022"),
        (7, "PermenPANRB 59/2020"), (7, "Permendagri 72/2022"),
        (7, "Peraturan LKPP 12/2021"), (8, "Perka BKN 22/2007"), (8, "PP 11/2017"),
        (8, "Peraturan LAN 10/2018"), (9, "Peraturan Menteri PANRB Nomor 38 Tahun 2017"),
        (9, "Perpres 16/2018")]
    assert {c.path for c in found} == {"c/01-a.md"}


@pytest.mark.parametrize("text", [
    "UU PDP melindungi data pribadi.",             # a name without number and year
    "Pejabat Pengadaan (PP) sampai Rp200 juta.",   # PP as an abbreviation of a role
    "Standar ISO 27001/2013 dan nilai 3/2026.",    # numbers that are not regulations
    "SUPP 12/2020 dan APP 3/2021.",                # PP inside a longer word
])
def test_text_that_names_no_regulation(text):
    assert find_citations(text, "x.md") == []


# --- stale reviews ----------------------------------------------------------------------

def scope(reviewed, citations=1):
    cites = [Citation("Perpres 95/2018", "c/01-spbe.md", 5 + i) for i in range(citations)]
    return ReviewScope("c/course.md", 11, reviewed, cites)


def test_a_review_falls_due_one_year_later_and_29_february_on_28_february():
    assert review_due(date(2025, 11, 30)) == date(2026, 11, 30)
    assert review_due(date(2024, 2, 29)) == date(2025, 2, 28)


def test_reviewed_exactly_a_year_ago_is_current_one_day_more_is_stale():
    assert stale_review_warnings([scope(date(2025, 11, 30))], TODAY) == []
    assert stale_review_warnings([scope(TODAY)], TODAY) == []
    [warning] = stale_review_warnings([scope(date(2025, 11, 29), citations=2)], TODAY)
    assert str(warning) == (
        'c/course.md:11: warning: reviewed 2025-11-29, more than a year before today '
        '(2026-11-30), and names regulations (2 mentions, first "Perpres 95/2018" at '
        'c/01-spbe.md:5): check them against the official texts, then update "reviewed"')


def test_a_missing_date_and_a_date_after_today_warn():
    missing, future = stale_review_warnings([scope(None), scope(date(2062, 11, 30))], TODAY)
    assert missing == ContentWarning(
        "c/course.md", 11, 'names regulations (1 mention, first "Perpres 95/2018" at '
        'c/01-spbe.md:5) but has no "reviewed" date: check them against the official '
        'texts, then add reviewed: YYYY-MM-DD')
    assert future.message == ('"reviewed" is 2062-11-30, after today (2026-11-30): write '
                              'the day the texts were checked')


def test_material_that_names_no_regulation_needs_no_review_date():
    assert stale_review_warnings([scope(None, citations=0),
                                  scope(date(2001, 1, 1), citations=0)], TODAY) == []


# --- the reviewed key -------------------------------------------------------------------

MODULE = "---\ntitle: Pengantar\nminutes: 30\nreviewed: {}\n---\nIsi.\n"


@pytest.mark.parametrize("written, value", [
    ("2026-11-30", date(2026, 11, 30)), ('"2026-11-30"', date(2026, 11, 30))])
def test_reviewed_is_a_date(written, value):
    doc, errors = parse_document(MODULE.format(written), MODULE_FIELDS, "c/01-a.md")
    assert errors == [] and doc.meta["reviewed"] == value and doc.lines["reviewed"] == 4


@pytest.mark.parametrize("written, message", [
    ("30-11-2026", '"reviewed" must be a date written as YYYY-MM-DD, e.g. 2026-11-30'),
    ("kemarin", '"reviewed" must be a date written as YYYY-MM-DD, e.g. 2026-11-30'),
    ("2026-11-30 10:00:00", '"reviewed" must be a date without a time, e.g. 2026-11-30'),
    ("2026-02-30", '"reviewed" is not a valid value (day is out of range for month)'),
])
def test_a_reviewed_value_that_is_not_a_date_is_an_error_at_its_line(written, message):
    _, errors = parse_document(MODULE.format(written), MODULE_FIELDS, "c/01-a.md")
    assert [str(e) for e in errors] == [f"c/01-a.md:4: {message}"]


# --- pre-test and post-test overlap -----------------------------------------------------

def test_prompts_compare_without_markup_case_spacing_or_final_punctuation():
    assert normalise_prompt("<p>Pilih  semua <strong>prinsip</strong> SPBE&nbsp;menurut "
                            "Perpres 95/2018.</p>\n") == (
        "pilih semua prinsip spbe menurut perpres 95/2018")
    assert normalise_prompt("<p>Apa kepanjangan SPBE?</p>") == normalise_prompt(
        "<p>apa kepanjangan  SPBE</p>")


def test_a_post_test_question_that_repeats_a_pre_test_question_names_both_lines():
    pre = [(10, "<p>Apa kepanjangan SPBE?</p>"), (18, "<p>Pilih semua prinsip SPBE.</p>")]
    post = [(10, "<p>Menurut Perpres 95/2018, SPBE adalah ...</p>"),
            (25, "<p>Pilih semua <em>prinsip</em> SPBE</p>")]
    assert [str(w) for w in shared_question_warnings(pre, "c/pretest.md", post,
                                                     "c/posttest.md")] == [
        "c/posttest.md:25: warning: the same question is in the pre-test "
        "(c/pretest.md:18); learners who read the pre-test review know this answer: ask "
        "for the same competency with a different question"]


# --- a course folder --------------------------------------------------------------------

def set_front_matter(path, key, value):
    text = path.read_text()
    path.write_text(text.replace("\n---\n", f"\n{key}: {value}\n---\n", 1))


def test_a_course_warns_where_each_date_is_written(course_dir):
    (course_dir / "pretest.md").write_text((course_dir / "pretest.md").read_text().replace(
        "## Berapa JP minimal per tahun?", "## Berapa JP minimal per tahun menurut "
                                           "PP 17/2020?"))
    (course_dir / "02-lanjutan.md").write_text((course_dir / "02-lanjutan.md").read_text()
                                               + "\nLihat Perpres 95/2018.\n")
    set_front_matter(course_dir / "course.md", "reviewed", "2025-06-01")
    result = check_course(course_dir)
    assert result.ok and result.warnings(TODAY) == [ContentWarning(
        str(course_dir / "course.md"), 11,
        'reviewed 2025-06-01, more than a year before today (2026-11-30), and names '
        f'regulations (2 mentions, first "Perpres 95/2018" at {course_dir}/02-lanjutan.md:7)'
        ': check them against the official texts, then update "reviewed"')]

    # A module with its own date answers for its own text only.
    set_front_matter(course_dir / "02-lanjutan.md", "reviewed", "2026-10-01")
    [warning] = check_course(course_dir).warnings(TODAY)
    assert (warning.path, warning.line) == (str(course_dir / "course.md"), 11)
    assert f'1 mention, first "PP 17/2020" at {course_dir}/pretest.md:' in warning.message
    assert [(w.path.rsplit("/", 1)[-1], w.line) for w in
            check_course(course_dir).warnings(date(2027, 10, 2))] == [
        ("02-lanjutan.md", 4), ("course.md", 11)]


def test_a_course_with_errors_has_no_warnings(course_dir):
    set_front_matter(course_dir / "course.md", "reviewed", "kemarin")
    (course_dir / "posttest.md").write_text((course_dir / "posttest.md").read_text().replace(
        "## SPBE adalah singkatan dari ...", "## Apa kepanjangan SPBE?"))
    result = check_course(course_dir)
    assert not result.ok and result.warnings(TODAY) == []


# --- flask content check ----------------------------------------------------------------

def test_check_prints_warnings_on_stderr_and_still_succeeds(app, content_dir, monkeypatch,
                                                            freeze_now):
    freeze_now(MOMENT)
    monkeypatch.chdir(content_dir.parent)
    course = content_dir / "kursus-contoh"
    (course / "posttest.md").write_text((course / "posttest.md").read_text().replace(
        "## SPBE adalah singkatan dari ...", "## Apa kepanjangan SPBE"))
    (course / "01-pengantar.md").write_text((course / "01-pengantar.md").read_text()
                                            .replace("Teks modul pertama.",
                                                     "Teks modul pertama (UU 25/2009)."))
    result = app.test_cli_runner().invoke(args=["content", "check", "content"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "kursus-contoh: 2 modules, 5 questions in 2 quizzes, 2 JP\n"
    assert result.stderr.splitlines() == [
        'content/kursus-contoh/course.md:1: warning: names regulations (1 mention, first '
        '"UU 25/2009" at content/kursus-contoh/01-pengantar.md:7) but has no "reviewed" '
        'date: check them against the official texts, then add reviewed: YYYY-MM-DD',
        "content/kursus-contoh/posttest.md:10: warning: the same question is in the "
        "pre-test (content/kursus-contoh/pretest.md:9); learners who read the pre-test "
        "review know this answer: ask for the same competency with a different question",
        "2 warnings.",
    ]

    set_front_matter(course / "course.md", "reviewed", "2025-11-30")
    (course / "posttest.md").write_text((course / "posttest.md").read_text().replace(
        "## Apa kepanjangan SPBE", "## SPBE adalah singkatan dari ..."))
    result = app.test_cli_runner().invoke(args=["content", "check", "content"])
    assert result.exit_code == 0 and result.stderr == ""

    freeze_now(datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc))  # 1 December, 00.00 WIB
    result = app.test_cli_runner().invoke(args=["content", "check", "content"])
    assert result.stderr.splitlines()[0].startswith(
        "content/kursus-contoh/course.md:11: warning: reviewed 2025-11-30, more than a year "
        "before today (2026-12-01)")
