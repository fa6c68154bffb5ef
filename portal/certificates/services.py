"""Issuing certificates, rendering their PDFs and verifying them.

Plain functions taking model objects and plain data; they flush, never commit (the view
commits once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from portal.auth.nip import normalize_nip
from portal.certificates.codes import generate_code, normalize_code
from portal.certificates.models import (
    AccessAction, Certificate, CertificateAccess, CertificateStatus,
)
from portal.certificates.numbering import format_number, lock_year, take_next
from portal.certificates.pdf import certificate_pdf, render_certificate_pdf  # noqa: F401
from portal.certificates.snapshot import build_snapshot
from portal.extensions import db
from portal.pagination import ResultPage
from portal.progress.models import Enrolment
from portal.timeutil import to_local, utcnow

__all__ = [
    "AccessAction", "CertificateStatus", "access_log", "can_download", "certificate_pdf",
    "find_certificate", "issue_certificate", "record_access", "record_listing",
    "render_certificate_pdf",
    "search_certificates",
]


def _certificate_of(enrolment: Enrolment) -> Certificate | None:
    return db.session.scalars(
        sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id)
    ).one_or_none()


def _unused_code() -> str:
    """A fresh code not held by any certificate (a clash at 100 bits is only theoretical)."""
    while True:
        code = generate_code()
        taken = db.session.scalar(sa.select(Certificate.id).where(Certificate.code == code))
        if taken is None:
            return code


def issue_certificate(enrolment: Enrolment, now: datetime | None = None) -> Certificate:
    """Issue (or return the existing) certificate for a completed enrolment: random code
    (≥ 80 bits), sequential number, snapshot of every printed field. Flushes, no commit.

    The code has 100 bits (:mod:`portal.certificates.codes`). The number is the next in the
    WIB year of issue (:mod:`portal.certificates.numbering`): the year's counter is locked
    before the number is taken, and the enrolment is checked again under that lock, so two
    concurrent calls neither share a number nor issue two certificates for one enrolment.
    The snapshot (:func:`portal.certificates.snapshot.build_snapshot`) freezes the holder's
    name with titles, NIP, pangkat/golongan, jabatan, unit kerja and its agency, the course,
    dates (WIB), JP, the course result (``Enrolment.final_grade``, set on completion by
    :func:`portal.completion.complete_enrolment_if_done`; none for a course without a
    post-test), signatory and issuer as they are now. ``now`` (aware UTC, default the
    current time) is the moment of issue.

    Raises:
        ValueError: the enrolment is not completed.
    """
    if enrolment.completed_at is None:
        raise ValueError("the enrolment is not completed; no certificate can be issued")
    if enrolment.id is None:
        db.session.flush()
    existing = _certificate_of(enrolment)
    if existing is not None:
        return existing

    config = current_app.config
    issued_at = now or utcnow()
    year = to_local(issued_at, config.get("PORTAL_TIMEZONE") or "Asia/Jakarta").year
    counter = lock_year(year)
    existing = _certificate_of(enrolment)
    if existing is not None:
        return existing

    user, course = enrolment.user, enrolment.course
    code = _unused_code()
    number = format_number(take_next(counter), config.get("CERT_NUMBER_PREFIX", ""),
                           course.code or "", year)
    snapshot = build_snapshot(
        code=code, number=number, user=user, course=course,
        enrolled_at=enrolment.enrolled_at, completed_at=enrolment.completed_at,
        issued_at=issued_at, posttest_percent=enrolment.final_grade, settings=config,
    )
    certificate = Certificate(
        code=code, number=number, enrolment_id=enrolment.id, user_id=user.id,
        issued_at=issued_at, snapshot=snapshot, holder_name=snapshot["name"],
        holder_nip=snapshot["nip"] or None, status=CertificateStatus.VALID,
    )
    db.session.add(certificate)
    db.session.flush()
    return certificate


def find_certificate(raw_code: str | None) -> Certificate | None:
    """The certificate with this code as typed or scanned (see
    :func:`portal.certificates.codes.normalize_code`), or None."""
    code = normalize_code(raw_code)
    if code is None:
        return None
    return db.session.scalars(sa.select(Certificate).where(Certificate.code == code)).first()


def can_download(user, certificate: Certificate) -> bool:
    """True for the holder, HR and admins (``user.has_role("hr")``)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return certificate.user_id == user.id or user.has_role("hr")


def record_access(certificate: Certificate, user, action: str) -> CertificateAccess:
    """Log that staff ``user`` accessed the certificate's personal data (UU 27/2022 PDP).

    Args:
        action: an :class:`AccessAction` value.
    """
    entry = CertificateAccess(certificate_id=certificate.id, user_id=user.id, action=action,
                              at=utcnow())
    db.session.add(entry)
    db.session.flush()
    return entry


def record_listing(certificates, user) -> None:
    """Log that staff ``user`` saw these certificates' personal data (name, full NIP, OPD)
    in a search result page (UU 27/2022 PDP): one :class:`CertificateAccess` row each
    (``certificates``: anything with an ``id``, as :class:`RegisterRow`),
    action ``listed_in_search``, at the current UTC time, written by one INSERT
    statement (executed at once, not at the next flush)."""
    now = utcnow()
    rows = [{"certificate_id": c.id, "user_id": user.id,
             "action": AccessAction.LISTED_IN_SEARCH, "at": now} for c in certificates]
    if rows:
        db.session.execute(sa.insert(CertificateAccess), rows)


def access_log(certificate: Certificate, limit: int = 50) -> list[CertificateAccess]:
    """The latest ``limit`` accesses to the certificate, newest first (users loaded)."""
    return list(db.session.scalars(
        sa.select(CertificateAccess)
        .where(CertificateAccess.certificate_id == certificate.id)
        .options(joinedload(CertificateAccess.user))
        .order_by(CertificateAccess.at.desc(), CertificateAccess.id.desc())
        .limit(limit)
    ))


@dataclass(frozen=True)
class RegisterRow:
    """One certificate as the register lists it, read once (plain values: the page stays
    the same after the listing is logged and committed). ``snapshot`` is the certificate's
    frozen snapshot (:mod:`portal.certificates.snapshot`)."""

    id: int
    code: str
    number: str
    status: str
    issued_at: datetime
    snapshot: dict


class SearchPage(ResultPage):
    """One page of search results: ``items`` are :class:`RegisterRow`
    (:class:`portal.pagination.ResultPage`)."""


def search_certificates(query: str | None, page: int = 1, per_page: int = 20) -> SearchPage:
    """Search the certificate register by number, name or NIP; newest first.

    The query matches, case-insensitively and as a substring, the certificate number or the
    holder's name as printed (with titles); when it holds digits (spaces, dots and dashes
    ignored), it also matches the NIP as a substring, so a full NIP or part of it works.
    An empty query lists every certificate.

    One statement reads the page and the number of matches (a window count); a page past
    the last one costs a second look (a count) and is clamped to the last page. On
    PostgreSQL the "contains" conditions use the trigram indexes of migration 0009.

    Args:
        query: what HR typed.
        page: 1-based page number; out-of-range pages are clamped.
        per_page: rows per page (at least 1, else ValueError).

    Returns:
        A :class:`SearchPage` of the matching certificates, ordered by ``issued_at``
        (newest first).
    """
    columns = (Certificate.id, Certificate.code, Certificate.number, Certificate.status,
               Certificate.issued_at, Certificate.snapshot)
    condition = sa.true()
    text = (query or "").strip()
    if text:
        lowered = text.lower()
        conditions = [
            sa.func.lower(Certificate.number).contains(lowered, autoescape=True),
            sa.func.lower(Certificate.holder_name).contains(lowered, autoescape=True),
        ]
        digits = normalize_nip(text)
        if digits.isdigit() and digits.isascii():
            conditions.append(Certificate.holder_nip.contains(digits, autoescape=True))
        condition = sa.or_(*conditions)
    if per_page < 1:
        raise ValueError("per_page must be at least 1")
    page = max(1, page)

    def read(at_page: int):
        return db.session.execute(
            sa.select(*columns, sa.func.count().over().label("total_rows"))
            .where(condition)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
            .limit(per_page).offset((at_page - 1) * per_page)
        ).all()

    rows = read(page)
    if rows:
        total = rows[0].total_rows
    else:
        total = db.session.scalar(
            sa.select(sa.func.count(Certificate.id)).where(condition)) or 0
        last = max(1, -(-total // per_page))
        if page > last:
            page = last
            rows = read(page) if total else []
    items = [RegisterRow(id=r.id, code=r.code, number=r.number, status=r.status,
                         issued_at=r.issued_at, snapshot=r.snapshot) for r in rows]
    return SearchPage(items=items, page=page, per_page=per_page, total=total)
