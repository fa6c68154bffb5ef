"""The take page's JavaScript in a real browser (static/js/quiz.js): autosave keeps the
answers on the server, so a reload (or a dropped connection) loses nothing; the countdown
submits the attempt when the time is up."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from portal.extensions import db
from portal.quizzes.models import Attempt, AttemptState, Question
from portal.timeutil import utcnow

pytestmark = pytest.mark.browser

COURSE = "pelayanan-publik-digital"
NIP = "198511022010011004"
PASSWORD = "Batanghari-2026"


@pytest.fixture
def quiz_server(start_live_portal):
    """A live portal (CSRF on, shipped courses imported) with a learner enrolled in COURSE;
    yields ``(base_url, app)``."""
    from portal.auth.models import User
    from portal.courses.models import Course
    from portal.progress.models import Enrolment

    def enrol_learner(app):
        with app.app_context():
            user = User(nip=NIP, email="batanghari@jambiprov.go.id", full_name="Ahmad Fauzi",
                        password_hash=generate_password_hash(PASSWORD), role="peserta")
            db.session.add(user)
            course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
            db.session.flush()
            db.session.add(Enrolment(user_id=user.id, course_id=course.id))
            db.session.commit()
            db.session.remove()

    return start_live_portal(setup=enrol_learner, BABEL_DEFAULT_LOCALE="en")


@pytest.fixture
def page(quiz_server, browser):
    """A logged-in Chromium page."""
    base, _ = quiz_server
    tab = browser.new_page()
    tab.set_default_timeout(15_000)
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(f"{base}/login")
    tab.fill("input[name=identifier]", NIP)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator('main form [type="submit"]').last.click()
    tab.wait_for_load_state()
    yield tab
    assert errors == []  # no script errors (CSP blocks inline scripts)


def start_pretest(page, base) -> str:
    page.goto(f"{base}/courses/{COURSE}/quizzes/pretest")
    page.locator('form[action$="/start"] [type="submit"]').click()
    page.wait_for_url(re.compile(r".*/attempts/[0-9a-f]{32}$"))
    return page.url.rsplit("/", 1)[-1]


def saved_response(response) -> bool:
    """An autosave request that the server accepted (204)."""
    return response.url.endswith("/save") and response.status == 204


def load_attempt(app, public_id: str) -> Attempt:
    with app.app_context():
        attempt = db.session.scalars(
            sa.select(Attempt).where(Attempt.public_id == public_id)).one()
        db.session.expunge(attempt)
        db.session.remove()
        return attempt


def test_autosave_keeps_answers_across_a_reload(quiz_server, page):
    base, app = quiz_server
    public_id = start_pretest(page, base)
    attempt = load_attempt(app, public_id)
    first, last = attempt.question_ids[0], attempt.question_ids[-1]
    with app.app_context():
        last_type = db.session.get(Question, last).qtype

    assert page.locator("[data-countdown]").is_visible()
    assert page.locator("[data-countdown]").inner_text().startswith("Time left:")

    with page.expect_response(saved_response):
        page.locator(f'input[name="q{first}"][value="o2"]').check()
    with page.expect_response(saved_response):
        if last_type == "short":
            page.locator(f'input[name="q{last}"]').fill("dua puluh")
            page.locator(f'input[name="q{last}"]').blur()
        else:
            page.locator(f'input[name="q{last}"]').first.check()
    page.wait_for_selector("[data-autosave-status]:has-text('saved')")

    saved = load_attempt(app, public_id).answers
    assert saved.get(str(first)) == ["o2"]
    assert str(last) in saved

    page.reload()
    assert page.locator(f'input[name="q{first}"][value="o2"]').is_checked()


def test_countdown_submits_when_the_time_is_up(quiz_server, page):
    base, app = quiz_server
    public_id = start_pretest(page, base)
    attempt = load_attempt(app, public_id)
    with page.expect_response(saved_response):
        page.locator(f'input[name="q{attempt.question_ids[0]}"][value="o2"]').check()
    with app.app_context():
        db.session.execute(sa.update(Attempt).where(Attempt.public_id == public_id)
                           .values(deadline_at=utcnow() + timedelta(seconds=2)))
        db.session.commit()
        db.session.remove()
    page.reload()  # the page now counts down from 2 seconds, then submits itself
    page.wait_for_url(re.compile(r".*/review$"))
    graded = load_attempt(app, public_id)
    assert graded.state == AttemptState.FINISHED
    assert graded.answers.get(str(attempt.question_ids[0])) == ["o2"]
