"""Fixtures for the learner's course pages, progress and dashboard.

Courses, modules, quizzes and attempts are created directly as rows (no content import), so
each test states exactly the progress it needs. Grades and certificates come from the real
quiz and certificate services.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.timeutil import utcnow


@pytest.fixture
def make_course(db):
    """``make_course(slug="etika-asn", modules=3, pretest=True, posttest=True, **fields)``:
    a committed Course with modules ``modul-1`` .. ``modul-N`` (30 minutes each) and quizzes
    ``pretest`` / ``posttest`` (grading highest) when asked."""
    from portal.courses.models import Course, Module
    from portal.quizzes.models import Quiz

    def factory(slug: str = "etika-asn", modules: int = 3, pretest: bool = True,
                posttest: bool = True, **fields) -> Course:
        course = Course(
            slug=slug, code=fields.pop("code", "ETK-01"),
            title=fields.pop("title", "Etika dan Integritas ASN"),
            jp=fields.pop("jp", 12), competency_type=fields.pop("competency_type", "manajerial"),
            competencies=fields.pop("competencies", ["M.01"]),
            mode=fields.pop("mode", "e-learning"), partner=fields.pop("partner", "Universitas Jambi"),
            pass_mark=fields.pop("pass_mark", 70),
            summary=fields.pop("summary", "Ringkasan kursus etika."),
            description_html=fields.pop("description_html", "<p>Deskripsi <strong>kursus</strong>.</p>"),
            **fields,
        )
        db.session.add(course)
        db.session.flush()
        for i in range(1, modules + 1):
            db.session.add(Module(course_id=course.id, slug=f"modul-{i}", position=i,
                                  title=f"Modul {i}", minutes=30,
                                  body_html=f"<p>Isi modul {i}.</p>"))
        if pretest:
            db.session.add(Quiz(course_id=course.id, slug="pretest", kind="pretest",
                                title="Pre-test Etika", max_attempts=1))
        if posttest:
            db.session.add(Quiz(course_id=course.id, slug="posttest", kind="posttest",
                                title="Post-test Etika", max_attempts=3))
        db.session.commit()
        db.session.refresh(course)
        return course

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
    with ``score`` percent, committed."""
    from portal.quizzes.models import Attempt, AttemptState

    def factory(enrolment, quiz, score: float, state: str = AttemptState.FINISHED):
        number = 1 + (db.session.scalar(sa.select(sa.func.max(Attempt.number)).where(
            Attempt.enrolment_id == enrolment.id, Attempt.quiz_id == quiz.id)) or 0)
        started = utcnow() - timedelta(minutes=10)
        attempt = Attempt(enrolment_id=enrolment.id, quiz_id=quiz.id, number=number,
                          state=state, points=score / 10, max_points=10.0, score=score,
                          started_at=started, submitted_at=utcnow())
        db.session.add(attempt)
        db.session.commit()
        return attempt

    return factory


@pytest.fixture
def enrolled(db):
    """``enrolled(user, course)``: a committed enrolment through the service."""
    from portal.progress import services

    def factory(user, course):
        enrolment = services.enrol(user, course)
        db.session.commit()
        return enrolment

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
