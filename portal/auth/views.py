"""Routes of the auth blueprint: registration, login, logout, profile and password change.

Status codes: a form with validation errors is re-rendered with 422 (400 when its CSRF token
had expired, see :func:`portal.security.rerender_on_csrf_error`); a failed login with 401, a
throttled password check (:mod:`portal.auth.throttle`) with 429 and ``Retry-After``, a
deactivated account with 403.
"""

from __future__ import annotations

import math

from flask import current_app, flash, g, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from portal.auth import bp, devices, reauth, services, sessions, throttle
from portal.auth.landing import landing_url
from portal.auth.forms import ChangePasswordForm, LoginForm, ProfileForm, RegistrationForm, \
    account_error_message, nip_error_message
from portal.auth.nip import InvalidNip
from portal.auth.services import AccountError, AuthError
from portal import locale_choice
from portal.extensions import db
from portal.main.views import safe_next
from portal.security import rerender_on_csrf_error
from portal.timeutil import format_datetime_long, utcnow


ROLE_LABELS = {
    "peserta": _l("Learner (peserta)"),
    "instructor": _l("Instructor (widyaiswara)"),
    "hr": _l("HR staff"),
    "admin": _l("Administrator"),
}
"""Translated names of the roles in :class:`portal.auth.models.Role`."""


def roles_label(user) -> str:
    """The user's roles, translated, in the order of :data:`ROLE_LABELS`, comma separated."""
    return ", ".join(str(label) for role, label in ROLE_LABELS.items() if role in user.roles)


def _error_status(form) -> int:
    """Status for a re-rendered form: 200 on GET, 400 after a CSRF failure, else 422."""
    if not form.is_submitted():
        return 200
    return 400 if g.get("csrf_error") else 422


def _attach_error(form, error: AccountError) -> None:
    """Put the message of ``error`` on its field, or on the whole form."""
    message = account_error_message(error.code)
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


def _duplicate_after_race(form, user=None) -> None:
    """After a unique-constraint failure at commit, find which field clashed."""
    nip = getattr(form, "nip", None)
    if nip is not None and nip.data and services.nip_taken(nip.data, exclude=user):
        _attach_error(form, AccountError("duplicate_nip", "nip"))
    elif services.email_taken(form.email.data, exclude=user):
        _attach_error(form, AccountError("duplicate_email", "email"))
    else:
        form.form_errors.append(_("This change could not be saved. Please try again."))


@bp.route("/register", methods=["GET", "POST"])
@rerender_on_csrf_error
def register():
    """Public self-registration of an ASN learner (role peserta) with NIP."""
    if current_user.is_authenticated:
        return redirect(url_for("courses.catalogue"))
    form = RegistrationForm()
    form.fill_choices()
    if form.is_submitted():
        window = throttle.for_registration(request.remote_addr)
        retry_after = throttle.retry_at(window)
        if retry_after is not None:
            form.form_errors.append(_(
                "Too many registrations from this network. Please try again after %(time)s.",
                time=format_datetime_long(retry_after, str(get_locale() or "id"),
                                          current_app.config["PORTAL_TIMEZONE"])))
            return (render_template("auth/register.html", form=form), 429,
                    _retry_after_header(retry_after))
        throttle.record_failure(window)
    if form.validate_on_submit():
        try:
            user = services.register_peserta(
                nip=form.nip.data, email=form.email.data, password=form.password.data,
                full_name=form.full_name.data, name_prefix=form.name_prefix.data,
                name_suffix=form.name_suffix.data, pangkat_golongan=form.pangkat_golongan.data,
                jabatan=form.jabatan.data, opd_id=form.opd_id.data,
                locale=session.get("locale"))
            db.session.commit()
        except InvalidNip as exc:
            db.session.rollback()
            form.nip.errors = [nip_error_message(exc, form.nip.data)]
        except AccountError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        except IntegrityError:
            db.session.rollback()
            _duplicate_after_race(form)
        else:
            sessions.start(user, utcnow())
            flash(_("Welcome, %(name)s! Your account is ready. Choose a course to start.",
                    name=user.display_name), "success")
            return redirect(url_for("courses.catalogue"))
    return render_template("auth/register.html", form=form), _error_status(form)


@bp.get("/register/units")
def unit_field():
    """htmx: the work unit select for the agency chosen (``agency_id``), keeping the unit
    posted as ``opd_id`` when it belongs to that agency; every agency's units, grouped,
    when none is chosen. Serves registration and the profile (the logged-in user's current
    unit stays selectable)."""
    form = RegistrationForm(formdata=request.args, meta={"csrf": False})
    current = current_user.opd if current_user.is_authenticated else None
    form.fill_choices(current_opd=current, only_chosen_agency=True)
    if form.opd_id.data not in form.units_offered:
        form.opd_id.data = None
    return render_template("auth/_unit_field.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@rerender_on_csrf_error
def login():
    """Log in by NIP or email and password; honours a local ``next`` path only, else the
    user lands on the work page of their highest role (:func:`portal.auth.landing.landing_url`).

    A post carried across the login (:mod:`portal.auth.reauth`: a form sent after its
    session had ended) stays in the form until the login succeeds, then goes to its view's
    resumer, which decides where the user lands.
    """
    next_url = safe_next(request.values.get("next"), "")
    if current_user.is_authenticated:
        return redirect(next_url or landing_url(current_user))
    form = LoginForm()
    status = _error_status(form)
    carried_token = request.form.get(reauth.CARRY_FIELD) if request.method == "POST" else None
    carried = reauth.carried_post(carried_token)
    retry_after = None
    if form.validate_on_submit():
        identifier = throttle.normalize_identifier(form.identifier.data)
        window = throttle.for_login(form.identifier.data, request.remote_addr,
                                    devices.trusted_nonce(identifier))
        retry_after = throttle.retry_at(window)
        if retry_after is not None:
            form.form_errors.append(_throttled_message(retry_after))
            status = 429
        else:
            try:
                user = services.authenticate(form.identifier.data, form.password.data,
                                             utcnow())
            except AuthError as exc:
                db.session.rollback()
                if exc.code == "bad_credentials":
                    throttle.record_failure(window)
                message, status = _auth_error(exc)
                form.form_errors.append(message)
            else:
                throttle.clear_account(window)
                devices.remember([identifier, user.nip or "",
                                  throttle.normalize_identifier(user.email)])
                db.session.commit()
                sessions.start(user, utcnow())
                if user.locale in current_app.config["PORTAL_LOCALES"]:
                    session["locale"] = user.locale
                    locale_choice.remember(user.locale)
                resumed = (reauth.resume(carried, user.id, utcnow()) if carried is not None
                           else None)
                if resumed is not None:
                    return resumed
                flash(_("Welcome back, %(name)s", name=user.display_name), "success")
                return redirect(next_url or landing_url(user))
    notice = (_("Log in to continue: what you sent is kept until you do.")
              if carried is not None else None)
    return render_template("auth/login.html", form=form, next_url=next_url,
                           carried=carried_token if carried is not None else None,
                           notice=notice), status, _retry_after_header(retry_after)


def _throttled_message(retry_after) -> str:
    """The answer to a throttled password check: the same for every account, known or not."""
    when = format_datetime_long(retry_after, str(get_locale() or "id"),
                                current_app.config["PORTAL_TIMEZONE"])
    return _("Too many wrong passwords for this account or from this network. For your "
             "security, try again after %(time)s.", time=when)


def _retry_after_header(retry_after) -> dict[str, str]:
    """``Retry-After`` in whole seconds (at least 1) when throttled, else no header."""
    if retry_after is None:
        return {}
    seconds = max(1, math.ceil((retry_after - utcnow()).total_seconds()))
    return {"Retry-After": str(seconds)}


def _auth_error(error: AuthError) -> tuple[str, int]:
    """Message and HTTP status for a failed login."""
    if error.code == "inactive":
        return _("This account has been deactivated. Contact the portal admin."), 403
    return _("The NIP/email or password is wrong."), 401


@bp.route("/logout", methods=["GET", "POST"])
@login_required
def logout():
    """End every session of the account (this device and any other, and any copy of the
    cookie: :func:`portal.auth.services.end_all_sessions`) and go home. A GET (a typed or
    bookmarked address) ends nothing: it shows a page asking to confirm, whose button posts
    here."""
    if request.method == "GET":
        return render_template("auth/logout.html")
    services.end_all_sessions(current_user._get_current_object())
    db.session.commit()
    sessions.stop()
    flash(_("You have logged out. See you again."), "info")
    return redirect(url_for("main.index"))


@bp.route("/profile", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def profile():
    """Show one's own account and edit names, rank, position, work unit, email, language."""
    user = current_user._get_current_object()
    form = ProfileForm(obj=user)
    form.fill_choices(current_rank=user.pangkat_golongan, current_opd=user.opd,
                      holder_nip=user.nip)
    if not form.is_submitted() and not form.locale.data:
        form.locale.data = str(get_locale() or "id")
    if form.validate_on_submit():
        try:
            services.update_profile(
                user, email=form.email.data, full_name=form.full_name.data,
                name_prefix=form.name_prefix.data, name_suffix=form.name_suffix.data,
                pangkat_golongan=form.pangkat_golongan.data, jabatan=form.jabatan.data,
                opd_id=form.opd_id.data, locale=form.locale.data)
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            _attach_error(form, exc)
        except IntegrityError:
            db.session.rollback()
            _duplicate_after_race(form, user)
        else:
            session["locale"] = user.locale
            locale_choice.remember(user.locale)
            flash(_("Your profile was saved."), "success")
            return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form, user=user,
                           role_label=roles_label(user)), _error_status(form)


@reauth.resumes("auth.profile")
def resume_profile(post: reauth.CarriedPost):
    """After a new login: the profile form again, filled with what was typed before the
    session ended, not saved yet (the user checks it and presses Save). Only for the same
    account: on a shared device nobody sees what another user typed."""
    user = current_user._get_current_object()
    if not post.typed_by(user.id):
        return None
    form = ProfileForm(formdata=post.fields)
    form.fill_choices(current_rank=user.pangkat_golongan, current_opd=user.opd,
                      holder_nip=user.nip)
    return render_template(
        "auth/profile.html", form=form, user=user,
        role_label=roles_label(user),
        notice=_("You are logged in again. Your changes are below but not saved yet: check "
                 "them, then press Save."))


@bp.route("/profile/password", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def change_password():
    """Change one's own password after typing the current one. Every session of the
    account ends; this device gets a new one. Wrong current passwords are throttled like
    logins (:mod:`portal.auth.throttle`)."""
    form = ChangePasswordForm()
    status, retry_after = _error_status(form), None
    if form.validate_on_submit():
        user = current_user._get_current_object()
        window = throttle.for_password_change(user.id, request.remote_addr)
        retry_after = throttle.retry_at(window)
        if retry_after is not None:
            form.form_errors.append(_throttled_message(retry_after))
            status = 429
        else:
            try:
                services.change_password(user, form.current_password.data,
                                         form.new_password.data)
                db.session.commit()
            except AccountError as exc:
                db.session.rollback()
                if exc.code == "wrong_password":
                    throttle.record_failure(window)
                _attach_error(form, exc)
            else:
                sessions.start(user, utcnow())
                flash(_("Your password was changed. Every other device where you were logged "
                        "in has been logged out."), "success")
                return redirect(url_for("auth.profile"))
    return (render_template("auth/change_password.html", form=form), status,
            _retry_after_header(retry_after))
