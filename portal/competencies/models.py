"""The competency catalogue (PermenPANRB 38/2017) and the link between courses and it."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class Competency(db.Model):
    """One competency of the catalogue.

    ``kind`` is ``manajerial``, ``sosial_kultural`` (both seeded by migration 0012 from
    :mod:`portal.competencies.catalogue_data`, with ``agency_id`` None) or ``teknis``
    (defined by admins for one agency and, optionally, one jabatan; ``jabatan`` "" means
    every jabatan of the agency). ``code`` is unique and is what course front matter names
    (``competencies: [M.05]``).
    """

    __tablename__ = "competency"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    kind: Mapped[str] = mapped_column(sa.String(20))
    name: Mapped[str] = mapped_column(sa.String(200))
    definition: Mapped[str] = mapped_column(sa.Text, default="")
    agency_id: Mapped[int | None] = mapped_column(sa.ForeignKey("agency.id"))
    jabatan: Mapped[str] = mapped_column(sa.String(200), default="")
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    levels: Mapped[list[CompetencyLevel]] = relationship(
        back_populates="competency", order_by="CompetencyLevel.level")
    agency = relationship("Agency")

    @property
    def label(self) -> str:
        """``M.05 Pelayanan Publik``."""
        return f"{self.code} {self.name}"

    def __repr__(self) -> str:
        return f"<Competency {self.code}>"


class CompetencyLevel(db.Model):
    """One of the five levels (1..5) of a competency: ``description`` (deskripsi level) and
    ``indicators`` (indikator perilaku, a JSON list of strings)."""

    __tablename__ = "competency_level"
    __table_args__ = (sa.UniqueConstraint("competency_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(
        sa.ForeignKey("competency.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column()
    description: Mapped[str] = mapped_column(sa.Text, default="")
    indicators: Mapped[list] = mapped_column(sa.JSON, default=list)

    competency: Mapped[Competency] = relationship(back_populates="levels")


class CourseCompetency(db.Model):
    """A course addresses a competency (by code, as its front matter names it), optionally
    up to ``target_level`` (1..5, front matter ``target_level``). Written at import
    (:func:`portal.competencies.services.link_course`); the code need not exist in the
    catalogue yet (a technical competency may be defined later)."""

    __tablename__ = "course_competency"
    __table_args__ = (sa.UniqueConstraint("course_id", "competency_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("course.id", ondelete="CASCADE"),
                                           index=True)
    competency_code: Mapped[str] = mapped_column(sa.String(20), index=True)
    target_level: Mapped[int | None] = mapped_column()
