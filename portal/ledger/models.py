"""The JP ledger table: one frozen row per credited learning."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from portal.errors import DomainError
from portal.extensions import db, one_of
from portal.timeutil import UTCDateTime, utcnow


class CreditSource(enum.StrEnum):
    """Where a credit comes from: ``completion`` (an e-learning enrolment completed, the
    only one written today); ``classroom``, ``import`` and ``manual`` (a correction by
    staff, including a reversal) are reserved for classroom delivery, imported records and
    corrections."""

    COMPLETION = "completion"
    CLASSROOM = "classroom"
    IMPORT = "import"
    MANUAL = "manual"


class LedgerError(DomainError):
    """A ledger rule was broken: a credit row was changed after it was written
    (code ``frozen``)."""


class JpCredit(db.Model):
    """A credit of JP (jam pelajaran) to a person, frozen when written.

    Columns: ``user_id`` (the person), ``course_id``, ``course_version_id`` (the course
    version completed; None until courses have versions, and for rows written before),
    ``enrolment_id`` and ``certificate_id`` (None when none was issued), ``jp`` (JP
    credited; negative in a reversal), ``minutes_per_jp`` (minutes in one JP for the
    course's delivery mode when credited: the ``MINUTES_PER_JP`` setting, 45 by common
    practice), ``minutes`` (= ``jp`` × ``minutes_per_jp``, minutes of study credited),
    ``result`` (the course result, final grade in percent 0..100, None without a
    post-test), ``credited_on`` (the date in the portal's time zone, WIB) and ``year``
    (its calendar year: the year the JP count in, PP 11/2017 Pasal 203(4) as amended by PP
    17/2020), ``source`` (a :class:`CreditSource` value), ``reverses_id`` (the row a
    reversal cancels) and ``created_at`` (aware UTC, when the row was written).

    Rule: rows are never updated or deleted. A correction is a new row: a reversal
    (``reverses_id`` set, ``jp`` and ``minutes`` negated, source ``manual``), then, if
    needed, a new credit. A yearly figure is the sum of the year's rows. Changing a row
    raises :class:`LedgerError` at flush. At most one ``completion`` row per enrolment (a
    partial unique index), so two requests completing the same enrolment credit it once.
    """

    __tablename__ = "jp_credit"
    __table_args__ = (
        sa.Index("uq_jp_credit_one_completion", "enrolment_id", unique=True,
                 sqlite_where=sa.text("source = 'completion'"),
                 postgresql_where=sa.text("source = 'completion'")),
        sa.Index("ix_jp_credit_user_year", "user_id", "year"),
        one_of("source", CreditSource),
        sa.CheckConstraint("minutes = jp * minutes_per_jp", name="ck_jp_credit_minutes"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    course_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course.id", ondelete="RESTRICT"))
    course_version_id: Mapped[int | None] = mapped_column(sa.Integer)
    enrolment_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="RESTRICT"))
    certificate_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="RESTRICT"))
    jp: Mapped[int] = mapped_column(sa.Integer)
    minutes_per_jp: Mapped[int] = mapped_column(sa.Integer)
    minutes: Mapped[int] = mapped_column(sa.Integer)
    result: Mapped[float | None] = mapped_column(sa.Float)
    credited_on: Mapped[date] = mapped_column(sa.Date)
    year: Mapped[int] = mapped_column(sa.Integer)
    source: Mapped[str] = mapped_column(sa.String(20))
    reverses_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("jp_credit.id", ondelete="RESTRICT"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@event.listens_for(JpCredit, "before_update")
def _refuse_update(_mapper, _connection, target: JpCredit) -> None:
    raise LedgerError("frozen", f"JP credit {target.id} is frozen: write a reversal instead")


@event.listens_for(JpCredit, "before_delete")
def _refuse_delete(_mapper, _connection, target: JpCredit) -> None:
    raise LedgerError("frozen", f"JP credit {target.id} is frozen: write a reversal instead")
