"""Fixtures for the learner's course pages, progress and dashboard.

Courses, modules, quizzes and attempts are created directly as rows (no content import), so
each test states exactly the progress it needs. Grades and certificates come from the real
quiz and certificate services.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.factories import create_course, enrol
from tests.factories import finish_attempt as _finish_attempt

#: The course these tests were written for (tests/factories.py has the shared defaults).
ETIKA = dict(code="ETK-01", title="Etika dan Integritas ASN", jp=12, competencies=["M.01"],
             partner="Universitas Jambi", summary="Ringkasan kursus etika.",
             description_html="<p>Deskripsi <strong>kursus</strong>.</p>")


@pytest.fixture
def make_course(db):
    """``make_course(slug="etika-asn", modules=3, pretest=True, posttest=True, **fields)``:
    a committed Course with modules ``modul-1`` .. ``modul-N`` (30 minutes each) and quizzes
    ``pretest`` / ``posttest`` (grading highest) when asked
    (:func:`tests.factories.create_course` with the ETIKA defaults)."""

    def factory(slug: str = "etika-asn", modules: int = 3, pretest: bool = True,
                posttest: bool = True, **fields):
        return create_course(db, slug, modules=modules, pretest=pretest, posttest=posttest,
                             **{**ETIKA, **fields})

    return factory


@pytest.fixture
def module_of(db):
    """``module_of(course, n)``: the module ``modul-n`` of ``course``."""
    from portal.courses.models import Module

    def get(course, n: int):
        return db.session.scalars(sa.select(Module).where(
            Module.course_id == course.id, Module.slug == f"modul-{n}")).one()

    return get


@pytest.fixture
def quiz_of(db):
    """``quiz_of(course, "pretest")``: the course's quiz with that slug."""
    from portal.quizzes.models import Quiz

    def get(course, slug: str):
        return db.session.scalars(sa.select(Quiz).where(
            Quiz.course_id == course.id, Quiz.slug == slug)).one()

    return get


@pytest.fixture
def finish_attempt(db):
    """``finish_attempt(enrolment, quiz, score, state="finished")``: a submitted attempt
    with ``score`` percent, committed (:func:`tests.factories.finish_attempt`)."""

    def factory(enrolment, quiz, score: float, state: str = "finished"):
        return _finish_attempt(db, enrolment, quiz, score, state)

    return factory


@pytest.fixture
def enrolled(db):
    """``enrolled(user, course)``: a committed enrolment through the service."""

    def factory(user, course):
        return enrol(db, user, course)

    return factory


@pytest.fixture
def learner(make_user):
    """A peserta whose pages are in English (so tests read the msgids)."""
    return make_user(locale="en")


@pytest.fixture
def login(login):
    """The shared ``login`` fixture, also forgetting the user Flask-Login cached on ``g``.

    The test app keeps one app context for the whole test, so ``g._login_user`` from an
    earlier request (e.g. an anonymous one) would otherwise hide the new login.
    """
    from flask import g

    def do_login(test_client, user):
        g.pop("_login_user", None)
        return login(test_client, user)

    return do_login
