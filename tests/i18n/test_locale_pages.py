"""Pages speak Indonesian by default and English after the language switch."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from tests.factories import CONTENT_DIR


@pytest.fixture
def shipped_courses(db):
    """The courses shipped in content/, imported as ``flask content import`` does."""
    from portal.courses.importer import import_all
    from portal.courses.models import Course

    import_all(CONTENT_DIR)
    db.session.commit()
    return db.session.scalars(sa.select(Course).order_by(Course.slug)).all()


def page(client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def switch_to_english(client) -> None:
    response = client.post("/locale", data={"locale": "en", "next": "/login"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/login")


def module_count(db, course) -> int:
    from portal.courses.models import Module

    return db.session.scalar(sa.select(sa.func.count()).select_from(Module)
                             .where(Module.course_id == course.id))


def test_home_and_login_are_indonesian_by_default(client):
    home = page(client, "/")
    assert '<html lang="id">' in home
    assert "Masuk" in home and "Daftar dengan NIP / NI PPPK Anda" in home
    assert "Log in" not in home and "Register" not in home
    login = page(client, "/login")
    assert "<h1>Masuk</h1>" in login
    assert "Kata sandi" in login and "Belum punya akun?" in login
    assert "Log in" not in login and "Password" not in login


def test_catalogue_is_indonesian_by_default_with_the_indonesian_plural(db, client,
                                                                        shipped_courses):
    catalogue = page(client, "/courses")
    course = shipped_courses[0]
    assert "<h1>Pelatihan</h1>" in catalogue
    assert "Cari pelatihan berdasarkan judul" in catalogue
    assert f"{module_count(db, course)} modul " in catalogue
    assert "Search courses by title" not in catalogue and " modules" not in catalogue


def test_language_switch_turns_the_pages_english(db, client, shipped_courses):
    switch_to_english(client)
    home = page(client, "/")
    assert '<html lang="en">' in home
    assert "Log in" in home and "Register with your NIP / NI PPPK" in home
    assert "Masuk" not in home
    login = page(client, "/login")
    assert "<h1>Log in</h1>" in login and "Password" in login
    assert "Kata sandi" not in login
    catalogue = page(client, "/courses")
    assert "<h1>Courses</h1>" in catalogue and "Search courses by title" in catalogue
    assert f"{module_count(db, shipped_courses[0])} modules" in catalogue
    assert "Cari pelatihan" not in catalogue


def test_switching_back_to_indonesian_and_ignoring_unknown_locales(client):
    switch_to_english(client)
    client.post("/locale", data={"locale": "fr"})
    assert "<h1>Log in</h1>" in page(client, "/login")
    client.post("/locale", data={"locale": "id"})
    assert "<h1>Masuk</h1>" in page(client, "/login")


def test_lazy_strings_follow_the_request_locale(client):
    """Form labels and the login message are lazy strings made at import time; they are
    translated per request."""
    response = client.get("/dashboard")
    assert response.status_code == 302
    login = page(client, response.headers["Location"])
    assert "Silakan masuk untuk membuka halaman tersebut." in login
    assert "NIP atau email" in login
    errors = client.post("/login", data={"identifier": "", "password": ""})
    assert "Masukkan NIP atau alamat email Anda." in errors.get_data(as_text=True)
    switch_to_english(client)
    errors = client.post("/login", data={"identifier": "", "password": ""})
    assert "Enter your NIP or email address." in errors.get_data(as_text=True)


def test_a_logged_in_user_keeps_the_chosen_language_on_the_account(app, db, make_user, login):
    user = make_user()
    first = login(app.test_client(), user)
    first.post("/locale", data={"locale": "en"})
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = login(app.test_client(), user)
    assert "<h1>My profile</h1>" in page(other_device, "/profile")


def test_dates_use_indonesian_month_names(app, db, make_user, login):
    # 16 August 2026 18:30 UTC is 17 August 2026 01:30 WIB.
    user = make_user(created_at=datetime(2026, 8, 16, 18, 30, tzinfo=timezone.utc),
                     last_login_at=datetime(2026, 8, 16, 18, 30, tzinfo=timezone.utc))
    client = login(app.test_client(), user)
    profile = page(client, "/profile")
    assert "17 Agustus 2026" in profile
    assert "17 Agustus 2026 pukul 01.30 WIB" in profile
    assert "August" not in profile
    client.post("/locale", data={"locale": "en"})
    profile = page(client, "/profile")
    assert "August 17, 2026" in profile
    assert "Agustus" not in profile
