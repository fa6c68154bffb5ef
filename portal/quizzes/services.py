"""Quiz attempts: start, save, submit (once), grade, and the grade that counts.

Plain functions taking model objects; they flush, never commit.
"""

from __future__ import annotations

from portal.progress.models import Enrolment
from portal.quizzes.models import Attempt, Quiz


class QuizError(Exception):
    """A quiz rule refused the action; ``code`` is one of ``locked`` (not unlocked yet),
    ``no_attempts_left``, ``not_in_progress``, ``not_owner``."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


def quiz_for(enrolment: Enrolment, kind: str) -> Quiz | None:
    """The course's quiz of ``kind`` (pretest | posttest), or None."""
    raise NotImplementedError


def quiz_grade(enrolment: Enrolment, quiz: Quiz) -> float | None:
    """The learner's grade for ``quiz`` in percent (0..100) by the quiz's grading method
    (highest | average | first | last) over finished attempts; None if none finished."""
    raise NotImplementedError
