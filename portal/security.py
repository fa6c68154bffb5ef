"""Access control and CSRF helpers shared by every blueprint."""

from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import abort, current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from portal.auth.models import Role


def role_required(*roles: Role | str) -> Callable:
    """Decorate a view so only logged-in users with one of ``roles`` reach it.

    Anonymous users are sent to the login page (302); logged-in users without the role get
    HTTP 403. Admins pass every role check (see :meth:`User.has_role`).
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_roles = tuple(r.value if isinstance(r, Role) else r for r in roles)
        return wrapped

    return decorator


def rerender_on_csrf_error(view: Callable) -> Callable:
    """Mark a view as safe to call again when its POST fails the CSRF check.

    The view must validate a ``FlaskForm`` (whose own token check fails too) or read
    ``g.csrf_error`` before changing anything. It then re-renders the page with what the user
    typed, so a stale form loses nothing, with status 400.
    """
    view.rerender_on_csrf_error = True
    return view


def handle_csrf_error(error: CSRFError):
    """Turn a CSRF failure into a re-rendered form (opt-in views) or a clear 400 page.

    A script asking for JSON gets JSON instead: the login-required answer of
    :func:`portal.auth.reauth.unauthorized` when the session is gone (the CSRF token lives in
    the session), else 400 ``{"error": "csrf", "message": ...}``.
    """
    from flask import jsonify, render_template
    from flask_babel import gettext as _

    from portal.request_boundary import wants_json

    if wants_json():
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return jsonify(error="csrf", message=_(
            "This page has expired. Reload it, or send the form again.")), 400
    view = current_app.view_functions.get(request.endpoint or "")
    target = getattr(view, "__wrapped__", view)
    if view is not None and (getattr(view, "rerender_on_csrf_error", False)
                             or getattr(target, "rerender_on_csrf_error", False)):
        g.csrf_error = True
        g.csrf_valid = False  # the form's own token check must fail too
        rv = current_app.ensure_sync(view)(**(request.view_args or {}))
        response = current_app.make_response(rv)
        if response.status_code < 400:
            response.status_code = 400
        return response
    return render_template("errors/csrf.html", reason=error.description), 400
