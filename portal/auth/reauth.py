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
  ``SECRET_KEY``) so the carried fields cannot be changed on the way.

  When the post arrived is decided by the server, not by the token: a post whose ended
  session belonged to an account gets a server-side record (:class:`CarriedPostRecord`,
  named in the token by a random nonce). :func:`resume` gives the resumer the recorded
  arrival time (``arrived_at``, e.g. for a quiz deadline) only if the record belongs to the
  account now logging in, is the newest record of that account for that URL (a newer carried
  post replaces it), was never used before and is at most :data:`CARRY_TRUST_MINUTES` old.
  Otherwise the post counts as arriving at the login itself; a token already used once is
  not resumed at all. So a learner cannot keep several signed posts from before a deadline
  and pick one afterwards, nor replay one.
- **Anything else**: a redirect to the login page with a message; ``next`` is the page
  itself, or for a post, the page the form was on (the ``Referer`` of the same site), so the
  way back after the login leads to that page, not to the posted address.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from urllib.parse import urlencode, urlsplit

import sqlalchemy as sa
from flask import (current_app, flash, jsonify, make_response, redirect, render_template,
                   request, url_for)
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from portal.auth import sessions
from portal.auth.models import CarriedPostRecord
from portal.extensions import db
from portal.request_boundary import wants_json

CARRY_FIELD = "carried_post"
"""Name of the hidden login-form field holding a carried post."""

_SALT = "portal.auth.reauth.carried-post"

CARRY_TRUST_MINUTES = 15
"""How long after it arrived a carried post may still count as arriving then (minutes): the
time to type a password again, not to learn anything new."""

Resumer = Callable[..., object]
_RESUMERS: dict[str, Resumer] = {}


@dataclass(frozen=True)
class CarriedPost:
    """A form post that arrived after its session had ended, kept across the login.

    ``target`` is the path it was posted to; ``fields`` its fields (the CSRF token left
    out); ``arrived_at`` when it counts as arrived (aware UTC): as read from the token, and
    once handed to a resumer by :func:`resume`, the moment the server recorded, or the login
    itself when that record cannot be trusted (``trusted`` says which); ``user_id`` the
    account of the session that had ended, None when the request carried no session at
    all; ``nonce`` names its :class:`CarriedPostRecord` (None without ``user_id``).
    """

    target: str
    fields: MultiDict
    arrived_at: datetime
    user_id: int | None = None
    nonce: str | None = None
    trusted: bool = False

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
          user_id: int | None = None, nonce: str | None = None) -> str:
    """Sign a post into the value of the :data:`CARRY_FIELD` hidden field.

    Args:
        target: the path posted to. fields: the posted fields (``csrf_token`` is dropped).
        arrived_at: aware UTC. user_id: the account whose session had ended, if known.
        nonce: its server-side record (:func:`record`), if any.
    """
    items = [[name, value] for name, value in fields.items(multi=True)
             if name != "csrf_token"]
    return _serializer().dumps({"to": target, "at": int(arrived_at.timestamp()),
                                "uid": user_id, "n": nonce, "fields": items})


def record(target: str, user_id: int, arrived_at: datetime) -> str:
    """Record on the server that a post for ``target`` from an ended session of account
    ``user_id`` arrived at ``arrived_at`` (aware UTC); returns the record's random nonce.

    The account's earlier records for the same ``target`` are deleted (only the newest one
    can be trusted), and so are its records that were used or are too old to be trusted.
    Flushes, does not commit.
    """
    limit = arrived_at - timedelta(minutes=CARRY_TRUST_MINUTES)
    db.session.execute(
        sa.delete(CarriedPostRecord)
        .where(CarriedPostRecord.user_id == user_id,
               sa.or_(CarriedPostRecord.target == target,
                      CarriedPostRecord.used_at.is_not(None),
                      CarriedPostRecord.arrived_at < limit))
        .execution_options(synchronize_session=False))
    nonce = secrets.token_urlsafe(32)
    db.session.add(CarriedPostRecord(nonce=nonce, user_id=user_id, target=target,
                                     arrived_at=arrived_at))
    db.session.flush()
    return nonce


def claim(post: CarriedPost, user_id: int, now: datetime) -> datetime | None | bool:
    """Use the server-side record of ``post`` for account ``user_id`` at ``now`` (aware UTC).

    Returns:
        The recorded arrival time (aware UTC) when it can be trusted: the record exists (so
        it is the account's newest for that URL), belongs to ``user_id`` and to the token's
        account, matches the token's URL, was not used, and arrived at most
        :data:`CARRY_TRUST_MINUTES` before ``now``; the record is marked used (a conditional
        UPDATE, so two logins with one token cannot both use it). False when the record was
        already used (a replay). None otherwise (no record: replaced by a newer one, never
        made, or of another account; or too old).
    Flushes, does not commit.
    """
    if post.nonce is None or post.user_id is None or post.user_id != user_id:
        return None
    row = db.session.scalars(
        sa.select(CarriedPostRecord).where(CarriedPostRecord.nonce == post.nonce)).first()
    if row is None or row.user_id != user_id or row.target != post.target:
        return None
    if row.used_at is not None:
        return False
    result = db.session.execute(
        sa.update(CarriedPostRecord)
        .where(CarriedPostRecord.id == row.id, CarriedPostRecord.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False))
    if result.rowcount != 1:
        return False
    if now - row.arrived_at > timedelta(minutes=CARRY_TRUST_MINUTES):
        return None
    return row.arrived_at


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
    nonce = str(data["n"]) if data.get("n") is not None else None
    return CarriedPost(target, fields, datetime.fromtimestamp(moment, timezone.utc), user_id,
                       nonce)


def resume(post: CarriedPost, user_id: int, now: datetime):
    """After a successful login of account ``user_id`` at ``now`` (aware UTC): hand
    ``post`` to the resumer of the view it was posted to, with ``arrived_at`` set to the
    moment the server trusts (:func:`claim`: the recorded arrival, else ``now``).

    Returns:
        The resumer's response, or None when no resumer takes it or the post was already
        resumed once (the login then redirects as usual). Commits the use of the record.
    """
    adapter = current_app.url_map.bind_to_environ(request.environ)
    try:
        endpoint, view_args = adapter.match(urlsplit(post.target).path, method="POST")
    except (HTTPException, RequestRedirect):
        return None
    resumer = _RESUMERS.get(endpoint)
    if resumer is None:
        return None
    arrived = claim(post, user_id, now)
    db.session.commit()  # used once, whatever the resumer does next
    if arrived is False:
        return None
    post = replace(post, arrived_at=arrived or now, trusted=arrived is not None)
    return resumer(post, **view_args)


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


_NOT_A_DESTINATION = frozenset({"auth.logout"})
"""POST endpoints whose GET is no place to return to after a login."""


def login_url(next_path: str | None) -> str:
    """The login page's URL, returning to ``next_path`` (encoded as Flask-Login does)."""
    base = url_for("auth.login")
    return f"{base}?{urlencode({'next': next_path})}" if next_path else base


def return_path() -> str | None:
    """Where the login page should lead back to after logging in, for this request: the
    page itself for a GET; for a post, the page the form was on (the same-site ``Referer``),
    else the posted address if its GET leads to a page (not for
    :data:`_NOT_A_DESTINATION`, whose GET only asks to confirm)."""
    here = request.full_path.rstrip("?")
    if request.method in ("GET", "HEAD"):
        return here
    if _same_site_path(request.referrer):
        return _same_site_path(request.referrer)
    if request.endpoint not in _NOT_A_DESTINATION and _answers_get(request.path):
        return here
    return None


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

    now, user_id = utcnow(), sessions.session_end_user_id()
    nonce = record(request.path, user_id, now) if user_id is not None else None
    db.session.commit()
    token = carry(request.path, request.form, now, user_id, nonce)
    notice = " ".join([message, _("What you sent is kept: log in and you will return to the "
                                  "same page with it.")])
    return render_template("auth/login.html", form=LoginForm(formdata=None),
                           next_url=return_path(), carried=token, notice=notice), 401
