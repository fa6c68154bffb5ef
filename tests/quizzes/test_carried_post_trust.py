"""A post carried across a login counts as arriving when it arrived only once, only for the
account whose ended session sent it, only if it is that account's newest one for the page,
and only for a short while (portal.auth.reauth.claim). Otherwise it counts as arriving at
the login, so signed posts kept from before a quiz's deadline cannot be chosen afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from portal.auth import reauth
from portal.auth.models import CarriedPostRecord
from portal.auth.services import end_all_sessions
from portal.quizzes import services
from portal.quizzes.models import AttemptState
from portal.timeutil import utcnow
from quiz_helpers import qid
from tests.quizzes.test_session_end import answers_form, carried_token, load, log_in

DEADLINE = datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc)  # 09.00 WIB
RIGHT = {"single": "o2", "multiple": ("o1", "o2"), "short": "20 JP"}
WRONG = {"single": "o1", "multiple": ("o3",), "short": "3 JP"}


@pytest.fixture
def quiz(course, make_quiz):
    return make_quiz(course, kind="pretest", time_limit=20, max_attempts=2)


@pytest.fixture
def ended_attempt(db, client, learner, enrolment, quiz, time_machine):
    """An attempt with a deadline at DEADLINE; the learner's session then ended."""
    time_machine.move_to(DEADLINE - timedelta(minutes=19), tick=False)
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    attempt.deadline_at = DEADLINE
    db.session.commit()
    log_in(client, learner)
    end_all_sessions(learner)
    db.session.commit()
    ENDED_COOKIES[id(client)] = client.get_cookie("session", domain="portal.test").value
    return attempt


ENDED_COOKIES: dict[int, str] = {}


def mint(client, attempt, quiz, answers) -> str:
    """Post the take page with the ended session (a copy of its cookie, as an attacker
    would keep it): the login page's carried token."""
    if id(client) in ENDED_COOKIES:
        client.set_cookie("session", ENDED_COOKIES[id(client)], domain="portal.test")
    response = client.post(f"/attempts/{attempt.public_id}/submit",
                           data=answers_form(quiz, **answers))
    assert response.status_code == 401
    return carried_token(response.get_data(as_text=True))


def graded_after_login(client, learner, attempt, token) -> float | None:
    response = log_in(client, learner, carried_post=token)
    assert response.status_code == 302
    client.get(f"/attempts/{attempt.public_id}")  # closes the expired attempt
    closed = load(attempt.public_id)
    assert closed.state != AttemptState.IN_PROGRESS
    return closed.score


def test_the_newest_carried_post_counts_when_it_arrived(client, learner, ended_attempt,
                                                        quiz, time_machine):
    time_machine.move_to(DEADLINE - timedelta(minutes=3), tick=False)
    mint(client, ended_attempt, quiz, WRONG)
    time_machine.move_to(DEADLINE - timedelta(minutes=2), tick=False)
    newest = mint(client, ended_attempt, quiz, RIGHT)
    time_machine.move_to(DEADLINE + timedelta(minutes=5), tick=False)
    assert graded_after_login(client, learner, ended_attempt, newest) == 100.0


def test_an_older_carried_post_resumed_after_the_deadline_does_not_count(
        client, learner, ended_attempt, quiz, time_machine):
    time_machine.move_to(DEADLINE - timedelta(minutes=3), tick=False)
    older = mint(client, ended_attempt, quiz, RIGHT)
    time_machine.move_to(DEADLINE - timedelta(minutes=2), tick=False)
    mint(client, ended_attempt, quiz, WRONG)
    time_machine.move_to(DEADLINE + timedelta(minutes=5), tick=False)  # the key is known
    assert graded_after_login(client, learner, ended_attempt, older) == 0.0
    closed = load(ended_attempt.public_id)
    assert closed.answers == {}
    assert closed.late_answers  # kept aside, shown as not counted


def test_a_carried_post_is_resumed_once(db, client, learner, ended_attempt, quiz,
                                        time_machine):
    time_machine.move_to(DEADLINE - timedelta(minutes=2), tick=False)
    token = mint(client, ended_attempt, quiz, RIGHT)
    time_machine.move_to(DEADLINE - timedelta(minutes=1), tick=False)
    first = log_in(client, learner, carried_post=token)
    assert first.headers["Location"].endswith(f"/attempts/{ended_attempt.public_id}")
    client.post("/logout")
    replay = log_in(client, learner, carried_post=token)
    assert replay.status_code == 302
    assert replay.headers["Location"] == "/dashboard"  # not resumed again
    record = db.session.scalars(sa.select(CarriedPostRecord)).one()
    assert record.used_at == DEADLINE - timedelta(minutes=1)


def test_a_replayed_post_after_the_deadline_changes_nothing(
        db, client, learner, ended_attempt, quiz, time_machine):
    time_machine.move_to(DEADLINE - timedelta(minutes=4), tick=False)
    token = mint(client, ended_attempt, quiz, WRONG)
    time_machine.move_to(DEADLINE - timedelta(minutes=3), tick=False)
    log_in(client, learner, carried_post=token)
    client.post("/logout")
    time_machine.move_to(DEADLINE + timedelta(minutes=1), tick=False)
    replay = log_in(client, learner, carried_post=token)
    assert replay.headers["Location"] == "/dashboard"
    client.get(f"/attempts/{ended_attempt.public_id}")
    assert load(ended_attempt.public_id).score == 0.0


def test_a_carried_post_is_not_trusted_long_after_it_arrived(
        client, learner, ended_attempt, quiz, time_machine):
    sent = DEADLINE - timedelta(minutes=10)
    time_machine.move_to(sent, tick=False)
    token = mint(client, ended_attempt, quiz, RIGHT)
    time_machine.move_to(sent + timedelta(minutes=reauth.CARRY_TRUST_MINUTES + 1),
                         tick=False)  # after the deadline: arriving now is late
    assert graded_after_login(client, learner, ended_attempt, token) == 0.0


def test_a_post_without_any_session_counts_as_arriving_at_the_login(
        app, learner, ended_attempt, quiz, time_machine):
    fresh = app.test_client()  # no cookie at all: whose post it was is unknown
    time_machine.move_to(DEADLINE - timedelta(minutes=2), tick=False)
    token = mint(fresh, ended_attempt, quiz, RIGHT)
    time_machine.move_to(DEADLINE + timedelta(minutes=1), tick=False)
    assert graded_after_login(fresh, learner, ended_attempt, token) == 0.0


def test_an_older_carried_post_never_replaces_answers_saved_after_it(
        db, app, client, learner, ended_attempt, quiz, time_machine, login):
    time_machine.move_to(DEADLINE - timedelta(minutes=5), tick=False)
    token = mint(client, ended_attempt, quiz, WRONG)
    other_device = app.test_client()
    login(other_device, learner)
    time_machine.move_to(DEADLINE - timedelta(minutes=4), tick=False)
    saved = other_device.post(f"/attempts/{ended_attempt.public_id}/save",
                              data=answers_form(quiz, **RIGHT),
                              headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json["problems"] == {}
    time_machine.move_to(DEADLINE + timedelta(minutes=1), tick=False)
    assert graded_after_login(client, learner, ended_attempt, token) == 100.0


def test_claim_refuses_another_account_and_a_replaced_record(app, db, learner, make_user):
    other = make_user(full_name="Budi Santoso")
    with app.test_request_context():
        t0 = DEADLINE - timedelta(minutes=5)
        nonce = reauth.record("/attempts/x/submit", learner.id, t0)
        post = reauth.carried_post(reauth.carry("/attempts/x/submit", MultiDict(), t0,
                                                learner.id, nonce))
        assert reauth.claim(post, other.id, t0) is None
        newer = reauth.record("/attempts/x/submit", learner.id, t0 + timedelta(minutes=1))
        assert reauth.claim(post, learner.id, t0 + timedelta(minutes=2)) is None
        newest = reauth.carried_post(reauth.carry("/attempts/x/submit", MultiDict(), t0,
                                                  learner.id, newer))
        assert reauth.claim(newest, learner.id, t0 + timedelta(minutes=2)) == (
            t0 + timedelta(minutes=1))
        assert reauth.claim(newest, learner.id, t0 + timedelta(minutes=2)) is False
        assert qid  # the quiz helpers stay importable here
