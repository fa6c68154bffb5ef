"""Portal Pembinaan ASN: a course portal for the competency development of Jambi's ASN.

Use :func:`create_app` to build the application. Creating the app has no side effects on the
database or the files: data work runs as Flask CLI commands.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request, session
from flask_login import current_user


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application.

    Args:
        config: settings that override those read from the environment (tests use this).

    Returns:
        The configured app with every extension, blueprint, Jinja filter and CLI command.

    Raises:
        portal.config.ConfigError: a required setting is missing (e.g. SECRET_KEY in
            production).
    """
    from portal.config import load_config

    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(load_config(app.instance_path))
    if config:
        app.config.update(config)

    from portal.request_boundary import init_request_boundary

    init_request_boundary(app)  # first: its checks run before any extension's
    from portal import locale_choice

    locale_choice.init_app(app)
    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_handlers(app)
    _register_cli(app)
    return app


def select_locale() -> str:
    """Locale for this request: the user's saved choice, then the session's, then the
    browser's earlier choice (:mod:`portal.locale_choice`), else ``id``."""
    from flask import current_app

    from portal.locale_choice import from_cookie

    allowed = current_app.config["PORTAL_LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in allowed:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in allowed:
        return chosen
    return from_cookie() or current_app.config["BABEL_DEFAULT_LOCALE"]


def _init_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (register every table on the metadata)
    from portal import sqlite  # noqa: F401  (real transactions and foreign keys on SQLite)
    from portal.auth.sessions import check_settings as check_session_settings
    from portal.auth.throttle import check_settings as check_throttle_settings
    from portal.extensions import babel, csrf, db, limiter, login_manager, migrate

    check_session_settings(app.config)
    check_throttle_settings(app.config)

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_timezone=app.config["PORTAL_TIMEZONE"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    # Sessions end on the server (portal.auth.sessions), never because the client's
    # address or browser changed: a phone moving from Wi-Fi to mobile data stays logged in.
    login_manager.session_protection = None

    from portal.auth.reauth import unauthorized
    from portal.auth.sessions import load_user

    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def _register_blueprints(app: Flask) -> None:
    # the views modules add their routes to the blueprints when imported
    from portal.admin import bp as admin_bp
    from portal.admin import views as _admin_views  # noqa: F401
    from portal.admin.reset_views import bp as reset_bp
    from portal.auth import bp as auth_bp
    from portal.auth import views as _auth_views  # noqa: F401
    from portal.certificates import bp as certificates_bp
    from portal.certificates import views as _certificates_views  # noqa: F401
    from portal.competencies import bp as competencies_bp
    from portal.competencies import views as _competencies_views  # noqa: F401
    from portal.courses import bp as courses_bp
    from portal.courses import views as _courses_views  # noqa: F401
    from portal.main import bp as main_bp
    from portal.main import views as _main_views  # noqa: F401
    from portal.needs import admin_views as _needs_admin_views  # noqa: F401
    from portal.needs import bp as needs_bp
    from portal.needs import views as _needs_views  # noqa: F401
    from portal.progress import bp as progress_bp
    from portal.progress import views as _progress_views  # noqa: F401
    from portal.quizzes import bp as quizzes_bp
    from portal.quizzes import views as _quizzes_views  # noqa: F401

    for bp in (main_bp, auth_bp, courses_bp, quizzes_bp, progress_bp, certificates_bp,
               needs_bp, competencies_bp, admin_bp, reset_bp):
        app.register_blueprint(bp)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.auth.nip import format_nip, mask_nip, nip_label
    from portal.numbers import format_percent
    from portal.timeutil import format_date_long, format_datetime_long

    def _locale() -> str:
        return str(get_locale() or "id")

    @app.template_filter("tanggal")
    def tanggal(value):
        """Long date in the display zone, e.g. 29 November 2026."""
        return format_date_long(value, _locale(), app.config["PORTAL_TIMEZONE"]) if value else ""

    @app.template_filter("waktu")
    def waktu(value):
        """Date and time in the display zone, e.g. 29 November 2026 pukul 08.00 WIB."""
        return (format_datetime_long(value, _locale(), app.config["PORTAL_TIMEZONE"])
                if value else "")

    app.jinja_env.filters["nip"] = format_nip
    app.jinja_env.filters["nip_masked"] = mask_nip
    app.jinja_env.filters["nip_label"] = nip_label

    @app.template_filter("percent")
    def percent(value):
        """A score on every page: 2 decimals rounded down, locale's marks, e.g. 66,66%."""
        return format_percent(value, _locale()) if value is not None else ""

    from portal.quizzes.scoring import reaches

    app.jinja_env.globals["passes"] = reaches

    @app.context_processor
    def inject_globals():
        return {"current_locale": _locale(), "locales": app.config["PORTAL_LOCALES"]}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
        )
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _register_error_handlers(app: Flask) -> None:
    from flask import render_template
    from flask_wtf.csrf import CSRFError

    from werkzeug.exceptions import SecurityError

    from portal.hosts import handle_untrusted_host
    from portal.security import handle_csrf_error

    app.register_error_handler(CSRFError, handle_csrf_error)
    app.register_error_handler(SecurityError, handle_untrusted_host)

    def make_handler(code: int):
        def handler(error):
            # A view may abort with a specific, translated description; show it then, and
            # Werkzeug's generic English text never.
            description = getattr(error, "description", None)
            default = getattr(type(error), "description", None)
            message = description if description and description != default else None
            return render_template(f"errors/{code}.html", message=message), code

        return handler

    for code in (400, 403, 404, 413, 429):
        app.register_error_handler(code, make_handler(code))
    app.register_error_handler(405, _method_not_allowed(make_handler(405)))
    app.register_error_handler(500, _server_error)


def _method_not_allowed(page):
    """The 405 handler: a GET (or HEAD) of an address that only takes a form's post, e.g. a
    reload or a bookmark, goes home instead of meeting an error; other methods get the 405
    ``page``. (The portal's own POST-only addresses also answer GET themselves, leading to
    the page their form is on.)"""

    def handler(error):
        from flask import redirect, request, url_for

        if request.method in ("GET", "HEAD"):
            return redirect(url_for("main.index"))
        return page(error)

    return handler


def _server_error(error):
    """The 500 page, rendered even when the database is unreachable.

    The failed transaction is rolled back, and when the account cannot be loaded (the
    database is down) the page is drawn as for an anonymous visitor, in the session's
    language: the layout's menu reads ``current_user``, which would otherwise query the
    database again, fail inside the handler and leave Flask's bare English "Internal Server
    Error".
    """
    from flask import g, render_template

    from portal.extensions import db, login_manager

    try:
        db.session.rollback()
        if current_user.is_authenticated:
            current_user.roles  # noqa: B018  (load the row now, or fail here)
    except Exception:  # noqa: BLE001  (whatever broke, the page must still render)
        g._login_user = login_manager.anonymous_user()
    return render_template("errors/500.html", message=None), 500


def _register_cli(app: Flask) -> None:
    from portal.cli import register

    register(app)
