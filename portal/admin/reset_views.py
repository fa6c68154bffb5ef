"""The public page of a one-time password-reset link (:mod:`portal.admin.reset`):
blueprint ``reset``."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user

from portal.admin import reset
from portal.auth.forms import _confirm_field, _new_password_field
from portal.auth.services import AccountError
from portal.auth.sessions import stop
from portal.extensions import db
from portal.forms import PortalForm
from portal.security import rerender_on_csrf_error

bp = Blueprint("reset", __name__)


class ResetForm(PortalForm):
    """The new password, twice."""

    password = _new_password_field(_l("New password"), _l("Choose a new password."))
    confirm = _confirm_field(_l("Repeat the new password"), _l("Repeat the new password."),
                             "password")


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
@rerender_on_csrf_error
def reset_password(token: str):
    """Choose a new password with a link an admin handed over. Opening the link changes
    nothing; the POST sets the password, ends every session of the account and uses the
    link up. A dead link gets a page saying so (status 410)."""
    try:
        reset.user_for(token)
    except reset.ResetError as exc:
        message = (_("This link has expired. Ask the portal admin for a new one.")
                   if exc.code == "expired" else
                   _("This link no longer works: it was used, or the password was changed "
                     "since. Ask the portal admin for a new one."))
        return render_template("admin/reset_dead.html", message=message), 410
    form = ResetForm()
    if form.validate_on_submit():
        try:
            reset.reset_password(token, form.password.data)
            db.session.commit()
        except AccountError:
            db.session.rollback()
            form.password.errors = [*form.password.errors, _("Choose a longer password.")]
        else:
            if current_user.is_authenticated:
                stop()
            flash(_("Your password was set. Log in with it."), "success")
            return redirect(url_for("auth.login"))
    status = 200 if not form.is_submitted() else 422
    return render_template("admin/reset.html", form=form, token=token), status
