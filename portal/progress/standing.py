"""Learners' standing on the pre- and post-test of many enrolments at once, for the read
models of the pages (:mod:`portal.progress.summaries`): two statements whatever the number
of enrolments, instead of four per enrolment and quiz.

The rules are those of :func:`portal.progress.services.quiz_status`, applied to rows:
- a course's quiz of a kind is its first one of that kind (lowest id), as
  :func:`portal.quizzes.services.quiz_for` picks it;
- an attempt is submitted when it is neither in progress nor abandoned;
- the grade counts finished attempts only, by the quiz's grading method
  (:func:`portal.quizzes.scoring.combine`), exact (Fractions), and only once an attempt was
  submitted; for the post-test of a completed enrolment with a ``final_grade`` it is that
  grade (the course result, as :func:`portal.quizzes.services.grade_that_counts` says).
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

import sqlalchemy as sa

from portal.extensions import db
from portal.numbers import to_fraction
from portal.progress.services import POSTTEST, PRETEST, QuizStatus
from portal.quizzes import scoring
from portal.quizzes.models import Attempt, AttemptState, Quiz

#: :func:`portal.quizzes.scoring.stored_percent`, remembered per stored (points, max_points,
#: score): a quiz has few distinct scores, and building the exact Fraction is the costly
#: part of reading thousands of attempts (Fractions are immutable, so sharing is safe).
_stored_percent = lru_cache(maxsize=4096)(scoring.stored_percent)

#: Attempt states that are not a submission.
_NOT_SUBMITTED = (AttemptState.IN_PROGRESS, AttemptState.ABANDONED)


class EnrolmentLike(Protocol):
    """What the standing needs of an enrolment: an :class:`~portal.progress.models.Enrolment`
    or a row with the same attributes."""

    id: int
    course_id: int
    completed_at: object
    final_grade: float | None


@dataclass(frozen=True)
class _QuizFacts:
    id: int
    course_id: int
    kind: str
    grading: str


def first_quizzes(course_ids, kinds=(PRETEST, POSTTEST)) -> sa.Select:
    """A select of the ids of each course's first quiz of each of ``kinds``."""
    return (sa.select(sa.func.min(Quiz.id))
            .where(Quiz.course_id.in_(course_ids), Quiz.kind.in_(kinds))
            .group_by(Quiz.course_id, Quiz.kind))


class Standings:
    """The pre/post-test standing of a set of enrolments, read in two statements.

    Args:
        course_ids: the courses whose quizzes count (a list, or a select of ids).
        enrolment_ids: the enrolments whose attempts are read (a list, or a select of ids).
        load_quizzes: read the :class:`Quiz` objects (for links) together with the
            attempts, in one statement; else only their facts, then the attempts.
    """

    def __init__(self, course_ids, enrolment_ids, *, load_quizzes: bool = False) -> None:
        first = first_quizzes(course_ids)
        self.quizzes: dict[tuple[int, str], Quiz | _QuizFacts] = {}
        self._attempts: dict[tuple[int, int], list[tuple[str, Fraction | None]]] = \
            defaultdict(list)
        no_enrolments = isinstance(enrolment_ids, (list, tuple, set)) and not enrolment_ids
        if load_quizzes:
            # One statement: the quizzes with their submitted attempts outer-joined.
            rows = db.session.execute(
                sa.select(Quiz, Attempt.enrolment_id, Attempt.state, Attempt.points,
                          Attempt.max_points, Attempt.score)
                .outerjoin(Attempt, sa.and_(
                    Attempt.quiz_id == Quiz.id,
                    Attempt.enrolment_id.in_(enrolment_ids) if not no_enrolments
                    else sa.false(),
                    Attempt.state.not_in(_NOT_SUBMITTED)))
                .where(Quiz.id.in_(first))
                .order_by(Quiz.id, Attempt.enrolment_id, Attempt.number))
            for quiz, enrolment_id, state, points, max_points, score in rows:
                self.quizzes[(quiz.course_id, quiz.kind)] = quiz
                if enrolment_id is not None:
                    self._add(enrolment_id, quiz.id, state, points, max_points, score)
            return
        for row in db.session.execute(
                sa.select(Quiz.id, Quiz.course_id, Quiz.kind, Quiz.grading)
                .where(Quiz.id.in_(first))):
            self.quizzes[(row.course_id, row.kind)] = _QuizFacts(*row)
        if not self.quizzes or no_enrolments:
            return
        rows = db.session.execute(
            sa.select(Attempt.enrolment_id, Attempt.quiz_id, Attempt.state, Attempt.points,
                      Attempt.max_points, Attempt.score)
            .where(Attempt.enrolment_id.in_(enrolment_ids),
                   Attempt.quiz_id.in_([q.id for q in self.quizzes.values()]),
                   Attempt.state.not_in(_NOT_SUBMITTED))
            .order_by(Attempt.enrolment_id, Attempt.quiz_id, Attempt.number))
        for row in rows:
            self._add(*row)

    def _add(self, enrolment_id, quiz_id, state, points, max_points, score) -> None:
        percent = (_stored_percent(points, max_points, score)
                   if state == AttemptState.FINISHED else None)
        self._attempts[(enrolment_id, quiz_id)].append((state, percent))

    def quiz(self, course_id: int, kind: str):
        """The course's quiz of ``kind`` (a :class:`Quiz` when loaded), or None."""
        return self.quizzes.get((course_id, kind))

    def status(self, enrolment: EnrolmentLike | None, kind: str,
               course_id: int | None = None) -> QuizStatus:
        """The :class:`QuizStatus` of ``enrolment`` on its course's quiz of ``kind``
        (without an enrolment: only the quiz of course ``course_id``)."""
        if enrolment is None:
            return QuizStatus(quiz=self.quiz(course_id, kind))
        quiz = self.quiz(enrolment.course_id, kind)
        if quiz is None:
            return QuizStatus(quiz=None)
        attempts = self._attempts.get((enrolment.id, quiz.id), [])
        if not attempts:
            return QuizStatus(quiz=quiz)
        if kind == POSTTEST and enrolment.completed_at is not None \
                and enrolment.final_grade is not None:
            grade = to_fraction(enrolment.final_grade)
        else:
            percents = [p for state, p in attempts if p is not None]
            grade = scoring.combine(quiz.grading or "highest", percents)
        return QuizStatus(quiz=quiz, submitted=True, grade=grade)
