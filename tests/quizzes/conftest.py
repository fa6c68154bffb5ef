"""Fixtures for the quiz tests: a course, a learner's enrolment and quizzes built directly
as rows (no content import), with a known answer key."""

from __future__ import annotations

import pytest

from quiz_helpers import SINGLE, STANDARD_QUESTIONS


@pytest.fixture
def course(db):
    """A published course (pass mark 70 %) without modules."""
    from portal.courses.models import Course

    c = Course(slug="pelayanan-uji", code="PU-01", title="Pelayanan Uji", jp=20,
               competency_type="manajerial", competencies=["M.05"], mode="e-learning",
               pass_mark=70, summary="Kursus untuk pengujian.", description_html="<p>Uji.</p>")
    db.session.add(c)
    db.session.commit()
    return c


@pytest.fixture
def make_module(db):
    """``make_module(course, position, slug=None) -> Module``, committed."""
    from portal.courses.models import Module

    def factory(course, position: int = 1, slug: str | None = None):
        module = Module(course_id=course.id, slug=slug or f"modul-{position}", position=position,
                        title=f"Modul {position}", minutes=30, body_html="<p>Isi.</p>")
        db.session.add(module)
        db.session.commit()
        return module

    return factory


@pytest.fixture
def make_quiz(db):
    """``make_quiz(course, kind="pretest", questions=STANDARD_QUESTIONS, **settings) -> Quiz``.

    Settings are Quiz columns (``time_limit``, ``max_attempts``, ``grading``, ``shuffle``,
    ``draw``, ``slug``, ``title``). ``questions`` is a list of Question field dicts or an
    int n for n single-choice questions; each question gets a random key and
    its version 1.
    """
    from portal.quizzes.models import Quiz
    from portal.quizzes.versions import add_question

    def factory(course, kind: str = "pretest", questions=None, **settings):
        quiz = Quiz(course_id=course.id, kind=kind, slug=settings.pop("slug", kind),
                    title=settings.pop("title", f"{kind.title()} Uji"),
                    max_attempts=settings.pop("max_attempts", 0),
                    grading=settings.pop("grading", "highest"),
                    shuffle=settings.pop("shuffle", False), **settings)
        db.session.add(quiz)
        db.session.flush()
        if questions is None:
            questions = STANDARD_QUESTIONS
        if isinstance(questions, int):
            questions = [dict(qtype="single", prompt_html=f"<p>Soal nomor {i}</p>",
                              data=SINGLE, points=1.0) for i in range(1, questions + 1)]
        for position, fields in enumerate(questions, start=1):
            add_question(quiz, position, **fields)
        db.session.commit()
        return quiz

    return factory


@pytest.fixture
def learner(make_user):
    return make_user(full_name="Rina Marlina")


@pytest.fixture
def enrol(db):
    """``enrol(user, course) -> Enrolment``, committed."""
    from portal.progress.models import Enrolment

    def factory(user, course):
        enrolment = Enrolment(user_id=user.id, course_id=course.id)
        db.session.add(enrolment)
        db.session.commit()
        return enrolment

    return factory


@pytest.fixture
def enrolment(learner, course, enrol):
    return enrol(learner, course)
