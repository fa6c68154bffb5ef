"""The competency catalogue (PermenPANRB 38/2017) and technical competencies per agency.
Blueprint ``competencies``."""

from flask import Blueprint

bp = Blueprint("competencies", __name__)

