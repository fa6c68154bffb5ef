"""Home page, language switch and health check."""

from __future__ import annotations

from flask import current_app, redirect, render_template, request, session, url_for
from flask_login import current_user
from urllib.parse import urlsplit

from portal import locale_choice
from portal.extensions import db
from portal.main import bp


def safe_next(target: str | None, fallback: str) -> str:
    """Return ``target`` if it is a local path (no scheme, no host), else ``fallback``.

    Prevents open redirects through ``?next=`` parameters.
    """
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    # Browsers read "/\\host" as "//host" and drop control characters: refuse both.
    if "\\" in target or any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return fallback
    return target


@bp.get("/")
def index():
    """Home: the learner's dashboard when logged in, otherwise the welcome page."""
    if current_user.is_authenticated:
        return redirect(url_for("progress.dashboard"))
    return render_template("main/index.html")


@bp.route("/locale", methods=["GET", "POST"])
def set_locale():
    """Switch the UI language (``id`` or ``en``); saved on the account when logged in. A GET
    changes nothing and returns to ``next`` (a local path) or home."""
    if request.method == "GET":
        return redirect(safe_next(request.args.get("next"), url_for("main.index")))
    locale = request.form.get("locale", "")
    if locale in current_app.config["PORTAL_LOCALES"]:
        session["locale"] = locale
        locale_choice.remember(locale)
        if current_user.is_authenticated:
            current_user.locale = locale
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("main.index")))


@bp.get("/healthz")
def healthz():
    """Liveness check for load balancers: 200 and ``ok`` when the database answers."""
    db.session.execute(db.text("SELECT 1"))
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8"}
