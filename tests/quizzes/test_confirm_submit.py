"""The confirmation before the final submit, as a plain form (no JavaScript): the take page's
button saves and shows what is answered, links to what is not, flags numbers that cannot be
read, and only "Submit all and finish" grades."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.quizzes.models import Attempt, AttemptState
from portal.timeutil import utcnow
from quiz_helpers import SINGLE, qid

NUMERIC = [
    dict(qtype="single", prompt_html="<p>Apa kepanjangan SPBE?</p>", data=SINGLE, points=1.0),
    dict(qtype="short", prompt_html="<p>Nilai konversi SKM 3,00 × 25?</p>",
         data={"answers": ["75"], "tolerance": None}, points=2.0),
    dict(qtype="short", prompt_html="<p>Berapa rupiah?</p>",
         data={"answers": ["1.000"], "tolerance": None}, points=1.0),
]


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, kind="pretest", questions=NUMERIC, time_limit=20)


@pytest.fixture
def signed_in(app, client, login, learner, enrolment):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    return login(client, learner)


def start(client, course, quiz) -> Attempt:
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    return reload(public_id)


def reload(public_id) -> Attempt:
    db.session.expire_all()
    return db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()


def test_finish_saves_and_lists_the_unanswered_questions(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.post(f"/attempts/{attempt.public_id}/finish",
                              data={"with_answers": "1", f"q{qid(quiz, 1)}": "o2"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/confirm")
    attempt = reload(attempt.public_id)
    assert attempt.state == AttemptState.IN_PROGRESS  # nothing graded yet
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}

    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "You answered 1 of 3 questions." in page
    assert "2 questions are not answered yet:" in page
    take = f"/attempts/{attempt.public_id}"
    assert f'href="{take}#question-2"' in page and f'href="{take}#question-3"' in page
    assert f'href="{take}#question-1"' in page  # in the full list, marked answered
    assert f'action="/attempts/{attempt.public_id}/submit"' in page
    assert "Submit by" in page and "WIB" in page


def test_the_final_submit_grades_the_saved_answers(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/finish", data={
        "with_answers": "1", f"q{qid(quiz, 1)}": "o2", f"q{qid(quiz, 2)}": "75,00",
        f"q{qid(quiz, 3)}": "1.000"})
    response = signed_in.post(f"/attempts/{attempt.public_id}/submit", data={})
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    attempt = reload(attempt.public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.answers[str(qid(quiz, 2))] == "75,00"  # not cleared by the empty post
    assert attempt.score == 100.0


def test_a_number_the_notation_refuses_is_flagged_before_the_submit(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/finish", data={
        "with_answers": "1", f"q{qid(quiz, 2)}": "75.00", f"q{qid(quiz, 3)}": "1000"})
    page = signed_in.get(f"/attempts/{attempt.public_id}/confirm").get_data(as_text=True)
    assert "These answers are not numbers as written in Indonesian" in page
    assert "“75.00” is not a number as written in Indonesian. Did you mean 75?" in page
    assert "Check the number" in page
    take = signed_in.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert "Did you mean 75?" in take  # under its input too, kept as typed
    assert 'value="75.00"' in take


def test_autosave_reports_numbers_the_notation_refuses(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.post(f"/attempts/{attempt.public_id}/save",
                              data={f"q{qid(quiz, 3)}": "1,000.5"})
    assert response.status_code == 200
    assert response.get_json()["problems"] == {
        f"q{qid(quiz, 3)}": "“1,000.5” is not a number as written in Indonesian. Did you "
                            "mean 1.000,5? Use a comma for decimals and a dot between "
                            "thousands."}
    assert reload(attempt.public_id).answers == {str(qid(quiz, 3)): "1,000.5"}  # kept
    response = signed_in.post(f"/attempts/{attempt.public_id}/save",
                              data={f"q{qid(quiz, 3)}": "1.000,5"})
    assert response.status_code == 200


def test_the_take_page_hints_how_to_write_numbers(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    page = signed_in.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert page.count("a comma for decimals and a dot between thousands, as in 3,5 or "
                      "1.000.") == 2  # under each numeric input, not under the choice
    assert f'action="/attempts/{attempt.public_id}/finish"' in page
    assert 'name="with_answers" value="1"' in page
    assert "Finish attempt…" in page


def test_finish_after_the_deadline_counts_the_answers_saved_in_time(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/save", data={f"q{qid(quiz, 1)}": "o2"})
    attempt = reload(attempt.public_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=2)
    db.session.commit()
    response = signed_in.post(f"/attempts/{attempt.public_id}/finish", data={
        "with_answers": "1", f"q{qid(quiz, 1)}": "o1"})
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    attempt = reload(attempt.public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}
    assert attempt.late_answers == {str(qid(quiz, 1)): ["o1"]}


def test_confirm_of_a_submitted_attempt_goes_to_its_review(signed_in, course, quiz):
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data={})
    response = signed_in.get(f"/attempts/{attempt.public_id}/confirm")
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    response = signed_in.post(f"/attempts/{attempt.public_id}/finish", data={})
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")


def test_someone_elses_confirm_page_is_404(app, login, make_user, enrol, course, quiz,
                                          signed_in):
    from flask import g

    attempt = start(signed_in, course, quiz)
    other = make_user(full_name="Budi")
    enrol(other, course)
    g.pop("_login_user", None)
    client = login(app.test_client(), other)
    assert client.get(f"/attempts/{attempt.public_id}/confirm").status_code == 404
    assert client.post(f"/attempts/{attempt.public_id}/finish", data={}).status_code == 404


@pytest.fixture
def csrf_app(app_config):
    from portal import create_app

    application = create_app({**app_config, "WTF_CSRF_ENABLED": True,
                              "BABEL_DEFAULT_LOCALE": "en"})
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def test_a_stale_final_submit_shows_the_confirmation_again(csrf_app, login, learner, enrol,
                                                          course, quiz):
    """The confirmation page's post carries no answers: a failed CSRF check brings the
    confirmation back (400) with a fresh token; the saved answers stay and nothing is
    graded."""
    from portal.quizzes import services

    enrolment = enrol(learner, course)
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, utcnow())
    db.session.commit()
    client = login(csrf_app.test_client(), learner)
    response = client.post(f"/attempts/{attempt.public_id}/submit",
                           data={"csrf_token": "stale"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Submit all and finish" in page and "You answered 1 of 3 questions." in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    assert client.post(f"/attempts/{attempt.public_id}/submit",
                       data={"csrf_token": token}).status_code == 302
    db.session.expire_all()
    graded = db.session.get(Attempt, attempt.id)
    assert graded.state == AttemptState.FINISHED and graded.points == 1.0
