"""Catalogue, course page, enrolment, module pages, mark-as-done, resume and assets."""

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from portal.progress import services
from portal.progress.models import Enrolment

from tests.progress.progress_helpers import complete, open_and_mark_done


@pytest.fixture
def english(client):
    """Anonymous visitors read the pages in English."""
    with client.session_transaction() as sess:
        sess["locale"] = "en"
    return client


# --- catalogue ------------------------------------------------------------------------


def test_catalogue_lists_published_courses_with_facts(english, make_course):
    make_course(slug="etika-asn", title="Etika dan Integritas ASN", code="ETK-01", jp=12,
                competency_type="sosial_kultural", mode="klasikal", modules=3)
    make_course(slug="rahasia", title="Kursus Tersembunyi", code="HID-01", is_published=False)
    page = english.get("/courses").get_data(as_text=True)
    assert "Etika dan Integritas ASN" in page
    assert "ETK-01" in page and "12 JP" in page
    assert "Socio-cultural" in page and "Classroom" in page
    assert "In partnership with Universitas Jambi" in page
    assert "3 modules" in page and "90 minutes" in page
    assert "Kursus Tersembunyi" not in page
    assert "Not enrolled" not in page          # no status for visitors


def test_catalogue_shows_the_learners_status(client, login, learner, make_course, module_of,
                                            enrolled, db):
    make_course(slug="a", title="A Kursus Belum")
    progressing = make_course(slug="b", title="B Kursus Jalan")
    done = make_course(slug="c", title="C Kursus Selesai")
    open_and_mark_done(enrolled(learner, progressing), module_of(progressing, 1))
    enrolment = enrolled(learner, done)
    from portal.timeutil import utcnow
    enrolment.completed_at = utcnow()
    db.session.commit()
    login(client, learner)
    page = client.get("/courses").get_data(as_text=True)
    assert "Not enrolled" in page
    assert "In progress: 33%" in page
    assert '<progress max="100" value="33"' in page
    assert "Completed" in page


def test_catalogue_search_filters_by_title_literally(english, make_course):
    make_course(slug="etika", title="Etika ASN")
    make_course(slug="spbe", title="Pelayanan 100% Digital", code="SPBE-01")
    page = english.get("/courses?q=etika").get_data(as_text=True)
    assert "Etika ASN" in page and "Pelayanan 100% Digital" not in page
    assert 'value="etika"' in page
    page = english.get("/courses?q=100%25").get_data(as_text=True)
    assert "Pelayanan 100% Digital" in page and "Etika ASN" not in page
    page = english.get("/courses?q=%25").get_data(as_text=True)   # "%" is not a wildcard
    assert "Etika ASN" not in page
    page = english.get("/courses?q=zzz").get_data(as_text=True)
    assert "No course title contains" in page


# --- course page ----------------------------------------------------------------------


def test_course_page_for_a_visitor(english, make_course):
    make_course(competencies=["M.01", "M.05"], pass_mark=75, modules=2)
    response = english.get("/courses/etika-asn")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<p>Deskripsi <strong>kursus</strong>.</p>" in page
    assert "M.01, M.05" in page and "Managerial" in page and "E-learning" in page
    assert "75%" in page and "60 minutes" in page
    assert "Modul 1" in page and "Modul 2" in page
    assert "Pre-test Etika" in page and "Post-test Etika" in page
    assert 'action="/courses/etika-asn/enrol"' in page
    assert "Log in with your account to enrol" in page
    assert "/courses/etika-asn/modules/modul-1" not in page    # no links before enrolling


def test_unknown_course_is_404_with_a_message(english):
    response = english.get("/courses/tidak-ada")
    assert response.status_code == 404
    assert "Course not found" in response.get_data(as_text=True)


def test_unpublished_course_is_hidden_from_visitors_but_not_from_its_learners(
        english, login, learner, make_course, enrolled, db):
    course = make_course()
    enrolled(learner, course)
    course.is_published = False
    db.session.commit()
    assert english.get("/courses/etika-asn").status_code == 404
    login(english, learner)
    assert english.get("/courses/etika-asn").status_code == 200


def test_course_page_states_for_an_enrolled_learner(client, login, learner, make_course,
                                                   module_of, quiz_of, enrolled,
                                                   finish_attempt):
    course = make_course(modules=2)
    enrolment = enrolled(learner, course)
    login(client, learner)
    page = client.get("/courses/etika-asn").get_data(as_text=True)
    assert "Not taken yet" in page
    assert "Locked until all modules are done" in page
    assert '<progress max="100" value="0"' in page
    assert 'href="/courses/etika-asn/resume"' in page and "Continue" in page

    finish_attempt(enrolment, quiz_of(course, "pretest"), 42.5)
    for n in (1, 2):
        open_and_mark_done(enrolment, module_of(course, n))
    from portal.extensions import db
    db.session.commit()
    page = client.get("/courses/etika-asn").get_data(as_text=True)
    assert "Score: 42.5" in page
    assert "Open" in page and 'href="/courses/etika-asn/quizzes/posttest"' in page
    assert '<progress max="100" value="100"' in page

    finish_attempt(enrolment, quiz_of(course, "posttest"), 60.0)
    finish_attempt(enrolment, quiz_of(course, "posttest"), 65.0)
    page = client.get("/courses/etika-asn").get_data(as_text=True)
    assert "Your grade: 65" in page


def test_course_page_when_completed_links_the_certificate(client, login, learner, make_course,
                                                         module_of, quiz_of, enrolled,
                                                         finish_attempt, db):
    course = make_course(modules=1)
    enrolment = enrolled(learner, course)
    open_and_mark_done(enrolment, module_of(course, 1))
    finish_attempt(enrolment, quiz_of(course, "posttest"), 90.0)
    certificate = complete(enrolment)
    db.session.commit()
    login(client, learner)
    page = client.get("/courses/etika-asn").get_data(as_text=True)
    assert "Completed on" in page
    assert f'href="/certificates/{certificate.code}.pdf"' in page
    assert "Enrol</button>" not in page


# --- enrol ----------------------------------------------------------------------------


def test_enrol_needs_login_and_returns_to_the_course(client, make_course):
    make_course()
    response = client.post("/courses/etika-asn/enrol")
    assert response.status_code == 302
    location = urlsplit(response.location)
    assert location.path == "/login"
    assert parse_qs(location.query)["next"] == ["/courses/etika-asn"]


def test_enrol_goes_to_the_pretest_first(client, login, learner, make_course, db):
    make_course()
    login(client, learner)
    response = client.post("/courses/etika-asn/enrol")
    assert response.status_code == 302
    assert response.location.endswith("/courses/etika-asn/quizzes/pretest")
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


def test_enrol_without_pretest_goes_to_the_first_module(client, login, learner, make_course):
    make_course(pretest=False)
    login(client, learner)
    response = client.post("/courses/etika-asn/enrol", follow_redirects=False)
    assert response.location.endswith("/courses/etika-asn/resume")
    response = client.get(response.location)
    assert response.location.endswith("/courses/etika-asn/modules/modul-1")


def test_enrol_twice_keeps_one_enrolment(client, login, learner, make_course, db):
    make_course(pretest=False)
    login(client, learner)
    client.post("/courses/etika-asn/enrol")
    response = client.post("/courses/etika-asn/enrol", follow_redirects=True)
    assert "You are already enrolled in this course." in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


def test_any_role_may_enrol(client, login, make_user, make_course, db):
    make_course(pretest=False)
    login(client, make_user(role="hr", locale="en"))
    assert client.post("/courses/etika-asn/enrol").status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Enrolment.id))) == 1


def test_enrol_in_an_unknown_course_is_404(client, login, learner):
    login(client, learner)
    assert client.post("/courses/tidak-ada/enrol").status_code == 404


def test_enrol_refuses_a_post_without_csrf_token(app_config, make_course, make_user, login):
    from portal import create_app

    make_course()
    user = make_user()
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    csrf_client = app.test_client()
    login(csrf_client, user)
    assert csrf_client.post("/courses/etika-asn/enrol").status_code == 400


# --- modules --------------------------------------------------------------------------


def test_module_page_needs_login(client, make_course):
    make_course()
    response = client.get("/courses/etika-asn/modules/modul-1")
    assert response.status_code == 302 and "/login" in response.location


def test_module_page_needs_enrolment(client, login, learner, make_course):
    make_course()
    login(client, learner)
    response = client.get("/courses/etika-asn/modules/modul-1")
    assert response.status_code == 302
    assert response.location.endswith("/courses/etika-asn")
    page = client.get(response.location).get_data(as_text=True)
    assert "Enrol in this course to open its modules." in page


def test_unknown_module_is_404_with_a_message(client, login, learner, make_course, enrolled):
    enrolled(learner, make_course())
    login(client, learner)
    response = client.get("/courses/etika-asn/modules/tidak-ada")
    assert response.status_code == 404
    assert "Module not found" in response.get_data(as_text=True)


def test_archived_module_is_404(client, login, learner, make_course, module_of, enrolled, db):
    course = make_course()
    enrolled(learner, course)
    module_of(course, 2).is_archived = True
    db.session.commit()
    login(client, learner)
    assert client.get("/courses/etika-asn/modules/modul-2").status_code == 404


def test_module_page_shows_position_navigation_and_records_the_visit(
        client, login, learner, make_course, module_of, quiz_of, enrolled, finish_attempt, db):
    course = make_course(modules=3)
    enrolment = enrolled(learner, course)
    login(client, learner)
    response = client.get("/courses/etika-asn/modules/modul-2")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Module 2 of 3" in page and "about 30 minutes" in page
    assert "<p>Isi modul 2.</p>" in page
    assert 'href="/courses/etika-asn/modules/modul-1" rel="prev"' in page
    assert 'href="/courses/etika-asn/modules/modul-3" rel="next"' in page
    assert 'class="card module-nav"' in page and 'aria-current="page"' in page
    assert 'hx-post="/courses/etika-asn/modules/modul-2/done"' in page
    assert "Mark as done" in page
    assert "Take the pre-test first." in page
    assert 'href="/courses/etika-asn/quizzes/pretest"' in page
    db.session.refresh(enrolment)
    assert enrolment.last_module_id == module_of(course, 2).id

    finish_attempt(enrolment, quiz_of(course, "pretest"), 50.0)
    page = client.get("/courses/etika-asn/modules/modul-2").get_data(as_text=True)
    assert "Take the pre-test first." not in page


def test_mark_done_with_htmx_returns_the_fragment(client, login, learner, make_course,
                                                  module_of, enrolled):
    course = make_course(modules=3)
    enrolment = enrolled(learner, course)
    login(client, learner)
    client.get("/courses/etika-asn/modules/modul-1")   # a module is done only once opened
    response = client.post("/courses/etika-asn/modules/modul-1/done",
                           headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page and 'id="module-done"' in page
    assert "Done ✓" in page
    assert 'href="/courses/etika-asn/modules/modul-2"' in page and "Next module: Modul 2" in page
    assert module_of(course, 1).id in services.done_module_ids(enrolment)
    # Out-of-band updates of the side navigation around the fragment.
    assert f'id="nav-dot-{module_of(course, 1).id}" class="status-dot done"' in page
    assert 'id="nav-done-count" class="muted small" hx-swap-oob="true">(1 of 3 done)' in page
    # The full page includes the same fragment, now in its done state.
    page = client.get("/courses/etika-asn/modules/modul-1").get_data(as_text=True)
    assert "Done ✓" in page and "Mark as done" not in page
    assert "hx-swap-oob" not in page and "(1 of 3 done)" in page


def test_mark_done_without_htmx_redirects_to_the_next_step(client, login, learner,
                                                           make_course, enrolled, db):
    from portal.progress.models import ModuleCompletion

    enrolled(learner, make_course(modules=2))
    login(client, learner)
    client.get("/courses/etika-asn/modules/modul-1")
    client.get("/courses/etika-asn/modules/modul-2")
    response = client.post("/courses/etika-asn/modules/modul-1/done")
    assert response.status_code == 302
    assert response.location.endswith("/courses/etika-asn/modules/modul-2")
    response = client.post("/courses/etika-asn/modules/modul-1/done")   # again: no change
    assert response.location.endswith("/courses/etika-asn/modules/modul-2")
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 1
    response = client.post("/courses/etika-asn/modules/modul-2/done")
    assert response.location.endswith("/courses/etika-asn/quizzes/posttest")


def test_last_module_done_with_others_left_points_to_the_first_left(client, login, learner,
                                                                    make_course, enrolled):
    enrolled(learner, make_course(modules=3))
    login(client, learner)
    client.get("/courses/etika-asn/modules/modul-3")
    response = client.post("/courses/etika-asn/modules/modul-3/done")
    assert response.location.endswith("/courses/etika-asn/modules/modul-1")


def test_mark_done_completes_a_course_without_posttest(client, login, learner, make_course,
                                                       enrolled, db):
    course = make_course(modules=1, posttest=False)
    enrolment = enrolled(learner, course)
    login(client, learner)
    client.get("/courses/etika-asn/modules/modul-1")
    response = client.post("/courses/etika-asn/modules/modul-1/done",
                           headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert "Congratulations! You have completed" in page
    assert 'href="/courses/etika-asn"' in page
    db.session.refresh(enrolment)
    assert enrolment.completed_at is not None
    assert services.certificate_for(enrolment) is not None


def test_mark_done_after_a_lost_session_returns_to_the_module(client, login, learner,
                                                              make_course, enrolled, db):
    from portal.progress.models import ModuleCompletion

    enrolled(learner, make_course())
    response = client.post("/courses/etika-asn/modules/modul-1/done")
    next_url = parse_qs(urlsplit(response.location).query)["next"][0]
    assert next_url == "/courses/etika-asn/modules/modul-1/done"
    login(client, learner)
    response = client.get(next_url)       # where the login page sends the learner back
    assert response.status_code == 302
    assert response.location.endswith("/courses/etika-asn/modules/modul-1")
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 0


def test_mark_done_needs_enrolment(client, login, learner, make_course, db):
    from portal.progress.models import ModuleCompletion

    make_course()
    login(client, learner)
    response = client.post("/courses/etika-asn/modules/modul-1/done")
    assert response.status_code == 302 and response.location.endswith("/courses/etika-asn")
    response = client.post("/courses/etika-asn/modules/modul-1/done",
                           headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response.headers["HX-Redirect"] == "/courses/etika-asn"
    assert db.session.scalar(sa.select(sa.func.count(ModuleCompletion.id))) == 0


# --- resume ---------------------------------------------------------------------------


def test_resume_follows_last_visit_then_first_undone_then_posttest(client, login, learner,
                                                                  make_course, module_of,
                                                                  enrolled, db):
    course = make_course(modules=2)
    enrolment = enrolled(learner, course)
    login(client, learner)
    assert client.get("/courses/etika-asn/resume").location.endswith("/modules/modul-1")
    client.get("/courses/etika-asn/modules/modul-2")
    assert client.get("/courses/etika-asn/resume").location.endswith("/modules/modul-2")
    open_and_mark_done(enrolment, module_of(course, 2))
    db.session.commit()
    assert client.get("/courses/etika-asn/resume").location.endswith("/modules/modul-2")
    enrolment.last_module_id = None
    db.session.commit()
    assert client.get("/courses/etika-asn/resume").location.endswith("/modules/modul-1")
    client.get("/courses/etika-asn/modules/modul-2")
    open_and_mark_done(enrolment, module_of(course, 1))
    db.session.commit()
    # Every module done: the post-test is where work remains, whatever was visited last.
    assert client.get("/courses/etika-asn/resume").location.endswith("/quizzes/posttest")


def test_resume_after_completion_returns_to_the_last_module(client, login, learner,
                                                            make_course, module_of,
                                                            enrolled, db):
    from portal.timeutil import utcnow

    course = make_course(modules=2, posttest=False)
    enrolment = enrolled(learner, course)
    for n in (1, 2):
        open_and_mark_done(enrolment, module_of(course, n))
    enrolment.completed_at = utcnow()
    db.session.commit()
    login(client, learner)
    assert client.get("/courses/etika-asn/resume").location.endswith("/courses/etika-asn")
    client.get("/courses/etika-asn/modules/modul-2")
    assert client.get("/courses/etika-asn/resume").location.endswith("/modules/modul-2")


def test_resume_needs_enrolment(client, login, learner, make_course):
    make_course()
    assert "/login" in client.get("/courses/etika-asn/resume").location
    login(client, learner)
    assert client.get("/courses/etika-asn/resume").location.endswith("/courses/etika-asn")


# --- assets ---------------------------------------------------------------------------


@pytest.fixture
def course_with_assets(app, tmp_path, make_course):
    assets = tmp_path / "content" / "etika-asn" / "assets"
    assets.mkdir(parents=True)
    (assets / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "content" / "etika-asn" / "posttest.md").write_text("KUNCI-JAWABAN")
    (tmp_path / "content" / "secret.txt").write_text("KUNCI-JAWABAN")
    app.config["CONTENT_DIR"] = str(tmp_path / "content")
    return make_course()


def test_asset_is_served_with_cache_headers(client, course_with_assets):
    response = client.get("/courses/etika-asn/assets/diagram.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert "max-age=3600" in response.headers["Cache-Control"]
    assert "no-store" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("path", [
    "/courses/etika-asn/assets/..%2Fposttest.md",
    "/courses/etika-asn/assets/..%2F..%2Fsecret.txt",
    "/courses/etika-asn/assets/%2E%2E/posttest.md",
    "/courses/etika-asn/assets/..\\posttest.md",
])
def test_asset_path_traversal_is_refused(client, course_with_assets, path):
    response = client.get(path)
    assert response.status_code == 404
    assert b"KUNCI-JAWABAN" not in response.data


def test_unknown_asset_or_course_is_404(client, course_with_assets):
    assert client.get("/courses/etika-asn/assets/missing.png").status_code == 404
    assert client.get("/courses/tidak-ada/assets/diagram.svg").status_code == 404


# --- teaching -------------------------------------------------------------------------


def test_teaching_is_for_instructors_and_admins(client, login, make_user):
    response = client.get("/teaching")
    assert response.status_code == 302 and "/login" in response.location
    login(client, make_user(role="peserta"))
    assert client.get("/teaching").status_code == 403
    login(client, make_user(role="hr"))
    assert client.get("/teaching").status_code == 403
    login(client, make_user(role="admin"))
    assert client.get("/teaching").status_code == 200


def test_teaching_lists_counts_and_average_scores(client, login, make_user, make_course,
                                                  module_of, quiz_of, enrolled,
                                                  finish_attempt, db):
    course = make_course(modules=1)
    make_course(slug="kosong", title="Kursus Kosong", code="KSG-01", is_published=False)
    a, b = enrolled(make_user(), course), enrolled(make_user(), course)
    enrolled(make_user(), course)
    finish_attempt(a, quiz_of(course, "pretest"), 40.0)
    finish_attempt(b, quiz_of(course, "pretest"), 60.0)
    finish_attempt(a, quiz_of(course, "posttest"), 70.0)
    finish_attempt(b, quiz_of(course, "posttest"), 90.0)
    for e in (a, b):
        open_and_mark_done(e, module_of(course, 1))
        complete(e)
    db.session.commit()
    login(client, make_user(role="instructor", locale="en"))
    page = client.get("/teaching").get_data(as_text=True)
    row = page[page.index("Etika dan Integritas ASN"):]
    row = row[:row.index("</tr>")]
    cells = [c.split("</td>")[0].strip() for c in row.split("<td>")[1:]]
    assert cells[:4] == ["3", "2", "50%", "80%"]
    assert cells[4].startswith("0.60") and "medium" in cells[4]     # (80-50)/(100-50)
    assert "Kursus Kosong" in page and "not published" in page
