"""The main feature: blueprint `main`."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from portal.main import views  # noqa: E402,F401  (registers the routes)
