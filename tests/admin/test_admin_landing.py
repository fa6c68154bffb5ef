"""Each role lands on its own work page after login; the admin's landing page counts."""

from __future__ import annotations

import pytest

from portal.certificates.models import Certificate
from tests.factories import DEFAULT_PASSWORD, ISSUE_MOMENT, create_course, create_enrolment


def log_in(client, user, **query):
    return client.post("/login", query_string=query,
                       data={"identifier": user.email, "password": DEFAULT_PASSWORD})


@pytest.mark.parametrize(("roles", "landing"), [
    ({"peserta"}, "/dashboard"),
    ({"peserta", "instructor"}, "/teaching"),
    ({"hr"}, "/hr/certificates"),
    ({"peserta", "instructor", "hr"}, "/hr/certificates"),
    ({"peserta", "instructor", "hr", "admin"}, "/admin"),
    ({"admin"}, "/admin"),
    (set(), "/dashboard"),
])
def test_each_role_lands_on_its_work_page_the_highest_first(client, make_user, roles, landing):
    user = make_user(roles=roles)
    response = log_in(client, user)
    assert response.status_code == 302
    assert response.headers["Location"] == landing
    assert client.get("/login").headers["Location"] == landing  # already logged in


def test_next_wins_over_the_landing_page(client, make_user):
    response = log_in(client, make_user(role="admin"), next="/courses")
    assert response.headers["Location"] == "/courses"


def test_a_foreign_next_is_ignored(client, make_user):
    response = log_in(client, make_user(role="hr"), next="https://evil.example/")
    assert response.headers["Location"] == "/hr/certificates"


@pytest.mark.time_machine(ISSUE_MOMENT, tick=False)
def test_the_admin_page_counts_users_learners_courses_and_this_years_certificates(
        db, admin_client, make_user):
    learner, finished, gone = make_user(), make_user(), make_user()
    course, older = create_course(db), create_course(db)
    create_enrolment(db, learner, course, completed=False)
    create_enrolment(db, gone, course, completed=False)
    gone.is_active_account = False
    done = [create_enrolment(db, finished, c, completed=True) for c in (course, older)]
    # 31 Dec 2025 16.59 UTC is 23.59 WIB on 31 Dec 2025: last year in WIB.
    for number, issued in enumerate((ISSUE_MOMENT, ISSUE_MOMENT.replace(
            year=2025, month=12, day=31, hour=16, minute=59))):
        db.session.add(Certificate(code=f"C{number}", number=f"N{number}",
                                   enrolment_id=done[number].id, user_id=finished.id,
                                   issued_at=issued, snapshot={}))
    db.session.commit()
    page = admin_client.get("/admin").get_data(as_text=True)
    assert '<td id="count-users">4</td>' in page  # the admin too
    assert '<td id="count-learners">1</td>' in page  # not the deactivated one
    assert '<td id="count-courses">2</td>' in page
    assert '<td id="count-certificates">1</td>' in page
    assert "Certificates issued in 2026" in page
    assert 'href="/admin/users"' in page and 'href="/admin/audit"' in page


def test_the_menu_shows_administration_to_admins_only(client, make_user, login):
    login(client, make_user(role="hr"))
    assert 'href="/admin"' not in client.get("/dashboard").get_data(as_text=True)
    login(client, make_user(role="admin"))
    assert 'href="/admin"' in client.get("/dashboard").get_data(as_text=True)


def test_the_admin_pages_speak_indonesian_by_default(db, client, make_user, login):
    admin = make_user(role="admin")
    login(client, admin)
    pages = {path: client.get(path).get_data(as_text=True) for path in (
        "/admin", "/admin/users", f"/admin/users/{admin.id}", "/admin/audit",
        "/admin/agencies", "/admin/agencies/1")}
    assert "Portal dalam angka" in pages["/admin"]
    assert "1 akun ditemukan." in pages["/admin/users"]
    assert "Perbaiki NIP" in pages[f"/admin/users/{admin.id}"]
    assert "Log audit" in pages["/admin/audit"]
    assert "Tambah instansi" in pages["/admin/agencies"]
    assert "Tambah unit kerja" in pages["/admin/agencies/1"]
    english = ("Accounts", "Audit log", "Correct the NIP", "Add a work unit", "Any role",
               "Deactivate", "The portal in figures", "Region code")
    for path, body in pages.items():
        for text in english:
            assert f">{text}<" not in body, (path, text)
