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
"""

from __future__ import annotations

import re
from typing import Any

from flask import Flask, abort, current_app, jsonify, request
from flask_babel import gettext as _

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
"""Any control character (Unicode category Cc)."""

CONTROL_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
"""A control character other than tab, line feed and carriage return."""


def init_request_boundary(app: Flask) -> None:
    """Install the boundary rules on ``app``; call before any extension's ``init_app``."""
    app.before_request(refuse_control_characters)


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
