"""The quiz pages: intro, start, take (no answer key), autosave, submit (once, late,
stale CSRF) and review."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.timeutil import utcnow
from quiz_helpers import qid


def quiz_url(course, quiz, suffix: str = "") -> str:
    return f"/courses/{course.slug}/quizzes/{quiz.slug}{suffix}"


def start(client, course, quiz) -> Attempt:
    response = client.post(quiz_url(course, quiz, "/start"))
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[-1]
    return services_attempt(public_id)


def services_attempt(public_id: str) -> Attempt:
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()


def form_for(quiz, single=None, multiple=None, short=None) -> dict:
    data = {}
    if single is not None:
        data[f"q{qid(quiz, 1)}"] = single
    if multiple is not None:
        data[f"q{qid(quiz, 2)}"] = multiple
    if short is not None:
        data[f"q{qid(quiz, 3)}"] = short
    return data


RIGHT = dict(single="o2", multiple=["o1", "o2"], short="20 JP")


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, kind="pretest", time_limit=20, max_attempts=2)


@pytest.fixture
def as_user(app, login):
    """``as_user(user) -> client``: a new client logged in as ``user``.

    The test app keeps one app context for the whole test, so Flask-Login's per-request
    user cache (``g._login_user``) would survive into the next request: drop it first.
    """
    from flask import g

    def switch(user):
        g.pop("_login_user", None)
        return login(app.test_client(), user)

    return switch


@pytest.fixture
def signed_in(client, login, learner):
    login(client, learner)
    return client


def english(client):
    """Show this client's pages in English, the language of the texts asserted on."""
    with client.session_transaction() as sess:
        sess["locale"] = "en"
    return client


# --- intro page ------------------------------------------------------------------------


def test_intro_needs_login(client, course, quiz):
    response = client.get(quiz_url(course, quiz))
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_intro_redirects_a_learner_not_enrolled_to_the_course(client, login, make_user,
                                                              course, quiz):
    english(login(client, make_user()))
    response = client.get(quiz_url(course, quiz))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/courses/{course.slug}")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Enrol in this course to take its quizzes." in page


def test_unknown_quiz_or_course_is_404(signed_in, enrolment, course, quiz):
    assert signed_in.get(f"/courses/{course.slug}/quizzes/nope").status_code == 404
    assert signed_in.get(f"/courses/nope/quizzes/{quiz.slug}").status_code == 404
    assert signed_in.post(f"/courses/{course.slug}/quizzes/nope/start").status_code == 404


def test_intro_shows_the_settings_and_previous_attempts(app, db, signed_in, enrolment,
                                                        course, quiz):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    page = signed_in.get(quiz_url(course, quiz)).get_data(as_text=True)
    assert "Pre-test" in page
    assert "20 minutes" in page
    assert "0 of 2 used" in page
    assert "Highest score" in page
    assert "No attempt counted yet" in page
    assert "Start the quiz" in page

    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit",
                   data=form_for(quiz, single="o2"))  # 25 %
    page = signed_in.get(quiz_url(course, quiz)).get_data(as_text=True)
    assert "1 of 2 used" in page
    assert "25%" in page
    assert "WIB" in page  # the submission time, shown in WIB
    assert f"/attempts/{attempt.public_id}/review" in page
    assert "Start a new attempt" in page


def test_intro_in_indonesian_formats_scores_with_a_comma(db, signed_in, enrolment, course,
                                                         make_quiz):
    quiz = make_quiz(course, kind="practice", slug="latihan", questions=3)
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data={f"q{qid(quiz, 1)}": "o2"})
    page = signed_in.get(quiz_url(course, quiz)).get_data(as_text=True)
    assert "33,33" in page
    assert "pukul" in page


def test_locked_posttest_is_403_with_a_link_to_the_next_module(signed_in, enrolment, course,
                                                               make_quiz, make_module):
    english(signed_in)
    make_module(course, 1, slug="pengantar")
    posttest = make_quiz(course, kind="posttest")
    response = signed_in.get(quiz_url(course, posttest))
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "The post-test opens when all modules are done." in page
    assert f"/courses/{course.slug}/modules/pengantar" in page

    response = signed_in.post(quiz_url(course, posttest, "/start"))
    assert response.status_code == 403
    assert "The post-test opens when all modules are done." in response.get_data(as_text=True)


# --- start -------------------------------------------------------------------------------


def test_start_redirects_to_the_attempt_and_resumes_it(db, signed_in, enrolment, course,
                                                        quiz):
    english(signed_in)
    first = start(signed_in, course, quiz)
    assert first.state == AttemptState.IN_PROGRESS
    again = start(signed_in, course, quiz)
    assert again.id == first.id
    page = signed_in.get(quiz_url(course, quiz)).get_data(as_text=True)
    assert "Continue the attempt" in page


def test_start_without_attempts_left_is_409(db, signed_in, enrolment, course, quiz):
    english(signed_in)
    for _ in range(2):
        attempt = start(signed_in, course, quiz)
        signed_in.post(f"/attempts/{attempt.public_id}/submit", data={})
    response = signed_in.post(quiz_url(course, quiz, "/start"))
    assert response.status_code == 409
    assert "You have used all the attempts allowed for this quiz." in \
        response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Attempt.id))) == 2


# --- take page -----------------------------------------------------------------------------


def test_take_page_shows_every_question_in_order_with_the_deadline(signed_in, enrolment,
                                                                   course, quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.get(f"/attempts/{attempt.public_id}")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    positions = [page.index(text) for text in
                 ("Apa kepanjangan SPBE?", "Pilih semua asas", "Berapa JP minimal")]
    assert positions == sorted(positions)
    deadline = attempt.deadline_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert f'data-deadline="{deadline}"' in page
    assert "WIB" in page
    assert 'src="/static/js/quiz.js"' in page
    assert "<script>" not in page  # no inline scripts (CSP)
    assert f'action="/attempts/{attempt.public_id}/finish"' in page
    assert f'data-submit-url="/attempts/{attempt.public_id}/submit"' in page
    assert f'name="q{qid(quiz, 1)}" value="o2"' in page


def test_take_page_leaks_no_answer_key(signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    page = signed_in.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert "correct" not in page.lower()
    for accepted in ("20 JP", "dua puluh"):
        assert accepted not in page
    assert 'value="20"' not in page
    assert "Perpres 95/2018" not in page  # explanations come after submission
    assert "PP 17/2020" not in page


def test_take_page_prefills_the_saved_answers(db, signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    services.save_answers(attempt, {qid(quiz, 1): ["o1"], qid(quiz, 3): ["dua"]}, utcnow())
    db.session.commit()
    page = signed_in.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert re.search(rf'name="q{qid(quiz, 1)}" value="o1"\s+checked', page)
    assert f'name="q{qid(quiz, 3)}" value="dua"' in page


def test_someone_elses_attempt_is_404(as_user, make_user, enrol, course, quiz, learner,
                                      enrolment):
    attempt = start(as_user(learner), course, quiz)
    other = make_user(full_name="Budi")
    enrol(other, course)
    client = as_user(other)
    assert client.get(f"/attempts/{attempt.public_id}").status_code == 404
    assert client.post(f"/attempts/{attempt.public_id}/submit", data={}).status_code == 404
    assert client.post(f"/attempts/{attempt.public_id}/save", data={}).status_code == 404
    assert client.get(f"/attempts/{attempt.public_id}/review").status_code == 404
    assert client.get("/attempts/0123456789abcdef0123456789abcdef").status_code == 404


def test_an_expired_attempt_is_closed_with_its_saved_answers(db, signed_in, enrolment, course,
                                                             quiz):
    english(signed_in)
    attempt = start(signed_in, course, quiz)
    services.save_answers(attempt, {qid(quiz, 1): ["o2"]}, utcnow())
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    attempt.started_at = attempt.deadline_at - timedelta(minutes=20)
    db.session.commit()
    response = signed_in.get(f"/attempts/{attempt.public_id}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    attempt = services_attempt(attempt.public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 25.0
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "submitted automatically" in page


# --- autosave ------------------------------------------------------------------------------


def test_autosave_stores_the_answers(db, signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.post(f"/attempts/{attempt.public_id}/save",
                              data=form_for(quiz, single="o1", short=" 20 "))
    assert response.status_code == 200
    attempt = services_attempt(attempt.public_id)
    assert attempt.answers == {str(qid(quiz, 1)): ["o1"], str(qid(quiz, 3)): "20"}
    assert attempt.state == AttemptState.IN_PROGRESS


def test_autosave_of_an_expired_attempt_is_409_and_kept_aside(db, signed_in, enrolment, course,
                                                               quiz):
    attempt = start(signed_in, course, quiz)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    response = signed_in.post(f"/attempts/{attempt.public_id}/save",
                              data=form_for(quiz, single="o2"))
    assert response.status_code == 409
    assert response.get_json() == {"error": "time_up"}
    attempt = services_attempt(attempt.public_id)
    assert attempt.answers == {}
    assert attempt.state == AttemptState.FINISHED  # graded on what was saved in time: none
    assert attempt.late_answers == {str(qid(quiz, 1)): ["o2"]}


def test_autosave_of_a_submitted_attempt_is_409(db, signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data={})
    response = signed_in.post(f"/attempts/{attempt.public_id}/save",
                              data=form_for(quiz, single="o2"))
    assert response.status_code == 409
    assert response.get_json() == {"error": "not_in_progress"}
    assert services_attempt(attempt.public_id).answers == {}


# --- submit -------------------------------------------------------------------------------


def test_submit_grades_and_redirects_to_the_review(db, signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.post(f"/attempts/{attempt.public_id}/submit",
                              data=form_for(quiz, **RIGHT))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    attempt = services_attempt(attempt.public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100.0


def test_submit_ignores_fields_of_other_questions(db, signed_in, enrolment, course, quiz,
                                                  make_quiz):
    other = make_quiz(course, kind="practice", slug="latihan")
    attempt = start(signed_in, course, quiz)
    data = form_for(quiz, single="o2")
    data[f"q{qid(other, 1)}"] = "o2"
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data=data)
    attempt = services_attempt(attempt.public_id)
    assert attempt.answers == {str(qid(quiz, 1)): ["o2"]}


def test_double_submission_is_graded_once(db, signed_in, enrolment, course, quiz):
    attempt = start(signed_in, course, quiz)
    first = signed_in.post(f"/attempts/{attempt.public_id}/submit",
                           data=form_for(quiz, **RIGHT))
    graded = services_attempt(attempt.public_id)
    second = signed_in.post(f"/attempts/{attempt.public_id}/submit",
                            data=form_for(quiz, single="o1"))
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    again = services_attempt(attempt.public_id)
    assert again.score == 100.0
    assert again.submitted_at == graded.submitted_at
    assert again.answers == graded.answers


def test_a_late_submission_keeps_the_answers_saved_in_time_and_says_so(db, signed_in,
                                                                       enrolment, course,
                                                                       make_quiz):
    """A learner who autosaved in time and presses Submit after the deadline + grace keeps
    the in-time answers (they count); what the late post changed is shown, not counted."""
    english(signed_in)
    quiz = make_quiz(course, kind="practice", slug="latihan", time_limit=1)
    attempt = start(signed_in, course, quiz)
    assert signed_in.post(f"/attempts/{attempt.public_id}/save",
                          data=form_for(quiz, **RIGHT)).status_code == 200
    attempt = services_attempt(attempt.public_id)
    attempt.deadline_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    response = signed_in.post(f"/attempts/{attempt.public_id}/submit",
                              data={"with_answers": "1", **form_for(quiz, single="o1",
                                                                    multiple=["o1", "o2"],
                                                                    short="dua puluh satu")})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}/review")
    attempt = services_attempt(attempt.public_id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.score == 100.0
    assert services.quiz_grade(attempt.enrolment, quiz) == 100
    assert attempt.late_answers == {str(qid(quiz, 1)): ["o1"],
                                    str(qid(quiz, 3)): "dua puluh satu"}
    page = signed_in.get(response.headers["Location"]).get_data(as_text=True)
    assert "after the time limit" in page
    assert "The answers saved before the deadline were counted." in page
    assert "Sent after the time limit, not counted:" in page
    assert "dua puluh satu" in page


@pytest.fixture
def csrf_app(app_config):
    from portal import create_app
    from portal.extensions import db

    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def test_stale_csrf_on_submit_keeps_the_answers_and_changes_nothing(csrf_app, login, learner,
                                                                     course, quiz, enrol):
    from portal.extensions import db

    enrolment = enrol(learner, course)
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    services.save_answers(attempt, {qid(quiz, 1): ["o1"]}, utcnow())
    db.session.commit()
    client = csrf_app.test_client()
    english(login(client, learner))
    assert client.get(f"/attempts/{attempt.public_id}").status_code == 200

    response = client.post(f"/attempts/{attempt.public_id}/submit", data={
        "csrf_token": "stale-token", **form_for(quiz, single="o2", multiple=["o1", "o3"],
                                                short="dua puluh satu")})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Your session form expired; your answers are still here" in page
    assert 'value="dua puluh satu"' in page
    assert re.search(rf'name="q{qid(quiz, 1)}" value="o2"\s+checked', page)
    assert re.search(rf'name="q{qid(quiz, 2)}" value="o3"\s+checked', page)
    assert not re.search(rf'name="q{qid(quiz, 1)}" value="o1"\s+checked', page)

    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.IN_PROGRESS
    assert attempt.answers == {str(qid(quiz, 1)): ["o1"]}

    # the re-rendered page carries a fresh token: pressing Submit again works
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(f"/attempts/{attempt.public_id}/submit", data={
        "csrf_token": token, **form_for(quiz, single="o2", multiple=["o1", "o3"],
                                        short="dua puluh satu")})
    assert response.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state == AttemptState.FINISHED
    assert attempt.answers[str(qid(quiz, 3))] == "dua puluh satu"


def test_autosave_sends_the_csrf_header(csrf_app, login, learner, course, quiz, enrol):
    from portal.extensions import db

    enrolment = enrol(learner, course)
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    db.session.commit()
    client = csrf_app.test_client()
    login(client, learner)
    page = client.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)

    assert client.post(f"/attempts/{attempt.public_id}/save",
                       data=form_for(quiz, single="o2")).status_code == 400
    response = client.post(f"/attempts/{attempt.public_id}/save",
                           data=form_for(quiz, single="o2"), headers={"X-CSRFToken": token})
    assert response.status_code == 200


# --- review --------------------------------------------------------------------------------


def test_review_shows_score_answers_key_and_explanations(app, signed_in, enrolment, course,
                                                         make_quiz):
    """A practice quiz shows everything at once (its default review policy)."""
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    quiz = make_quiz(course, kind="practice", slug="latihan")
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit",
                   data=form_for(quiz, single="o1", multiple=["o1", "o2"], short="20"))
    response = signed_in.get(f"/attempts/{attempt.public_id}/review")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "75%" in page
    assert "3 of 4" in page
    assert "Correct answer" in page  # the single-choice key shown after a wrong choice
    assert "Your answer, incorrect" in page
    assert "20 JP" in page and "dua puluh" in page  # accepted short answers
    assert "Perpres 95/2018" in page and "PP 17/2020" in page  # explanations
    assert page.count('class="question quiz-question correct"') == 2
    assert page.count('class="question quiz-question incorrect"') == 1
    assert "Passed" not in page  # a pre-test has no pass mark


def test_review_of_an_open_attempt_goes_back_to_the_take_page(signed_in, enrolment, course,
                                                              quiz):
    attempt = start(signed_in, course, quiz)
    response = signed_in.get(f"/attempts/{attempt.public_id}/review")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}")


def test_instructor_may_read_a_review(as_user, make_user, learner, enrolment, course, quiz):
    client = as_user(learner)
    attempt = start(client, course, quiz)
    client.post(f"/attempts/{attempt.public_id}/submit", data=form_for(quiz, **RIGHT))
    instructor = as_user(make_user(role="instructor"))
    page = instructor.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    assert "Rina Marlina" in page
    hr = as_user(make_user(role="hr"))
    assert hr.get(f"/attempts/{attempt.public_id}/review").status_code == 404


def test_passing_posttest_completes_the_course_on_the_review(app, db, signed_in, enrolment,
                                                             course, make_quiz):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    posttest = make_quiz(course, kind="posttest")
    attempt = start(signed_in, course, posttest)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data=form_for(posttest, **RIGHT))
    page = signed_in.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    assert "Passed" in page
    assert "Course completed" in page
    assert "/dashboard" in page
    db.session.expire_all()
    from portal.progress.models import Enrolment

    assert db.session.get(Enrolment, enrolment.id).completed_at is not None


def test_failing_posttest_says_not_passed(app, signed_in, enrolment, course, make_quiz):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    posttest = make_quiz(course, kind="posttest")
    attempt = start(signed_in, course, posttest)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data=form_for(posttest,
                                                                          single="o2"))
    page = signed_in.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    assert "Not passed" in page
    assert "Course completed" not in page


def test_a_failed_post_test_puts_the_next_step_first_and_never_looks_passed(
        app, signed_in, enrolment, course, make_quiz):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    posttest = make_quiz(course, kind="posttest", max_attempts=3)
    attempt = start(signed_in, course, posttest)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data=form_for(posttest,
                                                                          single="o2"))
    page = signed_in.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    outcome = page.index('class="card quiz-outcome is-failed"')
    start_form = page.index(f'action="/courses/{course.slug}/quizzes/{posttest.slug}/start"')
    assert outcome < start_form < page.index('class="question quiz-question')
    assert "Not passed: 25%" in page
    assert "Start attempt 2" in page and "Review the modules" in page
    assert 'badge ok' not in page  # nothing green about a failed attempt
    assert '<span class="badge err">Not passed</span>' in page
    intro = signed_in.get(quiz_url(course, posttest)).get_data(as_text=True)
    assert '<span class="badge err">Not passed</span>' in intro
    assert "Finished" not in intro


def test_a_pre_test_review_leads_to_module_1(app, signed_in, enrolment, course, quiz,
                                             make_module):
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    make_module(course, 1, slug="pengantar")
    make_module(course, 2, slug="lanjutan")
    attempt = start(signed_in, course, quiz)
    signed_in.post(f"/attempts/{attempt.public_id}/submit", data=form_for(quiz, single="o2"))
    page = signed_in.get(f"/attempts/{attempt.public_id}/review").get_data(as_text=True)
    link = f'<a class="btn" href="/courses/{course.slug}/modules/pengantar">Start module 1: Modul 1</a>'
    assert link in page
    assert page.index(link) < page.index('class="question quiz-question')
    assert "Your score: 25%" in page
    assert '<span class="badge">Submitted</span>' in page
