"""Completion certificates and the log of HR access to them."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db, one_of
from portal.timeutil import UTCDateTime, utcnow


class CertificateStatus(enum.StrEnum):
    """Certificate states: ``valid``; ``revoked`` (with ``revoked_at`` and a reason)."""

    VALID = "valid"
    REVOKED = "revoked"


class AccessAction(enum.StrEnum):
    """What staff did with a certificate's personal data (logged, UU 27/2022 PDP)."""

    VIEW_DETAIL = "view_detail"
    DOWNLOAD_PDF = "download_pdf"
    LISTED_IN_SEARCH = "listed_in_search"  # shown (with full NIP) in an HR search result


class Certificate(db.Model):
    """A completion certificate.

    ``code`` is the random verification code in ``/verify/<code>`` (≥ 80 bits);
    ``number`` the printed administrative number. ``snapshot`` freezes every printed field
    at issue time (name, NIP, pangkat, jabatan, unit kerja, course, dates, JP, result,
    signatory); ``holder_name`` and ``holder_nip`` copy its name (with titles) and NIP so
    HR can search the register by what the certificate says. ``pdf`` holds the rendered
    document once first downloaded, so every later download serves the same bytes;
    ``pdf_sha256`` is its hex digest. ``status`` is a :class:`CertificateStatus` value.
    ``issued_at`` and ``revoked_at`` are aware UTC (printed dates are WIB, from the
    snapshot).
    """

    __tablename__ = "certificate"
    # The register lists newest first; on PostgreSQL migration 0009 also adds trigram
    # indexes for its "contains" search (expression indexes, not declared here).
    __table_args__ = (one_of("status", CertificateStatus),
                      sa.Index("ix_certificate_issued_at_id", "issued_at", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    number: Mapped[str] = mapped_column(sa.String(80), unique=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="RESTRICT"), unique=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    holder_name: Mapped[str] = mapped_column(sa.String(320), default="")
    holder_nip: Mapped[str | None] = mapped_column(sa.String(18), index=True)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(20), default=CertificateStatus.VALID)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)

    enrolment = relationship("Enrolment")
    user = relationship("User")


class CertificateAccess(db.Model):
    """One access by staff (HR, admin) to a certificate's personal data (UU 27/2022 PDP).

    ``action`` is an :class:`AccessAction` value; ``at`` is
    aware UTC.
    """

    __tablename__ = "certificate_access"
    __table_args__ = (one_of("action", AccessAction),)

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user = relationship("User")


class CertificateCounter(db.Model):
    """The last certificate number given out in a year (the WIB year of issue).

    Numbers are sequential per year. The row is locked while a number is taken, so two
    certificates issued at the same moment get consecutive numbers, never the same one.
    """

    __tablename__ = "certificate_counter"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_number: Mapped[int] = mapped_column(default=0)
