"""The quizzes of a shipped course (content/pelayanan-publik-digital), imported as the
portal imports them: the pre-test end to end, and the post-test completing the course."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.certificates.models import Certificate
from portal.courses.models import Course
from portal.progress.models import Enrolment, ModuleCompletion
from portal.quizzes.models import Attempt, AttemptState, Question, Quiz

SLUG = "pelayanan-publik-digital"


@pytest.fixture
def shipped(app, db, make_user, login, client):
    """The shipped courses imported; a learner enrolled in SLUG and logged in."""
    result = app.test_cli_runner().invoke(args=["content", "import"])
    assert result.exit_code == 0, result.output
    course = db.session.scalars(sa.select(Course).where(Course.slug == SLUG)).one()
    user = make_user(full_name="Dewi Sartika")
    enrolment = Enrolment(user_id=user.id, course_id=course.id)
    db.session.add(enrolment)
    db.session.commit()
    login(client, user)
    return course, enrolment


def the_quiz(db, course, slug) -> Quiz:
    return db.session.scalars(
        sa.select(Quiz).where(Quiz.course_id == course.id, Quiz.slug == slug)).one()


def right_form(db, attempt: Attempt) -> dict[str, list[str]]:
    """Form values answering every question of the attempt right, from its answer key."""
    form = {}
    for question_id in attempt.question_ids:
        question = db.session.get(Question, question_id)
        if question.qtype in ("single", "multiple"):
            values = [o["id"] for o in question.data["options"] if o.get("correct")]
        else:
            values = [question.data["answers"][0]]
        form[f"q{question_id}"] = values
    return form


def start(db, client, course, quiz) -> Attempt:
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    assert response.status_code == 302
    db.session.expire_all()
    return db.session.scalars(sa.select(Attempt).where(Attempt.quiz_id == quiz.id)).one()


def test_shipped_pretest_end_to_end(db, client, shipped):
    course, enrolment = shipped
    quiz = the_quiz(db, course, "pretest")
    bank = db.session.scalars(sa.select(Question).where(Question.quiz_id == quiz.id,
                                                         Question.is_archived.is_(False))).all()

    intro = client.get(f"/courses/{course.slug}/quizzes/pretest").get_data(as_text=True)
    assert quiz.title in intro

    attempt = start(db, client, course, quiz)
    assert len(attempt.question_ids) == len(bank)
    page = client.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert "correct" not in page.lower()
    for question in bank:
        if question.qtype == "short":
            for accepted in question.data["answers"]:
                # an accepted answer never appears as a value or as text of its own
                assert f'value="{accepted}"' not in page
                assert not re.search(rf">\s*{re.escape(accepted)}\s*<", page)

    response = client.post(f"/attempts/{attempt.public_id}/submit",
                           data=right_form(db, attempt))
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100.0
    assert attempt.max_points == sum(q.points for q in bank)

    review = client.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    # pre- and post-test are parallel: no key nor explanation until the post-test closes
    assert bank[0].explanation_html not in review
    assert "Benar." in review  # right or wrong per question is shown
    # the pre-test allows one attempt
    assert client.post(f"/courses/{course.slug}/quizzes/pretest/start").status_code == 409


def test_shipped_posttest_completes_the_course(app, db, client, shipped):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    course, enrolment = shipped
    quiz = the_quiz(db, course, "posttest")
    assert client.get(f"/courses/{course.slug}/quizzes/posttest").status_code == 403

    for module in course.modules:
        db.session.add(ModuleCompletion(enrolment_id=enrolment.id, module_id=module.id))
    db.session.commit()
    assert client.get(f"/courses/{course.slug}/quizzes/posttest").status_code == 200

    attempt = start(db, client, course, quiz)
    response = client.post(f"/attempts/{attempt.public_id}/submit",
                           data=right_form(db, attempt))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Enrolment, enrolment.id).completed_at is not None
    certificate = db.session.scalars(
        sa.select(Certificate).where(Certificate.enrolment_id == enrolment.id)).one()
    review = client.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    assert "Course completed" in review
    assert "Passed" in review
    assert f'href="/certificates/{certificate.code}.pdf"' in review



def numeric_questions(db, quiz) -> list[Question]:
    from portal.quizzes.types import read_number

    return [q for q in db.session.scalars(
        sa.select(Question).where(Question.quiz_id == quiz.id, Question.is_archived.is_(False)))
        if q.qtype == "short" and read_number(q.data["answers"][0]) is not None]


@pytest.mark.parametrize("slug,answer,typed", [
    ("pretest", "75", ["75", "75,00", "75,0", " 75 "]),
    ("posttest", "85", ["85", "85,00", "085"]),
])
def test_shipped_numeric_answers_equal_however_written(db, client, shipped, slug, answer,
                                                       typed):
    """The SKM conversion answers 75 and 85 have no tolerance: "75,00" is still 75."""
    from portal.quizzes.types import get_type

    course, _enrolment = shipped
    quiz = the_quiz(db, course, slug)
    question = next(q for q in numeric_questions(db, quiz) if q.data["answers"][0] == answer)
    assert question.data["tolerance"] is None
    short = get_type("short")
    for text in typed:
        assert short.grade(question.data, text) == 1.0, text
    assert short.grade(question.data, f"{answer}.00") == 0.0  # refused, not guessed
    assert short.problem(question.data, f"{answer}.00").suggestion == answer


def test_shipped_pretest_marks_75_00_right_end_to_end(db, client, shipped):
    course, _enrolment = shipped
    quiz = the_quiz(db, course, "pretest")
    attempt = start(db, client, course, quiz)
    question = next(q for q in numeric_questions(db, quiz) if q.data["answers"][0] == "75")
    client.post(f"/attempts/{attempt.public_id}/submit",
                data={"with_answers": "1", f"q{question.id}": "75,00"})
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.marks[str(question.id)] == question.points


def test_every_shipped_quiz_is_imported_with_its_settings(db, shipped):
    """Options are shuffled per attempt; no shipped quiz sets its own review policy, so each
    follows its kind's default."""
    course, _enrolment = shipped
    for slug in ("pretest", "posttest"):
        quiz = the_quiz(db, course, slug)
        assert quiz.shuffle_options is True
        assert quiz.review_policy is None
