"""The quizzes feature: blueprint `quizzes`."""

from flask import Blueprint

bp = Blueprint("quizzes", __name__)

from portal.quizzes import views  # noqa: E402,F401  (registers the routes)
