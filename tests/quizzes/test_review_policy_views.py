"""The review pages follow the quiz's review policy: no answer key reaches the page before
the policy allows it (the HTML itself is checked), and staff always see everything."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.quizzes.models import Attempt
from quiz_helpers import NOW, qid

#: Text that only the answer key or the explanations contain (see quiz_helpers).
KEY_MARKERS = ("Correct answer", "option is-correct", "is-wrong", "Accepted answers", "dua puluh",
               "Perpres 95/2018", "PP 17/2020", "quiz-explanation")
#: Text of the per-question verdicts and marks.
VERDICT_MARKERS = ("Correct.", "Incorrect.", "Not answered.", "question-verdict",
                   "of 1 points", "of 2 points")


@pytest.fixture
def english(app):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"


def start(client, course, quiz) -> str:
    response = client.post(f"/courses/{course.slug}/quizzes/{quiz.slug}/start")
    assert response.status_code == 302, response.status_code
    return response.headers["Location"].rsplit("/", 1)[-1]


def submit(client, quiz, public_id, single="o1", multiple=("o1",), short="19"):
    """Submit one attempt with (by default) every answer wrong."""
    data = {"with_answers": "1", f"q{qid(quiz, 1)}": single,
            f"q{qid(quiz, 2)}": list(multiple), f"q{qid(quiz, 3)}": short}
    response = client.post(f"/attempts/{public_id}/submit", data=data)
    assert response.status_code == 302
    return client.get(f"/attempts/{public_id}/review").get_data(as_text=True)


def assert_no_key(page):
    for marker in KEY_MARKERS:
        assert marker not in page, marker


def test_a_failed_post_test_shows_no_key_while_attempts_remain(english, client, login,
                                                               learner, enrolment, course,
                                                               make_quiz):
    quiz = make_quiz(course, kind="posttest", max_attempts=2)
    login(client, learner)
    page = submit(client, quiz, start(client, course, quiz))
    assert "Not passed: 0%" in page
    assert "Your answer" in page  # the learner's own answers are shown
    assert_no_key(page)
    for marker in VERDICT_MARKERS:
        assert marker not in page, marker
    assert "shown once this quiz is closed to you" in page

    # The last attempt closes the post-test to the learner: now the key is shown.
    page = submit(client, quiz, start(client, course, quiz))
    assert "Correct answer" in page and "Accepted answers" in page
    assert "Perpres 95/2018" in page
    first = client.get(f"/attempts/{first_attempt(quiz)}/review").get_data(as_text=True)
    assert "Correct answer" in first  # every attempt's review follows the moment


def first_attempt(quiz) -> str:
    from portal.extensions import db

    return db.session.scalars(sa.select(Attempt.public_id).where(
        Attempt.quiz_id == quiz.id, Attempt.number == 1)).one()


def test_a_passed_post_test_completes_the_course_and_shows_the_key(english, client, login,
                                                                   learner, enrolment,
                                                                   course, make_quiz):
    quiz = make_quiz(course, kind="posttest", max_attempts=3)
    login(client, learner)
    page = submit(client, quiz, start(client, course, quiz), single="o2",
                  multiple=("o1", "o2"), short="20")
    assert "Passed: 100%" in page
    assert "Course completed" in page
    assert "Perpres 95/2018" in page  # closed to the learner: everything is shown


def test_the_pre_test_key_waits_for_the_post_test(english, client, login, learner,
                                                  enrolment, course, make_quiz):
    """Pre- and post-test are parallel: the pre-test review shows right and wrong, but its
    key and explanations only once the post-test is closed to the learner."""
    pretest = make_quiz(course, kind="pretest", max_attempts=1)
    posttest = make_quiz(course, kind="posttest", max_attempts=3)
    login(client, learner)
    pre_id = start(client, course, pretest)
    page = submit(client, pretest, pre_id, single="o2")
    assert "Your score: 25%" in page
    assert "Correct." in page and "Incorrect." in page  # where the gaps are
    assert_no_key(page)

    submit(client, posttest, start(client, course, posttest), single="o2",
           multiple=("o1", "o2"), short="20")  # passed: the course is completed
    page = client.get(f"/attempts/{pre_id}/review").get_data(as_text=True)
    assert "Correct answer" in page and "Perpres 95/2018" in page


def test_right_after_and_later_follow_the_quiz_policy(english, client, login, learner,
                                                      enrolment, course, make_quiz,
                                                      freeze_now):
    freeze_now(NOW)
    quiz = make_quiz(course, kind="posttest", max_attempts=0, review_policy={
        "right_after": ["answer", "correct", "marks"], "while_open": ["answer"]})
    login(client, learner)
    public_id = start(client, course, quiz)
    page = submit(client, quiz, public_id)
    assert "Incorrect." in page and "0 of 2 points" in page
    assert_no_key(page)

    freeze_now(NOW + timedelta(minutes=2))
    page = client.get(f"/attempts/{public_id}/review").get_data(as_text=True)
    assert "Incorrect." not in page and "of 2 points" not in page
    assert "Your answer" in page


def test_a_policy_without_answers_shows_the_score_only(english, client, login, learner,
                                                       enrolment, course, make_quiz):
    quiz = make_quiz(course, kind="practice", slug="latihan",
                     review_policy={"right_after": []})
    login(client, learner)
    page = submit(client, quiz, start(client, course, quiz), single="o2")
    assert "Your score: 25%" in page
    assert "Apa kepanjangan SPBE?" not in page
    assert "not shown for review now" in page


def test_staff_see_everything(english, client, login, learner, enrolment, course, make_quiz,
                              make_user):
    from flask import g

    quiz = make_quiz(course, kind="posttest", max_attempts=2)
    login(client, learner)
    public_id = start(client, course, quiz)
    submit(client, quiz, public_id)
    g.pop("_login_user", None)
    staff = login(client.application.test_client(), make_user(role="instructor"))
    page = staff.get(f"/attempts/{public_id}/review").get_data(as_text=True)
    assert "Correct answer" in page and "Perpres 95/2018" in page
    assert "Rina Marlina" in page


def test_the_take_page_of_a_shuffled_attempt_carries_no_key(client, login, learner,
                                                            enrolment, course, make_quiz):
    quiz = make_quiz(course, kind="posttest", max_attempts=2)
    login(client, learner)
    page = client.get(f"/attempts/{start(client, course, quiz)}").get_data(as_text=True)
    assert "correct" not in page.lower()
    assert_no_key(page)
    assert 'value="20"' not in page
