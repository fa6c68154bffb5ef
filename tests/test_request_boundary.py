"""The request boundary refuses control characters with a clear 400 (Indonesian by default)
before any view, CSRF check or database sees them: on PostgreSQL a NUL in a query used to be
a 500. The suite runs on SQLite and PostgreSQL, so every input here is checked on both."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.request_boundary import (control_character_in_address, control_character_in_fields,
                                     control_character_in_json)
from tests.factories import DEFAULT_PASSWORD

ADDRESS_ID = "Alamat yang Anda buka berisi karakter kendali"
FIELD_ID = "Isian yang Anda kirim berisi karakter kendali"
FIELD_EN = "Something you sent contains a control character"


def main_text(response) -> str:
    body = response.get_data(as_text=True)
    match = re.search(r"<main.*?</main>", body, re.S)
    assert match, body[:300]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def registration(opd_id: int, **changes) -> dict:
    return {"nip": "19900314 201503 2 001", "full_name": "Rina Marlina",
            "email": "rina@jambiprov.go.id", "password": "Pinang-Masak-2026",
            "confirm": "Pinang-Masak-2026", "pangkat_golongan": "Penata Muda Tk. I, III/b",
            "jabatan": "Analis", "opd_id": str(opd_id), **changes}


def first_opd_id(db) -> int:
    from portal.auth.models import Opd

    return db.session.scalars(sa.select(Opd.id).order_by(Opd.id)).first()


@pytest.mark.parametrize("url", [
    "/courses?q=a%00b",
    "/courses?q=%01",
    "/courses?a%00=1",
    "/courses?q=tab%09inside",      # a tab in a search box is no text
    "/courses?q=%C2%85",            # U+0085, a C1 control
    "/attempts/%00",
    "/courses/a%7Fb",
    "/verify/AAAA%00",
])
def test_a_control_character_in_the_address_is_a_400_in_indonesian(client, url):
    response = client.get(url)
    assert response.status_code == 400
    text = main_text(response)
    assert ADDRESS_ID in text
    assert "Permintaan tidak valid" in text


def test_the_hr_search_with_a_nul_is_a_400(client, login, make_user):
    login(client, make_user(role="hr"))
    response = client.get("/hr/certificates?q=%00")
    assert response.status_code == 400
    assert ADDRESS_ID in main_text(response)
    response = client.get("/hr/certificates?q=19860926%00")
    assert response.status_code == 400


def test_an_attempt_path_with_a_nul_is_a_400_when_logged_in_too(client, login, make_user):
    login(client, make_user())
    for url in ("/attempts/%00", "/attempts/%00/review", "/attempts/abc%00def"):
        assert client.get(url).status_code == 400, url
    assert client.post("/attempts/%00/save").status_code == 400


def test_registration_with_a_nul_in_a_field_is_a_400_and_creates_nothing(client, db):
    opd_id = first_opd_id(db)
    for field in ("full_name", "email", "nip", "jabatan", "password"):
        response = client.post("/register", data=registration(opd_id, **{field: "Rina\x00"}))
        assert response.status_code == 400, field
        assert FIELD_ID in main_text(response)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0
    # the same form without the NUL goes through
    assert client.post("/register", data=registration(opd_id)).status_code == 302


def test_a_control_character_in_a_field_name_is_refused(client, db):
    response = client.post("/register", data={**registration(first_opd_id(db)), "x\x00": "1"})
    assert response.status_code == 400


def test_profile_with_a_nul_is_a_400_and_saves_nothing(client, login, make_user, db):
    user = make_user(jabatan="Analis Kebijakan")
    login(client, user)
    form = {"full_name": user.full_name, "email": user.email,
            "pangkat_golongan": user.pangkat_golongan, "jabatan": "Analis\x00Kebijakan",
            "opd_id": str(user.opd_id), "locale": "id", "name_suffix": "\x1b[31m"}
    response = client.post("/profile", data=form)
    assert response.status_code == 400
    assert FIELD_ID in main_text(response)
    db.session.refresh(user)
    assert user.jabatan == "Analis Kebijakan"


def test_login_with_a_nul_is_a_400(client, make_user):
    user = make_user()
    response = client.post("/login", data={"identifier": user.email + "\x00",
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 400
    response = client.post("/login", data={"identifier": "1986\x000926",
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 400


def test_tabs_and_newlines_stay_allowed_in_form_text(client, make_user, login, db):
    user = make_user()
    login(client, user)
    form = {"full_name": user.full_name, "email": user.email,
            "pangkat_golongan": user.pangkat_golongan, "jabatan": "Analis\tKebijakan\r\n",
            "opd_id": str(user.opd_id), "locale": "id"}
    response = client.post("/profile", data=form)
    assert response.status_code == 302
    db.session.refresh(user)
    # The boundary lets the tab through; a one-line printed field turns it into a space.
    assert user.jabatan == "Analis Kebijakan"


def test_a_json_body_with_a_control_character_gets_a_json_400(client, make_user, login):
    login(client, make_user())
    response = client.post("/attempts/" + "0" * 32 + "/save",
                           json={"q1": "a\x00b"}, headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.is_json
    assert response.get_json()["error"] == "control_character"
    assert FIELD_ID in response.get_json()["message"]
    # a JSON key counts too; a newline in a string does not
    assert client.post("/locale", json={"a\x07": "x"}).status_code == 400
    assert client.post("/locale", json={"text": "two\nlines"}).status_code == 302


def test_the_message_follows_the_chosen_language(client):
    client.post("/locale", data={"locale": "en"})
    response = client.post("/locale", data={"locale": "en", "next": "/\x00"})
    assert response.status_code == 400
    assert FIELD_EN in main_text(response)


def test_the_boundary_runs_before_the_csrf_check(app_config):
    """A NUL in a form without a valid CSRF token is still the clear 400 about the NUL (the
    CSRF check would re-render the form through the view, with the NUL)."""
    from portal import create_app
    from portal.extensions import db

    application = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    try:
        response = application.test_client().post("/register", data={"full_name": "a\x00"})
        assert response.status_code == 400
        assert FIELD_ID in main_text(response)
    finally:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def test_the_pure_checks():
    from werkzeug.datastructures import FileStorage, MultiDict

    assert not control_character_in_address("/courses", MultiDict({"q": "pelayanan publik"}))
    assert control_character_in_address("/courses\x00", MultiDict())
    assert control_character_in_address("/courses", MultiDict({"q": "a\nb"}))
    assert not control_character_in_fields(MultiDict({"t": "a\tb\r\nc"}), MultiDict())
    assert control_character_in_fields(MultiDict({"t": "a\x0bb"}), MultiDict())
    assert control_character_in_fields(MultiDict({"a\n": "x"}), MultiDict())
    assert control_character_in_fields(
        MultiDict(), MultiDict({"f": FileStorage(filename="cv\x00.pdf")}))
    assert not control_character_in_json({"a": ["x\ny", 1, None, {"b": "\t"}]})
    assert control_character_in_json({"a": ["ok", {"b": "\x00"}]})
    assert control_character_in_json(["\u009f"])


def test_ids_are_parsed_at_the_boundary_within_the_column_range():
    from portal.request_boundary import ID_MAX, parse_id

    assert ID_MAX == 2**31 - 1
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7 and parse_id(5) == 5
    assert parse_id(str(ID_MAX)) == ID_MAX
    for bad in (str(ID_MAX + 1), "99999999999999999999", "0", "-3", "+3", "3.0", "1e3", "",
                None, "١٢", True, 0, ID_MAX + 1):
        assert parse_id(bad) is None, bad
    assert parse_id("0", low=0) == 0
