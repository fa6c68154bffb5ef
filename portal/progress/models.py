"""Enrolments, module openings (visits) and module completions."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class Enrolment(db.Model):
    """A learner's enrolment in a course.

    ``completed_at`` (aware UTC) is set once, by
    :func:`portal.completion.complete_enrolment_if_done`, in the request in which every
    current module is done and the post-test grade reaches the pass mark (usually the one
    that grades the post-test; for a course without a post-test, the one that marks its
    last module done). The course's JP are credited in the WIB year of that moment, as a
    frozen row of the JP ledger (:class:`portal.ledger.models.JpCredit`).
    ``final_grade`` is the post-test grade (percent 0..100, not rounded) that completed the
    course, fixed at that moment: the course result that every page and the certificate
    show (None for a course without a post-test, and before completion).
    ``enrolled_at`` is aware UTC; ``last_module_id`` is the resume point.
    ``course_version_id`` is the course version (:class:`portal.courses.models.CourseVersion`)
    the learner is on; the rule for moving to a newer one is
    :func:`portal.courses.versions.pin_enrolment`'s.
    """

    __tablename__ = "enrolment"
    __table_args__ = (sa.UniqueConstraint("user_id", "course_id"),
                      sa.Index("ix_enrolment_course_id", "course_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    final_grade: Mapped[float | None] = mapped_column(sa.Float)
    last_module_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("module.id", ondelete="SET NULL")
    )
    course_version_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("course_version.id", ondelete="SET NULL")
    )

    user = relationship("User")
    course = relationship("Course")
    completions: Mapped[list["ModuleCompletion"]] = relationship(
        back_populates="enrolment", cascade="all, delete-orphan"
    )
    attempts = relationship("Attempt", back_populates="enrolment", cascade="all, delete-orphan")

    @property
    def is_completed(self) -> bool:
        """True once ``completed_at`` is set."""
        return self.completed_at is not None


class ModuleCompletion(db.Model):
    """A module marked as done within an enrolment; ``completed_at`` is aware UTC."""

    __tablename__ = "module_completion"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("module.id", ondelete="CASCADE"))
    completed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    enrolment: Mapped[Enrolment] = relationship(back_populates="completions")


class ModuleVisit(db.Model):
    """The first time a module page was served to the learner of an enrolment.

    Recorded on the server when the module page is rendered (never from a client's claim),
    once per (enrolment, module): ``first_opened_at`` (aware UTC) is never moved, so the
    minimum study time (:mod:`portal.progress.study_time`) counts from the first opening. A
    module can be marked done only once it has a visit (see
    :func:`portal.progress.services.mark_module_done`).
    """

    __tablename__ = "module_visit"
    __table_args__ = (sa.UniqueConstraint("enrolment_id", "module_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    enrolment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrolment.id", ondelete="CASCADE"))
    module_id: Mapped[int] = mapped_column(sa.ForeignKey("module.id", ondelete="CASCADE"))
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime())
