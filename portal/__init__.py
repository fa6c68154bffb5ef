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

    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_error_handlers(app)
    _register_cli(app)
    return app


def select_locale() -> str:
    """Locale for this request: the user's saved choice, then the session's, else ``id``."""
    from flask import current_app

    allowed = current_app.config["PORTAL_LOCALES"]
    if current_user and current_user.is_authenticated and current_user.locale in allowed:
        return current_user.locale
    chosen = session.get("locale")
    if chosen in allowed:
        return chosen
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _init_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (register every table on the metadata)
    from portal import sqlite  # noqa: F401  (real transactions and foreign keys on SQLite)
    from portal.extensions import babel, csrf, db, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale,
                   default_timezone=app.config["PORTAL_TIMEZONE"])
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    from flask_babel import lazy_gettext as _l

    login_manager.login_message = _l("Please log in to open that page.")
    login_manager.login_message_category = "info"

    @login_manager.user_loader
    def load_user(user_id: str):
        from portal.auth.models import User

        return db.session.get(User, int(user_id)) if user_id.isdigit() else None


def _register_blueprints(app: Flask) -> None:
    from portal.auth import bp as auth_bp
    from portal.certificates import bp as certificates_bp
    from portal.courses import bp as courses_bp
    from portal.main import bp as main_bp
    from portal.progress import bp as progress_bp
    from portal.quizzes import bp as quizzes_bp

    for bp in (main_bp, auth_bp, courses_bp, quizzes_bp, progress_bp, certificates_bp):
        app.register_blueprint(bp)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from portal.auth.nip import format_nip, mask_nip
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

    @app.template_filter("percent")
    def percent(value):
        """A score on every page: 2 decimals rounded down, locale's marks, e.g. 66,66%."""
        return format_percent(value, _locale()) if value is not None else ""

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

    from portal.security import handle_csrf_error

    app.register_error_handler(CSRFError, handle_csrf_error)

    def make_handler(code: int):
        def handler(error):
            # A view may abort with a specific, translated description; show it then, and
            # Werkzeug's generic English text never.
            description = getattr(error, "description", None)
            default = getattr(type(error), "description", None)
            message = description if description and description != default else None
            return render_template(f"errors/{code}.html", message=message), code

        return handler

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, make_handler(code))


def _register_cli(app: Flask) -> None:
    from portal.cli import register

    register(app)
