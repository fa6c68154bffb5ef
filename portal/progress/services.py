"""Enrolment, module completion and course completion rules (plain functions, no request).

Services flush, never commit; the view commits once.
"""

from __future__ import annotations

from dataclasses import dataclass

from portal.courses.models import Course, Module
from portal.progress.models import Enrolment


class ProgressError(Exception):
    """A domain rule refused the action; ``code`` names it (e.g. ``not_enrolled``)."""

    def __init__(self, code: str, message: str = "") -> None:
        super().__init__(message or code)
        self.code = code


@dataclass(frozen=True)
class ProgressSummary:
    """Modules done out of the course's current modules, and the percent (0..100, int)."""

    done: int
    total: int
    percent: int


def get_enrolment(user, course: Course) -> Enrolment | None:
    """The user's enrolment in ``course``, or None."""
    raise NotImplementedError


def enrol(user, course: Course) -> Enrolment:
    """Enrol ``user`` in ``course``; returns the existing enrolment if there is one."""
    raise NotImplementedError


def mark_module_done(enrolment: Enrolment, module: Module) -> bool:
    """Record ``module`` as done (idempotent). Returns True if newly recorded."""
    raise NotImplementedError


def progress(enrolment: Enrolment) -> ProgressSummary:
    """Modules done / total for the enrolment."""
    raise NotImplementedError


def posttest_unlocked(enrolment: Enrolment) -> bool:
    """True when every current module of the course is done."""
    raise NotImplementedError


def check_completion(enrolment: Enrolment):
    """Complete the enrolment if all modules are done and the post-test grade (per the
    quiz's grading method) is ≥ the course pass mark. Sets ``completed_at`` (UTC, now) and
    issues the certificate in the same transaction. Returns the Certificate, or None when
    not (yet) complete. Idempotent: a completed enrolment returns its certificate."""
    raise NotImplementedError
