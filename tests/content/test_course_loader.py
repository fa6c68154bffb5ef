"""Course folders to CourseSpec: fields, ordering, links and every folder-level mistake."""

from __future__ import annotations

import shutil

import pytest

from portal.courses.loader import (
    ContentErrors,
    check_course,
    content_hash,
    load_all,
    load_course,
)


def errors(folder):
    """(file name, line, message) of every error of the course in ``folder``."""
    return [(e.path.rsplit("/", 1)[-1], e.line, e.message) for e in check_course(folder).errors]


def test_fixture_course_loads(course_dir):
    spec = load_course(course_dir)
    assert spec.slug == "kursus-contoh"
    assert (spec.title, spec.code, spec.jp, spec.pass_mark) == ("Kursus Contoh", "KC-01", 2, 70)
    assert spec.competency_type == "manajerial"
    assert spec.competencies == ["M.05", "M.03"]
    assert spec.mode == "e-learning" and spec.partner == "Universitas Jambi"
    assert spec.summary == "Kursus kecil untuk menguji pemuatan konten."
    assert '<img src="/courses/kursus-contoh/assets/diagram.svg"' in spec.description_html
    assert 'href="/courses/kursus-contoh/modules/lanjutan"' in spec.description_html
    assert [(m.slug, m.position, m.title, m.minutes) for m in spec.modules] == [
        ("pengantar", 1, "Pengantar", 30), ("lanjutan", 2, "Lanjutan", 45)]
    assert "<table>" in spec.modules[0].body_html
    assert 'href="/courses/kursus-contoh/assets/lampiran.pdf"' in spec.modules[1].body_html
    assert spec.minutes == 75
    assert len(spec.content_hash) == 64


def test_fixture_quizzes(course_dir):
    spec = load_course(course_dir)
    pre, post = spec.quizzes
    assert (pre.slug, pre.kind, pre.title, pre.time_limit, pre.max_attempts, pre.grading,
            pre.shuffle, pre.draw) == ("pretest", "pretest", "Pre-test Kursus Contoh", 10, 1,
                                       "first", False, None)
    assert (post.slug, post.kind, post.time_limit, post.max_attempts, post.grading,
            post.shuffle, post.draw) == ("posttest", "posttest", None, 0, "highest", True, 2)
    assert [q.qtype for q in pre.questions] == ["single", "short"]
    assert [q.qtype for q in post.questions] == ["single", "multiple", "short"]
    assert post.questions[1].points == 2.0 and post.questions[1].tags == ["regulasi"]
    assert post.questions[2].data == {"answers": ["3,5"], "tolerance": 0.1}
    assert spec.question_count == 5


def test_modules_are_ordered_by_number_not_name(course_dir, write):
    write(course_dir / "10-penutup.md", "---\ntitle: Penutup\nminutes: 5\n---\nAkhir.\n")
    write(course_dir / "3-tengah.md", "---\ntitle: Tengah\nminutes: 5\n---\nTengah.\n")
    spec = load_course(course_dir)
    assert [m.slug for m in spec.modules] == ["pengantar", "lanjutan", "tengah", "penutup"]
    assert [m.position for m in spec.modules] == [1, 2, 3, 4]


def test_practice_quiz_file(course_dir, write):
    write(course_dir / "latihan-spbe.md", """
        ---
        kind: practice
        title: Latihan SPBE
        ---
        ## Q
        [(X)] a
        [( )] b
    """)
    spec = load_course(course_dir)
    assert [q.slug for q in spec.quizzes] == ["pretest", "latihan-spbe", "posttest"]


def test_content_hash_changes_with_any_file(course_dir):
    before = content_hash(course_dir)
    assert content_hash(course_dir) == before
    (course_dir / "assets" / "diagram.svg").write_text("<svg/>")
    after_asset = content_hash(course_dir)
    assert after_asset != before
    (course_dir / "assets" / "baru.png").write_bytes(b"png")
    assert content_hash(course_dir) != after_asset


def test_hidden_files_do_not_change_the_hash(course_dir):
    before = content_hash(course_dir)
    (course_dir / ".DS_Store").write_bytes(b"x")
    assert content_hash(course_dir) == before


def test_errors_of_all_files_are_collected(course_dir, write):
    text = (course_dir / "course.md").read_text().replace("jp: 2", "jp: nol")
    (course_dir / "course.md").write_text(text)
    write(course_dir / "01-pengantar.md", "---\ntitle: Pengantar\nmenit: 30\n---\nIsi\n")
    pre = (course_dir / "pretest.md").read_text().replace("[(X)] Sistem", "[( )] Sistem")
    (course_dir / "pretest.md").write_text(pre)
    found = errors(course_dir)
    assert ("01-pengantar.md", 1, 'missing required key "minutes"') in found
    assert ("01-pengantar.md", 3, 'unknown key "menit" (allowed: title, minutes, reviewed, min_minutes, id)') in found
    assert ("course.md", 4, '"jp" must be a whole number (≥ 1)') in found
    assert ("pretest.md", 9, "a single-choice question needs exactly one [(X)] option; none is "
                             "marked") in found
    assert len(found) == 4
    with pytest.raises(ContentErrors) as raised:
        load_course(course_dir)
    assert len(raised.value.errors) == 4
    assert "course.md:4:" in str(raised.value)


def test_error_paths_name_the_file(course_dir, monkeypatch):
    monkeypatch.chdir(course_dir.parent.parent)
    (course_dir / "02-lanjutan.md").write_text("tanpa front matter\n")
    result = check_course(course_dir)
    assert [str(e) for e in result.errors] == [
        "content/kursus-contoh/02-lanjutan.md:1: the file must start with front matter: a line "
        "with ---, the settings, then another ---"]
    assert result.spec is None and not result.ok


def test_bad_folder_name(content_dir):
    bad = content_dir / "Kursus_Baru"
    shutil.copytree(content_dir / "kursus-contoh", bad)
    assert errors(bad) == [("course.md", 1, 'the folder name "Kursus_Baru" is not a valid course '
                                            'address: use lowercase letters, digits and hyphens')]


def test_missing_course_md(course_dir):
    (course_dir / "course.md").unlink()
    assert errors(course_dir) == [("course.md", 1, "course.md is missing: every course folder "
                                                   "needs one")]


def test_course_needs_a_module(course_dir):
    (course_dir / "01-pengantar.md").unlink()
    (course_dir / "02-lanjutan.md").unlink()
    (course_dir / "course.md").write_text(
        (course_dir / "course.md").read_text().replace("[modul kedua](02-lanjutan.md)", "x"))
    assert errors(course_dir) == [("course.md", 1, "the course has no modules: add files named "
                                                   "01-name.md, 02-name.md, ...")]


def test_unknown_markdown_file(course_dir, write):
    write(course_dir / "Pengantar.md", "x")
    write(course_dir / "notes.txt", "ignored")
    write(course_dir / "_draft.md", "ignored")
    found = errors(course_dir)
    assert len(found) == 1
    assert found[0][:2] == ("Pengantar.md", 1)
    assert found[0][2].startswith("unknown file: a module is named NN-name.md")


def test_duplicate_module_number_and_name(course_dir, write):
    write(course_dir / "01-kedua.md", "---\ntitle: K\nminutes: 5\n---\nIsi\n")
    write(course_dir / "03-pengantar.md", "---\ntitle: P\nminutes: 5\n---\nIsi\n")
    found = errors(course_dir)
    assert ("01-pengantar.md", 1, "module number 01 is also used by 01-kedua.md; give each "
                                  "module its own number") in found
    assert ("03-pengantar.md", 1, 'module name "pengantar" is also used by 01-pengantar.md; '
                                  'module names must be unique') in found


def test_empty_module(course_dir, write):
    write(course_dir / "02-lanjutan.md", "---\ntitle: L\nminutes: 5\n---\n\n")
    assert errors(course_dir) == [("02-lanjutan.md", 5, "the module has no text after its "
                                                        "front matter")]


def test_missing_asset_reports_its_line(course_dir, write):
    write(course_dir / "02-lanjutan.md", """
        ---
        title: Lanjutan
        minutes: 45
        ---
        Paragraf.

        ![Bagan](assets/tidak-ada.png)
    """)
    assert errors(course_dir) == [("02-lanjutan.md", 7, '"assets/tidak-ada.png": there is no '
                                                        'file assets/tidak-ada.png in the course '
                                                        'folder')]


def test_reference_outside_the_course_folder(course_dir, write):
    write(course_dir / "02-lanjutan.md", """
        ---
        title: Lanjutan
        minutes: 45
        ---
        [a](../kursus-lain/assets/x.pdf)

        ![b](assets/../../rahasia.png)
    """)
    found = errors(course_dir)
    assert [(name, line) for name, line, _ in found] == [("02-lanjutan.md", 5),
                                                         ("02-lanjutan.md", 7)]
    assert all("points outside the course folder" in m for _, _, m in found)


def test_relative_link_that_is_not_a_course_file(course_dir, write):
    write(course_dir / "02-lanjutan.md", """
        ---
        title: Lanjutan
        minutes: 45
        ---
        [a](catatan.pdf) [b](/courses) [c](#bagian) [d](https://jdih.go.id) [e](pretest.md)
        [f](ftp://x.id/a)
    """)
    found = errors(course_dir)
    assert [(line, m.split(";")[0]) for _, line, m in found] == [
        (5, '"catatan.pdf" is not a file of this course'),
        (5, 'links may use http, https or mailto only, not "ftp://x.id/a"'),
    ]


def test_missing_asset_in_a_question(course_dir):
    text = (course_dir / "pretest.md").read_text().replace(
        "## Apa kepanjangan SPBE?", "## Apa kepanjangan SPBE? ![logo](assets/logo.png)")
    (course_dir / "pretest.md").write_text(text)
    assert errors(course_dir) == [("pretest.md", 9, '"assets/logo.png": there is no file '
                                                    'assets/logo.png in the course folder')]


def test_draw_larger_than_question_count(course_dir):
    text = (course_dir / "posttest.md").read_text().replace("draw: 2", "draw: 4")
    (course_dir / "posttest.md").write_text(text)
    assert errors(course_dir) == [("posttest.md", 7, "draw is 4 but the quiz has only 3 "
                                                     "questions")]


def test_kind_must_match_the_file_name(course_dir):
    text = (course_dir / "pretest.md").read_text().replace("kind: pretest", "kind: posttest")
    (course_dir / "pretest.md").write_text(text)
    assert errors(course_dir) == [("pretest.md", 2, 'kind is "posttest" but the file pretest.md '
                                                    'holds a pretest quiz')]


def test_load_all_keeps_good_courses_beside_bad_ones(content_dir):
    bad = content_dir / "kursus-rusak"
    shutil.copytree(content_dir / "kursus-contoh", bad)
    (bad / "course.md").write_text((bad / "course.md").read_text().replace("jp: 2", "jp: 0"))
    (content_dir / ".git").mkdir()
    (content_dir / "_arsip").mkdir()
    (content_dir / "README.md").write_text("bukan kursus")
    results = load_all(content_dir)
    assert [(r.slug, r.ok) for r in results] == [("kursus-contoh", True),
                                                 ("kursus-rusak", False)]
    assert results[0].spec is not None and results[1].spec is None
    assert [e.line for e in results[1].errors] == [4]


def test_load_all_missing_folder(tmp_path):
    with pytest.raises(FileNotFoundError):
        load_all(tmp_path / "tidak-ada")


def test_review_policy_and_option_shuffling_in_the_front_matter(course_dir, db):
    """``review:`` and ``shuffle_options:`` reach the spec and, through the importer, the
    quiz rows; a quiz without them keeps the defaults (None: the kind's policy)."""
    import sqlalchemy as sa

    from portal.courses.importer import import_course
    from portal.courses.keys import add_missing_keys
    from portal.quizzes.models import Quiz

    text = (course_dir / "posttest.md").read_text().replace(
        "draw: 2\n", "draw: 2\nshuffle_options: false\nreview:\n  right_after: [answer, marks]"
                     "\n  after_close: all\n")
    (course_dir / "posttest.md").write_text(text)
    add_missing_keys(course_dir)
    spec = load_course(course_dir)
    pre, post = spec.quizzes
    assert (pre.shuffle_options, pre.review_policy) == (True, None)
    assert post.shuffle_options is False
    assert post.review_policy == {"right_after": ["answer", "marks"],
                                  "after_close": ["answer", "correct", "marks",
                                                  "right_answer", "explanation"]}
    import_course(spec)
    db.session.commit()
    row = db.session.scalars(sa.select(Quiz).where(Quiz.slug == "posttest")).one()
    assert (row.shuffle_options, row.review_policy) == (False, post.review_policy)


@pytest.mark.parametrize("review,message", [
    ("review:\n  during: [answer]\n", '"review" cannot use the moment "during": quizzes '
                                       'are graded when they are submitted'),
    ("review:\n  while_open: [answer, kunci]\n",
     '"review" has "kunci" under "while_open", which is not something a review shows'),
    ("review: all\n", '"review" must list moments'),
])
def test_a_bad_review_policy_is_reported_with_its_line(course_dir, review, message):
    text = (course_dir / "posttest.md").read_text().replace("draw: 2\n", "draw: 2\n" + review)
    (course_dir / "posttest.md").write_text(text)
    ((name, line, text),) = errors(course_dir)
    assert (name, line) == ("posttest.md", 8)
    assert text.startswith(message)
