"""Course completion: the one place that decides it and writes it.

:func:`complete_enrolment_if_done` checks the rule, sets ``completed_at`` and
``final_grade``, issues the certificate and writes the JP credit, in one transaction (it
flushes; the view commits). Quiz, progress and certificate services know nothing of each
other's writes: views call this module after any action that may complete a course (a
module marked done, a post-test attempt graded or closed at its deadline).

The rule (see :mod:`portal.progress.services` for module progress): a course
completes when every current module is done and, if the course has a post-test, the
post-test grade by the quiz's grading method reaches the course pass mark, exactly (69.996 %
does not reach 70 %). A course without a post-test completes when its modules are done. The
pre-test never blocks. ``completed_at`` and ``final_grade`` are set once and never moved, so
the JP stay in the year first earned and every page shows the result the certificate
prints; the course's JP are credited once, frozen in the ledger (:mod:`portal.ledger`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import current_app

from portal.certificates import services as certificates
from portal.certificates.models import Certificate
from portal.extensions import db
from portal.ledger import services as ledger
from portal.ledger.models import JpCredit
from portal.progress import module_progress
from portal.progress.models import Enrolment
from portal.quizzes import services as quizzes
from portal.quizzes.models import Attempt, AttemptState, Quiz
from portal.quizzes.scoring import reaches


@dataclass(frozen=True)
class Completion:
    """A completed enrolment with its certificate and its JP credit; ``completed_now`` is
    True when this call completed it (False: it was completed before)."""

    enrolment: Enrolment
    certificate: Certificate
    credit: JpCredit
    completed_now: bool


def complete_enrolment_if_done(enrolment: Enrolment, now: datetime) -> Completion | None:
    """Complete ``enrolment`` at ``now`` (aware UTC) if the rule (module docstring) is met:
    set ``completed_at`` = ``now`` and ``final_grade`` (the post-test grade in percent,
    the course result; None without a post-test), issue the certificate
    (:func:`portal.certificates.services.issue_certificate`) and write the JP credit
    (:func:`portal.ledger.services.credit_completion`: the JP the certificate prints, the
    minutes per JP of the course's delivery mode from the ``MINUTES_PER_JP`` setting, the
    date in ``PORTAL_TIMEZONE``, WIB). Flushes, never commits.

    Idempotent: an enrolment already completed gets its certificate and credit (issued or
    written now if missing) and ``completed_now`` False; two concurrent requests issue one
    certificate and write one credit (a lock and a unique index).

    Returns:
        The :class:`Completion`, or None when the enrolment is not (yet) complete.
    """
    completed_now = False
    if enrolment.completed_at is None:
        if not module_progress.posttest_unlocked(enrolment):
            return None
        posttest = quizzes.quiz_for(enrolment, quizzes.POSTTEST)
        if posttest is not None:
            grade = quizzes.quiz_grade(enrolment, posttest)
            if not reaches(grade, enrolment.course.pass_mark):
                return None
            enrolment.final_grade = float(grade)
        enrolment.completed_at = now
        db.session.flush()
        completed_now = True
    certificate = certificates.issue_certificate(enrolment, now=now)
    config = current_app.config
    credit = ledger.credit_completion(
        enrolment, jp=int(certificate.snapshot.get("jp", enrolment.course.jp)),
        result=enrolment.final_grade, certificate_id=certificate.id, now=now,
        minutes_per_jp_used=ledger.minutes_per_jp(enrolment.course.mode,
                                                  config.get("MINUTES_PER_JP")),
        tz=config.get("PORTAL_TIMEZONE") or "Asia/Jakarta",
    )
    return Completion(enrolment=enrolment, certificate=certificate, credit=credit,
                      completed_now=completed_now)


def complete_after_attempt(attempt: Attempt, now: datetime) -> Completion | None:
    """After ``attempt`` was graded or closed: for a finished post-test of an enrolment not
    completed yet, :func:`complete_enrolment_if_done`; otherwise nothing is written and
    None returned. Flushes, never commits."""
    if attempt.state != AttemptState.FINISHED or attempt.quiz.kind != quizzes.POSTTEST:
        return None
    if attempt.enrolment.completed_at is not None:
        return None
    return complete_enrolment_if_done(attempt.enrolment, now)


def close_expired_attempt_and_complete(enrolment: Enrolment, quiz: Quiz, now: datetime,
                                       grace_seconds: float) -> Completion | None:
    """Close the learner's open attempt at ``quiz`` when its deadline + ``grace_seconds``
    has passed (:func:`portal.quizzes.services.close_if_expired`: graded on the answers
    saved in time), then complete the course if that post-test passed
    (:func:`complete_after_attempt`). Views call it before reading a quiz's attempts or
    starting a new one. Flushes, never commits.

    Returns:
        The :class:`Completion` when this closing completed the course, else None.
    """
    current = quizzes.open_attempt(enrolment, quiz)
    if current is None or not quizzes.close_if_expired(current, now, grace_seconds):
        return None
    return complete_after_attempt(current, now)
