"""Which of a course's modules a learner has done (reads only, no request).

Rule: progress counts only the course's current (non-archived) modules; the post-test
unlocks when every current module is done. :mod:`portal.progress.services` re-exports these
functions; the quiz services read them without depending on the rest of progress.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from portal.courses.models import Course, Module
from portal.extensions import db
from portal.progress.models import Enrolment, ModuleCompletion


@dataclass(frozen=True)
class ProgressSummary:
    """Modules done out of the course's current modules, and the percent (0..100, int)."""

    done: int
    total: int
    percent: int


def current_modules(course: Course) -> list[Module]:
    """The course's non-archived modules in reading order."""
    return list(course.modules)


def done_module_ids(enrolment: Enrolment | None) -> set[int]:
    """Ids of the modules recorded as done in ``enrolment`` (archived ones included)."""
    if enrolment is None or enrolment.id is None:
        return set()
    return set(db.session.scalars(
        sa.select(ModuleCompletion.module_id)
        .where(ModuleCompletion.enrolment_id == enrolment.id)
    ))


def progress(enrolment: Enrolment) -> ProgressSummary:
    """Modules done / total for the enrolment, over the course's current modules.

    ``percent`` is rounded down, so 100 means every module is done; a course without
    modules counts as 100 % (nothing left to read).
    """
    modules = current_modules(enrolment.course)
    done_ids = done_module_ids(enrolment)
    done = sum(1 for m in modules if m.id in done_ids)
    total = len(modules)
    percent = 100 if total == 0 else done * 100 // total
    return ProgressSummary(done=done, total=total, percent=percent)


def posttest_unlocked(enrolment: Enrolment) -> bool:
    """True when every current module of the course is done."""
    summary = progress(enrolment)
    return summary.done == summary.total


def first_undone_module(enrolment: Enrolment) -> Module | None:
    """The first current module not done yet, in reading order, or None."""
    done_ids = done_module_ids(enrolment)
    for module in current_modules(enrolment.course):
        if module.id not in done_ids:
            return module
    return None
