"""Wrong passwords are throttled per account and client, per account and per client
(portal.auth.throttle): the same answer for existing and unknown accounts, no lock that one
attacker can keep renewing, the real client address, and the current-password check of a
password change throttled too. Storage in memory here; against Redis in
test_auth_throttle_redis.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pytest

from portal import create_app
from portal.config import ConfigError
from tests.factories import NEW_PASSWORD
from tests.factories import DEFAULT_PASSWORD

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)  # 08.00 WIB
THROTTLED_EN = ("Too many wrong passwords for this account or from this network. For your "
                "security, try again after {time}.")

pytestmark = pytest.mark.time_machine(T0, tick=False)


def attempt(client, identifier, password="not-the-password", address="10.1.2.3", **headers):
    return client.post("/login", data={"identifier": identifier, "password": password},
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def main_text(response) -> str:
    body = response.get_data(as_text=True)
    match = re.search(r"<main.*?</main>", body, re.S)
    assert match, body[:300]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_the_sixth_try_is_refused_with_429_even_with_the_right_password(en_client, make_user):
    user = make_user()
    for _ in range(5):
        assert attempt(en_client, user.email).status_code == 401
    response = attempt(en_client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert THROTTLED_EN.format(time="November 29, 2026 at 08:15 WIB") in main_text(response)
    assert response.headers["Retry-After"] == "900"
    assert f'value="{user.email}"' in response.get_data(as_text=True)  # identifier kept
    assert en_client.get("/profile").status_code == 302  # not logged in


@pytest.mark.parametrize("role", ["peserta", "hr", "admin"])
def test_existing_and_unknown_accounts_get_the_same_answers(en_client, make_user, role):
    user = make_user(role=role)
    known = [attempt(en_client, user.email) for _ in range(6)]
    unknown = [attempt(en_client, "tidak.ada@jambiprov.go.id") for _ in range(6)]
    assert [r.status_code for r in known] == [r.status_code for r in unknown] \
        == [401] * 5 + [429]
    for mine, theirs in zip(known, unknown):
        assert main_text(mine).replace(user.email, "X") == \
            main_text(theirs).replace("tidak.ada@jambiprov.go.id", "X")
        assert mine.headers.get("Retry-After") == theirs.headers.get("Retry-After")


def test_guesses_from_one_client_never_lock_the_account_elsewhere(client, make_user):
    """The observed lock: anyone could lock an admin out for 15 minutes, again and again."""
    admin = make_user(role="admin")
    for _ in range(12):
        attempt(client, admin.email, address="203.0.113.9")
    assert attempt(client, admin.email, DEFAULT_PASSWORD, address="203.0.113.9").status_code \
        == 429
    response = attempt(client, admin.email, DEFAULT_PASSWORD, address="10.20.30.40")
    assert response.status_code == 302


def test_x_forwarded_for_does_not_escape_the_client_limit(app, client, make_user):
    app.config["LOGIN_LIMIT_PER_CLIENT"] = "3 per 15 minutes"
    user = make_user()
    for number in range(3):
        response = attempt(client, f"tebakan{number}@jambiprov.go.id",
                           X_Forwarded_For=f"198.51.100.{number}")
        assert response.status_code == 401
    response = attempt(client, user.email, DEFAULT_PASSWORD, X_Forwarded_For="198.51.100.77")
    assert response.status_code == 429
    assert attempt(client, user.email, DEFAULT_PASSWORD, address="10.9.9.9").status_code == 302


def test_guessing_spread_over_many_addresses_meets_the_account_limit(app, client, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "6 per hour"
    user = make_user(role="hr")
    for number in range(6):
        assert attempt(client, user.nip, address=f"198.51.100.{number}").status_code == 401
    grouped = f"{user.nip[:8]} {user.nip[8:14]} {user.nip[14]} {user.nip[15:]}"
    response = attempt(client, grouped, DEFAULT_PASSWORD, address="192.0.2.1")
    assert response.status_code == 429  # the NIP typed with spaces is the same identifier


def test_one_more_try_is_allowed_when_the_oldest_failure_leaves_the_window(
        client, make_user, time_machine):
    user = make_user()
    for minute in range(5):
        time_machine.move_to(T0 + timedelta(minutes=minute), tick=False)
        assert attempt(client, user.email).status_code == 401
    time_machine.move_to(T0 + timedelta(minutes=14, seconds=59), tick=False)
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 429
    time_machine.move_to(T0 + timedelta(minutes=15, seconds=1), tick=False)
    assert attempt(client, user.email).status_code == 401  # the freed try, used up
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 429
    time_machine.move_to(T0 + timedelta(minutes=16, seconds=1), tick=False)
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 302


def test_a_login_empties_the_window_of_its_account_and_client(client, make_user):
    user = make_user()
    for _ in range(4):
        assert attempt(client, user.email).status_code == 401
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(5):
        assert attempt(client, user.email).status_code == 401
    assert attempt(client, user.email).status_code == 429


def test_the_limits_are_settings(app, en_client, make_user):
    app.config["LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT"] = "2 per 30 minutes"
    user = make_user()
    assert attempt(en_client, user.email).status_code == 401
    assert attempt(en_client, user.email).status_code == 401
    response = attempt(en_client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert THROTTLED_EN.format(time="November 29, 2026 at 08:30 WIB") in main_text(response)


def test_the_answer_is_in_indonesian_by_default(client, make_user):
    user = make_user()
    for _ in range(5):
        attempt(client, user.email)
    text = main_text(attempt(client, user.email))
    assert ("Terlalu banyak kata sandi salah untuk akun ini atau dari jaringan ini. Demi "
            "keamanan, coba lagi setelah 29 November 2026 pukul 08.15 WIB.") in text


def test_a_wrong_current_password_on_password_change_is_throttled_too(en_client, make_user,
                                                                       login, db):
    user = make_user()
    login(en_client, user)
    form = {"current_password": "not-the-password", "new_password": NEW_PASSWORD,
            "confirm": NEW_PASSWORD}
    for _ in range(5):
        assert en_client.post("/profile/password", data=form).status_code == 422
    response = en_client.post("/profile/password",
                              data={**form, "current_password": DEFAULT_PASSWORD})
    assert response.status_code == 429
    assert THROTTLED_EN.format(time="November 29, 2026 at 08:15 WIB") in main_text(response)
    assert response.headers["Retry-After"] == "900"
    old_hash = user.password_hash
    db.session.refresh(user)
    assert user.password_hash == old_hash and user.session_version == 0
    assert en_client.get("/profile").status_code == 200  # still logged in


def test_an_unreachable_storage_falls_back_to_counting_in_memory(app_config, make_user):
    application = create_app({**app_config, "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/1",
                              "RATELIMIT_STORAGE_OPTIONS": {"socket_connect_timeout": 1}})
    client = application.test_client()
    user = make_user()
    for _ in range(5):
        assert attempt(client, user.email).status_code == 401
    assert attempt(client, user.email, DEFAULT_PASSWORD).status_code == 429
    assert attempt(client, user.email, DEFAULT_PASSWORD, address="10.7.7.7").status_code == 302


@pytest.mark.parametrize(("name", "value"), [
    ("LOGIN_LIMIT_PER_ACCOUNT_AND_CLIENT", "five a minute"),
    ("LOGIN_LIMIT_PER_ACCOUNT", ""),
    ("LOGIN_LIMIT_PER_CLIENT", "20 per fortnight"),
    ("SESSION_IDLE_MINUTES", 0),
    ("SESSION_MAX_HOURS", -1),
])
def test_bad_settings_stop_the_start_with_a_clear_error(app_config, name, value):
    with pytest.raises(ConfigError, match=name):
        create_app({**app_config, name: value})
