"""The language a browser chose, kept across logout, login and closing the browser.

The session keeps the choice only while the browser is open (its cookie ends with the browser
session) and a login starts a new session, so the choice is also kept in its own long-lived
cookie, :data:`COOKIE` (one year, HttpOnly, SameSite=Lax, Secure when the session cookie is).
:func:`portal.select_locale` reads, in order: the logged-in account's stored preference, the
session's choice, this cookie, then the default (Indonesian).

Views call :func:`remember` (the language switch; a login with an account that has a stored
preference); the cookie is written on the way out.
"""

from __future__ import annotations

from flask import Flask, current_app, g, request

COOKIE = "portal_locale"
"""Name of the cookie holding the chosen locale (``id`` or ``en``)."""

MAX_AGE_SECONDS = 365 * 24 * 3600
"""How long the browser keeps the choice: one year."""


def remember(locale: str) -> None:
    """Write ``locale`` (one of ``PORTAL_LOCALES``) to the cookie with this response."""
    if locale in current_app.config["PORTAL_LOCALES"]:
        g.locale_to_remember = locale


def from_cookie() -> str | None:
    """The locale this browser chose before, if the cookie holds an allowed one."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in current_app.config["PORTAL_LOCALES"] else None


def init_app(app: Flask) -> None:
    """Write the cookie on responses of requests that called :func:`remember`."""

    @app.after_request
    def _write_locale_cookie(response):
        locale = g.get("locale_to_remember")
        if locale is not None and request.cookies.get(COOKIE) != locale:
            response.set_cookie(COOKIE, locale, max_age=MAX_AGE_SECONDS, httponly=True,
                                samesite="Lax",
                                secure=bool(app.config.get("SESSION_COOKIE_SECURE")))
        return response
