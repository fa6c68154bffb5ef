"""The one base class of the portal's domain errors.

Services raise a subclass of :class:`DomainError` when a rule refuses an action; views turn
it into a form error or an HTTP status. Every domain error carries a ``code`` (a short,
stable identifier such as ``no_attempts_left``, listed in the subclass's docstring), and
optionally the ``field`` of the form it belongs to and ``params`` for the message (plain
values: numbers, dates, names). ``str(error)`` is the message given, else the code; the
message shown to a person is translated by the view from the code, never taken from here.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A domain rule refused an action.

    Attributes:
        code: what was refused, a stable identifier (``str``) that views map to a message.
        field: the form field the message belongs to, or None.
        params: values the message needs (``dict``, empty when none).
    """

    def __init__(self, code: str, message: str = "", *, field: str | None = None,
                 params: dict[str, Any] | None = None) -> None:
        super().__init__(message or code)
        self.code = code
        self.field = field
        self.params = dict(params or {})
