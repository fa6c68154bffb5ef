"""The admin feature: blueprint `admin` (``/admin``): the admin's landing page, accounts,
agencies and units, and the audit log."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

