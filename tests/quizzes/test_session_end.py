"""A session that ends while a quiz is open loses nothing: autosave gets an answer quiz.js
understands, a Submit posted meanwhile is carried across the login and saved to the same
attempt, and no quiz URL answers a GET with 405. The session also survives a change of
network (no address binding)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.auth.services import end_all_sessions
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.timeutil import utcnow
from quiz_helpers import qid
from tests.factories import DEFAULT_PASSWORD

ENDED_ID = ("Sesi Anda sudah berakhir: Anda keluar atau mengganti kata sandi, mungkin di "
            "perangkat lain. Silakan masuk lagi.")
KEPT_ID = "Yang Anda kirim tetap tersimpan"
SAVED_ID = "Anda sudah masuk lagi dan jawaban Anda sudah disimpan."


def load(public_id: str) -> Attempt:
    from portal.extensions import db

    db.session.expire_all()
    return db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()


def answers_form(quiz, single="o2", multiple=("o1", "o2"), short="20 JP") -> dict:
    return {f"q{qid(quiz, 1)}": single, f"q{qid(quiz, 2)}": list(multiple),
            f"q{qid(quiz, 3)}": short}


def log_in(client, user, **extra):
    return client.post("/login", data={"identifier": user.email, "password": DEFAULT_PASSWORD,
                                       **extra})


def carried_token(page: str) -> str:
    match = re.search(r'name="carried_post" value="([^"]+)"', page)
    assert match, "the login page carries the post"
    return match.group(1)


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, kind="pretest", time_limit=20, max_attempts=2)


@pytest.fixture
def attempt(db, learner, enrolment, quiz):
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    services.save_answers(attempt, {qid(quiz, 1): ["o1"]}, utcnow())  # before the switch
    db.session.commit()
    return attempt


@pytest.fixture
def ended(db, client, learner, attempt):
    """The learner was on the take page; then the session ended (a logout elsewhere)."""
    assert log_in(client, learner).status_code == 302
    assert client.get(f"/attempts/{attempt.public_id}").status_code == 200
    end_all_sessions(learner)
    db.session.commit()
    return client


# --- autosave -------------------------------------------------------------------------------

def test_autosave_after_the_session_ended_gets_a_json_401_in_indonesian(ended, attempt, quiz):
    response = ended.post(f"/attempts/{attempt.public_id}/save", data=answers_form(quiz),
                          headers={"Accept": "application/json"})
    assert response.status_code == 401
    body = response.get_json()
    assert body["error"] == "login_required"
    assert body["message"] == ENDED_ID
    assert body["login_url"] == "/login"
    assert load(attempt.public_id).answers == {str(qid(quiz, 1)): ["o1"]}


def test_the_take_page_tells_quiz_js_what_to_say_in_indonesian(ended, attempt, learner):
    log_in(ended, learner)
    page = ended.get(f"/attempts/{attempt.public_id}").get_data(as_text=True)
    assert ('data-msg-login="Sesi Anda sudah berakhir, sehingga jawaban terakhir Anda belum '
            'tersimpan.') in page
    assert 'data-msg-stale="Halaman ini sudah kedaluwarsa' in page


def test_a_new_network_keeps_autosave_working(db, client, learner, attempt, quiz):
    assert log_in(client, learner).status_code == 302
    response = client.post(f"/attempts/{attempt.public_id}/save", data=answers_form(quiz),
                           environ_base={"REMOTE_ADDR": "114.124.0.7",
                                         "HTTP_X_FORWARDED_FOR": "36.72.1.9",
                                         "HTTP_USER_AGENT": "Mobile data"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 200
    assert load(attempt.public_id).answers[str(qid(quiz, 3))] == "20 JP"


# --- a plain Submit after the session ended --------------------------------------------------

def test_a_submit_after_the_session_ended_is_carried_across_the_login(ended, attempt, quiz,
                                                                     learner):
    response = ended.post(f"/attempts/{attempt.public_id}/submit", data=answers_form(quiz))
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert ENDED_ID in page and KEPT_ID in page
    assert 'action="/login"' in page
    token = carried_token(page)
    assert load(attempt.public_id).answers == {str(qid(quiz, 1)): ["o1"]}  # not yet

    response = log_in(ended, learner, carried_post=token)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/attempts/{attempt.public_id}")
    saved = load(attempt.public_id)
    assert saved.state == AttemptState.IN_PROGRESS  # the learner checks, then submits
    assert saved.answers == {str(qid(quiz, 1)): ["o2"], str(qid(quiz, 2)): ["o1", "o2"],
                             str(qid(quiz, 3)): "20 JP"}

    page = ended.get(response.headers["Location"]).get_data(as_text=True)
    assert SAVED_ID in page
    assert re.search(rf'name="q{qid(quiz, 1)}" value="o2"\s+checked', page)
    assert f'name="q{qid(quiz, 3)}" value="20 JP"' in page

    response = ended.post(f"/attempts/{attempt.public_id}/submit", data=answers_form(quiz))
    assert response.status_code == 302
    assert load(attempt.public_id).score == 100.0


def test_a_wrong_password_keeps_carrying_the_post(ended, attempt, quiz, learner):
    token = carried_token(ended.post(f"/attempts/{attempt.public_id}/submit",
                                     data=answers_form(quiz)).get_data(as_text=True))
    response = ended.post("/login", data={"identifier": learner.email,
                                          "password": "not-the-password",
                                          "carried_post": token})
    assert response.status_code == 401
    page = response.get_data(as_text=True)
    assert carried_token(page) == token
    assert "Masuk untuk melanjutkan: yang Anda kirim tetap tersimpan" in page
    assert log_in(ended, learner, carried_post=token).status_code == 302
    assert load(attempt.public_id).answers[str(qid(quiz, 3))] == "20 JP"


def test_an_altered_carried_post_is_ignored(ended, attempt, quiz, learner):
    token = carried_token(ended.post(f"/attempts/{attempt.public_id}/submit",
                                     data=answers_form(quiz)).get_data(as_text=True))
    altered = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    response = log_in(ended, learner, carried_post=altered,
                      next=f"/attempts/{attempt.public_id}")
    assert response.status_code == 302
    assert load(attempt.public_id).answers == {str(qid(quiz, 1)): ["o1"]}


def test_another_learner_logging_in_does_not_touch_the_attempt(ended, attempt, quiz,
                                                              make_user):
    token = carried_token(ended.post(f"/attempts/{attempt.public_id}/submit",
                                     data=answers_form(quiz)).get_data(as_text=True))
    other = make_user(full_name="Budi Santoso")
    response = log_in(ended, other, carried_post=token)
    assert response.status_code == 302
    assert load(attempt.public_id).answers == {str(qid(quiz, 1)): ["o1"]}


DEADLINE = datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc)  # 09.00 WIB


@pytest.mark.time_machine(DEADLINE - timedelta(minutes=19), tick=False)
def test_answers_that_arrived_in_time_count_though_the_login_is_late(
        db, client, learner, enrolment, quiz, time_machine):
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    attempt.deadline_at = DEADLINE
    db.session.commit()
    log_in(client, learner)
    end_all_sessions(learner)
    db.session.commit()

    time_machine.move_to(DEADLINE - timedelta(seconds=10), tick=False)
    token = carried_token(client.post(f"/attempts/{attempt.public_id}/submit",
                                      data=answers_form(quiz)).get_data(as_text=True))
    time_machine.move_to(DEADLINE + timedelta(minutes=5), tick=False)  # a slow login
    response = log_in(client, learner, carried_post=token)
    assert response.status_code == 302
    client.get(response.headers["Location"])  # the attempt page closes the expired attempt
    closed = load(attempt.public_id)
    assert closed.state != AttemptState.IN_PROGRESS
    assert closed.score == 100.0


@pytest.mark.time_machine(DEADLINE - timedelta(minutes=19), tick=False)
def test_answers_that_arrived_after_the_time_limit_are_not_saved(
        db, client, learner, enrolment, quiz, time_machine):
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    attempt.deadline_at = DEADLINE
    db.session.commit()
    log_in(client, learner)
    end_all_sessions(learner)
    db.session.commit()

    time_machine.move_to(DEADLINE + timedelta(minutes=2), tick=False)
    token = carried_token(client.post(f"/attempts/{attempt.public_id}/submit",
                                      data=answers_form(quiz)).get_data(as_text=True))
    response = log_in(client, learner, carried_post=token)
    assert response.status_code == 302
    assert load(attempt.public_id).answers == {}
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "Jawaban Anda tiba setelah batas waktu" in page.get_data(as_text=True)


# --- never a 405 -----------------------------------------------------------------------------

def test_get_of_the_post_only_quiz_urls_leads_to_their_pages(client, login, learner, attempt,
                                                             course, quiz):
    login(client, learner)
    intro = f"/courses/{course.slug}/quizzes/{quiz.slug}"
    take = f"/attempts/{attempt.public_id}"
    for url, target in ((f"{intro}/start", intro), (f"{take}/save", take),
                        (f"{take}/submit", take)):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"] == target
        assert client.get(target).status_code == 200
    assert load(attempt.public_id).state == AttemptState.IN_PROGRESS


def test_after_the_login_a_post_only_url_leads_back_to_its_page(db, client, learner, attempt,
                                                               course, quiz):
    """Start pressed after the session ended: the login returns to the quiz, not a 405."""
    intro = f"/courses/{course.slug}/quizzes/{quiz.slug}"
    response = client.post(f"{intro}/start")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]
    next_url = response.headers["Location"].split("next=", 1)[1].replace("%2F", "/")
    response = log_in(client, learner, next=next_url)
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert page.status_code == 200
    assert page.request.path == intro


def test_a_post_to_a_post_only_url_returns_to_the_page_the_form_was_on(ended, learner,
                                                                       course):
    response = ended.post("/logout",
                          headers={"Referer": f"http://portal.test/courses/{course.slug}"})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=%2Fcourses%2F{course.slug}"
    response = ended.post("/logout", headers={"Referer": "https://evil.example/x"})
    assert response.headers["Location"] == "/login"


# --- other kinds of requests after the session ended -------------------------------------------

def test_a_page_after_the_session_ended_says_why_in_indonesian(ended, attempt):
    response = ended.get(f"/attempts/{attempt.public_id}")
    assert response.status_code == 302
    page = ended.get(response.headers["Location"]).get_data(as_text=True)
    assert ENDED_ID in page
    assert f'name="next" value="/attempts/{attempt.public_id}"' in page


@pytest.mark.time_machine(DEADLINE - timedelta(hours=1), tick=False)
def test_the_idle_message_says_how_long(app, client, learner, attempt, time_machine):
    app.config["SESSION_IDLE_MINUTES"] = 30
    log_in(client, learner)
    time_machine.move_to(DEADLINE - timedelta(minutes=29), tick=False)
    response = client.get("/dashboard")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Anda dikeluarkan setelah 30 menit tanpa aktivitas." in page


def test_htmx_after_the_session_ended_is_sent_to_the_login_page_of_its_page(ended, course):
    from portal.courses.models import Module
    from portal.extensions import db

    module = Module(course_id=course.id, slug="modul-1", position=1, title="Modul 1",
                    minutes=30, body_html="<p>Isi.</p>")
    db.session.add(module)
    db.session.commit()
    page = f"/courses/{course.slug}/modules/modul-1"
    response = ended.post(f"{page}/done", headers={
        "HX-Request": "true", "HX-Current-URL": f"http://portal.test{page}"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == (
        f"/login?next=%2Fcourses%2F{course.slug}%2Fmodules%2Fmodul-1")


def test_csrf_failures_of_scripts_get_json(app_config, learner, attempt, quiz):
    from portal import create_app
    from portal.extensions import db

    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    try:
        client = application.test_client()
        headers = {"Accept": "application/json", "X-CSRFToken": "stale"}
        url = f"/attempts/{attempt.public_id}/save"
        # no session at all (the cookie is gone): the login answer
        response = client.post(url, data=answers_form(quiz), headers=headers)
        assert response.status_code == 401
        assert response.get_json()["error"] == "login_required"
        # logged in, but the page's token is stale: reload
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        assert log_in(client, learner, csrf_token=token).status_code == 302
        response = client.post(url, data=answers_form(quiz), headers=headers)
        assert response.status_code == 400
        assert response.get_json()["error"] == "csrf"
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()
