"""The minimum study time in a real browser: the module page counts down from the seconds
the server computed, keeps "Mark as done" disabled meanwhile, then enables it, and the
click is accepted (htmx, CSRF on). The server's clock is moved with time-machine; the
browser's clock is left alone, as a learner's phone is."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.extensions import db
from portal.timeutil import utcnow

pytestmark = pytest.mark.browser

COURSE = "pelayanan-publik-digital"
PASSWORD = "Jambi-Sepucuk-2026"


def _learner_with_a_one_minute_module(app) -> str:
    from werkzeug.security import generate_password_hash

    from portal.auth.models import Opd, User
    from portal.courses.models import Course
    from portal.progress import services

    with app.app_context():
        user = User(nip="199004122018012003", email="nuraini@jambiprov.go.id",
                    password_hash=generate_password_hash(PASSWORD), full_name="Nur'aini",
                    pangkat_golongan="Penata, III/c", jabatan="Analis", roles={"peserta"},
                    locale="en", opd_id=db.session.scalars(sa.select(Opd.id)).first())
        db.session.add(user)
        course = db.session.scalars(sa.select(Course).where(Course.slug == COURSE)).one()
        db.session.flush()
        services.enrol(user, course)
        module = course.modules[0]
        module.min_minutes = 1
        db.session.commit()
        return module.slug


def test_the_countdown_enables_mark_as_done_when_the_time_has_come(start_live_portal, browser,
                                                                   time_machine):
    slugs = []
    base, _app = start_live_portal(
        setup=lambda app: slugs.append(_learner_with_a_one_minute_module(app)))
    url = f"{base}/courses/{COURSE}/modules/{slugs[0]}"
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("#identifier", "nuraini@jambiprov.go.id")
    page.fill("#password", PASSWORD)
    page.locator('main form [type="submit"]').click()
    page.wait_for_load_state()

    # First opening on a whole minute, so the module is ready exactly one minute later.
    opened = (utcnow() + timedelta(minutes=1)).replace(second=0, microsecond=0)
    time_machine.move_to(opened, tick=False)
    page.goto(url)
    button = page.locator("#module-done button[type=submit]")
    assert button.is_disabled()                       # JavaScript holds it while waiting
    assert page.locator(".study-countdown").inner_text() in ("(1:00)", "(0:59)")

    # Three seconds before the time: the countdown runs out and enables the button.
    time_machine.move_to(opened + timedelta(seconds=57), tick=True)
    page.goto(url)
    assert button.is_disabled()
    page.wait_for_function(
        "() => !document.querySelector('#module-done button[type=submit]').disabled")
    assert page.locator(".study-wait-text").inner_text() == "You can mark this module as done now."

    with page.expect_response(lambda r: r.url.endswith("/done")) as done:
        button.click()
    assert done.value.ok
    page.locator("#module-done .badge.ok").wait_for()
    assert "Done" in page.locator("#module-done").inner_text()
