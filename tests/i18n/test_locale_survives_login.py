"""The language a browser chose survives logout, login and the end of the browser session
(portal.locale_choice); an account's stored preference wins after login."""

from __future__ import annotations

from portal.locale_choice import COOKIE
from tests.conftest import DEFAULT_PASSWORD

EN_LOGIN = "Log in"
ID_DASHBOARD = "Pembelajaran Saya"


def log_in(client, user):
    return client.post("/login", data={"identifier": user.email, "password": DEFAULT_PASSWORD})


def forget_the_browser_session(client):
    """What closing the browser does: the session cookie (a browser-session cookie) goes;
    long-lived cookies stay."""
    client.delete_cookie("session", domain="portal.test")


def test_english_chosen_before_login_survives_logout_and_a_new_browser_session(client,
                                                                              make_user):
    user = make_user()  # no stored preference
    response = client.post("/locale", data={"locale": "en"})
    cookie = next(c for c in response.headers.getlist("Set-Cookie")
                  if c.startswith(f"{COOKIE}="))
    assert cookie.startswith(f"{COOKIE}=en;") and "Max-Age=31536000" in cookie
    log_in(client, user)
    assert "My learning" in client.get("/dashboard").get_data(as_text=True)
    client.post("/logout")
    forget_the_browser_session(client)
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and EN_LOGIN in page
    log_in(client, user)
    assert '<html lang="en">' in client.get("/dashboard").get_data(as_text=True)


def test_indonesian_chosen_in_english_ui_stays_after_logout_and_login(client, make_user):
    user = make_user()
    client.post("/locale", data={"locale": "en"})
    client.post("/locale", data={"locale": "id"})
    log_in(client, user)
    client.post("/logout")
    forget_the_browser_session(client)
    log_in(client, user)
    assert ID_DASHBOARD in client.get("/dashboard").get_data(as_text=True)


def test_the_accounts_stored_preference_wins_after_login(client, make_user):
    user = make_user(locale="en")
    client.post("/locale", data={"locale": "id"})  # chosen on this browser while logged out
    response = log_in(client, user)
    assert any(c.startswith(f"{COOKIE}=en;") for c in response.headers.getlist("Set-Cookie"))
    assert '<html lang="en">' in client.get("/dashboard").get_data(as_text=True)
    client.post("/logout")
    forget_the_browser_session(client)
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)


def test_a_forged_cookie_value_is_ignored(client):
    client.set_cookie(COOKIE, "xx", domain="portal.test")
    assert '<html lang="id">' in client.get("/login").get_data(as_text=True)
