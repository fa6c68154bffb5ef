"""Device cookies (portal.auth.devices): a browser that logged in to an account before is not
locked out of it by guesses from others behind the same office address, and is still slowed
down itself; registration is throttled per client."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from portal.auth.devices import COOKIE
from tests.auth.test_auth_throttle import attempt
from tests.conftest import DEFAULT_PASSWORD

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)
OFFICE = "36.66.10.20"  # one NAT address for the whole office

pytestmark = pytest.mark.time_machine(T0, tick=False)


@pytest.fixture
def trusted(app, make_user):
    """(client with a device cookie for ``user``, user): the user logged in once here."""
    user = make_user(nip="198609262015052001")
    client = app.test_client()
    response = attempt(client, user.email, DEFAULT_PASSWORD, address=OFFICE)
    assert response.status_code == 302
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith(f"{COOKIE}="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert user.email not in cookie and user.nip not in cookie
    client.post("/logout")
    return client, user


def test_guesses_from_the_office_address_do_not_lock_out_a_trusted_browser(app, trusted):
    client, user = trusted
    attacker = app.test_client()
    for _ in range(40):  # fills the account's window and this address's own windows
        attempt(attacker, user.email, address=OFFICE)
    assert attempt(attacker, user.email, DEFAULT_PASSWORD, address=OFFICE).status_code == 429
    other_browser = app.test_client()
    assert attempt(other_browser, user.email, DEFAULT_PASSWORD,
                   address=OFFICE).status_code == 429  # no device cookie: throttled
    assert attempt(client, user.email, DEFAULT_PASSWORD, address=OFFICE).status_code == 302
    client.post("/logout")
    # by NIP too: the cookie names the account's identifiers, not only the one typed
    assert attempt(client, "19860926 201505 2 001", DEFAULT_PASSWORD,
                   address=OFFICE).status_code == 302


def test_a_trusted_browser_is_still_slowed_down_and_only_for_its_accounts(app, trusted,
                                                                          make_user):
    client, user = trusted
    for _ in range(5):
        assert attempt(client, user.email, address=OFFICE).status_code == 401
    assert attempt(client, user.email, DEFAULT_PASSWORD, address=OFFICE).status_code == 429
    other = make_user()
    attacker = app.test_client()
    for _ in range(6):
        attempt(attacker, other.email, address="10.9.9.9")
    # the device cookie is for ``user`` only: ``other`` stays throttled from here
    for _ in range(5):
        attempt(client, other.email, address="10.9.9.9")
    assert attempt(client, other.email, DEFAULT_PASSWORD,
                   address="10.9.9.9").status_code == 429


def test_a_forged_device_cookie_is_ignored(app, make_user):
    user = make_user()
    client = app.test_client()
    client.set_cookie(COOKIE, "forged.value.here", domain="portal.test")
    for _ in range(5):
        attempt(client, user.email, address=OFFICE)
    assert attempt(client, user.email, DEFAULT_PASSWORD, address=OFFICE).status_code == 429


def test_an_office_of_many_users_fits_the_per_client_limit(app, make_user):
    """60 typos from one address across 30 accounts (two each): nobody is locked out."""
    users = [make_user() for _ in range(30)]
    for user in users:
        browser = app.test_client()
        for _ in range(2):
            assert attempt(browser, user.email, address=OFFICE).status_code == 401
    late = make_user()
    assert attempt(app.test_client(), late.email, DEFAULT_PASSWORD,
                   address=OFFICE).status_code == 302


def test_registration_is_throttled_per_client(app, en_client, registration):
    app.config["REGISTER_LIMIT_PER_CLIENT"] = "3 per hour"
    for _ in range(3):
        response = en_client.post("/register", data={**registration, "nip": "123"},
                                  environ_base={"REMOTE_ADDR": "10.7.7.7"})
        assert response.status_code == 422
    response = en_client.post("/register", data=registration,
                              environ_base={"REMOTE_ADDR": "10.7.7.7"})
    assert response.status_code == 429
    assert "Too many registrations from this network" in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "3600"
    other = en_client.post("/register", data=registration,
                           environ_base={"REMOTE_ADDR": "10.8.8.8"})
    assert other.status_code == 302
