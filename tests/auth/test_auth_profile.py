"""Profile at /profile and password change at /profile/password."""

import flask_babel
import sqlalchemy as sa
from flask_login import current_user

from portal.auth.models import Opd
from portal.auth.services import authenticate
from portal.timeutil import utcnow
from tests.factories import NEW_PASSWORD, set_english
from tests.factories import DEFAULT_PASSWORD


def profile_data(user, **changes):
    data = {
        "name_prefix": user.name_prefix, "full_name": user.full_name,
        "name_suffix": user.name_suffix, "pangkat_golongan": user.pangkat_golongan,
        "jabatan": user.jabatan, "opd_id": str(user.opd_id), "email": user.email,
        "locale": "en",
    }
    return {**data, **changes}


def test_profile_requires_login(client):
    assert client.get("/profile").status_code == 302
    assert client.get("/profile/password").status_code == 302


def test_profile_shows_the_grouped_nip_and_data(en_client, make_user, login):
    user = make_user(nip="198609262015051321", name_prefix="Dr.", full_name="Siti Rahmawati",
                     name_suffix="S.Kom., M.T.")
    login(en_client, user)
    response = en_client.get("/profile")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "19860926 201505 1 321" in page
    assert "Dr. Siti Rahmawati, S.Kom., M.T." in page
    assert "Penata Muda Tk. I, III/b" in page
    assert "Learner (peserta)" in page
    assert '<option selected value="Penata Muda Tk. I, III/b">' in page
    assert f'<option selected value="{user.opd_id}">' in page


def test_profile_edit_saves_every_field(en_client, make_user, login, db):
    user = make_user()
    bappeda = db.session.scalars(sa.select(Opd).where(Opd.code == "BAPPEDA",
            Opd.agency.has(code="15"))).one()
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(
        user, name_prefix="Ir.", full_name="Siti Rahmah", name_suffix="M.T.",
        pangkat_golongan="Penata, III/c", jabatan="Perencana Ahli Muda",
        opd_id=str(bappeda.id), email="Siti.Baru@Jambiprov.go.id", locale="id"))
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profile")
    db.session.refresh(user)
    assert user.display_name == "Ir. Siti Rahmah, M.T."
    assert user.pangkat_golongan == "Penata, III/c"
    assert user.jabatan == "Perencana Ahli Muda"
    assert user.opd_id == bappeda.id
    assert user.email == "siti.baru@jambiprov.go.id"
    assert user.locale == "id"
    with en_client.session_transaction() as sess:
        assert sess["locale"] == "id"


def test_profile_language_choice_changes_the_ui(client, make_user, login, db):
    user = make_user()
    login(client, user)
    client.post("/profile", data=profile_data(user, locale="en"))
    db.session.refresh(user)
    assert user.locale == "en"
    # The test app keeps one app context (and so one ``g``) across requests; drop the locale
    # Flask-Babel cached there, as a fresh request would.
    flask_babel.refresh()
    page = client.get("/profile").get_data(as_text=True)
    assert '<html lang="en">' in page


def test_profile_refuses_another_users_email(en_client, make_user, login, db):
    make_user(email="budi@jambiprov.go.id")
    user = make_user(email="siti@jambiprov.go.id")
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(
        user, email="BUDI@jambiprov.go.id", jabatan="Jabatan Baru"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error">This email address is already used by another account.' in page
    assert 'value="Jabatan Baru"' in page  # what was typed is kept
    db.session.refresh(user)
    assert user.email == "siti@jambiprov.go.id"
    assert user.jabatan != "Jabatan Baru"


def test_profile_keeps_a_saved_rank_that_is_not_on_the_list(en_client, make_user, login, db):
    user = make_user(pangkat_golongan="Honorer")
    login(en_client, user)
    page = en_client.get("/profile").get_data(as_text=True)
    assert '<option selected value="Honorer">' in page
    response = en_client.post("/profile", data=profile_data(user, jabatan="Analis"))
    assert response.status_code == 302


def test_profile_keeps_a_deactivated_unit_but_refuses_choosing_one(en_client, make_user, login,
                                                                 db):
    user = make_user()
    other = db.session.scalars(sa.select(Opd).where(Opd.code == "RSJD",
            Opd.agency.has(code="15"))).one()
    other.is_active = False
    user.opd.is_active = False
    db.session.commit()
    login(en_client, user)
    assert en_client.post("/profile", data=profile_data(user)).status_code == 302
    response = en_client.post("/profile", data=profile_data(user, opd_id=str(other.id)))
    assert response.status_code == 422
    assert 'id="opd_id-error"' in response.get_data(as_text=True)


def test_profile_cannot_change_nip_or_role(en_client, make_user, login, db):
    user = make_user(nip="198609262015051322")
    login(en_client, user)
    en_client.post("/profile", data=profile_data(user, nip="199003142015032001", role="admin"))
    db.session.refresh(user)
    assert user.nip == "198609262015051322"
    assert user.roles == {"peserta"}


def test_change_password_wrong_current_is_a_field_error(en_client, make_user, login, db):
    user = make_user()
    login(en_client, user)
    response = en_client.post("/profile/password", data={
        "current_password": "not-the-password", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="current_password-error">The current password is wrong.' in page
    db.session.refresh(user)
    assert authenticate(user.email, DEFAULT_PASSWORD, utcnow()) is user


def test_change_password_mismatch_and_short(en_client, make_user, login):
    login(en_client, make_user())
    mismatch = en_client.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD + "x"})
    assert mismatch.status_code == 422
    assert 'id="confirm-error">The two passwords are not the same.' in mismatch.get_data(
        as_text=True)
    short = en_client.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert "Use at least 10 characters." in short.get_data(as_text=True)


def test_change_password_success(en_client, make_user, login, db):
    user = make_user()
    login(en_client, user)
    assert en_client.get("/profile/password").status_code == 200
    response = en_client.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/profile")
    db.session.refresh(user)
    assert authenticate(user.email, NEW_PASSWORD, utcnow()) is user
    # and through the login form after logging out
    en_client.post("/logout")
    set_english(en_client)
    with en_client:
        en_client.post("/login", data={"identifier": user.email, "password": NEW_PASSWORD})
        assert current_user.is_authenticated


def test_profile_shows_every_role_and_the_supervisor(en_client, make_user, login, db):
    boss = make_user(full_name="Hendra Saputra", name_suffix="M.Si.",
                     nip="197805122003121002")
    user = make_user(role="instructor", supervisor_id=boss.id)
    login(en_client, user)
    page = en_client.get("/profile").get_data(as_text=True)
    assert "Learner (peserta), Instructor (widyaiswara)" in page
    assert "Direct supervisor" in page
    assert "Hendra Saputra, M.Si." in page and "19780512 200312 1 002" in page
