"""The request boundary: rules every request meets before any view or extension reads it.

:func:`init_request_boundary` installs them on the app, before the other extensions, so that
a refused request never reaches the CSRF check, the rate limiter or a view:

- **Control characters are refused** with a clear 400 in the user's language (JSON for
  scripts), wherever they arrive: the path, the query string (names and values), form field
  names and values, uploaded file names and JSON bodies (keys and strings). Control
  characters are Unicode category ``Cc``: U+0000–U+001F and U+007F–U+009F. Tab, line feed and
  carriage return stay allowed in form values and JSON strings (multi-line text), nowhere
  else. PostgreSQL cannot store a NUL in text at all (psycopg raises ``DataError``, a 500),
  and no field of the portal has a use for the others, so one check here keeps every view
  and service free of it.
- **The client address** (``request.remote_addr``, which per-client throttling counts by) is
  the peer of the connection. Behind reverse proxies it is taken from ``X-Forwarded-For``,
  but only through :class:`werkzeug.middleware.proxy_fix.ProxyFix` trusting the number of
  proxies in the setting ``TRUSTED_PROXY_COUNT`` (default 0: the header is ignored, since any
  client can send it).
- **HTTPS**: when ``PUBLIC_BASE_URL`` starts with ``https://``, the session cookie (and any
  remember cookie) is marked ``Secure`` and every response carries
  ``Strict-Transport-Security`` (:data:`HSTS_VALUE`).
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, current_app, jsonify, request
from flask_babel import gettext as _
from werkzeug.middleware.proxy_fix import ProxyFix

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Any control character (Unicode category Cc)."""

CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""A control character other than tab, line feed and carriage return."""

ID_MAX = 2**31 - 1
"""The largest id a row can have: PostgreSQL's ``integer`` (SQLite's rowid goes further, but
the portal keeps one range for both)."""


def parse_id(value: object, *, low: int = 1, high: int = ID_MAX) -> int | None:
    """An integer taken from a URL, query string or form, checked at the boundary.

    ``value`` may be an int or text of ASCII digits (surrounding spaces allowed). Returns the
    int when it lies in ``low..high`` (ids: 1..2**31-1, :data:`ID_MAX`), else None: not a
    number, a sign, a fraction, or out of range. A number the database column cannot hold
    would otherwise reach the query and fail there (PostgreSQL: "integer out of range", a
    500), so every id and page number the portal reads from a request goes through here.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value if value is not None else "").strip()
        if not (text.isascii() and text.isdigit()) or len(text) > 12:
            return None
        number = int(text)
    return number if low <= number <= high else None


HSTS_VALUE = "max-age=31536000"
"""One year, the minimum the HSTS preload list asks for (hstspreload.org); without
``includeSubDomains``, since other services under the same government domain may still
serve plain HTTP."""


def init_request_boundary(app: Flask) -> None:
    """Install the boundary rules on ``app``; call before any extension's ``init_app``.

    Raises:
        portal.config.ConfigError: ``TRUSTED_PROXY_COUNT`` is negative.
    """
    from portal.config import ConfigError

    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies < 0:
        raise ConfigError(f"TRUSTED_PROXY_COUNT must be 0 or more, got {proxies}")
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)  # type: ignore[method-assign]

    if is_https(app.config.get("PUBLIC_BASE_URL")):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
        app.after_request(_strict_transport_security)

    app.before_request(refuse_control_characters)


def is_https(base_url: str | None) -> bool:
    """True if ``base_url`` (the setting ``PUBLIC_BASE_URL``) is an ``https://`` address."""
    return bool(base_url) and base_url.strip().lower().startswith("https://")


def _strict_transport_security(response):
    response.headers.setdefault("Strict-Transport-Security", HSTS_VALUE)
    return response


def control_character_in_address(path: str, args) -> bool:
    """True if the decoded ``path`` or any query name or value holds a control character.

    Args:
        path: ``request.path`` (percent-decoded).
        args: ``request.args``, a ``MultiDict`` of decoded names and values.
    """
    if CONTROL.search(path):
        return True
    return any(CONTROL.search(name) or CONTROL.search(value)
               for name, value in args.items(multi=True))


def control_character_in_fields(form, files) -> bool:
    """True if a form field name, a form value (tab/LF/CR allowed) or a file name holds a
    control character.

    Args:
        form: ``request.form``; files: ``request.files`` (``MultiDict`` of ``FileStorage``).
    """
    for name, value in form.items(multi=True):
        if CONTROL.search(name) or CONTROL_IN_TEXT.search(value):
            return True
    for name, upload in files.items(multi=True):
        if CONTROL.search(name) or CONTROL.search(upload.filename or ""):
            return True
    return False


def control_character_in_json(value: Any) -> bool:
    """True if a decoded JSON document holds a control character in a key, or in a string
    other than tab/LF/CR."""
    if isinstance(value, str):
        return bool(CONTROL_IN_TEXT.search(value))
    if isinstance(value, dict):
        return any(CONTROL.search(str(key)) or control_character_in_json(item)
                   for key, item in value.items())
    if isinstance(value, list):
        return any(control_character_in_json(item) for item in value)
    return False


def wants_json() -> bool:
    """True if the client asked for JSON rather than a page (``Accept``, as quiz.js sends)."""
    return request.accept_mimetypes.best_match(
        ["text/html", "application/json"]) == "application/json"


def refuse_control_characters():
    """``before_request``: a 400 when the request carries a control character (see the
    module docstring); ``None`` (go on) otherwise."""
    if control_character_in_address(request.path, request.args):
        message = _("The address you opened contains a control character (such as a NUL "
                    "byte), which the portal does not accept. Check the link or retype the "
                    "address.")
    elif request.method in ("POST", "PUT", "PATCH", "DELETE") and (
            control_character_in_fields(request.form, request.files)
            or (request.is_json
                and control_character_in_json(request.get_json(silent=True)))):
        message = _("Something you sent contains a control character (such as a NUL byte), "
                    "which the portal does not accept. Go back, retype the field where it "
                    "was pasted, and send again: the rest of the form is still there.")
    else:
        return None
    current_app.logger.info("Refused a control character in %s %r", request.method,
                            request.path.encode("unicode_escape").decode("ascii"))
    if wants_json():
        return jsonify(error="control_character", message=message), 400
    abort(400, description=message)
