"""A stale CSRF token re-renders the auth forms with what was typed (status 400)."""

import re

import pytest
import sqlalchemy as sa

from portal.auth.models import Opd, User
from portal.extensions import db
from tests.factories import NEW_PASSWORD, set_english, user_count
from tests.factories import DEFAULT_PASSWORD

EXPIRED = "This form had expired, so it was not saved."
EMAIL = "siti@jambiprov.go.id"


@pytest.fixture
def csrf_client(csrf_app):
    test_client = csrf_app.test_client()
    set_english(test_client)
    return test_client


def form_token(page: str) -> str:
    match = re.search(r'id="csrf_token" name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the form renders its CSRF token"
    return match.group(1)


def registration_data(csrf_app):
    with csrf_app.app_context():
        opd_id = db.session.scalars(sa.select(Opd.id).where(Opd.code == "DISKOMINFO",
                Opd.agency.has(code="15"))).one()
    return {
        "nip": "19900314 201503 2 001", "name_prefix": "", "full_name": "Rina Marlina",
        "name_suffix": "S.E.", "email": "rina@jambiprov.go.id", "password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "pangkat_golongan": "Penata Muda Tk. I, III/b",
        "jabatan": "Pranata Komputer Ahli Pertama", "opd_id": str(opd_id),
    }


def make_account(csrf_app) -> None:
    from portal.auth.services import create_user

    with csrf_app.app_context():
        create_user(email=EMAIL, password=DEFAULT_PASSWORD, full_name="Siti Rahmawati",
                    nip="198609262015052001", jabatan="Analis")
        db.session.commit()


def account(csrf_app) -> dict:
    with csrf_app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == EMAIL)).one()
        return {"jabatan": user.jabatan}


def count(csrf_app) -> int:
    with csrf_app.app_context():
        return user_count()


def log_in(csrf_client) -> None:
    page = csrf_client.get("/login").get_data(as_text=True)
    response = csrf_client.post("/login", data={"identifier": EMAIL,
                                                "password": DEFAULT_PASSWORD,
                                                "csrf_token": form_token(page)})
    assert response.status_code == 302


def test_stale_token_on_register_keeps_what_was_typed(csrf_app, csrf_client):
    data = registration_data(csrf_app)
    csrf_client.get("/register")
    response = csrf_client.post("/register", data={**data, "csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="Rina Marlina"' in page
    assert 'value="Pranata Komputer Ahli Pertama"' in page
    assert 'value="19900314 201503 2 001"' in page
    assert NEW_PASSWORD not in page
    assert count(csrf_app) == 0
    # the re-rendered form carries a fresh token that works
    response = csrf_client.post("/register", data={**data, "csrf_token": form_token(page)})
    assert response.status_code == 302
    assert count(csrf_app) == 1


def test_missing_token_on_register_is_400_too(csrf_app, csrf_client):
    response = csrf_client.post("/register", data=registration_data(csrf_app))
    assert response.status_code == 400
    assert 'value="Rina Marlina"' in response.get_data(as_text=True)
    assert count(csrf_app) == 0


def test_stale_token_on_login_counts_no_failure(csrf_app, csrf_client):
    make_account(csrf_app)
    csrf_client.get("/login")
    response = csrf_client.post("/login", data={"identifier": EMAIL,
                                                "password": "not-the-password",
                                                "csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert f'value="{EMAIL}"' in page
    for _ in range(5):  # more than the throttle allows, had they counted
        csrf_client.post("/login", data={"identifier": EMAIL, "password": "not-the-password",
                                         "csrf_token": "stale"})
    response = csrf_client.post("/login", data={"identifier": EMAIL,
                                                "password": DEFAULT_PASSWORD,
                                                "csrf_token": form_token(page)})
    assert response.status_code == 302


def test_stale_token_on_profile_keeps_the_edit_unsaved(csrf_app, csrf_client):
    make_account(csrf_app)
    log_in(csrf_client)
    response = csrf_client.post("/profile", data={
        "full_name": "Siti Baru", "jabatan": "Jabatan Baru", "email": EMAIL,
        "pangkat_golongan": "Penata, III/c", "opd_id": "", "locale": "en",
        "csrf_token": "stale"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert EXPIRED in page
    assert 'value="Jabatan Baru"' in page and 'value="Siti Baru"' in page
    assert account(csrf_app)["jabatan"] == "Analis"


def test_stale_token_on_change_password_changes_nothing(csrf_app, csrf_client):
    make_account(csrf_app)
    log_in(csrf_client)
    response = csrf_client.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD, "csrf_token": "stale"})
    assert response.status_code == 400
    assert EXPIRED in response.get_data(as_text=True)
    with csrf_app.app_context():
        from portal.auth.services import authenticate
        from portal.timeutil import utcnow

        assert authenticate(EMAIL, DEFAULT_PASSWORD, utcnow()).email == EMAIL


def test_logout_without_token_is_refused(csrf_app, csrf_client):
    make_account(csrf_app)
    log_in(csrf_client)
    response = csrf_client.post("/logout")
    assert response.status_code == 400
    assert csrf_client.get("/profile").status_code == 200  # still logged in
