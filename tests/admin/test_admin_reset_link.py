"""One-time password-reset links made by an admin: built on PUBLIC_BASE_URL, used by the
form's POST only, single-use, dead after a password change or expiry; audited."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa

from portal.audit.models import AuditEvent
from tests.factories import DEFAULT_PASSWORD, NEW_PASSWORD

T0 = datetime(2026, 11, 29, 1, 0, tzinfo=timezone.utc)
pytestmark = pytest.mark.time_machine(T0, tick=False)


def make_link(admin_client, user, **kwargs) -> str:
    page = admin_client.post(f"/admin/users/{user.id}/reset-link", **kwargs).get_data(
        as_text=True)
    match = re.search(r'id="reset-link" type="text" readonly value="([^"]+)"', page)
    assert match, page[-2000:]
    return html.unescape(match.group(1))


def path_of(link: str) -> str:
    assert link.startswith("http://portal.test/password-reset/")
    return link.removeprefix("http://portal.test")


def test_the_owner_sets_a_password_with_the_link_once(db, app, admin_client, make_user,
                                                       login):
    user = make_user()
    old_device = app.test_client()
    login(old_device, user)
    link = make_link(admin_client, user)
    path = path_of(link)
    owner = app.test_client()
    assert owner.get(path).status_code == 200  # opening it changes nothing
    assert owner.get(path).status_code == 200
    response = owner.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/login"
    assert owner.post("/login", data={"identifier": user.email,
                                      "password": NEW_PASSWORD}).status_code == 302
    assert "/login" in old_device.get("/profile").headers["Location"]  # sessions ended
    again = app.test_client().post(path, data={"password": "Another-Password-1",
                                               "confirm": "Another-Password-1"})
    assert again.status_code == 410  # used up
    [event] = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "user.reset_link")).all()
    assert event.target_id == str(user.id) and link not in str(event.after)


def test_the_link_comes_from_public_base_url_never_the_host_header(app, admin):
    from portal.admin.reset import make_link as service_link
    from portal.timeutil import utcnow

    with app.test_request_context("/", base_url="http://evil.example"):
        link = service_link(admin, actor=admin, now=utcnow(), client=None)
    assert link.startswith("http://portal.test/password-reset/")


def test_a_password_change_kills_an_unused_link(db, app, admin_client, make_user):
    from portal.auth.services import set_password

    user = make_user()
    path = path_of(make_link(admin_client, user))
    set_password(user, "Changed-By-Command-1")
    db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_a_link_expires(app, admin_client, make_user, time_machine):
    user = make_user()
    path = path_of(make_link(admin_client, user))
    time_machine.move_to(T0 + timedelta(hours=72, seconds=1), tick=False)
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert "expired" in response.get_data(as_text=True) or "kedaluwarsa" in response.get_data(
        as_text=True)


def test_an_altered_link_and_a_short_password_are_refused(app, admin_client, make_user):
    user = make_user()
    path = path_of(make_link(admin_client, user))
    assert app.test_client().get(path[:-2] + "xx").status_code == 410
    short = app.test_client().post(path, data={"password": "short", "confirm": "short"})
    assert short.status_code == 422
    assert app.test_client().post("/login", data={
        "identifier": user.email, "password": DEFAULT_PASSWORD}).status_code == 302


def test_the_login_page_points_to_the_admins_link(client):
    page = client.get("/login").get_data(as_text=True)
    assert "tautan sekali pakai" in page
