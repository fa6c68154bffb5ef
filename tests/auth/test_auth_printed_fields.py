"""Fields printed on certificates refuse what a certificate cannot show, naming it, in the
user's language, and keep what was typed (registration, profile, ``flask users create``)."""

import pytest
import sqlalchemy as sa

from portal.auth.models import User
from portal.auth.services import AccountError, create_user
from tests.factories import NEW_PASSWORD, user_count
from tests.auth.test_auth_profile import profile_data


@pytest.mark.parametrize("field, typed, named", [
    ("full_name", "Budi 😀 Santoso", "“😀” (U+1F600 GRINNING FACE)"),
    ("full_name", "Budi ꦱ", "“ꦱ” (U+A9B1 JAVANESE LETTER SA)"),
    ("full_name", "Bu\u200bdi Santoso", "U+200B ZERO WIDTH SPACE, invisible"),
    ("name_suffix", "S.E.\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE, invisible"),
    ("name_prefix", "Dr.\u2066", "U+2066 LEFT-TO-RIGHT ISOLATE, invisible"),
    ("jabatan", "Analis\u00adKebijakan", "U+00AD SOFT HYPHEN, invisible"),
])
def test_registration_names_the_character_a_certificate_cannot_print(
        en_client, registration, field, typed, named):
    response = en_client.post("/register", data={**registration, field: typed})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error">This contains a character a certificate cannot print: ' \
           f'{named}. Remove it, or write it with Latin letters.</p>' in page
    assert 'value="Pranata Komputer Ahli Pertama"' in page or field == "jabatan"
    assert user_count() == 0


def test_several_characters_are_named_together(en_client, registration):
    response = en_client.post("/register", data={**registration,
                                                 "full_name": "Budi 😀\u200b🙏 Santoso"})
    assert ("This contains characters a certificate cannot print: “😀” (U+1F600 GRINNING "
            "FACE); U+200B ZERO WIDTH SPACE, invisible; “🙏” (U+1F64F PERSON WITH FOLDED "
            "HANDS). Remove them, or write them with Latin letters.") in response.get_data(
        as_text=True)


def test_a_name_in_javanese_script_is_refused_letter_by_letter(en_client, registration):
    response = en_client.post("/register", data={**registration, "full_name": "ꦧꦸꦝꦶ"})
    assert response.status_code == 422
    assert ("This contains characters a certificate cannot print: “ꦧ” (U+A9A7 JAVANESE "
            "LETTER BA); U+A9B8 JAVANESE VOWEL SIGN SUKU, invisible; “ꦝ” (U+A99D JAVANESE "
            "LETTER DDA); U+A9B6 JAVANESE VOWEL SIGN WULU, invisible. Remove them, or write "
            "them with Latin letters.") in response.get_data(as_text=True)


def test_the_message_is_indonesian_by_default(client, registration):
    response = client.post("/register", data={**registration, "full_name": "Budi 😀"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert ("Isian ini memuat karakter yang tidak dapat dicetak pada sertifikat: “😀” "
            "(U+1F600 GRINNING FACE).") in page


def test_registration_stores_names_in_nfc_with_plain_spaces(en_client, db, registration):
    data = {**registration, "full_name": "Jose\u0301\u00a0 Mari\u0301a",
            "name_suffix": "S.E.\u2009"}
    assert en_client.post("/register", data=data).status_code == 302
    user = db.session.scalars(sa.select(User)).one()
    assert user.full_name == "José María"
    assert user.display_name == "José María, S.E."


def test_profile_refuses_an_emoji_and_keeps_the_rest(en_client, db, make_user, login):
    user = make_user(full_name="Siti Rahmawati")
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(
        user, full_name="Siti 🌸 Rahmawati", jabatan="Kepala Seksi Pelayanan"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="full_name-error">This contains a character a certificate cannot print: “🌸”' in page
    assert 'value="Kepala Seksi Pelayanan"' in page     # nothing typed is lost
    db.session.refresh(user)
    assert user.full_name == "Siti Rahmawati"


def test_profile_refuses_a_bidi_override_in_the_position(en_client, make_user, login):
    user = make_user()
    login(en_client, user)
    response = en_client.post("/profile", data=profile_data(user, jabatan="Analis\u202eSDM"))
    assert response.status_code == 422
    assert "U+202E RIGHT-TO-LEFT OVERRIDE, invisible" in response.get_data(as_text=True)


def test_the_service_refuses_what_no_form_checked(db):
    with pytest.raises(AccountError) as caught:
        create_user(email="x@jambiprov.go.id", password=NEW_PASSWORD, full_name="Budi",
                    jabatan="Staf \x1b[31m")
    assert (caught.value.code, caught.value.field) == ("unprintable", "jabatan")


def test_cli_refuses_a_name_a_certificate_cannot_print(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--role", "hr", "--email", "hr@jambiprov.go.id",
        "--name", "Dewi 😀", "--password", NEW_PASSWORD])
    assert result.exit_code == 2
    assert "U+1F600 GRINNING FACE" in result.output
    assert user_count() == 0


def test_cli_stores_the_name_normalized(app, db):
    result = app.test_cli_runner().invoke(args=[
        "users", "create", "--role", "hr", "--email", "hr@jambiprov.go.id",
        "--name", " Dewi\u00a0Kartika ", "--password", NEW_PASSWORD])
    assert result.exit_code == 0, result.output
    assert db.session.scalars(sa.select(User.full_name)).one() == "Dewi Kartika"
