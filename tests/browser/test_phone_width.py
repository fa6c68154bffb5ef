"""The main learner pages fit a phone (Chromium, 360 × 740): no page scrolls sideways
(``document.documentElement.scrollWidth <= window.innerWidth``), logged out (login,
registration, verification, catalogue, in Indonesian; also with a form's error messages) and
logged in (catalogue, course, module, dashboard, profile) in either language. The learner has a long
email address and jabatan, as real ones are (observed: the profile's facts list, widened by
an unbroken email address, scrolled sideways by 134 px)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.timeutil import utcnow

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PASSWORD = "Jambi-Sepucuk-2026"
EMAIL = "nuraini.siregar.analispelayananpublik@bpsdm.jambiprov.go.id"

#: The page's sideways overflow and the elements sticking out past the right edge (for the
#: failure message).
WIDTH = """() => {
  const limit = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.right > limit + 0.5 && r.width > 0)
      wide.push([el.tagName, el.className, Math.round(r.right - limit),
                 (el.textContent || '').trim().slice(0, 30)]);
  }
  return {scroll: document.documentElement.scrollWidth, inner: limit, wide: wide.slice(0, 6)};
}"""


def _learner(app, locale: str) -> list[str]:
    """A learner enrolled in every shipped course, with pre/post grades in the first (a
    gain on the dashboard); returns the paths of each course page and its first module."""
    from werkzeug.security import generate_password_hash

    from portal.auth.models import Opd, User
    from portal.courses.models import Course
    from portal.progress import services
    from portal.quizzes.models import Attempt, AttemptState, Quiz

    with app.app_context():
        user = User(nip="199004122018012003", email=EMAIL, locale=locale,
                    password_hash=generate_password_hash(PASSWORD),
                    full_name="Nur'aini Siregar", name_prefix="Dr.", name_suffix="S.E., M.Si.",
                    pangkat_golongan="Penata, III/c",
                    jabatan="Penelaah Teknis Kebijakan pada Subbagian Perencanaan dan Pelaporan",
                    roles={"peserta"}, opd_id=db.session.scalars(sa.select(Opd.id)).first())
        db.session.add(user)
        db.session.flush()
        paths = []
        for number, course in enumerate(db.session.scalars(
                sa.select(Course).order_by(Course.slug))):
            enrolment = services.enrol(user, course)
            db.session.flush()
            paths += [f"/courses/{course.slug}",
                      f"/courses/{course.slug}/modules/{course.modules[0].slug}"]
            if number:
                continue
            for kind, score in (("pretest", 40.0), ("posttest", 69.99)):
                quiz = db.session.scalars(sa.select(Quiz).where(
                    Quiz.course_id == course.id, Quiz.kind == kind)).one()
                db.session.add(Attempt(
                    enrolment_id=enrolment.id, quiz_id=quiz.id, number=1,
                    state=AttemptState.FINISHED,
                    points=score / 10, max_points=10.0, score=score,
                    started_at=utcnow() - timedelta(minutes=20), submitted_at=utcnow()))
        db.session.commit()
        return paths


def _too_wide(page) -> dict | None:
    measured = page.evaluate(WIDTH)
    return measured if measured["scroll"] > measured["inner"] else None


@pytest.mark.parametrize("locale", ["id", "en"])
def test_no_learner_page_scrolls_sideways_on_a_phone(start_live_portal, browser, locale):
    paths: list[str] = []
    base, _app = start_live_portal(setup=lambda app: paths.extend(_learner(app, locale)))
    page = browser.new_page(viewport=PHONE)
    page.set_default_timeout(15_000)
    problems = {}

    def check(label: str) -> None:
        page.wait_for_load_state()
        measured = _too_wide(page)
        if measured is not None:
            problems[label] = measured

    for path in ("/login", "/register", "/verify", "/courses"):
        page.goto(f"{base}{path}")
        check(path)
    page.goto(f"{base}/verify?code=ABC")                 # the form with its error message
    check("/verify?code=ABC")
    page.goto(f"{base}/register")
    page.fill("#nip", "19980101 201506 1 001")            # too young: the longest NIP message
    page.locator('main form [type="submit"]').click()
    check("/register (errors)")

    page.goto(f"{base}/login")
    page.fill("#identifier", EMAIL)
    page.fill("#password", PASSWORD)
    page.locator('main form [type="submit"]').click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    assert len(paths) >= 4
    for path in ["/courses", *paths, "/dashboard", "/profile"]:
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        check(path)
    page.goto(f"{base}/dashboard")
    assert page.locator("dd.gain").count() == 1
    assert problems == {}
