"""Login sessions end on the server: logout, a password change or reset and deactivation end
every session of the account at once (copies of the cookie included); sessions also end
after the idle timeout and the absolute lifetime; a login starts a new session; nothing ties
a session to the client's address or browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from flask_login import current_user

from portal.auth import services
from portal.auth.sessions import end_reason, stamp_for
from tests.factories import NEW_PASSWORD
from tests.factories import DEFAULT_PASSWORD

DOMAIN = "portal.test"  # SERVER_NAME of the test app
T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)  # 08.00 WIB


def log_in(client, user, password=DEFAULT_PASSWORD, **environ):
    response = client.post("/login", data={"identifier": user.email, "password": password},
                           environ_base=environ)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def copy_of(app, client):
    """A second client holding a copy of ``client``'s session cookie (as an attacker who
    read it, or a browser on another device restored from a backup)."""
    cookie = client.get_cookie("session", domain=DOMAIN)
    assert cookie is not None
    other = app.test_client()
    other.set_cookie("session", cookie.value, domain=DOMAIN)
    return other


def logged_in(client) -> bool:
    """True if ``client`` opens /profile and /dashboard; False if both send it to the login
    page."""
    statuses = {client.get("/profile").status_code, client.get("/dashboard").status_code}
    assert len(statuses) == 1, statuses
    status = statuses.pop()
    assert status in (200, 302)
    return status == 200


def test_a_cookie_copied_before_logout_stops_working(app, client, make_user):
    log_in(client, make_user())
    copy = copy_of(app, client)
    assert logged_in(copy)
    assert client.post("/logout").status_code == 302
    assert not logged_in(copy)
    assert not logged_in(client)


def test_logout_ends_the_sessions_on_other_devices_too(app, make_user):
    user = make_user()
    phone, desktop = log_in(app.test_client(), user), log_in(app.test_client(), user)
    desktop.post("/logout")
    assert not logged_in(phone)


def test_a_password_change_on_another_device_ends_every_other_session(app, make_user, db):
    user = make_user()
    phone = log_in(app.test_client(), user)
    phone_copy = copy_of(app, phone)
    desktop = log_in(app.test_client(), user)
    old_desktop_cookie = copy_of(app, desktop)

    response = desktop.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert not logged_in(phone)
    assert not logged_in(phone_copy)
    assert not logged_in(old_desktop_cookie)
    assert logged_in(desktop)  # the device that made the change has a new session
    log_in(app.test_client(), user, NEW_PASSWORD)


def test_the_password_change_says_the_other_devices_were_logged_out(app, en_client,
                                                                     make_user):
    log_in(en_client, make_user())
    response = en_client.post("/profile/password", data={
        "current_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD}, follow_redirects=True)
    assert ("Every other device where you were logged in has been logged out."
            in response.get_data(as_text=True))


def test_a_wrong_current_password_ends_nothing(app, make_user, db):
    user = make_user()
    phone = log_in(app.test_client(), user)
    desktop = log_in(app.test_client(), user)
    response = desktop.post("/profile/password", data={
        "current_password": "not-the-password", "new_password": NEW_PASSWORD,
        "confirm": NEW_PASSWORD})
    assert response.status_code == 422
    assert logged_in(phone) and logged_in(desktop)
    db.session.refresh(user)
    assert user.session_version == 0


@pytest.mark.parametrize("command", [
    ["users", "set-password", "{email}", "--password", NEW_PASSWORD],
    ["users", "deactivate", "{email}"],
    ["users", "end-sessions", "{email}"],
])
def test_reset_deactivation_and_end_sessions_end_every_session(app, make_user, command):
    user = make_user()
    phone, desktop = log_in(app.test_client(), user), log_in(app.test_client(), user)
    args = [part.format(email=user.email) for part in command]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "ended" in result.output
    assert not logged_in(phone)
    assert not logged_in(desktop)


def test_a_deactivated_account_cannot_come_back_until_activated(app, client, make_user, db):
    user = make_user()
    runner = app.test_cli_runner()
    assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    response = client.post("/login", data={"identifier": user.email,
                                           "password": DEFAULT_PASSWORD})
    assert response.status_code == 403
    assert runner.invoke(args=["users", "activate", user.email]).exit_code == 0
    assert logged_in(log_in(client, user))


def test_a_session_of_a_deactivated_account_ends_even_without_a_version_change(
        app, client, make_user, db):
    """An account switched off directly in the database (no service call) is refused too."""
    user = make_user()
    log_in(client, user)
    user.is_active_account = False
    db.session.commit()
    assert not logged_in(client)


def test_the_cli_explains_an_unknown_account_and_a_short_password(app, make_user):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "deactivate", "nobody@jambiprov.go.id"])
    assert result.exit_code == 1 and "No account with the email address" in result.output
    user = make_user()
    result = runner.invoke(args=["users", "set-password", user.email, "--password", "short"])
    assert result.exit_code == 1 and "at least 10 characters" in result.output


# --- idle timeout and absolute lifetime --------------------------------------------------

@pytest.mark.time_machine(T0, tick=False)
def test_a_session_ends_after_the_idle_timeout(app, client, make_user, time_machine):
    log_in(client, make_user())
    # The default idle limit is 2 hours: a request every 119 minutes keeps it alive.
    for minutes in (119, 238, 357):
        time_machine.move_to(T0 + timedelta(minutes=minutes), tick=False)
        assert logged_in(client), minutes
    time_machine.move_to(T0 + timedelta(minutes=357 + 121), tick=False)
    assert not logged_in(client)


@pytest.mark.time_machine(T0, tick=False)
def test_the_idle_timeout_is_a_setting(app, client, make_user, time_machine):
    app.config["SESSION_IDLE_MINUTES"] = 5
    log_in(client, make_user())
    time_machine.move_to(T0 + timedelta(minutes=4), tick=False)
    assert logged_in(client)
    time_machine.move_to(T0 + timedelta(minutes=10), tick=False)
    assert not logged_in(client)


@pytest.mark.time_machine(T0, tick=False)
def test_an_active_session_ends_at_its_absolute_lifetime(app, client, make_user,
                                                         time_machine):
    log_in(client, make_user())
    moment = T0
    while moment < T0 + timedelta(hours=11, minutes=40):
        moment += timedelta(minutes=20)
        time_machine.move_to(moment, tick=False)
        assert logged_in(client), moment
    time_machine.move_to(T0 + timedelta(hours=12, minutes=1), tick=False)
    assert not logged_in(client)


@pytest.mark.time_machine(T0, tick=False)
def test_the_absolute_lifetime_is_a_setting(app, client, make_user, time_machine):
    app.config["SESSION_MAX_HOURS"] = 1
    app.config["SESSION_IDLE_MINUTES"] = 600
    log_in(client, make_user())
    time_machine.move_to(T0 + timedelta(minutes=59), tick=False)
    assert logged_in(client)
    time_machine.move_to(T0 + timedelta(minutes=61), tick=False)
    assert not logged_in(client)


@pytest.mark.time_machine(T0, tick=False)
def test_a_cookie_from_31_days_ago_is_refused(app, client, make_user, time_machine):
    log_in(client, make_user())
    time_machine.move_to(T0 + timedelta(days=30, hours=23), tick=False)
    assert not logged_in(client)


@pytest.mark.time_machine(T0, tick=False)
def test_the_last_seen_time_moves_at_most_once_a_minute(app, client, make_user, time_machine):
    log_in(client, make_user())
    client.get("/profile")  # the first page after a login stores a new CSRF token
    time_machine.move_to(T0 + timedelta(seconds=30), tick=False)
    response = client.get("/profile")
    assert "session=" not in " ".join(response.headers.getlist("Set-Cookie"))
    time_machine.move_to(T0 + timedelta(seconds=61), tick=False)
    response = client.get("/profile")
    assert "session=" in " ".join(response.headers.getlist("Set-Cookie"))
    with client.session_transaction() as sess:
        assert sess["_seen_at"] == int((T0 + timedelta(seconds=61)).timestamp())
        assert sess["_auth_at"] == int(T0.timestamp())


# --- a new session at login, and no binding to the address or the browser -------------------

def test_a_login_starts_a_new_session(app, client, make_user):
    user = make_user()
    with client.session_transaction() as sess:
        sess["locale"] = "en"
        sess["csrf_token"] = "planted-before-login"
        sess["anything"] = "set by someone else"
        sess["_sid"] = "f" * 32
    log_in(client, user)
    with client.session_transaction() as sess:
        first = dict(sess)
    assert first["locale"] == "en"
    assert "csrf_token" not in first and "anything" not in first
    assert first["_sid"] != "f" * 32 and len(first["_sid"]) == 32
    assert "_id" not in first  # no hash of the client's address and browser

    client.post("/logout")
    log_in(client, user)
    with client.session_transaction() as sess:
        assert sess["_sid"] != first["_sid"]


def test_a_new_network_and_browser_keep_the_session(app, client, make_user):
    """A phone moving from Wi-Fi to mobile data mid-quiz: new address, a proxy header the
    client can set, a different browser string."""
    log_in(client, make_user(), REMOTE_ADDR="10.20.30.40", HTTP_USER_AGENT="Chrome/131 Wi-Fi")
    with client:
        response = client.get("/profile", environ_base={
            "REMOTE_ADDR": "114.124.0.7", "HTTP_X_FORWARDED_FOR": "36.72.1.9",
            "HTTP_USER_AGENT": "Chrome/131 Telkomsel"})
        assert response.status_code == 200
        assert current_user.is_authenticated


def test_a_remember_cookie_cannot_revive_a_session(app, client, make_user):
    from flask_login.utils import encode_cookie

    user = make_user()
    with app.test_request_context():
        token = encode_cookie(str(user.id))
    client.set_cookie("remember_token", token, domain=DOMAIN)
    assert not logged_in(client)


def test_login_offers_no_remember_me(client):
    page = client.get("/login").get_data(as_text=True)
    assert "remember" not in page.lower()


# --- the rules, as plain functions ----------------------------------------------------------

class FakeUser:
    def __init__(self, version=0, active=True):
        self.session_version = version
        self.is_active_account = active


IDLE, LIFETIME = timedelta(minutes=30), timedelta(hours=12)


def reason(stamp, user, now):
    return end_reason(stamp, user, now, idle=IDLE, lifetime=LIFETIME)


def test_end_reason_names_each_rule():
    user = FakeUser(version=3)
    stamp = stamp_for(user, T0)
    assert reason(stamp, user, T0) is None
    assert reason(stamp, None, T0) == "no_account"
    assert reason(stamp, FakeUser(version=3, active=False), T0) == "deactivated"
    assert reason(stamp, FakeUser(version=4), T0) == "ended"
    assert reason({}, user, T0) == "ended"
    assert reason({**stamp, "_sid": ""}, user, T0) == "ended"
    assert reason({**stamp, "_ver": "3"}, user, T0) == "ended"
    assert reason(stamp, user, T0 + IDLE) is None
    assert reason(stamp, user, T0 + IDLE + timedelta(seconds=1)) == "idle"
    active = {**stamp, "_seen_at": int((T0 + LIFETIME).timestamp())}
    assert reason(active, user, T0 + LIFETIME) is None
    assert reason(active, user, T0 + LIFETIME + timedelta(seconds=1)) == "expired"
    assert reason(stamp, user, T0 - timedelta(minutes=5)) is None  # a clock slightly behind


def test_end_all_sessions_counts_up_by_one_each_time(make_user, db):
    user = make_user()
    services.end_all_sessions(user)
    services.end_all_sessions(user)
    db.session.commit()
    db.session.refresh(user)
    assert user.session_version == 2
