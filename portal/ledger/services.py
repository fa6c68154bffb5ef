"""Writing and reading the JP ledger (plain functions; they flush, never commit).

A credit is written once, when the learning is credited, with everything a yearly figure
needs (JP, minutes per JP, the WIB date and year); readers sum rows and never join the
course, whose ``jp`` may be edited afterwards. The rules of the rows are on
:class:`portal.ledger.models.JpCredit` (never updated; a correction is a reversal row).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.ledger.models import CreditSource, JpCredit
from portal.timeutil import WIB, to_local

#: Minutes in one JP when the setting names no figure for a delivery mode (common
#: practice in ASN competency development).
DEFAULT_MINUTES_PER_JP = 45


def minutes_per_jp(mode: str | None, settings: Mapping[str, int] | None) -> int:
    """Minutes in one JP for a delivery ``mode`` (``e-learning``, ``klasikal``,
    ``blended``) by the ``MINUTES_PER_JP`` setting (a dict mode -> minutes), else 45."""
    value = (settings or {}).get(mode or "")
    return int(value) if value else DEFAULT_MINUTES_PER_JP


def completion_credit(enrolment_id: int) -> JpCredit | None:
    """The ``completion`` credit of an enrolment, or None when none was written."""
    return db.session.scalars(
        sa.select(JpCredit).where(JpCredit.enrolment_id == enrolment_id,
                                  JpCredit.source == CreditSource.COMPLETION)
    ).one_or_none()


def completion_credit_of_certificate(certificate_id: int) -> JpCredit | None:
    """The ``completion`` credit written with a certificate, or None."""
    return db.session.scalars(
        sa.select(JpCredit).where(JpCredit.certificate_id == certificate_id,
                                  JpCredit.source == CreditSource.COMPLETION)
    ).first()


def credit_completion(enrolment, *, jp: int, result: float | None, certificate_id: int | None,
                      now: datetime, minutes_per_jp_used: int,
                      tz: str | ZoneInfo = WIB) -> JpCredit:
    """Write the ``completion`` credit of a completed enrolment, once; flushes.

    Args:
        enrolment: the completed enrolment (``user_id``, ``course_id``, ``completed_at``
            aware UTC).
        jp: the JP credited (the course's JP when completed, as the certificate prints).
        result: the course result in percent (0..100), None without a post-test.
        certificate_id: the certificate issued for the completion, or None.
        now: aware UTC, stored as ``created_at``.
        minutes_per_jp_used: minutes in one JP for the course's delivery mode
            (:func:`minutes_per_jp`); ``minutes`` = ``jp`` × this.
        tz: the portal's time zone (WIB); ``credited_on`` is the date of
            ``completed_at`` there and ``year`` its year.

    Returns:
        The new credit, or the one already written: a concurrent request that inserted it
        first wins through the unique index (one completion credit per enrolment) and this
        one returns that row.

    Raises:
        ValueError: the enrolment is not completed.
    """
    if enrolment.completed_at is None:
        raise ValueError("the enrolment is not completed; nothing to credit")
    existing = completion_credit(enrolment.id)
    if existing is not None:
        return existing
    credited_on = to_local(enrolment.completed_at, tz).date()
    credit = JpCredit(
        user_id=enrolment.user_id, course_id=enrolment.course_id, course_version_id=None,
        enrolment_id=enrolment.id, certificate_id=certificate_id, jp=int(jp),
        minutes_per_jp=minutes_per_jp_used, minutes=int(jp) * minutes_per_jp_used,
        result=result, credited_on=credited_on, year=credited_on.year,
        source=CreditSource.COMPLETION, created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(credit)
    except IntegrityError:
        if credit in db.session:
            db.session.expunge(credit)
        found = completion_credit(enrolment.id)
        if found is None:
            raise
        return found
    return credit


def write_reversal(credit: JpCredit, now: datetime, tz: str | ZoneInfo = WIB) -> JpCredit:
    """Cancel ``credit`` by a new row (source ``manual``, ``reverses_id`` = its id, ``jp``
    and ``minutes`` negated, credited on the WIB date of ``now`` and in that year); the
    credit itself is never changed. Flushes.

    Raises:
        ValueError: ``credit`` is itself a reversal, or was already reversed.
    """
    if credit.reverses_id is not None:
        raise ValueError("a reversal is not reversed: write a new credit instead")
    taken = db.session.scalar(sa.select(JpCredit.id).where(JpCredit.reverses_id == credit.id))
    if taken is not None:
        raise ValueError("this credit was already reversed")
    credited_on = to_local(now, tz).date()
    reversal = JpCredit(
        user_id=credit.user_id, course_id=credit.course_id,
        course_version_id=credit.course_version_id, enrolment_id=credit.enrolment_id,
        certificate_id=credit.certificate_id, jp=-credit.jp,
        minutes_per_jp=credit.minutes_per_jp, minutes=-credit.minutes, result=credit.result,
        credited_on=credited_on, year=credited_on.year, source=CreditSource.MANUAL,
        reverses_id=credit.id, created_at=now,
    )
    db.session.add(reversal)
    db.session.flush()
    return reversal


def jp_in_year(user_id: int, year: int) -> int:
    """JP credited to the user in ``year`` (the WIB calendar year of each credit's
    ``credited_on``): the sum of the year's ledger rows, reversals included (0 when none).
    One statement."""
    return int(db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(JpCredit.jp), 0))
        .where(JpCredit.user_id == user_id, JpCredit.year == year)
    ) or 0)


@dataclass(frozen=True)
class LearnerJp:
    """A learner's credited JP: ``by_enrolment`` ``{enrolment id: JP}`` and ``by_year``
    ``{WIB year: JP}``, both net of reversals."""

    by_enrolment: dict[int, int]
    by_year: dict[int, int]


def learner_jp(user_id: int) -> LearnerJp:
    """The user's credited JP per enrolment and per year (:class:`LearnerJp`), in one
    grouped statement (for the dashboard)."""
    rows = db.session.execute(
        sa.select(JpCredit.enrolment_id, JpCredit.year, sa.func.sum(JpCredit.jp))
        .where(JpCredit.user_id == user_id)
        .group_by(JpCredit.enrolment_id, JpCredit.year)
    ).all()
    by_enrolment: dict[int, int] = {}
    by_year: dict[int, int] = {}
    for enrolment_id, year, jp in rows:
        if enrolment_id is not None:
            by_enrolment[enrolment_id] = by_enrolment.get(enrolment_id, 0) + int(jp)
        by_year[year] = by_year.get(year, 0) + int(jp)
    return LearnerJp(by_enrolment=by_enrolment, by_year=by_year)
