"""Login at /login and logout at /logout (throttling: test_auth_throttle.py)."""

import pytest
from flask_login import current_user

from tests.factories import DEFAULT_PASSWORD

WRONG = "The NIP/email or password is wrong."


def post_login(test_client, identifier, password, **extra):
    return test_client.post("/login", data={"identifier": identifier, "password": password,
                                            **extra})


def test_login_page_renders(en_client):
    response = en_client.get("/login")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="identifier"' in page and 'name="password"' in page


def test_login_by_email_goes_to_the_dashboard(en_client, make_user, db):
    user = make_user(email="siti@jambiprov.go.id")
    with en_client:
        response = post_login(en_client, "Siti@Jambiprov.go.id", DEFAULT_PASSWORD)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/dashboard")
        assert current_user.is_authenticated and current_user.id == user.id
    db.session.refresh(user)
    assert user.last_login_at is not None


def test_login_by_grouped_nip(en_client, make_user):
    user = make_user(nip="198609262015051777")
    with en_client:
        response = post_login(en_client, "19860926 201505 1 777", DEFAULT_PASSWORD)
        assert response.status_code == 302
        assert current_user.id == user.id


def test_wrong_password_and_unknown_account_get_the_same_401(en_client, make_user):
    user = make_user()
    wrong = post_login(en_client, user.email, "not-the-password")
    unknown = post_login(en_client, "nobody@jambiprov.go.id", "not-the-password")
    assert wrong.status_code == unknown.status_code == 401
    assert WRONG in wrong.get_data(as_text=True)
    assert WRONG in unknown.get_data(as_text=True)
    assert f'value="{user.email}"' in wrong.get_data(as_text=True)  # identifier kept
    assert "not-the-password" not in wrong.get_data(as_text=True)


def test_empty_form_is_a_422(en_client):
    response = post_login(en_client, "", "")
    assert response.status_code == 422
    assert "Enter your NIP or email address." in response.get_data(as_text=True)


def test_inactive_account_is_refused_with_403(en_client, make_user):
    user = make_user(is_active_account=False)
    response = post_login(en_client, user.email, DEFAULT_PASSWORD)
    assert response.status_code == 403
    assert "deactivated" in response.get_data(as_text=True)


def test_local_next_is_honoured(en_client, make_user):
    user = make_user()
    page = en_client.get("/login?next=/courses/abc").get_data(as_text=True)
    assert 'name="next" value="/courses/abc"' in page
    response = post_login(en_client, user.email, DEFAULT_PASSWORD, next="/courses/abc")
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses/abc"


@pytest.mark.parametrize("target", [
    "https://evil.example/steal", "//evil.example/steal", "javascript:alert(1)",
    "evil.example", "/\\evil.example", "/\t/evil.example",
])
def test_next_to_another_site_is_refused(en_client, make_user, target):
    user = make_user()
    response = en_client.get("/login", query_string={"next": target})
    if "\t" in target:  # a control character in the address: refused at the boundary
        assert response.status_code == 400
    else:
        login_form = response.get_data(as_text=True)
        login_form = login_form[login_form.index('action="/login"'):]
        assert 'name="next"' not in login_form
    response = post_login(en_client, user.email, DEFAULT_PASSWORD, next=target)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert "evil" not in location
    assert location.endswith("/dashboard")


def test_protected_page_sends_to_login_with_next(client):
    response = client.get("/profile")
    assert response.status_code == 302
    assert "/login?next=%2Fprofile" in response.headers["Location"]


def test_logged_in_user_visiting_login_is_redirected(client, make_user, login):
    login(client, make_user())
    response = client.get("/login?next=/courses")
    assert response.status_code == 302
    assert response.headers["Location"] == "/courses"


def test_logout_requires_post(client, make_user, login):
    login(client, make_user())
    assert client.get("/logout").status_code == 200  # a page asking to confirm, no logout
    with client:
        client.get("/healthz")
        assert current_user.is_authenticated


def test_logout_ends_the_session(en_client, make_user, login):
    login(en_client, make_user())
    with en_client:
        response = en_client.post("/logout")
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/")
        assert not current_user.is_authenticated
    with en_client.session_transaction() as sess:
        assert ("info", "You have logged out. See you again.") in sess.get("_flashes", [])
    assert en_client.get("/profile").status_code == 302


def test_logout_when_anonymous_goes_to_login(client):
    response = client.post("/logout")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_home_page_links_to_login_and_register(en_client):
    page = en_client.get("/").get_data(as_text=True)
    assert 'href="/login"' in page and 'href="/register"' in page


def test_welcome_back_does_not_double_a_final_full_stop(client, make_user):
    user = make_user(name_suffix="S.E., M.M.")
    response = client.post("/login", data={"identifier": user.email,
                                           "password": "Rahasia-Jambi-2026"},
                           follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "M.M." in page
    assert "M.M.." not in page
