"""What a request that needs a login gets when it has none, so that a session ending while
a page is open never loses what the user typed.

:func:`unauthorized` is Flask-Login's unauthorized handler (used by ``login_required`` and
:func:`portal.security.role_required`). By kind of request:

- **Scripts** (``Accept: application/json``, e.g. the quiz autosave in ``static/js/quiz.js``):
  401 with ``{"error": "login_required", "message": ..., "login_url": ...}``. The page stays
  as it is, with everything typed on it, and says why in the user's language.
- **htmx**: 401 with ``HX-Redirect`` to the login page, which returns to the page the
  request came from (nothing typed is involved: htmx posts buttons here).
- **A form post to a view that registered a resumer** (:func:`resumes`; e.g. a quiz's
  Submit): 401 and the login page right away, carrying the post in one signed hidden field
  (:func:`carry`). When the login succeeds, :func:`resume` hands the post to the resumer,
  which saves it and shows the page again. The field is signed (itsdangerous, with
  ``SECRET_KEY``) so the carried fields and the moment they arrived cannot be changed on the
  way: a resumer may trust ``arrived_at`` (e.g. for a quiz deadline).
- **Anything else**: a redirect to the login page with a message; ``next`` is the page
  itself, or for a post to a URL that answers only POST, the page the form was on (the
  ``Referer`` of the same site), so the way back after the login never ends in a 405.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlencode, urlsplit

from flask import (current_app, flash, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal.auth import sessions
from portal.request_boundary import wants_json

CARRY_FIELD = "carried_post"
"""Name of the hidden login-form field holding a carried post."""

_SALT = "portal.auth.reauth.carried-post"

Resumer = Callable[..., object]
_RESUMERS: dict[str, Resumer] = {}


@dataclass(frozen=True)
class CarriedPost:
    """A form post that arrived after its session had ended, kept across the login.

    ``target`` is the path it was posted to; ``fields`` its fields (the CSRF token left
    out); ``arrived_at`` when the server received it (aware UTC); ``user_id`` the account of
    the session that had ended, None when the request carried no session at all.
    """

    target: str
    fields: MultiDict
    arrived_at: datetime
    user_id: int | None = None

    def typed_by(self, user_id: int) -> bool:
        """True if the post certainly came from the session of account ``user_id``."""
        return self.user_id is not None and self.user_id == user_id


def resumes(endpoint: str) -> Callable[[Resumer], Resumer]:
    """Register the decorated function as the resumer of the POST view ``endpoint``.

    A resumer is called after a successful login as ``resumer(post, **view_args)`` with the
    :class:`CarriedPost` and the URL arguments of ``post.target``; it returns a response
    (after committing what it saved) or None to fall back to the usual redirect. It must
    check that what it touches belongs to the user now logged in, and not show one user
    what another typed on a shared device (:meth:`CarriedPost.typed_by`).
    """

    def register(function: Resumer) -> Resumer:
        _RESUMERS[endpoint] = function
        return function

    return register


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def carry(target: str, fields: MultiDict, arrived_at: datetime,
          user_id: int | None = None) -> str:
    """Sign a post into the value of the :data:`CARRY_FIELD` hidden field.

    Args:
        target: the path posted to. fields: the posted fields (``csrf_token`` is dropped).
        arrived_at: aware UTC. user_id: the account whose session had ended, if known.
    """
    items = [[name, value] for name, value in fields.items(multi=True)
             if name != "csrf_token"]
    return _serializer().dumps({"to": target, "at": int(arrived_at.timestamp()),
                                "uid": user_id, "fields": items})


def carried_post(token: str | None) -> CarriedPost | None:
    """The post signed in ``token`` by :func:`carry`, or None when there is none, it was
    altered or it is older than the absolute session lifetime (``SESSION_MAX_HOURS``)."""
    if not token:
        return None
    try:
        data = _serializer().loads(token, max_age=int(sessions.lifetime().total_seconds()))
        target, moment = str(data["to"]), int(data["at"])
        user_id = int(data["uid"]) if data.get("uid") is not None else None
        fields = MultiDict([(str(name), str(value)) for name, value in data["fields"]])
    except (BadSignature, KeyError, TypeError, ValueError, AttributeError):
        return None
    return CarriedPost(target, fields, datetime.fromtimestamp(moment, timezone.utc), user_id)


def resume(post: CarriedPost):
    """After a successful login: hand ``post`` to the resumer of the view it was posted to.

    Returns:
        The resumer's response, or None when no resumer takes it (the login then redirects
        as usual).
    """
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, view_args = adapter.match(urlsplit(post.target).path, method="POST")
    except (HTTPException, RequestRedirect):
        return None
    resumer = _RESUMERS.get(endpoint)
    return resumer(post, **view_args) if resumer is not None else None


def ended_message() -> str:
    """Why the user must log in again, in their language, from the reason the session
    ended during this request (:func:`portal.auth.sessions.session_end_reason`)."""
    reason = sessions.session_end_reason()
    if reason == "idle":
        return _("You were logged out after %(minutes)d minutes without activity. Please log "
                 "in again.", minutes=current_app.config["SESSION_IDLE_MINUTES"])
    if reason == "expired":
        return _("Your session reached its maximum length of %(hours)d hours. Please log in "
                 "again.", hours=current_app.config["SESSION_MAX_HOURS"])
    if reason is not None:
        return _("Your session has ended: you logged out or changed your password, perhaps on "
                 "another device. Please log in again.")
    return _("Please log in to open that page.")


def _same_site_path(url: str | None) -> str | None:
    """The path and query of ``url`` if it points to this site, else None."""
    from portal.main.views import safe_next

    if not url:
        return None
    parts = urlsplit(url)
    if parts.netloc and parts.netloc != request.host:
        return None
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path, "") or None


def _answers_get(path: str) -> bool:
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        adapter.match(urlsplit(path).path, method="GET")
    except (HTTPException, RequestRedirect):
        return False
    return True


def login_url(next_path: str | None) -> str:
    """The login page's URL, returning to ``next_path`` (encoded as Flask-Login does)."""
    base = url_for("auth.login")
    return f"{base}?{urlencode({'next': next_path})}" if next_path else base


def return_path() -> str | None:
    """Where the login page should lead back to after logging in, for this request."""
    here = request.full_path.rstrip("?")
    if request.method in ("GET", "HEAD") or _answers_get(request.path):
        return here
    return _same_site_path(request.referrer)


def unauthorized():
    """Flask-Login's unauthorized handler: see the module docstring."""
    message = ended_message()
    if wants_json():
        return jsonify(error="login_required", message=message,
                       login_url=url_for("auth.login")), 401
    if request.headers.get("HX-Request") == "true":
        page = _same_site_path(request.headers.get("HX-Current-URL")) or return_path()
        flash(message, "info")
        response = make_response("", 401)
        response.headers["HX-Redirect"] = login_url(page)
        return response
    if request.method == "POST" and request.endpoint in _RESUMERS:
        return login_page_carrying_the_post(message)
    flash(message, "info")
    return redirect(login_url(return_path()))


def login_page_carrying_the_post(message: str):
    """The login page (401) with this request's post carried in a signed hidden field."""
    from portal.auth.forms import LoginForm
    from portal.timeutil import utcnow

    token = carry(request.path, request.form, utcnow(), sessions.session_end_user_id())
    notice = " ".join([message, _("What you sent is kept: log in and you will return to the "
                                  "same page with it.")])
    return render_template("auth/login.html", form=LoginForm(formdata=None),
                           next_url=return_path(), carried=token, notice=notice), 401
