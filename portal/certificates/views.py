"""Routes of the certificates blueprint (placeholder)."""

from flask import abort

from portal.certificates import bp


@bp.get("/hr/certificates")
def hr_search():
    abort(404)
