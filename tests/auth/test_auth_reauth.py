"""A form sent after its session ended is carried across the login (portal.auth.reauth):
the profile form comes back filled in, for the same account only; the carried post is
signed and expires. (The quiz's Submit: tests/quizzes/test_session_end.py.)"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest
from werkzeug.datastructures import MultiDict

from portal.auth import reauth
from portal.auth.services import end_all_sessions
from tests.factories import DEFAULT_PASSWORD

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)
NOTICE_EN = ("You are logged in again. Your changes are below but not saved yet: check them, "
             "then press Save.")


def log_in(client, user, **extra):
    return client.post("/login", data={"identifier": user.email, "password": DEFAULT_PASSWORD,
                                       **extra})


def profile_form(user, **changes) -> dict:
    return {"full_name": user.full_name, "email": user.email,
            "pangkat_golongan": user.pangkat_golongan, "jabatan": user.jabatan,
            "opd_id": str(user.opd_id), "locale": "en", **changes}


def carried_token(page: str) -> str:
    match = re.search(r'name="carried_post" value="([^"]+)"', page)
    assert match, "the login page carries the post"
    return match.group(1)


@pytest.fixture
def edit_after_the_end(db, en_client, make_user):
    """A learner edits the profile; the session ends (logout elsewhere); Save is pressed.
    Returns ``(client, user, token)``."""
    user = make_user(jabatan="Analis Kebijakan")
    assert log_in(en_client, user).status_code == 302
    end_all_sessions(user)
    db.session.commit()
    response = en_client.post("/profile", data=profile_form(
        user, jabatan="Analis Kebijakan Ahli Muda", name_suffix="S.E., M.Si."))
    assert response.status_code == 401
    return en_client, user, carried_token(response.get_data(as_text=True))


def test_the_profile_form_comes_back_filled_in_and_unsaved(edit_after_the_end, db):
    client, user, token = edit_after_the_end
    response = log_in(client, user, carried_post=token)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert NOTICE_EN in page
    assert 'value="Analis Kebijakan Ahli Muda"' in page
    assert 'value="S.E., M.Si."' in page
    db.session.refresh(user)
    assert user.jabatan == "Analis Kebijakan"  # not saved until Save is pressed again
    assert client.post("/profile", data=profile_form(
        user, jabatan="Analis Kebijakan Ahli Muda")).status_code == 302
    db.session.refresh(user)
    assert user.jabatan == "Analis Kebijakan Ahli Muda"


def test_another_account_never_sees_what_was_typed(edit_after_the_end, make_user):
    client, _user, token = edit_after_the_end
    other = make_user(full_name="Budi Santoso")
    response = log_in(client, other, carried_post=token)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/dashboard")
    assert "Ahli Muda" not in client.get("/profile").get_data(as_text=True)


def test_without_any_session_the_profile_is_not_refilled(en_client, make_user):
    """No cookie at all: nothing says whose the typed data is, so it is not shown."""
    user = make_user()
    response = en_client.post("/profile", data=profile_form(user, jabatan="Ahli Muda"))
    assert response.status_code == 401
    response = log_in(en_client, user,
                      carried_post=carried_token(response.get_data(as_text=True)))
    assert response.status_code == 302


def test_a_carried_post_is_signed_and_expires(app, time_machine):
    time_machine.move_to(T0, tick=False)
    with app.test_request_context():
        token = reauth.carry("/profile", MultiDict([("jabatan", "Analis"),
                                                    ("csrf_token", "x")]), T0, 7)
        post = reauth.carried_post(token)
        assert post.target == "/profile" and post.user_id == 7 and post.arrived_at == T0
        assert post.fields == MultiDict([("jabatan", "Analis")])  # the CSRF token left out
        assert post.typed_by(7) and not post.typed_by(8)
        assert reauth.carried_post(token[:-2] + "xx") is None
        assert reauth.carried_post("") is None
        time_machine.move_to(T0 + timedelta(hours=12, seconds=1), tick=False)
        assert reauth.carried_post(token) is None  # older than SESSION_MAX_HOURS
