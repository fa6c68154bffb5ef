"""The competency catalogue (PermenPANRB 38/2017) and technical competencies per agency.
Blueprint ``competencies``."""

from flask import Blueprint

bp = Blueprint("competencies", __name__)

from portal.competencies import views  # noqa: E402,F401  (registers the routes)
