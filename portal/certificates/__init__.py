"""The certificates feature: blueprint `certificates`."""

from flask import Blueprint

bp = Blueprint("certificates", __name__)

from portal.certificates import views  # noqa: E402,F401  (registers the routes)
