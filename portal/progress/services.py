"""Enrolment, module progress and the learner's path (plain functions, no request).

Services flush, never commit; the view commits once.

Rules decided here:
- Progress counts only the course's current (non-archived) modules.
- A module can be marked done only after its page was served to the learner and its
  minimum study time has passed since that first opening (:mod:`.study_time`).
- The post-test unlocks when every current module is done.
- When a course completes is decided, and written, in one place:
  :func:`portal.completion.complete_enrolment_if_done`.
- The pre-test comes first but never blocks reading or passing: its score only measures the
  starting point for the normalized gain (see :mod:`portal.progress.gain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.certificates.models import Certificate
from portal.courses.models import Course, Module
from portal.courses.versions import pin_enrolment
from portal.errors import DomainError
from portal.extensions import db
from portal.progress import study_time
from portal.progress.models import Enrolment, ModuleCompletion, ModuleVisit
from portal.progress.module_progress import (  # noqa: F401  (re-exported)
    ProgressSummary, current_modules, done_module_ids, first_undone_module, posttest_unlocked,
    progress,
)
from portal.quizzes import services as quiz_services
from portal.quizzes.models import Attempt, AttemptState, Quiz
from portal.timeutil import WIB


#: Quiz kinds the learner's path knows about (see docs/content-format.md).
PRETEST = "pretest"  # QuizKind.PRETEST (not imported: portal.quizzes imports this module)
POSTTEST = "posttest"  # QuizKind.POSTTEST


class ProgressError(DomainError):
    """A domain rule refused the action; ``code`` is ``course_unavailable`` (not
    published), ``wrong_course``, ``archived_module``, ``not_opened`` (a module marked done
    before its page was ever served to the learner) or ``too_early`` (before its minimum
    study time; ``ready_at`` is then the aware UTC moment from which it is allowed)."""

    def __init__(self, code: str, message: str = "", ready_at: datetime | None = None) -> None:
        super().__init__(code, message,
                         params={"ready_at": ready_at} if ready_at is not None else None)
        self.ready_at = ready_at


@dataclass(frozen=True)
class QuizStatus:
    """A learner's standing on one quiz of a course.

    ``quiz`` is None when the course has no quiz of that kind. ``submitted`` is True once
    any attempt was submitted (finished or overdue; abandoned ones were never submitted). ``grade`` is the exact percent (0..100,
    a Fraction) that counts — by the quiz's grading method, or for the post-test of a
    completed course the grade that completed it — None until an attempt is finished.
    """

    quiz: Quiz | None
    submitted: bool = False
    grade: Fraction | None = None

    @property
    def exists(self) -> bool:
        """True when the course has a quiz of this kind."""
        return self.quiz is not None


# --- enrolment ------------------------------------------------------------------------


def get_enrolment(user, course: Course) -> Enrolment | None:
    """The user's enrolment in ``course``, or None (also None for an anonymous user)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalars(
        sa.select(Enrolment).where(Enrolment.user_id == user.id,
                                   Enrolment.course_id == course.id)
    ).first()


def visible_course(slug: str, user) -> Course | None:
    """The course with ``slug`` if ``user`` may see it, else None.

    Published courses are visible to everyone; an unpublished one only to its enrolled
    learners and to instructors and admins. ``user`` may be anonymous.
    """
    course = db.session.scalars(sa.select(Course).where(Course.slug == slug)).first()
    if course is None or course.is_published:
        return course
    if user.is_authenticated and (user.has_role("instructor")
                                  or get_enrolment(user, course) is not None):
        return course
    return None


def enrol(user, course: Course) -> Enrolment:
    """Enrol ``user`` in ``course``; returns the existing enrolment if there is one.

    Safe against a double click: a concurrent insert that hits the unique (user, course)
    constraint is rolled back to a savepoint and the existing row returned. A new
    enrolment starts on the course's newest version
    (:func:`portal.courses.versions.pin_enrolment`).

    Raises:
        ProgressError: ``course_unavailable`` when the course is not published.
    """
    existing = get_enrolment(user, course)
    if existing is not None:
        return existing
    if not course.is_published:
        raise ProgressError("course_unavailable")
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    try:
        with db.session.begin_nested():
            db.session.add(enrolment)
    except IntegrityError:
        found = get_enrolment(user, course)
        if found is None:
            raise
        return found
    pin_enrolment(enrolment)
    return enrolment


# --- modules --------------------------------------------------------------------------


def find_module(course: Course, module_slug: str) -> Module | None:
    """The current (non-archived) module of ``course`` with ``module_slug``, or None."""
    return db.session.scalars(
        sa.select(Module).where(Module.course_id == course.id, Module.slug == module_slug,
                                Module.is_archived.is_(False))
    ).first()


@dataclass(frozen=True)
class StudyGate:
    """Whether a learner may mark a module done yet (rules in :mod:`.study_time`).

    ``opened_at`` is the first opening of the module page (aware UTC), None when it was
    never opened; ``ready_at`` the moment from which it may be marked done (None when never
    opened); ``required`` the minimum study time.
    """

    opened_at: datetime | None
    ready_at: datetime | None
    required: timedelta

    def is_open(self, now: datetime) -> bool:
        """True when the module was opened and its minimum study time has passed."""
        return self.ready_at is not None and now >= self.ready_at

    def is_waiting(self, now: datetime) -> bool:
        """True when the module was opened but its minimum study time has not passed."""
        return self.ready_at is not None and now < self.ready_at

    def seconds_left(self, now: datetime) -> int:
        """Whole seconds until ``ready_at`` (0 when passed or never opened)."""
        return study_time.seconds_left(self.ready_at, now) if self.ready_at else 0

    def minutes_left(self, now: datetime) -> int:
        """Whole minutes until ``ready_at``, rounded up (0 when passed or never opened)."""
        return study_time.minutes_left(self.ready_at, now) if self.ready_at else 0


def first_opened_at(enrolment: Enrolment, module: Module) -> datetime | None:
    """When the module page was first served to the enrolment's learner (aware UTC), or
    None when never."""
    if enrolment.id is None:
        return None
    return db.session.scalar(
        sa.select(ModuleVisit.first_opened_at)
        .where(ModuleVisit.enrolment_id == enrolment.id, ModuleVisit.module_id == module.id))


def gate_after_opening(module: Module, opened_at: datetime | None,
                       min_ratio: float = 0.0) -> StudyGate:
    """The :class:`StudyGate` of ``module`` first opened at ``opened_at`` (aware UTC; None:
    never opened), without a query (the module page has the opening from
    :func:`record_visit`).

    Args:
        min_ratio: the ``MIN_STUDY_RATIO`` setting (fraction 0..1 of the module's
            ``minutes``); the module's own ``min_minutes`` wins when set.

    Raises:
        ValueError: ``min_ratio`` outside 0..1.
    """
    required = study_time.required_study(module.minutes, module.min_minutes, min_ratio)
    ready = study_time.ready_at(opened_at, required) if opened_at is not None else None
    return StudyGate(opened_at=opened_at, ready_at=ready, required=required)


def study_gate(enrolment: Enrolment, module: Module, min_ratio: float = 0.0) -> StudyGate:
    """The :class:`StudyGate` of ``module`` for ``enrolment`` (its first opening looked up;
    see :func:`gate_after_opening`).

    Raises:
        ValueError: ``min_ratio`` outside 0..1.
    """
    return gate_after_opening(module, first_opened_at(enrolment, module), min_ratio)


def mark_module_done(enrolment: Enrolment, module: Module, now: datetime,
                     min_ratio: float = 0.0) -> bool:
    """Record ``module`` as done at ``now`` (aware UTC). Idempotent: a module already done
    returns False without any other check; True when newly recorded.

    The module must have been opened (its page served: :func:`record_visit`) and its
    minimum study time must have passed since the first opening (:func:`study_gate`,
    rules in :mod:`portal.progress.study_time`).

    Args:
        min_ratio: the ``MIN_STUDY_RATIO`` setting (fraction 0..1 of the module's minutes).

    Raises:
        ProgressError: ``wrong_course`` when the module belongs to another course;
            ``archived_module`` when the module is archived; ``not_opened`` when its page
            was never served to this learner; ``too_early`` (with ``ready_at``) before
            the minimum study time has passed.
    """
    if module.course_id != enrolment.course_id:
        raise ProgressError("wrong_course")
    if module.is_archived:
        raise ProgressError("archived_module")
    if module.id in done_module_ids(enrolment):
        return False
    gate = study_gate(enrolment, module, min_ratio)
    if gate.opened_at is None:
        raise ProgressError("not_opened")
    if not gate.is_open(now):
        raise ProgressError("too_early", ready_at=gate.ready_at)
    try:
        with db.session.begin_nested():
            db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_id=module.id,
                                            completed_at=now))
    except IntegrityError:
        return False
    db.session.expire(enrolment, ["completions"])
    return True


def record_visit(enrolment: Enrolment, module: Module, now: datetime) -> datetime:
    """The module page is being served to the learner at ``now`` (aware UTC): remember it
    as the enrolment's resume point (``last_module_id``) and, the first time, record the
    opening (:class:`ModuleVisit`) from which the minimum study time counts.

    Safe against two tabs opening the module at once: an insert that hits the unique
    (enrolment, module) constraint is rolled back to a savepoint and the stored opening
    kept.

    Returns:
        The first opening (aware UTC): ``now`` on the first visit, else the stored one.
    """
    if enrolment.last_module_id != module.id:
        enrolment.last_module_id = module.id
        db.session.flush()
    opened = first_opened_at(enrolment, module)
    if opened is not None:
        return opened
    try:
        with db.session.begin_nested():
            db.session.add(ModuleVisit(enrolment_id=enrolment.id, module_id=module.id,
                                       first_opened_at=now))
    except IntegrityError:
        stored = first_opened_at(enrolment, module)
        if stored is None:
            raise
        return stored
    return now


def resume_module(enrolment: Enrolment) -> Module | None:
    """Where to continue reading: the last visited module if it is still current, else the
    first module not done, else None (all done: the next step is the post-test)."""
    if enrolment.last_module_id is not None:
        module = db.session.get(Module, enrolment.last_module_id)
        if module is not None and not module.is_archived \
                and module.course_id == enrolment.course_id:
            return module
    return first_undone_module(enrolment)


def neighbours(course: Course, module: Module) -> tuple[Module | None, Module | None, int]:
    """``(previous, next, position)`` of ``module`` among the course's current modules;
    ``position`` counts from 1.

    Raises:
        StopIteration: ``module`` is not a current module of ``course`` (callers look it
            up with :func:`find_module` first).
    """
    modules = current_modules(course)
    index = next(i for i, m in enumerate(modules) if m.id == module.id)
    previous = modules[index - 1] if index > 0 else None
    following = modules[index + 1] if index + 1 < len(modules) else None
    return previous, following, index + 1


# --- quizzes --------------------------------------------------------------------------


def course_quiz(course: Course, kind: str) -> Quiz | None:
    """The course's quiz of ``kind`` (pretest | posttest) without an enrolment (for visitors
    of the course page), or None. Enrolled learners go through
    ``portal.quizzes.services.quiz_for``."""
    return db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course.id, Quiz.kind == kind)
        .order_by(Quiz.id)
    ).first()


def quiz_status(course: Course, enrolment: Enrolment | None, kind: str) -> QuizStatus:
    """The learner's :class:`QuizStatus` on the course's quiz of ``kind``.

    Without an enrolment only ``quiz`` is filled in. The grade comes from
    ``portal.quizzes.services.grade_that_counts`` (the quiz's grading method; the course
    result once the course is completed).
    """
    if enrolment is None:
        return QuizStatus(quiz=course_quiz(course, kind))
    quiz = quiz_services.quiz_for(enrolment, kind)
    if quiz is None:
        return QuizStatus(quiz=None)
    submitted = db.session.scalar(
        sa.select(sa.func.count(Attempt.id)).where(
            Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id,
            Attempt.state.not_in([AttemptState.IN_PROGRESS, AttemptState.ABANDONED]))
    ) > 0
    grade = quiz_services.grade_that_counts(enrolment, quiz) if submitted else None
    return QuizStatus(quiz=quiz, submitted=submitted, grade=grade)


def pretest_pending(enrolment: Enrolment) -> QuizStatus | None:
    """The pre-test's status when the course has a pre-test the learner has not submitted
    yet, else None. Used to send learners to the pre-test first (it never blocks reading)."""
    status = quiz_status(enrolment.course, enrolment, PRETEST)
    return status if status.exists and not status.submitted else None


# --- completion -----------------------------------------------------------------------


def certificate_for(enrolment: Enrolment | None) -> Certificate | None:
    """The Certificate issued for ``enrolment``, or None."""

    if enrolment is None or enrolment.id is None:
        return None
    return db.session.scalars(
        sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id)
    ).first()


# --- JP ledger ------------------------------------------------------------------------

#: Minimum competency development per PNS per year, in JP (PP 11/2017 Pasal 203(4) as
#: amended by PP 17/2020).
YEARLY_JP_TARGET = 20


def wib_year(moment: datetime) -> int:
    """The calendar year of an aware datetime in WIB (Asia/Jakarta, UTC+7)."""
    return moment.astimezone(WIB).year
