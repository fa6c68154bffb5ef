"""Needs surveys, their ratings, and interviews / focus group discussions."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow

SELF = "self"
SUPERVISOR = "supervisor"


class NeedsSurvey(db.Model):
    """A training needs survey (survei analisis kebutuhan pelatihan).

    ``public_id`` (32 hex characters, random) names it in URLs. ``opens_at`` and
    ``closes_at`` are aware UTC (entered and shown in WIB); answers are accepted while
    ``opens_at <= now < closes_at``. Who is invited: users whose unit is in ``opd_ids`` (or
    whose agency is in ``agency_ids``) and whose jabatan is in ``jabatan`` (JSON lists; an
    empty list does not restrict). ``competency_codes`` (JSON list) are the competencies
    rated, in the order asked.
    """

    __tablename__ = "needs_survey"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(sa.String(32), unique=True)
    title: Mapped[str] = mapped_column(sa.String(250))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    agency_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    opd_ids: Mapped[list] = mapped_column(sa.JSON, default=list)
    jabatan: Mapped[list] = mapped_column(sa.JSON, default=list)
    competency_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    def is_open(self, now: datetime) -> bool:
        """True while answers are accepted (``now`` aware UTC)."""
        return self.opens_at <= now < self.closes_at


class SurveyRating(db.Model):
    """One rating of one competency for one ASN (``respondent_id``) in a survey.

    ``rater_kind`` is ``self`` (the ASN: ``importance`` and ``proficiency``, 1..5) or
    ``supervisor`` (their atasan, ``rater_user_id``: ``proficiency`` only, ``importance``
    None). One row per (survey, respondent, competency, rater kind); an edit while the survey
    is open updates it (``updated_at``, aware UTC).
    """

    __tablename__ = "survey_rating"
    __table_args__ = (
        sa.UniqueConstraint("survey_id", "respondent_id", "competency_code", "rater_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("needs_survey.id", ondelete="CASCADE"), index=True)
    respondent_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    competency_code: Mapped[str] = mapped_column(sa.String(20))
    rater_kind: Mapped[str] = mapped_column(sa.String(12))
    rater_user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"))
    importance: Mapped[int | None] = mapped_column()
    proficiency: Mapped[int] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    respondent = relationship("User", foreign_keys=[respondent_id])


class NeedsDiscussion(db.Model):
    """An interview (``kind`` ``interview``) or focus group discussion (``fgd``) held for a
    needs analysis. Participants are counted and described by group only (no names).
    ``notes_html`` is ``notes`` (Markdown) through :func:`portal.markdown.render_markdown`;
    ``competency_codes`` (JSON list) are the competencies it points to. ``held_on`` is the
    date in WIB."""

    __tablename__ = "needs_discussion"

    id: Mapped[int] = mapped_column(primary_key=True)
    survey_id: Mapped[int] = mapped_column(
        sa.ForeignKey("needs_survey.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    held_on: Mapped[date] = mapped_column(sa.Date)
    place: Mapped[str] = mapped_column(sa.String(200))
    facilitator: Mapped[str] = mapped_column(sa.String(200))
    participant_count: Mapped[int] = mapped_column()
    participant_groups: Mapped[str] = mapped_column(sa.String(300), default="")
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes_html: Mapped[str] = mapped_column(sa.Text, default="")
    competency_codes: Mapped[list] = mapped_column(sa.JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
