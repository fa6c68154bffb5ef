"""Completion certificates and the log of HR access to them."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.timeutil import UTCDateTime, utcnow


class Certificate(db.Model):
    """A completion certificate.

    ``code`` is the random verification code in ``/verify/<code>`` (≥ 80 bits);
    ``number`` the printed administrative number. ``snapshot`` freezes every printed field
    at issue time (name, NIP, pangkat, jabatan, unit kerja, course, dates, JP, result,
    signatory). ``pdf`` holds the rendered document once first downloaded, so every later
    download serves the same bytes; ``pdf_sha256`` is its hex digest.
    """

    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)
    number: Mapped[str] = mapped_column(sa.String(80), unique=True)
    enrolment_id: Mapped[int] = mapped_column(
        sa.ForeignKey("enrolment.id", ondelete="RESTRICT"), unique=True
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="RESTRICT"))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    snapshot: Mapped[dict] = mapped_column(sa.JSON)
    pdf: Mapped[bytes | None] = mapped_column(sa.LargeBinary, deferred=True)
    pdf_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    status: Mapped[str] = mapped_column(sa.String(20), default="valid")
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_reason: Mapped[str | None] = mapped_column(sa.Text)

    enrolment = relationship("Enrolment")
    user = relationship("User")


class CertificateAccess(db.Model):
    """One access by staff (HR, admin) to a certificate's personal data (UU 27/2022 PDP)."""

    __tablename__ = "certificate_access"

    id: Mapped[int] = mapped_column(primary_key=True)
    certificate_id: Mapped[int] = mapped_column(
        sa.ForeignKey("certificate.id", ondelete="CASCADE")
    )
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(sa.String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
