"""Requests for a host the portal does not serve.

In production Flask's ``TRUSTED_HOSTS`` (see :func:`portal.config.trusted_hosts`) holds the
host of ``PUBLIC_BASE_URL`` and ``EXTRA_TRUSTED_HOSTS``; a request whose ``Host`` header
names any other host fails with werkzeug's :class:`~werkzeug.exceptions.SecurityError`
(400) before routing, so nothing the portal builds or stores can take a client's host.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, render_template, request
from flask.globals import request_ctx
from flask_babel import gettext as _
from werkzeug.exceptions import SecurityError


def handle_untrusted_host(error: SecurityError):
    """The translated 400 page for a request to an untrusted host, naming the real address.

    The failed request has no URL adapter (Flask builds it from the host it refused), so the
    page's links are built against ``PUBLIC_BASE_URL`` instead; they are paths, never a
    client-chosen host.

    Returns:
        ``(html, 400)``.
    """
    public = current_app.config.get("PUBLIC_BASE_URL") or ""
    if request_ctx.url_adapter is None:
        parts = urlsplit(public)
        request_ctx.url_adapter = current_app.url_map.bind(
            parts.netloc or "localhost", script_name=request.script_root or "/",
            url_scheme=parts.scheme or "http")
    message = (_("This portal is not served at this address. Open it at %(url)s.", url=public)
               if public else None)
    return render_template("errors/400.html", message=message), 400
