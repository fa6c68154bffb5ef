"""No address that takes a form's post answers a GET (a reload, a bookmark, a typed URL)
with a 405 or a 500: each leads to the page its form is on, or shows a page to confirm. The
test walks the URL map, so a new POST route is covered as soon as it exists."""

from __future__ import annotations

import sqlalchemy as sa

from portal.progress.models import Enrolment
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.timeutil import utcnow


LEARNER_BLUEPRINTS = {"main", "auth", "courses", "quizzes", "progress", "certificates"}
"""Blueprints of the learner's own path, where a GET on a post address must answer 200/302."""


def _post_routes(app, args):
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        url = rule.rule
        for name in rule.arguments:
            value = args.get(name, "1")  # ids of records that may not exist: 404 is fine
            url = (url.replace(f"<{name}>", value).replace(f"<int:{name}>", value)
                   .replace(f"<path:{name}>", value))
        yield rule.endpoint, url


def test_every_post_route_answers_get_without_405_or_500(app, db, client, login, learner,
                                                          course, make_module, make_quiz,
                                                          enrolment):
    module = make_module(course)
    quiz = make_quiz(course, kind="pretest")
    attempt = services.start_attempt(enrolment, quiz, utcnow())
    db.session.commit()
    args = {"slug": course.slug, "module_slug": module.slug, "quiz_slug": quiz.slug,
            "public_id": attempt.public_id}
    anonymous = app.test_client()
    login(client, learner)
    routes = list(_post_routes(app, args))
    assert len(routes) >= 10
    for endpoint, url in routes:
        for who, browser in (("anonymous", anonymous), ("learner", client)):
            response = browser.get(url)
            assert response.status_code not in (405, 500), (endpoint, who)
            if endpoint.split(".")[0] in LEARNER_BLUEPRINTS:
                assert response.status_code in (200, 302), (endpoint, who, response.status_code)
            else:  # staff pages: a learner is refused, a made-up record or link is not found
                assert response.status_code in (200, 302, 403, 404, 410), (
                    endpoint, who, response.status_code)
    db.session.expire_all()
    assert client.get("/dashboard").status_code == 200  # still logged in: GET /logout ends nothing
    assert db.session.get(Attempt, attempt.id).state == AttemptState.IN_PROGRESS
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


def test_get_of_logout_asks_to_confirm_in_indonesian(client, login, learner):
    login(client, learner)
    response = client.get("/logout")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/logout"' in page and 'method="post"' in page
    assert "Keluar dari portal di semua perangkat tempat Anda masuk?" in page
    assert client.post("/logout").status_code == 302
    assert client.get("/dashboard").status_code == 302


def test_get_of_the_language_switch_and_enrol_lead_to_their_pages(client, login, learner,
                                                                  course):
    assert client.get("/locale?next=/courses").headers["Location"] == "/courses"
    assert client.get("/locale?next=https://evil.example/").headers["Location"] == "/"
    login(client, learner)
    response = client.get(f"/courses/{course.slug}/enrol")
    assert response.headers["Location"] == f"/courses/{course.slug}"


def test_a_get_of_an_unknown_post_only_address_goes_home(app):
    """The fallback for any POST-only rule: a GET goes home rather than to a 405 page."""

    @app.post("/only-posted-here")
    def only_posted_here():  # pragma: no cover - never posted in this test
        return ""

    client = app.test_client()
    response = client.get("/only-posted-here")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert client.put("/only-posted-here").status_code == 405


def test_the_pre_test_page_says_it_does_not_count_toward_passing(client, login, learner,
                                                                 course, make_quiz,
                                                                 enrolment):
    pretest = make_quiz(course, kind="pretest")
    posttest = make_quiz(course, kind="posttest")
    login(client, learner)
    note = "Nilainya tidak memengaruhi kelulusan."
    assert note in client.get(f"/courses/{course.slug}/quizzes/{pretest.slug}").get_data(
        as_text=True)
    page = client.get(f"/courses/{course.slug}/quizzes/{posttest.slug}")
    assert note not in page.get_data(as_text=True)


def test_every_page_links_the_vendored_favicon(client):
    page = client.get("/").get_data(as_text=True)
    assert '<link rel="icon" type="image/svg+xml" href="/static/favicon.svg">' in page
    icon = client.get("/static/favicon.svg")
    assert icon.status_code == 200 and b"<svg" in icon.data
