"""Training needs analysis (analisis kebutuhan pelatihan): needs surveys, interviews and
focus group discussions, Borich figures and the needs report. Blueprint ``needs``."""

from flask import Blueprint

bp = Blueprint("needs", __name__)

