"""Course versions: which publish of a course a learner is on.

Every import that changes a course records a :class:`~portal.courses.models.CourseVersion`
(:mod:`portal.courses.importer`). An enrolment is pinned to the version it started on
(``Enrolment.course_version_id``), and moves to a newer one by this rule
(:func:`pin_enrolment`):

- a new enrolment starts on the course's newest version;
- a learner who has not started the post-test moves to the newest version on their next
  visit (the next enrolment or quiz start); modules done and attempts made stay theirs;
- once the learner has started the post-test (any attempt, open or finished) or completed
  the course, the enrolment stays on its version: the result they work towards, and the JP
  and certificate it earns, belong to the version they were assessed on;
- whatever the version, an open attempt keeps the question versions it was given
  (:class:`~portal.quizzes.models.AttemptAnswer` rows fix them when it starts), and a
  finished attempt is always reviewed and graded on the versions it answered.

These functions flush, never commit.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.courses.models import CourseVersion
from portal.extensions import db


def newest_version(course_id: int) -> CourseVersion | None:
    """The course's newest version, or None (a course never imported since versions
    exist has none until its next import)."""
    return db.session.scalars(
        sa.select(CourseVersion).where(CourseVersion.course_id == course_id)
        .order_by(CourseVersion.number.desc()).limit(1)).first()


def _started_posttest(enrolment) -> bool:
    # Imported here: portal.quizzes imports this module (through its services).
    from portal.quizzes.models import Attempt, Quiz

    return db.session.scalar(
        sa.select(sa.func.count(Attempt.id))
        .join(Quiz, Quiz.id == Attempt.quiz_id)
        .where(Attempt.enrolment_id == enrolment.id, Quiz.kind == "posttest")) > 0


def pin_enrolment(enrolment) -> CourseVersion | None:
    """Pin ``enrolment`` to its course version by the rule of the module docstring: the
    newest version for a new enrolment or one that has not started the post-test, else
    the version it is on. Returns the version it is on afterwards (None when the course
    has no version)."""
    newest = newest_version(enrolment.course_id)
    if newest is None or enrolment.course_version_id == newest.id:
        return newest
    if enrolment.course_version_id is not None and (
            enrolment.completed_at is not None or _started_posttest(enrolment)):
        return db.session.get(CourseVersion, enrolment.course_version_id)
    enrolment.course_version_id = newest.id
    db.session.flush()
    return newest
