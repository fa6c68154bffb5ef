"""Routes of the progress blueprint (placeholder)."""

from flask import abort

from portal.progress import bp


@bp.get("/dashboard")
def dashboard():
    abort(404)
