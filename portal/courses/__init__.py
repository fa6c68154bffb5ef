"""The courses feature: blueprint `courses`."""

from flask import Blueprint

bp = Blueprint("courses", __name__)

from portal.courses import views  # noqa: E402,F401  (registers the routes)
