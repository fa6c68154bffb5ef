"""Write loaded courses (:mod:`portal.courses.loader`) to the database, idempotently.

Rows are matched, never replaced, so learners' data stays attached:

- Course by ``slug``; its competency links (:class:`~portal.competencies.models.CourseCompetency`) by (course, code);
  Module by (course, slug); Quiz by (course, slug);
  Question by (quiz, position).
- A module no longer in the files is archived (``is_archived=True``), never deleted, so
  module completions survive; questions beyond the new count are archived likewise.
  A quiz file that disappears keeps its row and attempts; its questions are archived.
- A course whose files did not change (same ``content_hash``) is not touched at all.

Every course is written inside its own SAVEPOINT: a course that fails (content errors are
found before any write; a database error rolls back its savepoint) leaves nothing of itself
behind while the other courses are still written. These functions flush and never commit;
the caller (``flask content import``) commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from portal.competencies.services import link_course
from portal.courses.frontmatter import ContentError
from portal.courses.loader import CourseSpec, LoadResult, display_path, load_all
from portal.courses.models import Course, Module
from portal.extensions import db
from portal.quizzes.models import Question, Quiz
from portal.timeutil import utcnow

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
FAILED = "failed"


@dataclass
class ImportResult:
    """Outcome for one course: ``status`` is created | updated | unchanged | failed;
    ``errors`` lists why it failed (``path:line: message``); ``notes`` say what was
    archived; ``spec`` is the loaded course when it could be read."""

    slug: str
    status: str
    errors: list[ContentError] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    spec: CourseSpec | None = None
    course_id: int | None = None

    @property
    def ok(self) -> bool:
        """True unless the course failed (created, updated and unchanged are all fine)."""
        return self.status != FAILED


@dataclass
class ImportReport:
    """Outcome of :func:`import_all`: one :class:`ImportResult` per course folder."""

    results: list[ImportResult] = field(default_factory=list)

    @property
    def failed(self) -> list[ImportResult]:
        """The results of the courses that were not written."""
        return [r for r in self.results if not r.ok]

    @property
    def ok(self) -> bool:
        """True when every course was imported (or was unchanged)."""
        return not self.failed

    def count(self, status: str) -> int:
        """How many courses ended with ``status`` (created | updated | unchanged | failed)."""
        return sum(1 for r in self.results if r.status == status)


_COURSE_FIELDS = ("code", "title", "jp", "competency_type", "competencies", "mode", "partner",
                  "pass_mark", "summary", "description_html", "content_hash")
_QUIZ_FIELDS = ("kind", "title", "time_limit", "max_attempts", "grading", "shuffle", "draw",
                "shuffle_options", "review_policy")


def _set(obj, name: str, value) -> None:
    """Assign only when the value differs, so an unchanged row is not rewritten."""
    if getattr(obj, name) != value:
        setattr(obj, name, value)


def _write_modules(course: Course, spec: CourseSpec, notes: list[str]) -> None:
    existing = {m.slug: m for m in db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id))}
    wanted = {m.slug for m in spec.modules}
    for module_spec in spec.modules:
        module = existing.get(module_spec.slug)
        if module is None:
            module = Module(course_id=course.id, slug=module_spec.slug)
            db.session.add(module)
        for name in ("position", "title", "minutes", "min_minutes", "body_html"):
            _set(module, name, getattr(module_spec, name))
        _set(module, "is_archived", False)
    for slug, module in existing.items():
        if slug not in wanted and not module.is_archived:
            module.is_archived = True
            notes.append(f"module {slug} archived (its file is gone)")


def _write_questions(quiz: Quiz, questions, notes: list[str]) -> None:
    existing = {q.position: q for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id))}
    for position, question_spec in enumerate(questions, start=1):
        question = existing.get(position)
        if question is None:
            question = Question(quiz_id=quiz.id, position=position)
            db.session.add(question)
        _set(question, "qtype", question_spec.qtype)
        _set(question, "prompt_html", question_spec.prompt_html)
        _set(question, "explanation_html", question_spec.explanation_html)
        _set(question, "data", question_spec.data)
        _set(question, "points", float(question_spec.points))
        _set(question, "tags", list(question_spec.tags))
        _set(question, "is_archived", False)
    archived = 0
    for position, question in existing.items():
        if position > len(questions) and not question.is_archived:
            question.is_archived = True
            archived += 1
    if archived:
        notes.append(f"quiz {quiz.slug}: {archived} question(s) archived")


def _write_quizzes(course: Course, spec: CourseSpec, notes: list[str]) -> None:
    existing = {q.slug: q for q in db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course.id))}
    for quiz_spec in spec.quizzes:
        quiz = existing.get(quiz_spec.slug)
        if quiz is None:
            quiz = Quiz(course_id=course.id, slug=quiz_spec.slug)
            db.session.add(quiz)
        for name in _QUIZ_FIELDS:
            _set(quiz, name, getattr(quiz_spec, name))
        db.session.flush()
        _write_questions(quiz, quiz_spec.questions, notes)
    wanted = {q.slug for q in spec.quizzes}
    for slug, quiz in existing.items():
        if slug not in wanted:
            before = len(notes)
            _write_questions(quiz, [], notes)
            if len(notes) > before:
                notes[-1] = f"quiz {slug}: its file is gone; its questions are archived"


def import_course(spec: CourseSpec, force: bool = False) -> ImportResult:
    """Create or update one course and its modules, quizzes and questions.

    Args:
        spec: a course loaded without errors.
        force: rewrite even when ``content_hash`` is unchanged (e.g. after an upgrade of
            the Markdown renderer).

    Returns:
        ImportResult with status created, updated or unchanged (nothing written).

    Raises:
        sqlalchemy.exc.SQLAlchemyError: the database refused a write; the course's
            savepoint is rolled back first.
    """
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec.slug))
    if course is not None and course.content_hash == spec.content_hash and not force:
        return ImportResult(spec.slug, UNCHANGED, spec=spec, course_id=course.id)
    notes: list[str] = []
    with db.session.begin_nested():
        status = UPDATED
        if course is None:
            status = CREATED
            course = Course(slug=spec.slug)
            db.session.add(course)
        for name in _COURSE_FIELDS:
            _set(course, name, getattr(spec, name))
        course.imported_at = utcnow()
        db.session.flush()
        _write_modules(course, spec, notes)
        _write_quizzes(course, spec, notes)
        link_course(course.id, spec.competencies, spec.target_level)
        db.session.flush()
    return ImportResult(spec.slug, status, notes=notes, spec=spec, course_id=course.id)


def import_loaded(result: LoadResult, force: bool = False) -> ImportResult:
    """Import one :class:`LoadResult`: failed (nothing written) when it has errors."""
    if not result.ok or result.spec is None:
        return ImportResult(result.slug, FAILED, errors=list(result.errors))
    try:
        return import_course(result.spec, force=force)
    except SQLAlchemyError as exc:
        message = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        error = ContentError(display_path(result.folder / "course.md"), 1,
                             f"the database refused the course: {message}")
        return ImportResult(result.slug, FAILED, errors=[error], spec=result.spec)


def import_all(content_dir: Path, force: bool = False) -> ImportReport:
    """Load every course under ``content_dir`` and import the valid ones.

    A course with any error is not written at all; the others are. Flushes, never commits.

    Raises:
        FileNotFoundError: ``content_dir`` is not a folder.
    """
    report = ImportReport()
    for loaded in load_all(Path(content_dir)):
        report.results.append(import_loaded(loaded, force=force))
    return report
