"""In a real browser, in Indonesian: the session ends while the learner is on the take page.
Autosave says to log in again (not "check your connection"), the answers stay on the page,
Submit leads to the login page, and the login leads back to the same attempt with every
answer saved."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from portal.extensions import db
from portal.quizzes.models import Attempt, AttemptState, Question

pytestmark = pytest.mark.browser

COURSE = "pelayanan-publik-digital"
NIP = "198703152012012003"
PASSWORD = "Sarolangun-2026"


@pytest.fixture
def server(start_live_portal):
    """A live portal in its default language with a learner enrolled in COURSE."""
    from portal.auth.models import User
    from portal.courses.models import Course
    from portal.progress.models import Enrolment

    def enrol_learner(app):
        with app.app_context():
            user = User(nip=NIP, email="sarolangun@jambiprov.go.id", full_name="Dewi Lestari",
                        password_hash=generate_password_hash(PASSWORD), roles={"peserta"})
            db.session.add(user)
            course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
            db.session.flush()
            db.session.add(Enrolment(user_id=user.id, course_id=course.id))
            db.session.commit()
            db.session.remove()

    return start_live_portal(setup=enrol_learner)


def log_in(page) -> None:
    page.fill("input[name=identifier]", NIP)
    page.fill("input[name=password]", PASSWORD)
    page.locator('main form [type="submit"]').last.click()


def attempt_row(app, public_id: str) -> Attempt:
    with app.app_context():
        attempt = db.session.scalars(
            sa.select(Attempt).where(Attempt.public_id == public_id)).one()
        attempt.rows  # loaded with their versions, for use after the session closes
        db.session.expunge(attempt)
        db.session.remove()
        return attempt


def second_value(page, question_id) -> str:
    """The (random) id of the second option shown for a choice question on the take page."""
    return page.locator(f'input[name="q{question_id}"]').nth(1).get_attribute("value")


def end_every_session(app) -> None:
    from portal.auth.models import User
    from portal.auth.services import end_all_sessions

    with app.app_context():
        end_all_sessions(db.session.scalars(sa.select(User).where(User.nip == NIP)).one())
        db.session.commit()
        db.session.remove()


def test_answers_typed_after_the_session_ended_come_back_saved(server, browser):
    base, app = server
    page = browser.new_page()
    page.set_default_timeout(15_000)
    errors, statuses = [], []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("response", lambda response: statuses.append(response.status))

    page.goto(f"{base}/login")
    log_in(page)
    page.wait_for_load_state()
    page.goto(f"{base}/courses/{COURSE}/quizzes/pretest")
    page.locator('form[action$="/start"] [type="submit"]').click()
    page.wait_for_url(re.compile(r".*/attempts/[0-9a-f]{32}$"))
    public_id = page.url.rsplit("/", 1)[-1]
    ids = attempt_row(app, public_id).question_ids
    first, second = ids[0], ids[1]
    with app.app_context():
        assert db.session.get(Question, second).qtype in ("single", "multiple")
        db.session.remove()

    o2 = second_value(page, first)
    with page.expect_response(lambda r: r.url.endswith("/save") and r.status == 200):
        page.locator(f'input[name="q{first}"][value="{o2}"]').check()

    end_every_session(app)  # e.g. a logout on another device

    with page.expect_response(lambda r: r.url.endswith("/save") and r.status == 401):
        page.locator(f'input[name="q{second}"]').first.check()
    status = page.locator("[data-autosave-status]")
    status.filter(has_text="Sesi Anda sudah berakhir").wait_for()
    assert "koneksi" not in status.inner_text()  # not "check your connection"
    assert page.locator(f'input[name="q{second}"]').first.is_checked()  # still on the page
    assert str(second) not in attempt_row(app, public_id).answers

    page.locator("[data-submit-button]").click()
    page.locator("main h1", has_text="Masuk").wait_for()
    assert "Yang Anda kirim tetap tersimpan" in page.locator("main").inner_text()
    log_in(page)
    page.wait_for_url(re.compile(rf".*/attempts/{public_id}$"))

    assert "jawaban Anda sudah disimpan" in page.locator("main").inner_text()
    assert page.locator(f'input[name="q{first}"][value="{o2}"]').is_checked()
    assert page.locator(f'input[name="q{second}"]').first.is_checked()
    saved = attempt_row(app, public_id)
    assert saved.state == AttemptState.IN_PROGRESS
    assert saved.answers[str(first)] == [o2]
    assert str(second) in saved.answers
    assert 405 not in statuses and 500 not in statuses
    assert errors == []
