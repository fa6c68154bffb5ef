"""Fixtures for the certificate tests: courses, completed enrolments, issued certificates.

Rows are created directly (no progress or quiz services), so these tests depend only on the
models; the factories are in tests/factories.py.
"""

from __future__ import annotations

import pytest

from tests.factories import (  # noqa: F401  (ENROLLED_AT, COMPLETED_AT: importable here too)
    COMPLETED_AT, ENROLLED_AT, create_course, create_enrolment,
)


@pytest.fixture
def make_course(db):
    """Factory: ``make_course(**fields) -> Course`` (:func:`tests.factories.create_course`):
    committed, without modules or quizzes."""

    def factory(**fields):
        return create_course(db, **fields)

    return factory


@pytest.fixture
def make_enrolment(db, make_user, make_course):
    """Factory: ``make_enrolment(user=None, course=None, completed=True, **fields)``
    (:func:`tests.factories.create_enrolment`)."""

    def factory(user=None, course=None, completed: bool = True, **fields):
        return create_enrolment(db, user or make_user(), course or make_course(),
                                completed=completed, **fields)

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


@pytest.fixture
def english(client):
    """Show the UI in English in ``client`` (UI assertions then survive the id catalogue)."""
    with client.session_transaction() as session:
        session["locale"] = "en"
    return client
