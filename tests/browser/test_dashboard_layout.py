"""The dashboard's cards hold their text in Chromium, on a desktop and on a phone: no element
is wider than its card (observed: the Indonesian gain sentence overflowed its card on a
desktop). The gain is said in plain words, the technical term in a hint."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.timeutil import utcnow

pytestmark = pytest.mark.browser

PASSWORD = "Jambi-Sepucuk-2026"


def _learner_with_scores(app) -> None:
    """A learner with pre- and post-test grades in both shipped courses: one completed
    (40 % → 85 %), one in progress (20 % → 50 %)."""
    from werkzeug.security import generate_password_hash

    from portal.auth.models import Opd, User
    from portal.courses.models import Course
    from portal.progress import services
    from portal.quizzes.models import Attempt, AttemptState, Quiz

    with app.app_context():
        user = User(nip="199004122018012003", email="nuraini@jambiprov.go.id",
                    password_hash=generate_password_hash(PASSWORD),
                    full_name="Nur'aini Siregar", name_prefix="Dr.", name_suffix="S.E., M.Si.",
                    pangkat_golongan="Penata, III/c", jabatan="Analis Pelayanan Publik",
                    roles={"peserta"}, opd_id=db.session.scalars(sa.select(Opd.id)).first())
        db.session.add(user)
        db.session.flush()
        courses = list(db.session.scalars(sa.select(Course).order_by(Course.slug)))
        for course, (pre, post), done in zip(courses, [(40.0, 85.0), (20.0, 50.0)],
                                             [True, False]):
            enrolment = services.enrol(user, course)
            db.session.flush()
            for kind, score in (("pretest", pre), ("posttest", post)):
                quiz = db.session.scalars(sa.select(Quiz).where(
                    Quiz.course_id == course.id, Quiz.kind == kind)).one()
                db.session.add(Attempt(
                    enrolment_id=enrolment.id, quiz_id=quiz.id, number=1,
                    state=AttemptState.FINISHED, question_ids=[], answers={}, marks={},
                    points=score / 10, max_points=10.0, score=score,
                    started_at=utcnow() - timedelta(minutes=20), submitted_at=utcnow()))
            if done:
                enrolment.completed_at = utcnow()
        db.session.commit()


OVERFLOW = """() => {
  const problems = [];
  for (const card of document.querySelectorAll('main .card')) {
    const box = card.getBoundingClientRect();
    if (card.scrollWidth > card.clientWidth + 1) problems.push(['scroll', card.className]);
    for (const el of card.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.left < box.left - 0.5 || r.right > box.right + 0.5)
        problems.push([el.tagName, el.className, Math.round(r.right - box.right),
                       el.textContent.trim().slice(0, 40)]);
    }
  }
  return problems;
}"""


@pytest.mark.parametrize("width, height", [(1366, 900), (1024, 768), (360, 740)])
def test_no_element_is_wider_than_its_dashboard_card(start_live_portal, browser, width, height):
    base, _app = start_live_portal(setup=_learner_with_scores)
    page = browser.new_page(viewport={"width": width, "height": height})
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("#identifier", "nuraini@jambiprov.go.id")
    page.fill("#password", PASSWORD)
    page.locator('main form [type="submit"]').click()
    page.wait_for_load_state()
    page.goto(f"{base}/dashboard")
    gains = page.locator("dd.gain")
    assert gains.count() == 2
    assert page.evaluate(OVERFLOW) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # Plain words first; the technical term only in the hint under them.
    texts = [gains.nth(i).inner_text() for i in range(2)]
    assert any("Anda meraih 75% dari nilai yang belum Anda capai di pre-test: peningkatan tinggi."
               in t for t in texts)
    assert any("Anda meraih 37% dari nilai yang belum Anda capai di pre-test: peningkatan sedang."
               in t for t in texts)
    for i in range(2):
        sentence = gains.nth(i).locator(".gain-sentence").inner_text()
        assert "Hake" not in sentence and "ternormalisasi" not in sentence
        assert "gain ternormalisasi (Hake 1998)" in gains.nth(i).locator(".hint").inner_text()
