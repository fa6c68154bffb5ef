"""Write loaded courses (:mod:`portal.courses.loader`) to the database, idempotently.

Rows are matched, never replaced, so learners' data stays attached:

- Course by ``slug``; its competency links
  (:class:`~portal.competencies.models.CourseCompetency`) by (course, code); Quiz by (course, slug); Module by (course, key) and Question by
  (quiz, key): the stable keys written in the files (:mod:`portal.courses.keys`), so
  reordering or editing keeps the identity. A course whose files lack keys gets them
  written into the files on its first import (:func:`import_loaded`).
- Rows recorded before keys existed (migration 0007 leaves their ``key`` empty) are
  claimed ONCE: the first import matches such a module by its slug and such a question by
  its position in the file, and gives it the file's key; from then on only keys match.
  Import the files as they were before changing them, so the positions still agree.
- A question's content lives in immutable versions (:mod:`portal.quizzes.versions`): a
  new version is recorded only when the content hash changes; an existing version is
  never updated, so attempts keep the version they answered. A new version gets random
  option ids.
- A module or question no longer in the files is archived (``is_archived=True``), never
  deleted, so completions and attempts survive. A quiz file that disappears keeps its row
  and attempts; its questions are archived.
- Every import that changes a course records a course version
  (:class:`portal.courses.models.CourseVersion`) with the report of what changed
  (:class:`Changes`: added, edited, removed, reordered modules and questions; the
  attempts and enrolments touched).
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
from portal.courses.keys import add_missing_keys
from portal.courses.loader import CourseSpec, LoadResult, check_course, display_path, load_all
from portal.courses.models import Course, CourseVersion, Module
from portal.extensions import db
from portal.quizzes.models import Attempt, AttemptAnswer, Question, Quiz
from portal.quizzes.versions import add_version, content_hash, random_option_ids
from portal.timeutil import utcnow

CREATED = "created"
UPDATED = "updated"
UNCHANGED = "unchanged"
FAILED = "failed"


def _kinds() -> dict[str, list[str]]:
    return {"added": [], "edited": [], "removed": [], "reordered": []}


@dataclass
class Changes:
    """What one import changed in a course: ``modules`` and, per quiz slug, ``questions``
    map added | edited | removed | reordered to module slugs / question keys (a module or
    question counts once: an edited one that also moved is "edited"); ``answered_old``
    maps ``quiz/key`` of each edited question to how many attempts answered its previous
    version (they keep it); ``attempts`` and ``enrolments`` are the ids of the attempts
    that answered an edited or removed question, and of their enrolments; ``notes`` the
    lines printed under the course."""

    modules: dict[str, list[str]] = field(default_factory=_kinds)
    questions: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    answered_old: dict[str, int] = field(default_factory=dict)
    attempts: set[int] = field(default_factory=set)
    enrolments: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)

    def quiz(self, slug: str) -> dict[str, list[str]]:
        """The question changes of quiz ``slug`` (created empty)."""
        return self.questions.setdefault(slug, _kinds())

    def data(self) -> dict:
        """The report as JSON-ready data (stored in ``CourseVersion.report``)."""
        return {"modules": self.modules,
                "questions": {k: v for k, v in self.questions.items() if any(v.values())},
                "answered_old": self.answered_old,
                "attempts_touched": len(self.attempts),
                "enrolments_touched": len(self.enrolments)}

    def lines(self) -> list[str]:
        """The report as the lines ``flask content import`` prints."""
        out = []
        for kind in ("added", "edited", "removed", "reordered"):
            if self.modules[kind]:
                out.append(f"modules {kind}: {', '.join(self.modules[kind])}")
        for slug, kinds in self.questions.items():
            for kind in ("added", "edited", "removed", "reordered"):
                if kinds[kind]:
                    out.append(f"{slug}: questions {kind}: {', '.join(kinds[kind])}")
        for where, count in self.answered_old.items():
            out.append(f"{where}: new version; {count} attempt(s) answered the previous one "
                       "and keep it")
        if self.attempts or self.enrolments:
            out.append(f"touches {len(self.attempts)} attempt(s) of "
                       f"{len(self.enrolments)} enrolment(s)")
        return out


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
    changes: Changes | None = None

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
_MODULE_CONTENT = ("title", "minutes", "min_minutes", "body_html")


def _set(obj, name: str, value) -> None:
    """Assign only when the value differs, so an unchanged row is not rewritten."""
    if getattr(obj, name) != value:
        setattr(obj, name, value)


def _claim(rows: list, wanted: list[tuple], row_key, taken: set[str]) -> dict:
    """The one-time matching of rows recorded before keys existed (``key`` None): the
    row whose ``row_key`` (position or slug) is a file item's gets that item's key, unless
    the key is already taken. ``wanted`` is ``[(position or slug, key), ...]``. Returns
    ``{key: row}`` of the rows claimed."""
    unclaimed = {row_key(r): r for r in rows if r.key is None}
    claimed = {}
    for match, key in wanted:
        row = unclaimed.get(match)
        if row is not None and key not in taken:
            row.key = key
            taken.add(key)
            claimed[key] = row
    return claimed


def _write_modules(course: Course, spec: CourseSpec, changes: Changes) -> None:
    existing = list(db.session.scalars(sa.select(Module).where(Module.course_id == course.id)))
    by_key = {m.key: m for m in existing if m.key is not None}
    by_key.update(_claim(existing, [(m.slug, m.key) for m in spec.modules],
                         lambda m: m.slug, set(by_key)))
    slugs = {m.slug: m for m in existing}
    for module_spec in spec.modules:
        module = by_key.get(module_spec.key)
        if module is None:
            other = slugs.get(module_spec.slug)
            if other is not None:
                # The file name is kept by a module whose key changed: free the name.
                other.slug = f"{other.slug}-{other.id}"
                db.session.flush()
            module = Module(course_id=course.id, slug=module_spec.slug, key=module_spec.key,
                            position=module_spec.position)
            db.session.add(module)
            changes.modules["added"].append(module_spec.slug)
        else:
            edited = any(getattr(module, n) != getattr(module_spec, n) for n in _MODULE_CONTENT)
            if module.is_archived:
                changes.modules["added"].append(module_spec.slug)
            elif edited:
                changes.modules["edited"].append(module_spec.slug)
            elif module.position != module_spec.position:
                changes.modules["reordered"].append(module_spec.slug)
        for name in ("slug", "position", "title", "minutes", "min_minutes", "body_html",
                     "body_md"):
            _set(module, name, getattr(module_spec, name))
        _set(module, "is_archived", False)
    wanted = {m.key for m in spec.modules}
    for module in existing:
        if module.key not in wanted and not module.is_archived:
            module.is_archived = True
            changes.modules["removed"].append(module.slug)
            changes.notes.append(f"module {module.slug} archived (its file is gone)")


def _answered(version_ids: list[int]) -> tuple[set[int], set[int]]:
    """(attempt ids, enrolment ids) of the attempts that answered one of ``version_ids``."""
    if not version_ids:
        return set(), set()
    rows = db.session.execute(
        sa.select(AttemptAnswer.attempt_id, Attempt.enrolment_id)
        .join(Attempt, Attempt.id == AttemptAnswer.attempt_id)
        .where(AttemptAnswer.question_version_id.in_(version_ids))
        .distinct()
    ).all()
    return {r.attempt_id for r in rows}, {r.enrolment_id for r in rows}


def _write_questions(quiz: Quiz, questions, changes: Changes, rng=None) -> None:
    """Match the file's questions to the quiz's rows by key (see the module docstring),
    record a new version for each whose content hash changed, archive the rest."""
    existing = list(db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz.id)))
    by_key = {q.key: q for q in existing if q.key is not None}
    by_key.update(_claim(existing, [(n, q.key) for n, q in enumerate(questions, start=1)],
                         lambda q: q.position, set(by_key)))
    report = changes.quiz(quiz.slug)
    for position, spec in enumerate(questions, start=1):
        question = by_key.get(spec.key)
        new_hash = content_hash(spec.qtype, spec.prompt_html, spec.explanation_html,
                                spec.data, spec.points)
        if question is None:
            question = Question(quiz_id=quiz.id, key=spec.key, position=position,
                                tags=list(spec.tags))
            db.session.add(question)
            db.session.flush()
            report["added"].append(spec.key)
        else:
            current = question.current_version
            if question.is_archived:
                report["added"].append(spec.key)
            elif current is not None and current.content_hash != new_hash:
                attempts, enrolments = _answered([current.id])
                report["edited"].append(spec.key)
                changes.answered_old[f"{quiz.slug}/{spec.key}"] = len(attempts)
                changes.attempts |= attempts
                changes.enrolments |= enrolments
            elif question.position != position:
                report["reordered"].append(spec.key)
        _set(question, "position", position)
        _set(question, "tags", list(spec.tags))
        _set(question, "is_archived", False)
        current = question.current_version
        if current is None or current.content_hash != new_hash:
            add_version(question, qtype=spec.qtype, prompt_html=spec.prompt_html,
                        prompt_md=spec.prompt_md, explanation_html=spec.explanation_html,
                        explanation_md=spec.explanation_md,
                        data=random_option_ids(spec.data, rng), points=float(spec.points))
    wanted = {spec.key for spec in questions}
    archived = 0
    for question in existing:
        if question.key not in wanted and not question.is_archived:
            question.is_archived = True
            archived += 1
            report["removed"].append(question.key or f"#{question.position}")
            if question.current_version is not None:
                attempts, enrolments = _answered([question.current_version.id])
                changes.attempts |= attempts
                changes.enrolments |= enrolments
    if archived:
        changes.notes.append(f"quiz {quiz.slug}: {archived} question(s) archived")


def _write_quizzes(course: Course, spec: CourseSpec, changes: Changes, rng=None) -> None:
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
        _write_questions(quiz, quiz_spec.questions, changes, rng)
    wanted = {q.slug for q in spec.quizzes}
    for slug, quiz in existing.items():
        if slug not in wanted:
            before = len(changes.notes)
            _write_questions(quiz, [], changes, rng)
            if len(changes.notes) > before:
                changes.notes[-1] = f"quiz {slug}: its file is gone; its questions are archived"


def _missing_keys(spec: CourseSpec) -> list[str]:
    missing = [f"module {m.slug}" for m in spec.modules if not m.key]
    missing += [f"{quiz.slug}.md question at line {q.line}" for quiz in spec.quizzes
                for q in quiz.questions if not q.key]
    return missing


def _record_version(course: Course, spec: CourseSpec, changes: Changes) -> CourseVersion | None:
    """A new :class:`CourseVersion` when the folder's hash differs from the newest one's."""
    newest = db.session.scalars(
        sa.select(CourseVersion).where(CourseVersion.course_id == course.id)
        .order_by(CourseVersion.number.desc()).limit(1)).first()
    if newest is not None and newest.content_hash == spec.content_hash:
        return None
    version = CourseVersion(course_id=course.id, number=(newest.number + 1) if newest else 1,
                            content_hash=spec.content_hash, imported_at=course.imported_at,
                            report=changes.data())
    db.session.add(version)
    db.session.flush()
    return version


def import_course(spec: CourseSpec, force: bool = False, rng=None) -> ImportResult:
    """Create or update one course and its modules, quizzes and questions.

    Args:
        spec: a course loaded without errors.
        force: rewrite even when ``content_hash`` is unchanged (e.g. after an upgrade of
            the Markdown renderer).
        rng: random source of new option ids (tests pass a seeded one).

    Returns:
        ImportResult with status created, updated or unchanged (nothing written).

    Raises:
        ValueError: a module or question of ``spec`` has no key (load the course after
            :func:`portal.courses.keys.add_missing_keys`, as :func:`import_loaded` does).
        sqlalchemy.exc.SQLAlchemyError: the database refused a write; the course's
            savepoint is rolled back first.
    """
    missing = _missing_keys(spec)
    if missing:
        raise ValueError(f"{spec.slug}: no key (id) for {', '.join(missing)}")
    course = db.session.scalar(sa.select(Course).where(Course.slug == spec.slug))
    if course is not None and course.content_hash == spec.content_hash and not force:
        return ImportResult(spec.slug, UNCHANGED, spec=spec, course_id=course.id)
    changes = Changes()
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
        _write_modules(course, spec, changes)
        _write_quizzes(course, spec, changes, rng)
        link_course(course.id, spec.competencies, spec.target_level)
        db.session.flush()
        _record_version(course, spec, changes)
    return ImportResult(spec.slug, status, notes=changes.notes, spec=spec,
                        course_id=course.id, changes=changes)


def import_loaded(result: LoadResult, force: bool = False) -> ImportResult:
    """Import one :class:`LoadResult`: failed (nothing written) when it has errors.

    Modules and questions without a key get one first: it is written into their files
    (:func:`portal.courses.keys.add_missing_keys`) and the course is read again."""
    if result.ok and result.spec is not None and _missing_keys(result.spec):
        add_missing_keys(result.folder)
        result = check_course(result.folder)
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
