"""Fixtures for the certificate tests: courses, completed enrolments, issued certificates.

Rows are created directly (no progress or quiz services), so these tests depend only on the
models.
"""

from __future__ import annotations

import io
from datetime import datetime, timezone
from itertools import count

import pytest

_course_counter = count(1)


@pytest.fixture
def make_course(db):
    """Factory: ``make_course(**fields) -> Course``, committed, with sensible defaults."""
    from portal.courses.models import Course

    def factory(**fields) -> Course:
        n = next(_course_counter)
        course = Course(
            slug=fields.pop("slug", f"pelayanan-publik-{n}"),
            code=fields.pop("code", "PPBTI-01"),
            title=fields.pop("title", "Pelayanan Publik Berbasis Teknologi Informasi"),
            jp=fields.pop("jp", 20),
            competency_type=fields.pop("competency_type", "manajerial"),
            competencies=fields.pop("competencies", ["M.05", "M.03"]),
            mode=fields.pop("mode", "e-learning"),
            pass_mark=fields.pop("pass_mark", 70),
            **fields,
        )
        db.session.add(course)
        db.session.commit()
        return course

    return factory


ENROLLED_AT = datetime(2026, 11, 2, 1, 0, tzinfo=timezone.utc)
# 28 Nov 2026 20:30 UTC is 29 Nov 2026 03:30 WIB: the printed date must be the WIB one.
COMPLETED_AT = datetime(2026, 11, 28, 20, 30, tzinfo=timezone.utc)


@pytest.fixture
def make_enrolment(db, make_user, make_course):
    """Factory: ``make_enrolment(user=None, course=None, completed=True, **fields)``."""
    from portal.progress.models import Enrolment

    def factory(user=None, course=None, completed: bool = True, **fields) -> Enrolment:
        enrolment = Enrolment(
            user_id=(user or make_user()).id,
            course_id=(course or make_course()).id,
            enrolled_at=fields.pop("enrolled_at", ENROLLED_AT),
            completed_at=fields.pop("completed_at", COMPLETED_AT if completed else None),
            **fields,
        )
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return factory


@pytest.fixture
def issue(db, make_enrolment):
    """``issue(**enrolment_fields) -> Certificate``: a completed enrolment's certificate,
    committed."""
    from portal.certificates.services import issue_certificate

    def factory(enrolment=None, **fields):
        certificate = issue_certificate(enrolment or make_enrolment(**fields))
        db.session.commit()
        return certificate

    return factory


def read_pdf(data: bytes):
    """Parse PDF bytes with pypdf."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data))


def pdf_text(data: bytes) -> str:
    """All text of a PDF, lines joined by single spaces (a wrapped name reads whole)."""
    reader = read_pdf(data)
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)


def pdf_font_names(data: bytes) -> set[str]:
    """The base names of every font used on the PDF's pages, subset tags removed."""
    names = set()
    for page in read_pdf(data).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            base = str(ref.get_object()["/BaseFont"]).lstrip("/")
            names.add(base.split("+", 1)[-1])
    return names


@pytest.fixture
def english(client):
    """Show the UI in English in ``client`` (UI assertions then survive the id catalogue)."""
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client
