"""Content identity and question versions: editing a quiz never rewrites a past attempt.

Reproductions: (a) swapping two pre-test questions and re-importing keeps each answer of an
old attempt under the question it answered, graded as it was then; (b) changing question
3's right answer and re-importing leaves the learner who failed "wrong, 0 of 1" and the one
who passed "right, 1 of 1" (the version each answered), and the import reports the change
and how many attempts answered the old version.
"""

from __future__ import annotations

import random
import re
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from portal.courses.importer import import_all
from portal.courses.keys import add_missing_keys, question_keys
from portal.courses.loader import check_course
from portal.courses.models import Course, CourseVersion, Module
from portal.progress.models import Enrolment
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState, Question, QuestionVersion, Quiz

NOW = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)

COURSE = """\
---
title: Kursus Versi
code: KV-01
jp: 2
competency_type: manajerial
competencies: [M.05]
mode: e-learning
pass_mark: 70
summary: Kursus untuk menguji versi soal.
---
Deskripsi.
"""

MODULE = """\
---
id: modpgt
title: Pengantar
minutes: 30
---
Isi modul.
"""

PRETEST = """\
---
kind: pretest
title: Pre-test
attempts: 0
shuffle_options: false
---

## Apa kepanjangan SPBE?
<!-- id: spbe01 -->
[( )] Sistem Pemerintahan Berbasis Ekonomi
[(X)] Sistem Pemerintahan Berbasis Elektronik

## Apa kepanjangan ASN?
<!-- id: asn001 -->
[(X)] Aparatur Sipil Negara
[( )] Anggota Sipil Nasional

## Apa kepanjangan JP?
<!-- id: jp0001 -->
[(X)] Jam Pelajaran
[( )] Jumlah Peserta
"""


@pytest.fixture
def folder(tmp_path):
    course = tmp_path / "content" / "kursus-versi"
    course.mkdir(parents=True)
    (course / "course.md").write_text(COURSE, encoding="utf-8")
    (course / "01-pengantar.md").write_text(MODULE, encoding="utf-8")
    (course / "pretest.md").write_text(PRETEST, encoding="utf-8")
    return course


def _import(db, folder):
    report = import_all(folder.parent)
    db.session.commit()
    db.session.expire_all()
    assert report.ok, [str(e) for r in report.results for e in r.errors]
    return report.results[0]


def _pretest(db):
    return db.session.scalars(sa.select(Quiz).where(Quiz.slug == "pretest")).one()


def _by_key(db, quiz, key) -> Question:
    return db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id, Question.key == key)).one()


def _option(question: Question, text: str) -> str:
    """The id of the option of ``question`` whose text starts with ``text``."""
    return next(o["id"] for o in question.data["options"] if o["html"].startswith(text))


def _attempt(db, make_user, quiz, course, picks: dict[str, str]):
    """A learner's graded attempt at ``quiz`` choosing, per question key, the option
    whose text starts with the given words."""
    user = make_user()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    attempt = services.start_attempt(enrolment, quiz, NOW, rng=random.Random(3))
    form = {}
    for key, text in picks.items():
        question = _by_key(db, quiz, key)
        form[question.id] = [_option(question, text)]
    services.save_answers(attempt, form, NOW)
    services.submit_attempt(attempt, NOW, 30)
    db.session.commit()
    return attempt


def _review(attempt):
    return [(item.question.prompt_html, item.response, item.correct, item.mark)
            for item in services.review_items(attempt)]


def test_swapping_two_questions_keeps_an_old_review_and_score(db, make_user, folder):
    _import(db, folder)
    course = db.session.scalars(sa.select(Course)).one()
    quiz = _pretest(db)
    attempt = _attempt(db, make_user, quiz, course, {
        "spbe01": "Sistem Pemerintahan Berbasis Elektronik", "asn001": "Aparatur",
        "jp0001": "Jam"})
    before = _review(attempt)
    assert attempt.score == 100.0
    assert [(p, c, m) for p, _r, c, m in before] == [
        ("Apa kepanjangan SPBE?", True, 1.0), ("Apa kepanjangan ASN?", True, 1.0),
        ("Apa kepanjangan JP?", True, 1.0)]

    text = (folder / "pretest.md").read_text(encoding="utf-8")
    first, second = text.index("## Apa kepanjangan SPBE?"), text.index("## Apa kepanjangan ASN?")
    third = text.index("## Apa kepanjangan JP?")
    swapped = text[:first] + text[second:third] + text[first:second] + text[third:]
    (folder / "pretest.md").write_text(swapped, encoding="utf-8")
    result = _import(db, folder)

    assert result.changes.quiz("pretest")["reordered"] == ["asn001", "spbe01"]
    assert result.changes.quiz("pretest")["edited"] == []
    assert db.session.scalar(sa.select(sa.func.count(QuestionVersion.id))) == 3  # no new one
    assert _by_key(db, quiz, "asn001").position == 1
    again = db.session.get(type(attempt), attempt.id)
    assert _review(again) == before
    assert again.score == 100.0


def test_changing_the_right_answer_keeps_what_each_learner_answered(db, make_user, folder,
                                                                    app):
    _import(db, folder)
    course = db.session.scalars(sa.select(Course)).one()
    quiz = _pretest(db)
    right = {"spbe01": "Sistem Pemerintahan Berbasis Elektronik", "asn001": "Aparatur"}
    failed = _attempt(db, make_user, quiz, course, {**right, "jp0001": "Jumlah"})
    passed = _attempt(db, make_user, quiz, course, {**right, "jp0001": "Jam"})
    old = _by_key(db, quiz, "jp0001").current_version
    old_id, old_data = old.id, dict(old.data)

    text = (folder / "pretest.md").read_text(encoding="utf-8")
    text = text.replace("[(X)] Jam Pelajaran\n[( )] Jumlah Peserta",
                        "[( )] Jam Pelajaran\n[(X)] Jumlah Peserta")
    (folder / "pretest.md").write_text(text, encoding="utf-8")
    result = _import(db, folder)

    assert result.changes.quiz("pretest")["edited"] == ["jp0001"]
    assert result.changes.answered_old == {"pretest/jp0001": 2}
    assert len(result.changes.attempts) == 2
    question = _by_key(db, quiz, "jp0001")
    assert question.current_version.number == 2 and question.current_version.id != old_id
    assert db.session.get(QuestionVersion, old_id).data == old_data  # never updated
    version_ids = {o["id"] for o in question.current_version.data["options"]}
    assert version_ids.isdisjoint({o["id"] for o in old_data["options"]})

    failed = db.session.get(type(failed), failed.id)
    passed = db.session.get(type(passed), passed.id)
    assert _review(failed)[2][2:] == (False, 0.0)  # "your answer, wrong", 0 of 1
    assert _review(passed)[2][2:] == (True, 1.0)   # "right", 1 of 1
    assert (round(failed.score, 2), passed.score) == (66.67, 100.0)

    # The report is printed by the command too, and recorded with the course version.
    versions = db.session.scalars(sa.select(CourseVersion).order_by(CourseVersion.number)).all()
    assert [v.number for v in versions] == [1, 2]
    assert versions[1].report["answered_old"] == {"pretest/jp0001": 2}
    assert versions[1].report["attempts_touched"] == 2
    assert versions[1].report["enrolments_touched"] == 2


def test_the_review_page_shows_the_version_answered(db, make_user, folder, app, login,
                                                    client):
    _import(db, folder)
    course = db.session.scalars(sa.select(Course)).one()
    quiz = _pretest(db)
    attempt = _attempt(db, make_user, quiz, course, {"jp0001": "Jumlah"})
    text = (folder / "pretest.md").read_text(encoding="utf-8")
    (folder / "pretest.md").write_text(
        text.replace("## Apa kepanjangan JP?", "## Apa singkatan JP?").replace(
            "[(X)] Jam Pelajaran\n[( )] Jumlah Peserta",
            "[( )] Jam Pelajaran\n[(X)] Jumlah Peserta"), encoding="utf-8")
    _import(db, folder)
    login(client, attempt.enrolment.user)
    page = client.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    assert "Apa kepanjangan JP?" in page and "Apa singkatan JP?" not in page


def test_the_import_command_prints_the_changes(app, db, folder, make_user):
    runner = app.test_cli_runner()
    assert runner.invoke(args=["content", "import", str(folder.parent)]).exit_code == 0
    course = db.session.scalars(sa.select(Course)).one()
    _attempt(db, make_user, _pretest(db), course, {"jp0001": "Jam"})
    text = (folder / "pretest.md").read_text(encoding="utf-8")
    text = text.replace("[(X)] Jam Pelajaran\n[( )] Jumlah Peserta",
                        "[( )] Jam Pelajaran\n[(X)] Jumlah Peserta")
    text = text.replace("## Apa kepanjangan ASN?\n<!-- id: asn001 -->\n[(X)] Aparatur Sipil "
                        "Negara\n[( )] Anggota Sipil Nasional\n\n", "")
    text += "\n## Apa kepanjangan OPD?\n[(X)] Organisasi Perangkat Daerah\n[( )] Orang\n"
    (folder / "pretest.md").write_text(text, encoding="utf-8")
    result = runner.invoke(args=["content", "import", str(folder.parent)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "kursus-versi: updated (1 modules, 3 questions, 2 JP)"
    added = question_keys((folder / "pretest.md").read_text(encoding="utf-8"))[-1]
    assert f"  pretest: questions added: {added}" in lines
    assert "  pretest: questions edited: jp0001" in lines
    assert "  pretest: questions removed: asn001" in lines
    assert "  pretest/jp0001: new version; 1 attempt(s) answered the previous one and keep it" \
        in lines
    assert "  touches 1 attempt(s) of 1 enrolment(s)" in lines


# --- keys ----------------------------------------------------------------------------------


def test_fix_writes_missing_keys_and_nothing_else(folder):
    text = PRETEST.replace("<!-- id: asn001 -->\n", "").replace("<!-- id: jp0001 -->",
                                                                "<!-- tag: jp -->")
    (folder / "pretest.md").write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    (folder / "01-pengantar.md").write_text(MODULE.replace("id: modpgt\n", ""))
    fixed = add_missing_keys(folder)
    assert sorted((f.path.name, f.added) for f in fixed) == [("01-pengantar.md", 1),
                                                             ("pretest.md", 2)]
    written = (folder / "pretest.md").read_bytes().decode("utf-8")
    keys = question_keys(written)
    assert keys[0] == "spbe01" and all(re.fullmatch(r"[a-z2-9]{6}", k) for k in keys[1:])
    assert written == text.replace("\n", "\r\n").replace(
        "## Apa kepanjangan ASN?\r\n", f"## Apa kepanjangan ASN?\r\n<!-- id: {keys[1]} -->\r\n"
    ).replace("<!-- tag: jp -->", f"<!-- id: {keys[2]}; tag: jp -->")
    module = (folder / "01-pengantar.md").read_text()
    assert re.fullmatch(r"---\nid: [a-z2-9]{6}\n" + re.escape(MODULE[4:].replace(
        "id: modpgt\n", "")), module)
    assert add_missing_keys(folder) == []  # nothing left to add
    assert check_course(folder).ok


def test_a_key_used_twice_is_an_error_with_its_line(folder):
    (folder / "pretest.md").write_text(PRETEST.replace("id: asn001", "id: spbe01"))
    found = [(str(e.path).rsplit("/", 1)[-1], e.line, e.message)
             for e in check_course(folder).errors]
    assert found == [("pretest.md", 14, 'the key "id: spbe01" is also used by the question at '
                      "line 8; keys must be unique (delete this one and run flask content "
                      "check --fix)")]
    (folder / "pretest.md").write_text(PRETEST.replace("id: asn001", "id: modpgt"))
    found = [(str(e.path).rsplit("/", 1)[-1], e.line) for e in check_course(folder).errors]
    assert found == [("pretest.md", 13)]  # the question's line; the module has it first


def test_check_fix_command_writes_keys(app, folder):
    (folder / "pretest.md").write_text(PRETEST.replace("<!-- id: asn001 -->\n", ""))
    result = app.test_cli_runner().invoke(args=["content", "check", "--fix", str(folder)])
    assert result.exit_code == 0, result.output
    assert "pretest.md: 1 key(s) added" in result.output
    assert None not in question_keys((folder / "pretest.md").read_text())


def test_the_first_import_writes_keys_into_the_files(db, folder):
    (folder / "pretest.md").write_text(PRETEST.replace("<!-- id: asn001 -->\n", ""))
    _import(db, folder)
    key = question_keys((folder / "pretest.md").read_text())[1]
    assert key is not None
    assert _by_key(db, _pretest(db), key).position == 2


def test_rows_without_keys_are_claimed_once_by_position_and_slug(db, folder):
    """Rows from before keys (migration 0007 leaves their key empty) take the file's keys
    on the first import: modules by slug, questions by position; nothing new is made."""
    _import(db, folder)
    db.session.execute(sa.update(Question).values(key=None))
    db.session.execute(sa.update(Module).values(key=None))
    db.session.commit()
    ids = set(db.session.scalars(sa.select(Question.id)))
    result = import_all(folder.parent, force=True).results[0]
    db.session.commit()
    assert result.ok
    assert set(db.session.scalars(sa.select(Question.id))) == ids
    assert sorted(db.session.scalars(sa.select(Question.key))) == ["asn001", "jp0001",
                                                                   "spbe01"]
    assert db.session.scalars(sa.select(Module.key)).all() == ["modpgt"]
    assert db.session.scalar(sa.select(sa.func.count(QuestionVersion.id))) == 3


def test_option_ids_do_not_reveal_the_file_order(db, folder):
    _import(db, folder)
    for question in db.session.scalars(sa.select(Question)):
        ids = [o["id"] for o in question.data["options"]]
        assert all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)
        assert not set(ids) & {"o1", "o2"}
    module = db.session.scalars(sa.select(Module)).one()
    assert module.body_md == "Isi modul."
    question = _by_key(db, _pretest(db), "spbe01")
    assert question.current_version.prompt_md == "Apa kepanjangan SPBE?"
    assert question.data["options"][1]["md"] == "Sistem Pemerintahan Berbasis Elektronik"


# --- course versions -------------------------------------------------------------------------


def test_enrolments_move_to_a_new_version_until_the_posttest_starts(db, make_user, folder):
    from portal.progress.services import enrol

    (folder / "posttest.md").write_text(PRETEST.replace("kind: pretest", "kind: posttest")
                                        .replace("spbe01", "post01").replace("asn001", "post02")
                                        .replace("jp0001", "post03"), encoding="utf-8")
    _import(db, folder)
    course = db.session.scalars(sa.select(Course)).one()
    on_time, assessed = enrol(make_user(), course), enrol(make_user(), course)
    db.session.commit()
    first = db.session.scalars(sa.select(CourseVersion)).one()
    assert on_time.course_version_id == assessed.course_version_id == first.id
    posttest = db.session.scalars(sa.select(Quiz).where(Quiz.slug == "posttest")).one()
    services.start_attempt(assessed, _pretest(db), NOW)
    db.session.add(Attempt(enrolment_id=assessed.id, quiz_id=posttest.id, number=1,
                           state=AttemptState.FINISHED, started_at=NOW, submitted_at=NOW,
                           points=0.0, max_points=3.0, score=0.0))
    db.session.commit()

    (folder / "01-pengantar.md").write_text(MODULE.replace("Isi modul.", "Isi baru."))
    _import(db, folder)
    second = db.session.scalars(sa.select(CourseVersion).where(CourseVersion.number == 2)).one()
    assert second.report["modules"]["edited"] == ["pengantar"]

    services.start_attempt(on_time, _pretest(db), NOW)  # the next visit
    services.start_attempt(assessed, _pretest(db), NOW)
    db.session.commit()
    assert on_time.course_version_id == second.id
    assert assessed.course_version_id == first.id  # assessed on version 1: stays
