"""The main path in a real browser: register → enrol → pre-test → modules → post-test →
certificate → public verification, on a shipped course, with CSRF on and JavaScript running."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.quizzes.models import Attempt, Question

pytestmark = pytest.mark.browser

COURSE = "pelayanan-publik-digital"
NIP = "19900412201801 2 003".replace(" ", "")


def _answer(page, app, attempt_url: str, correct: bool) -> None:
    """Answer every question of the attempt shown on ``page``: right if ``correct``, else
    with the first option / a wrong word. The key is read from the database, as only the
    server has it."""
    public_id = attempt_url.rstrip("/").rsplit("/", 1)[-1]
    with app.app_context():
        attempt = db.session.scalars(sa.select(Attempt).where(Attempt.public_id == public_id)).one()
        questions = {q.id: q for q in db.session.scalars(
            sa.select(Question).where(Question.id.in_(attempt.question_ids)))}
        order = list(attempt.question_ids)
    for qid in order:
        q = questions[qid]
        name = f"q{qid}"
        if q.qtype in ("single", "multiple"):
            options = q.data["options"]
            chosen = [o["id"] for o in options if o["correct"]] if correct else [options[0]["id"]]
            for option_id in chosen:
                page.locator(f'input[name="{name}"][value="{option_id}"]').check()
        else:
            page.locator(f'input[name="{name}"]').fill(q.data["answers"][0] if correct else "tidak tahu")


def _submit_quiz(page) -> None:
    """Finish the attempt, then confirm on the summary page."""
    page.locator('form[action$="/finish"] [type="submit"]').last.click()
    page.wait_for_url(re.compile(r".*/confirm$"))
    page.locator('form[action$="/submit"] [type="submit"]').click()
    page.wait_for_url(re.compile(r".*/review$"))


def test_learner_completes_a_course_and_the_certificate_verifies(live_server, browser):
    base, app = live_server
    page = browser.new_page()
    page.set_default_timeout(15_000)

    # Register with a NIP; the portal speaks Indonesian by default.
    page.goto(f"{base}/register")
    assert page.locator("html").get_attribute("lang") == "id"
    page.fill("#nip", "19900412 201801 2 003")
    page.fill("#name_prefix", "Dr.")
    page.fill("#full_name", "Nur'aini Siregar")
    page.fill("#name_suffix", "S.E., M.Si.")
    page.fill("#email", "nuraini@jambiprov.go.id")
    page.fill("#password", "Jambi-Sepucuk-2026")
    page.fill("#confirm", "Jambi-Sepucuk-2026")
    page.select_option("#pangkat_golongan", index=9)
    page.fill("#jabatan", "Analis Pelayanan Publik")
    page.select_option("#opd_id", index=3)
    page.locator('main form [type="submit"]').last.click()
    page.wait_for_load_state()
    assert "/register" not in page.url

    # Enrol in a shipped course.
    page.goto(f"{base}/courses/{COURSE}")
    page.locator(f'form[action$="/courses/{COURSE}/enrol"] [type="submit"]').click()
    page.wait_for_load_state()

    # Pre-test first: answered poorly, it is kept and does not block.
    page.goto(f"{base}/courses/{COURSE}/quizzes/pretest")
    page.locator('form[action$="/start"] [type="submit"]').click()
    page.wait_for_url(re.compile(r".*/attempts/[0-9a-f]{32}$"))
    _answer(page, app, page.url, correct=False)
    _submit_quiz(page)

    # The post-test is locked until every module is done.
    response = page.goto(f"{base}/courses/{COURSE}/quizzes/posttest")
    assert response.status == 403

    # Modules in order, each marked as done (htmx swaps the button in place).
    with app.app_context():
        from portal.courses.models import Course

        course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
        module_slugs = [m.slug for m in course.modules]
    assert len(module_slugs) >= 4
    for slug in module_slugs:
        page.goto(f"{base}/courses/{COURSE}/modules/{slug}")
        assert page.locator("main h1").first.inner_text().strip()
        with page.expect_response(lambda r: r.url.endswith(f"/modules/{slug}/done")) as done:
            page.locator('form[action$="/done"] [type="submit"]').first.click()
        assert done.value.ok
    page.goto(f"{base}/courses/{COURSE}")
    assert page.locator("progress").first.get_attribute("value") in ("100", "100.0")

    # Post-test: answered correctly → the course is completed in the same request.
    page.goto(f"{base}/courses/{COURSE}/quizzes/posttest")
    page.locator('form[action$="/start"] [type="submit"]').click()
    page.wait_for_url(re.compile(r".*/attempts/[0-9a-f]{32}$"))
    _answer(page, app, page.url, correct=True)
    _submit_quiz(page)

    # The dashboard links the certificate; download it.
    page.goto(f"{base}/dashboard")
    link = page.locator('a[href$=".pdf"]').first
    href = link.get_attribute("href")
    code = re.search(r"/certificates/([^/]+)\.pdf$", href).group(1)
    pdf = page.request.get(f"{base}{href}")
    assert pdf.status == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body()[:5] == b"%PDF-"

    # Anyone holding the code verifies it: name shown, NIP masked.
    public = browser.new_page()
    public.goto(f"{base}/verify/{code}")
    text = public.locator("main").inner_text()
    assert "Nur'aini Siregar" in text
    assert "19900412201801" not in text.replace(" ", "")
    assert "1990" in text
