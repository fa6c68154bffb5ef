"""The 500 page renders when the database is unreachable: translated, in the layout, for an
anonymous visitor and for a logged-in one whose account can no longer be loaded."""

from __future__ import annotations

import re

import pytest

from tests.factories import BASE_CONFIG

UNREACHABLE = {
    # a SQLite file in a folder that does not exist, and a PostgreSQL port nobody listens on
    "sqlite": "sqlite:////nonexistent-portal-folder/portal.sqlite3",
    "postgresql": "postgresql+psycopg://postgres@127.0.0.1:9/portal?connect_timeout=3",
}


@pytest.fixture(params=sorted(UNREACHABLE))
def broken_app(request):
    from portal import create_app
    from portal.extensions import db

    application = create_app({**BASE_CONFIG, "SQLALCHEMY_DATABASE_URI": UNREACHABLE[request.param],
                              "PROPAGATE_EXCEPTIONS": False})
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def main_text(response) -> str:
    body = response.get_data(as_text=True)
    match = re.search(r"<main.*?</main>", body, re.S)
    assert match, body[:300]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", match.group(0)))


def test_an_anonymous_visitor_gets_the_indonesian_500_page(broken_app):
    response = broken_app.test_client().get("/courses")
    assert response.status_code == 500
    assert "Terjadi kesalahan di sisi kami." in main_text(response)
    assert 'href="/login"' in response.get_data(as_text=True)  # the layout is there


def test_a_logged_in_visitor_gets_it_in_the_language_of_the_session(broken_app):
    client = broken_app.test_client()
    with client.session_transaction() as sess:
        sess.update({"_user_id": "1", "_fresh": True, "_sid": "0" * 32, "_ver": 0,
                     "_auth_at": 0, "_seen_at": 0})
    response = client.get("/dashboard")
    assert response.status_code == 500
    assert "Terjadi kesalahan di sisi kami." in main_text(response)
    assert "Internal Server Error" not in response.get_data(as_text=True)

    with client.session_transaction() as sess:
        sess["locale"] = "en"
    response = client.get("/profile")
    assert response.status_code == 500
    assert "An error occurred on our side." in main_text(response)
