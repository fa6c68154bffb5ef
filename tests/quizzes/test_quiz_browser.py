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
                        password_hash=generate_password_hash(PASSWORD), roles={"peserta"})
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


def second_value(page, question_id) -> str:
    """The (random) id of the second option shown for a choice question on the take page."""
    return page.locator(f'input[name="q{question_id}"]').nth(1).get_attribute("value")


def saved_response(response) -> bool:
    """An autosave request that the server accepted (200)."""
    return response.url.endswith("/save") and response.status == 200


def load_attempt(app, public_id: str) -> Attempt:
    with app.app_context():
        attempt = db.session.scalars(
            sa.select(Attempt).where(Attempt.public_id == public_id)).one()
        attempt.rows  # loaded with their versions, for use after the session closes
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

    o2 = second_value(page, first)
    with page.expect_response(saved_response):
        page.locator(f'input[name="q{first}"][value="{o2}"]').check()
    with page.expect_response(saved_response):
        if last_type == "short":
            page.locator(f'input[name="q{last}"]').fill("dua puluh")
            page.locator(f'input[name="q{last}"]').blur()
        else:
            page.locator(f'input[name="q{last}"]').first.check()
    page.wait_for_selector("[data-autosave-status]:has-text('saved')")

    saved = load_attempt(app, public_id).answers
    assert saved.get(str(first)) == [o2]
    assert str(last) in saved

    page.reload()
    assert page.locator(f'input[name="q{first}"][value="{o2}"]').is_checked()


def test_countdown_submits_when_the_time_is_up(quiz_server, page):
    base, app = quiz_server
    public_id = start_pretest(page, base)
    attempt = load_attempt(app, public_id)
    o2 = second_value(page, attempt.question_ids[0])
    with page.expect_response(saved_response):
        page.locator(f'input[name="q{attempt.question_ids[0]}"][value="{o2}"]').check()
    with app.app_context():
        db.session.execute(sa.update(Attempt).where(Attempt.public_id == public_id)
                           .values(deadline_at=utcnow() + timedelta(seconds=2)))
        db.session.commit()
        db.session.remove()
    page.reload()  # the page now counts down from 2 seconds, then submits itself
    page.wait_for_url(re.compile(r".*/review$"))
    graded = load_attempt(app, public_id)
    assert graded.state == AttemptState.FINISHED
    assert graded.answers.get(str(attempt.question_ids[0])) == [o2]


def numeric_question(app, attempt) -> int | None:
    """The id of a typed question of the attempt that expects a number, or None."""
    from portal.quizzes.types import read_number

    with app.app_context():
        for question_id in attempt.question_ids:
            question = db.session.get(Question, question_id)
            if question.qtype == "short" and read_number(question.data["answers"][0]) is not None:
                return question_id
    return None


def test_finish_confirms_the_unanswered_questions_then_submits(quiz_server, browser):
    """On a phone: a number typed the English way is flagged under its input after autosave;
    "Finish attempt" lists the unanswered questions with links back; the final submit leads
    to a review whose result and next step ("Start module 1") are on the first screen."""
    base, app = quiz_server
    tab = browser.new_page(viewport={"width": 360, "height": 740})
    tab.set_default_timeout(15_000)
    errors = []
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto(f"{base}/login")
    tab.fill("input[name=identifier]", NIP)
    tab.fill("input[name=password]", PASSWORD)
    tab.locator('main form [type="submit"]').last.click()
    tab.wait_for_load_state()

    public_id = start_pretest(tab, base)
    attempt = load_attempt(app, public_id)
    first = attempt.question_ids[0]
    o2 = second_value(tab, first)
    with tab.expect_response(saved_response):
        tab.locator(f'input[name="q{first}"][value="{o2}"]').check()

    numeric = numeric_question(app, attempt)
    assert numeric is not None, "the shipped pre-test has typed numeric questions"
    problem = tab.locator(f'[data-number-problem="q{numeric}"]')
    assert problem.is_hidden()
    with tab.expect_response(lambda r: r.url.endswith("/save") and r.status == 200):
        tab.locator(f'input[name="q{numeric}"]').fill("3.5")
        tab.locator(f'input[name="q{numeric}"]').blur()
    tab.wait_for_selector(f'[data-number-problem="q{numeric}"]:not([hidden])')
    assert "Did you mean 3,5?" in problem.inner_text()

    tab.locator('form[action$="/finish"] [type="submit"]').click()
    tab.wait_for_url(re.compile(r".*/confirm$"))
    assert "You answered 2 of" in tab.locator(".quiz-answered").inner_text()
    unanswered = tab.locator(".quiz-unanswered a")
    assert unanswered.count() == len(attempt.question_ids) - 2
    assert "Did you mean 3,5?" in tab.locator(".quiz-number-problems").inner_text()
    target = unanswered.first.get_attribute("href")
    unanswered.first.click()
    tab.wait_for_url(re.compile(r".*/attempts/[0-9a-f]{32}#question-\d+$"))
    assert tab.url.endswith(target)

    tab.locator('form[action$="/finish"] [type="submit"]').click()
    tab.wait_for_url(re.compile(r".*/confirm$"))
    tab.locator("button.quiz-final-submit").click()
    tab.wait_for_url(re.compile(r".*/review$"))
    graded = load_attempt(app, public_id)
    assert graded.state == AttemptState.FINISHED
    assert graded.answers[str(numeric)] == "3.5"

    step = tab.locator(".quiz-next-steps a").first
    assert step.inner_text().startswith("Start module 1:")
    assert step.bounding_box()["y"] + step.bounding_box()["height"] <= 740
    assert errors == []


def test_an_autosave_that_did_not_save_never_says_saved(quiz_server, page):
    """When the account is gone mid-attempt, the autosave gets a 401 (the session has
    ended): the page must not claim the answers were saved, and says why."""
    from portal.auth.models import User

    base, app = quiz_server
    public_id = start_pretest(page, base)
    first = load_attempt(app, public_id).question_ids[0]
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.nip == NIP))
        db.session.commit()
        db.session.remove()
    with page.expect_response(lambda r: r.url.endswith("/save") and r.status == 401):
        page.locator(f'input[name="q{first}"][value="{second_value(page, first)}"]').check()
    status = page.locator("[data-autosave-status]")
    page.wait_for_function(
        "el => el.textContent && !el.textContent.endsWith('…')", arg=status.element_handle())
    assert "saved at" not in status.inner_text()
    assert "not saved yet" in status.inner_text()


def test_a_stale_tab_reloads_with_the_answers_saved_in_the_other(quiz_server, page):
    """Tab A and tab B show the same attempt; A saves an answer; B, still showing the
    blank question, changes it too: B's save is refused for that question, B reloads and
    shows A's answer with the message; the next save from B (now current) is accepted."""
    base, app = quiz_server
    public_id = start_pretest(page, base)
    first = load_attempt(app, public_id).question_ids[0]
    o1, o2 = (page.locator(f'input[name="q{first}"]').nth(n).get_attribute("value")
              for n in (0, 1))
    context = page.context.browser.new_context()
    context.add_cookies(page.context.cookies())  # the same session, another tab
    tab_b = context.new_page()
    tab_b.set_default_timeout(15_000)
    tab_b.goto(page.url)

    with page.expect_response(saved_response):
        page.locator(f'input[name="q{first}"][value="{o2}"]').check()
    with tab_b.expect_response(lambda r: r.url.endswith("/save") and r.status == 409):
        tab_b.locator(f'input[name="q{first}"][value="{o1}"]').check()
    tab_b.wait_for_selector(".flash.warning")
    tab_b.wait_for_selector(f'input[name="q{first}"][value="{o2}"]:checked')
    assert "changed in another tab" in tab_b.content()
    assert load_attempt(app, public_id).answers[str(first)] == [o2]

    with tab_b.expect_response(saved_response):
        tab_b.locator(f'input[name="q{first}"][value="{o1}"]').check()
    assert load_attempt(app, public_id).answers[str(first)] == [o1]
    context.close()
