"""The progress feature: blueprint `progress`."""

from flask import Blueprint

bp = Blueprint("progress", __name__)

from portal.progress import views  # noqa: E402,F401  (registers the routes)
