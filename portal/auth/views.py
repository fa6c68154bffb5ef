"""Routes of the auth blueprint (placeholder until registration lands)."""

from flask import abort

from portal.auth import bp


@bp.route("/login", methods=["GET", "POST"])
def login():
    abort(404)


@bp.route("/register", methods=["GET", "POST"])
def register():
    abort(404)


@bp.post("/logout")
def logout():
    abort(404)


@bp.get("/profile")
def profile():
    abort(404)
