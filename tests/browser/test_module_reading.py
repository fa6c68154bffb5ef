"""Module pages on a phone (Chromium, 360 px wide), on every module of the shipped courses:
a wide table scrolls inside its own box with a visible cue and never cuts off or widens the
page; a diagram is a link to its file, which opens at full size with readable text."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.extensions import db

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
PASSWORD = "Jambi-Sepucuk-2026"


def _learner_enrolled_everywhere(app) -> list[tuple[str, str]]:
    """Create a learner enrolled in every shipped course; return every (course, module)."""
    from werkzeug.security import generate_password_hash

    from portal.auth.models import Opd, User
    from portal.courses.models import Course
    from portal.progress import services

    with app.app_context():
        user = User(nip="199004122018012003", email="nuraini@jambiprov.go.id",
                    password_hash=generate_password_hash(PASSWORD), full_name="Nur'aini",
                    pangkat_golongan="Penata, III/c", jabatan="Analis", roles={"peserta"},
                    opd_id=db.session.scalars(sa.select(Opd.id)).first())
        db.session.add(user)
        db.session.flush()
        pages = []
        for course in db.session.scalars(sa.select(Course).order_by(Course.slug)):
            services.enrol(user, course)
            pages += [(course.slug, m.slug) for m in course.modules]
        db.session.commit()
        return pages


@pytest.fixture
def phone_page(start_live_portal, browser):
    pages: list[tuple[str, str]] = []
    base, _app = start_live_portal(setup=lambda app: pages.extend(_learner_enrolled_everywhere(app)))
    page = browser.new_page(viewport=PHONE)
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("#identifier", "nuraini@jambiprov.go.id")
    page.fill("#password", PASSWORD)
    page.locator('main form [type="submit"]').click()
    page.wait_for_load_state()
    assert "/login" not in page.url
    return base, page, pages


def _tables(page) -> list[dict]:
    return page.evaluate("""() => Array.from(document.querySelectorAll('.module-body table'))
      .map(t => {
        const box = t.parentElement;
        const style = getComputedStyle(box);
        const hint = box.previousElementSibling;
        return {wrapped: box.classList.contains('table-scroll'),
                overflowX: style.overflowX, background: style.backgroundImage,
                boxRight: box.getBoundingClientRect().right,
                scrollWidth: box.scrollWidth, clientWidth: box.clientWidth,
                scrollable: box.classList.contains('is-scrollable'),
                hint: hint && hint.classList.contains('table-scroll-hint') ? hint.innerText : null,
                hintVisible: !!(hint && hint.offsetHeight > 0)};
      })""")


def test_tables_scroll_in_their_box_with_a_cue_on_a_phone(phone_page):
    base, page, pages = phone_page
    tables_seen = scrollable_seen = 0
    for course, module in pages:
        page.goto(f"{base}/courses/{course}/modules/{module}")
        page.wait_for_load_state("load")
        # The page itself never scrolls sideways: nothing is cut off at its right edge.
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], module
        for table in _tables(page):
            tables_seen += 1
            assert table["wrapped"] and table["overflowX"] == "auto", module
            assert table["boxRight"] <= PHONE["width"], module
            # The edge shadows (the cue without JavaScript) are on every table box.
            assert table["background"].count("gradient") == 4, module
            if table["scrollWidth"] > table["clientWidth"] + 1:  # as module-reading.js
                scrollable_seen += 1
                assert table["scrollable"], module
                assert table["hint"] == "Geser tabel ke samping untuk melihat semua kolom"
                assert table["hintVisible"], module
            else:
                assert table["hint"] is None, module
    assert tables_seen >= 10
    assert scrollable_seen >= 3  # the shipped courses do have tables wider than a phone


def test_a_wide_table_can_be_scrolled_to_its_last_column(phone_page):
    base, page, pages = phone_page
    for course, module in pages:
        page.goto(f"{base}/courses/{course}/modules/{module}")
        box = page.locator(".module-body .table-scroll.is-scrollable").first
        if box.count():
            break
    else:
        pytest.fail("no shipped module has a table wider than a phone")
    last = box.locator("th").last
    assert last.bounding_box()["x"] + last.bounding_box()["width"] > PHONE["width"]
    box.evaluate("b => b.scrollLeft = b.scrollWidth")
    edge = last.bounding_box()
    assert edge["x"] + edge["width"] <= PHONE["width"]


def test_diagrams_open_full_size_and_readable_on_a_phone(phone_page):
    base, page, pages = phone_page
    figures = []
    for course, module in pages:
        page.goto(f"{base}/courses/{course}/modules/{module}")
        for link in page.locator(".module-body a.figure-link").all():
            img = link.locator("img")
            img.scroll_into_view_if_needed()
            page.wait_for_function("i => i.complete && i.naturalWidth > 0", arg=img.element_handle())
            href = link.get_attribute("href")
            assert img.get_attribute("src") == href
            natural, shown = img.evaluate("i => [i.naturalWidth, i.getBoundingClientRect().width]")
            hint = link.evaluate("a => a.nextElementSibling && a.nextElementSibling.innerText")
            figures.append((href, natural, shown, hint))
    svgs = [f for f in figures if f[0].endswith(".svg")]
    assert len(svgs) == 5  # every diagram of the shipped courses
    for href, natural, shown, hint in svgs:
        assert shown < natural / 2  # shrunk on a phone: too small to read in the page...
        assert hint == "Ketuk gambar untuk membukanya dalam ukuran penuh"

    # ... and its link opens the file itself at full size, its text at its real size.
    for href, natural, _shown, _hint in svgs:
        response = page.goto(f"{base}{href}")
        assert response.status == 200
        assert response.headers["content-type"].startswith("image/svg+xml")
        assert "sandbox" in response.headers["content-security-policy"]
        width = page.evaluate("document.documentElement.getBoundingClientRect().width")
        assert width == pytest.approx(natural, abs=1)
        smallest = page.evaluate("""() => Math.min(...Array.from(document.querySelectorAll('text'))
            .map(t => parseFloat(getComputedStyle(t).fontSize)))""")
        assert smallest >= 10, href  # as drawn: 10.5 px and more
        shrunk = next(f for f in svgs if f[0] == href)
        assert smallest * shrunk[2] / natural < 6  # px: what the phone showed in the page
