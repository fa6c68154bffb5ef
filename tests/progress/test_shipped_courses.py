"""The learner's pages on the courses shipped in content/, imported as in production."""

import re
from pathlib import Path

import pytest

from portal.progress import gain, services, summaries
from tests.progress.progress_helpers import complete

SLUG = "pelayanan-publik-digital"
CONTENT_DIR = Path(__file__).resolve().parents[2] / "content"


@pytest.fixture
def shipped(app, db):
    from portal.courses.importer import import_all

    assert Path(app.config["CONTENT_DIR"]) == CONTENT_DIR
    report = import_all(CONTENT_DIR)
    db.session.commit()
    assert report.ok, [str(e) for r in report.failed for e in r.errors]
    return report


def _module_files(slug):
    return sorted(p for p in (CONTENT_DIR / slug).glob("[0-9]*.md"))


def test_catalogue_lists_every_shipped_course_with_its_modules(client, shipped):
    entries = summaries.catalogue(None)
    slugs = {e.course.slug for e in entries}
    folders = {p.name for p in CONTENT_DIR.iterdir() if (p / "course.md").is_file()}
    assert slugs == folders
    for entry in entries:
        assert entry.facts.count == len(_module_files(entry.course.slug)) > 0
        assert entry.facts.minutes > 0
    page = client.get("/courses").get_data(as_text=True)
    for entry in entries:
        assert entry.course.title in page


def test_shipped_course_page_and_every_module_image(client, login, learner, shipped):
    page = client.get(f"/courses/{SLUG}").get_data(as_text=True)
    assert "PPBTI-01" in page and "12 JP" in page and "M.05, M.03" in page
    assert "Universitas Jambi" in page
    login(client, learner)
    response = client.post(f"/courses/{SLUG}/enrol")
    assert response.location.endswith(f"/courses/{SLUG}/quizzes/pretest")
    sources = set()
    for path in _module_files(SLUG):
        module_slug = path.stem.split("-", 1)[1]
        response = client.get(f"/courses/{SLUG}/modules/{module_slug}")
        assert response.status_code == 200, module_slug
        sources |= set(re.findall(r'src="([^"]+)"', response.get_data(as_text=True)))
    images = {s for s in sources if "/assets/" in s}
    assert images, "the shipped modules show at least one image"
    for src in images:
        assert src.startswith(f"/courses/{SLUG}/assets/")
        assert client.get(src).status_code == 200, src


def test_shipped_course_can_be_completed(client, login, learner, shipped, quiz_of,
                                         finish_attempt, db):
    from portal.courses.models import Course

    course = db.session.scalars(db.select(Course).where(Course.slug == SLUG)).one()
    login(client, learner)
    client.post(f"/courses/{SLUG}/enrol")
    enrolment = services.get_enrolment(learner, course)
    finish_attempt(enrolment, quiz_of(course, "pretest"), 40.0)
    modules = services.current_modules(course)
    for module in modules:
        client.get(f"/courses/{SLUG}/modules/{module.slug}")   # done only once opened
    for module in modules[:-1]:
        client.post(f"/courses/{SLUG}/modules/{module.slug}/done")
    response = client.post(f"/courses/{SLUG}/modules/{modules[-1].slug}/done")
    assert response.location.endswith(f"/courses/{SLUG}/quizzes/posttest")
    assert enrolment.completed_at is None
    finish_attempt(enrolment, quiz_of(course, "posttest"), float(course.pass_mark))
    certificate = complete(enrolment)
    db.session.commit()
    assert certificate is not None
    page = client.get("/dashboard").get_data(as_text=True)
    assert "Completed on" in page and f"{course.jp} JP" in page
    g = gain.normalized_gain(40.0, float(course.pass_mark))
    assert (f"You gained {int(g * 100)}% of the points you missed in the pre-test: "
            f"a {gain.gain_band(g)} gain.") in page
    assert f"g = {g:.2f}." in page
