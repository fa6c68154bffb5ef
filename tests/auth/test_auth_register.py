"""Registration at /register."""

import pytest
import sqlalchemy as sa
from flask_login import current_user

from portal.auth.models import User
from tests.factories import NEW_PASSWORD, user_count


def get_user(db, **where):
    return db.session.scalars(sa.select(User).filter_by(**where)).one_or_none()


def test_form_offers_ranks_and_active_units(en_client, db, opd):
    opd_inactive = db.session.scalars(
        sa.select(type(opd)).where(type(opd).code == "RSJD",
                type(opd).agency_id == opd.agency_id)).one()
    opd_inactive.is_active = False
    db.session.commit()
    page = en_client.get("/register").get_data(as_text=True)
    assert "Juru Muda, I/a" in page
    assert "Pembina Utama, IV/e" in page
    assert "PPPK Golongan XVII" in page
    assert "Dinas Komunikasi dan Informatika" in page
    assert "Rumah Sakit Jiwa Daerah" not in page


def test_ranks_are_the_17_pns_ranks_and_17_pppk_grades():
    from portal.auth.ranks import PNS_RANKS, PPPK_GRADES

    assert len(PNS_RANKS) == len(set(PNS_RANKS)) == 17
    assert PNS_RANKS[0] == "Juru Muda, I/a"
    assert PNS_RANKS[9] == "Penata Muda Tk. I, III/b"
    assert PNS_RANKS[-1] == "Pembina Utama, IV/e"
    assert len(PPPK_GRADES) == 17
    assert PPPK_GRADES[0] == "PPPK Golongan I" and PPPK_GRADES[-1] == "PPPK Golongan XVII"


def test_success_creates_a_learner_logs_in_and_goes_to_the_catalogue(en_client, db, registration):
    with en_client:
        response = en_client.post("/register", data={**registration, "role": "admin"})
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/courses")
        assert current_user.is_authenticated
        user = get_user(db, nip="199003142015032001")
        assert current_user.id == user.id
    assert user.email == "rina.marlina@jambiprov.go.id"
    assert user.roles == {"peserta"}
    assert user.display_name == "Rina Marlina, S.E."
    assert user.opd.code == "DISKOMINFO"
    assert user.pangkat_golongan == "Penata Muda Tk. I, III/b"
    assert user.locale == "en"
    assert user.password_hash.startswith("pbkdf2:sha256:1$")  # the configured method
    with en_client.session_transaction() as sess:
        flashes = sess.get("_flashes", [])
    assert ("success", "Welcome, Rina Marlina, S.E.! Your account is ready. Choose a course to "
                       "start.") in flashes


def test_duplicate_nip_is_refused_on_the_nip_field(en_client, db, make_user, registration):
    make_user(nip="199003142015032001", email="other@jambiprov.go.id")
    before = user_count()
    response = en_client.post("/register", data=registration)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="nip-error">An account with this NIP / NI PPPK already exists.' in page
    assert 'value="Pranata Komputer Ahli Pertama"' in page
    assert 'value="Rina Marlina"' in page
    assert NEW_PASSWORD not in page
    assert user_count() == before


def test_duplicate_email_is_refused_whatever_its_case(en_client, db, make_user, registration):
    make_user(email="rina.marlina@jambiprov.go.id")
    before = user_count()
    response = en_client.post("/register", data=registration)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="email-error">This email address is already used by another account.' in page
    assert user_count() == before


@pytest.mark.parametrize("nip, message", [
    ("19860231 201505 1 001", "The birth date in the NIP / NI PPPK (digits 1–8) is not a real date."),
    ("19860926 201513 1 001", "The appointment year and month in the NIP (digits 9–14) are not "
                              "a real month. An NI PPPK has 21 in digits 13–14 instead of a "
                              "month."),
    ("19860926 201505 3 001", "The 15th digit of the NIP / NI PPPK (gender) must be 1 or 2."),
    ("19860926 201505 1 00", "A NIP / NI PPPK has 18 digits; you typed 17."),
])
def test_invalid_nip_shows_the_specific_message(en_client, registration, nip, message):
    response = en_client.post("/register", data={**registration, "nip": nip})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="nip-error">{message}</p>' in page
    assert f'value="{nip}"' in page  # kept as typed
    assert user_count() == 0


def test_invalid_nip_message_is_on_the_field_in_the_default_language(client, registration):
    response = client.post("/register", data={**registration, "nip": "198602312015051001"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in page and 'id="nip-error"' in page


@pytest.mark.parametrize("changes, field", [
    ({"password": "pendek", "confirm": "pendek"}, "password"),
    ({"confirm": "something-else-2026"}, "confirm"),
    ({"full_name": "   "}, "full_name"),
    ({"email": "not-an-email"}, "email"),
    ({"pangkat_golongan": "Jenderal, X/z"}, "pangkat_golongan"),
    ({"pangkat_golongan": ""}, "pangkat_golongan"),
    ({"opd_id": ""}, "opd_id"),
    ({"opd_id": "999999"}, "opd_id"),
    ({"opd_id": "abc"}, "opd_id"),
    ({"jabatan": ""}, "jabatan"),
])
def test_invalid_fields_are_marked_and_nothing_is_created(en_client, registration, changes,
                                                          field):
    response = en_client.post("/register", data={**registration, **changes})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page
    assert user_count() == 0


def test_optional_titles_may_be_empty_and_pppk_grade_is_accepted(en_client, db, registration):
    data = {**registration, "nip": "19900314 202321 2 001", "name_suffix": "",
            "pangkat_golongan": "PPPK Golongan IX"}
    assert en_client.post("/register", data=data).status_code == 302
    user = get_user(db, nip="199003142023212001")
    assert user.display_name == "Rina Marlina"
    assert user.pangkat_golongan == "PPPK Golongan IX"


def test_logged_in_user_is_sent_to_the_catalogue(client, make_user, login):
    login(client, make_user())
    response = client.get("/register")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/courses")


def test_duplicate_nip_and_email_are_reported_together(en_client, make_user, registration):
    make_user(nip="199003142015032001", email="rina.marlina@jambiprov.go.id")
    response = en_client.post("/register", data={**registration, "jabatan": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="nip-error"' in page and 'id="email-error"' in page and 'id="jabatan-error"' in page


def test_duplicate_found_only_by_the_service_is_still_on_its_field(en_client, make_user,
                                                                  registration, monkeypatch):
    """Another registration may take the NIP between the form check and the save."""
    from portal.auth import forms

    monkeypatch.setattr(forms, "nip_taken", lambda nip: False)
    make_user(nip="199003142015032001", email="other@jambiprov.go.id")
    response = en_client.post("/register", data=registration)
    assert response.status_code == 422
    assert 'id="nip-error">An account with this NIP / NI PPPK already exists.' in response.get_data(
        as_text=True)
    assert user_count() == 1


def test_unique_constraint_at_commit_is_reported_on_the_field(en_client, make_user,
                                                              registration, monkeypatch):
    """When both checks miss (a race), the database constraint still gives a clear 422."""
    from portal.auth import forms, services

    monkeypatch.setattr(forms, "email_taken", lambda email: False)
    real = services.email_taken
    calls = []

    def first_miss(email, exclude=None):
        calls.append(email)
        return False if len(calls) == 1 else real(email, exclude)

    monkeypatch.setattr(services, "email_taken", first_miss)
    make_user(email="rina.marlina@jambiprov.go.id")
    response = en_client.post("/register", data=registration)
    assert response.status_code == 422
    assert 'id="email-error">This email address is already used by another account.' in \
        response.get_data(as_text=True)
    assert user_count() == 1
