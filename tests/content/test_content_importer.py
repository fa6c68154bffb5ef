"""Importing courses into the database: create, idempotency, updates, archiving, isolation."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from portal.courses import importer
from portal.courses.importer import import_all, import_course
from portal.courses.keys import add_missing_keys
from portal.courses.loader import load_course
from portal.courses.models import Course, Module
from portal.progress.models import Enrolment, ModuleCompletion
from portal.quizzes.models import Question, Quiz


def snapshot(db):
    """Every content row as plain tuples (timestamps included)."""
    rows = []
    for model in (Course, Module, Quiz, Question):
        for obj in db.session.scalars(sa.select(model).order_by(model.id)):
            rows.append((model.__name__, tuple(
                (c.key, getattr(obj, c.key)) for c in sa.inspect(model).column_attrs)))
    return rows


def import_and_commit(db, content_dir, **kwargs):
    report = import_all(content_dir, **kwargs)
    db.session.commit()
    db.session.expire_all()
    return report


def test_import_creates_everything(db, content_dir):
    report = import_and_commit(db, content_dir)
    assert [(r.slug, r.status) for r in report.results] == [("kursus-contoh", "created")]
    course = db.session.scalar(sa.select(Course).where(Course.slug == "kursus-contoh"))
    assert (course.title, course.code, course.jp, course.pass_mark) == (
        "Kursus Contoh", "KC-01", 2, 70)
    assert course.competencies == ["M.05", "M.03"] and course.partner == "Universitas Jambi"
    assert course.is_published is True and len(course.content_hash) == 64
    assert [(m.slug, m.position, m.minutes) for m in course.modules] == [
        ("pengantar", 1, 30), ("lanjutan", 2, 45)]
    quizzes = db.session.scalars(sa.select(Quiz).where(Quiz.course_id == course.id)
                                 .order_by(Quiz.slug)).all()
    assert [(q.slug, q.kind, q.max_attempts, q.draw, q.shuffle) for q in quizzes] == [
        ("posttest", "posttest", 0, 2, True), ("pretest", "pretest", 1, None, False)]
    post = quizzes[0]
    assert [(q.position, q.qtype, q.points) for q in post.questions] == [
        (1, "single", 1.0), (2, "multiple", 2.0), (3, "short", 1.0)]
    assert post.questions[1].tags == ["regulasi"]
    assert post.questions[2].data == {"answers": ["3,5"], "tolerance": 0.1}


def test_second_import_is_unchanged_and_writes_nothing(db, content_dir):
    import_and_commit(db, content_dir)
    before = snapshot(db)
    statements = []

    def record(conn, cursor, statement, *args):
        if statement.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", record)
    try:
        report = import_and_commit(db, content_dir)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", record)
    assert [(r.slug, r.status) for r in report.results] == [("kursus-contoh", "unchanged")]
    assert statements == []
    assert snapshot(db) == before


def test_edit_updates_in_place_and_keeps_ids_and_completions(db, content_dir, make_user):
    import_and_commit(db, content_dir)
    course = db.session.scalar(sa.select(Course))
    module_ids = {m.slug: m.id for m in course.modules}
    question_ids = [q.id for q in db.session.scalars(sa.select(Question).order_by(Question.id))]
    user = make_user()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_id=module_ids["pengantar"]))
    db.session.commit()

    module = content_dir / "kursus-contoh" / "01-pengantar.md"
    module.write_text(module.read_text().replace("Teks modul pertama.", "Teks yang diperbarui."))
    report = import_and_commit(db, content_dir)

    assert [(r.slug, r.status) for r in report.results] == [("kursus-contoh", "updated")]
    course = db.session.scalar(sa.select(Course))
    assert {m.slug: m.id for m in course.modules} == module_ids
    assert "Teks yang diperbarui." in course.modules[0].body_html
    assert [q.id for q in db.session.scalars(sa.select(Question).order_by(Question.id))] == \
        question_ids
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleCompletion)) == 1


def test_removed_module_and_questions_are_archived_not_deleted(db, content_dir, make_user):
    import_and_commit(db, content_dir)
    course = db.session.scalar(sa.select(Course))
    lanjutan_id = next(m.id for m in course.modules if m.slug == "lanjutan")
    user = make_user()
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.flush()
    db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_id=lanjutan_id))
    db.session.commit()

    folder = content_dir / "kursus-contoh"
    (folder / "02-lanjutan.md").unlink()
    (folder / "course.md").write_text(
        (folder / "course.md").read_text().replace("[modul kedua](02-lanjutan.md)", "modul"))
    post = (folder / "posttest.md").read_text()
    (folder / "posttest.md").write_text(post[: post.index("## Berapa nilai IKM")])
    report = import_and_commit(db, content_dir)

    assert report.results[0].status == "updated"
    assert "module lanjutan archived (its file is gone)" in report.results[0].notes
    assert "quiz posttest: 1 question(s) archived" in report.results[0].notes
    course = db.session.scalar(sa.select(Course))
    assert [m.slug for m in course.modules] == ["pengantar"]
    archived = db.session.get(Module, lanjutan_id)
    assert archived is not None and archived.is_archived
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ModuleCompletion)) == 1
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "posttest"))
    assert [q.position for q in quiz.questions] == [1, 2]
    third = db.session.scalar(sa.select(Question).where(Question.quiz_id == quiz.id,
                                                        Question.position == 3))
    assert third.is_archived


def test_restored_module_comes_back_with_its_id(db, content_dir):
    import_and_commit(db, content_dir)
    folder = content_dir / "kursus-contoh"
    lanjutan_id = db.session.scalar(sa.select(Module.id).where(Module.slug == "lanjutan"))
    saved = (folder / "02-lanjutan.md").read_text()
    (folder / "02-lanjutan.md").unlink()
    (folder / "course.md").write_text(
        (folder / "course.md").read_text().replace("[modul kedua](02-lanjutan.md)", "modul"))
    import_and_commit(db, content_dir)
    (folder / "05-lanjutan.md").write_text(saved)
    import_and_commit(db, content_dir)
    module = db.session.get(Module, lanjutan_id)
    assert not module.is_archived and module.position == 2


def test_removed_quiz_keeps_its_row_and_archives_questions(db, content_dir):
    import_and_commit(db, content_dir)
    (content_dir / "kursus-contoh" / "pretest.md").unlink()
    report = import_and_commit(db, content_dir)
    assert "quiz pretest: its file is gone; its questions are archived" in report.results[0].notes
    quiz = db.session.scalar(sa.select(Quiz).where(Quiz.slug == "pretest"))
    assert quiz is not None and quiz.questions == []


def test_course_with_an_error_is_not_written_but_others_are(db, content_dir):
    bad = content_dir / "kursus-rusak"
    shutil.copytree(content_dir / "kursus-contoh", bad)
    (bad / "02-lanjutan.md").write_text("---\ntitle: L\nminutes: nol\n---\nIsi\n")
    report = import_and_commit(db, content_dir)
    assert [(r.slug, r.status) for r in report.results] == [
        ("kursus-contoh", "created"), ("kursus-rusak", "failed")]
    assert not report.ok and [r.slug for r in report.failed] == ["kursus-rusak"]
    assert report.failed[0].errors[0].line == 3
    assert db.session.scalars(sa.select(Course.slug)).all() == ["kursus-contoh"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Module)) == 2


def test_error_in_an_existing_course_leaves_it_as_it_was(db, content_dir):
    import_and_commit(db, content_dir)
    before = snapshot(db)
    folder = content_dir / "kursus-contoh"
    (folder / "01-pengantar.md").write_text("---\ntitle: Baru\nminutes: 5\n---\nBaru\n")
    (folder / "pretest.md").write_text("---\nkind: pretest\ntitle: P\n---\n## Q\n[( )] a\n")
    report = import_and_commit(db, content_dir)
    assert report.results[0].status == "failed"
    assert snapshot(db) == before


def test_database_failure_rolls_back_only_that_course(db, content_dir, monkeypatch):
    shutil.copytree(content_dir / "kursus-contoh", content_dir / "kursus-kedua")
    original = importer._write_quizzes

    def failing(course, spec, changes, rng=None):
        original(course, spec, changes, rng)
        if spec.slug == "kursus-contoh":
            raise sa.exc.IntegrityError("INSERT", {}, Exception("simulated failure"))

    monkeypatch.setattr(importer, "_write_quizzes", failing)
    report = import_and_commit(db, content_dir)
    assert [(r.slug, r.status) for r in report.results] == [
        ("kursus-contoh", "failed"), ("kursus-kedua", "created")]
    assert "the database refused the course: simulated failure" in str(report.failed[0].errors[0])
    assert db.session.scalars(sa.select(Course.slug)).all() == ["kursus-kedua"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Module)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Quiz)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Question)) == 5


def test_force_rewrites_an_unchanged_course(db, content_dir):
    import_and_commit(db, content_dir)
    report = import_and_commit(db, content_dir, force=True)
    assert report.results[0].status == "updated"


def test_import_course_returns_ids(db, course_dir):
    with pytest.raises(ValueError, match="no key"):
        import_course(load_course(course_dir))  # keys are written first (import_loaded)
    add_missing_keys(course_dir)
    result = import_course(load_course(course_dir))
    db.session.commit()
    assert result.status == "created" and result.ok
    assert db.session.get(Course, result.course_id).slug == "kursus-contoh"
    assert import_course(load_course(course_dir)).status == "unchanged"


def test_import_all_missing_folder(db, tmp_path):
    with pytest.raises(FileNotFoundError):
        import_all(tmp_path / "tidak-ada")
