"""Courses and their modules, imported from Markdown files under ``CONTENT_DIR``."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, one_of
from portal.timeutil import UTCDateTime, utcnow


class CompetencyType(enum.StrEnum):
    """The kind of competency a course builds (PermenPANRB 38/2017 on ASN competency
    standards: technical, managerial, socio-cultural)."""

    TEKNIS = "teknis"
    MANAJERIAL = "manajerial"
    SOSIAL_KULTURAL = "sosial_kultural"


class DeliveryMode(enum.StrEnum):
    """How a course is delivered (PermenPANRB 3/2018 on ASN development: e-learning,
    classroom (klasikal), or both (blended))."""

    E_LEARNING = "e-learning"
    KLASIKAL = "klasikal"
    BLENDED = "blended"


class Course(db.Model):
    """A course: metadata from ``course.md`` front matter (see docs/content-format.md).

    ``jp`` is the learning hours (JP) credited on completion; ``pass_mark`` the post-test
    grade needed to complete, in percent (0..100); ``competency_type`` and
    ``competencies`` follow PermenPANRB 38/2017 (``competency_type`` a :class:`CompetencyType`
    value; also written as :class:`CourseCompetency` rows with the front matter's
    ``target_level``); ``mode`` is a :class:`DeliveryMode` value; ``content_hash`` is the
    sha256 (hex) of
    the course folder at its last import; ``imported_at`` is aware UTC.
    """

    __tablename__ = "course"
    __table_args__ = (one_of("competency_type", CompetencyType), one_of("mode", DeliveryMode))

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(sa.String(100), unique=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    title: Mapped[str] = mapped_column(sa.String(250))
    jp: Mapped[int] = mapped_column()
    competency_type: Mapped[str] = mapped_column(sa.String(20))
    competencies: Mapped[list] = mapped_column(sa.JSON, default=list)
    mode: Mapped[str] = mapped_column(sa.String(20))
    partner: Mapped[str | None] = mapped_column(sa.String(250))
    pass_mark: Mapped[int] = mapped_column()  # percent, 0..100
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    content_hash: Mapped[str] = mapped_column(sa.String(64), default="")
    is_published: Mapped[bool] = mapped_column(default=True)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    modules: Mapped[list["Module"]] = relationship(
        back_populates="course",
        order_by="Module.position",
        primaryjoin="and_(Course.id == Module.course_id, Module.is_archived == False)",
        viewonly=True,
    )

    def __repr__(self) -> str:
        return f"<Course {self.slug}>"


class Module(db.Model):
    """One module (a Markdown page) of a course. ``minutes`` is the estimated study time;
    ``min_minutes`` the author's minimum study time before it can be marked done (front
    matter ``min_minutes``; None: the ``MIN_STUDY_RATIO`` setting decides, see
    :func:`portal.progress.study_time.required_study`).

    ``key`` is its stable key (front matter ``id:``, see :mod:`portal.courses.keys`; None
    only for modules recorded before keys existed and not yet claimed by an import);
    ``body_md`` the Markdown source of ``body_html`` (None before migration 0007).

    A module removed from the files is archived, not deleted, so learners' completions stay.
    """

    __tablename__ = "module"
    __table_args__ = (sa.UniqueConstraint("course_id", "slug"),
                      sa.UniqueConstraint("course_id", "key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    slug: Mapped[str] = mapped_column(sa.String(100))
    position: Mapped[int] = mapped_column()
    title: Mapped[str] = mapped_column(sa.String(250))
    minutes: Mapped[int] = mapped_column()
    min_minutes: Mapped[int | None] = mapped_column()
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    body_md: Mapped[str | None] = mapped_column(sa.Text)
    key: Mapped[str | None] = mapped_column(sa.String(32))
    is_archived: Mapped[bool] = mapped_column(default=False)

    course: Mapped[Course] = relationship(back_populates="modules")

    def __repr__(self) -> str:
        return f"<Module {self.course_id}/{self.slug}>"


class CourseVersion(db.Model):
    """One publish of a course: every import that changed it writes one, never updated.

    ``number`` counts the course's versions from 1; ``content_hash`` is the course folder's
    sha256 (hex) at that import; ``imported_at`` aware UTC; ``report`` what the import
    changed (:meth:`portal.courses.importer.ImportResult.report_data`: added, edited,
    removed and reordered modules and questions, attempts and enrolments touched).
    Enrolments are pinned to a version (``Enrolment.course_version_id``, see
    :func:`portal.courses.versions.pin_enrolment`).
    """

    __tablename__ = "course_version"
    __table_args__ = (sa.UniqueConstraint("course_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column()
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    report: Mapped[dict] = mapped_column(sa.JSON, default=dict)
