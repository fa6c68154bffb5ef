"""Training needs analysis (analisis kebutuhan pelatihan): needs surveys, interviews and
focus group discussions, Borich figures and the needs report. Blueprint ``needs``."""

from flask import Blueprint

bp = Blueprint("needs", __name__)

from portal.needs import admin_views, views  # noqa: E402,F401  (registers the routes)
