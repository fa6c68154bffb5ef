"""Routes of the admin blueprint (``/admin``, admins only): landing page, accounts,
agencies and units, audit log.

Each change is one service call (:mod:`portal.admin.services`, :mod:`portal.admin.agencies`)
that writes its audit row, then one commit. A form with errors is re-rendered with what was
typed and status 422 (400 after an expired CSRF token).
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from portal.admin import agencies as agency_services, bp, reset, services
from portal.admin.forms import AdminProfileForm, AgencyForm, AuditSearchForm, ConfirmForm, \
    NipForm, RenameForm, RolesForm, UnitForm, UserSearchForm
from portal.audit import services as audit
from portal.auth.forms import account_error_message, nip_error_message
from portal.auth.models import Agency, Opd, Role, User
from portal.auth.nip import InvalidNip
from portal.auth.opd import active_opds
from portal.auth.services import AccountError
from portal.auth.views import roles_label
from portal.extensions import db
from portal.security import rerender_on_csrf_error, role_required
from portal.timeutil import utcnow

PER_PAGE = 30
"""Rows per page of the account list and the audit log."""


@bp.context_processor
def _helpers():
    return {"role_names": roles_label}


def _status(form) -> int:
    if not form.is_submitted():
        return 200
    return 400 if g.get("csrf_error") else 422


def _who() -> dict:
    """The audit context of this request: actor, time and client address."""
    return {"actor": current_user._get_current_object(), "now": utcnow(),
            "client": request.remote_addr}


def _page_arg() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("")
@role_required(Role.ADMIN)
def index():
    """The admin's landing page: counts with links to the lists behind them."""
    return render_template("admin/index.html", counts=services.landing_counts(utcnow()))


# --- accounts -------------------------------------------------------------------------------

@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    """Accounts by name, filtered by text, agency, unit, role and status, 30 a page."""
    form = UserSearchForm(formdata=request.args)
    agencies = services.agencies_for_filter()
    form.agency_id.choices = [SelectChoice("", _("Any agency"))] + [
        SelectChoice(str(a.id), a.name) for a in agencies]
    form.opd_id.choices = [SelectChoice("", _("Any unit"))] + [
        SelectChoice(str(o.id), o.name, optgroup=o.agency.name) for o in active_opds()]
    status = 200
    filters = services.UserFilter()
    if form.validate():
        filters = services.UserFilter(
            text=form.q.data or "",
            agency_id=form.agency_id.data if (form.agency_id.data or 0) > 0 else None,
            opd_id=form.opd_id.data if (form.opd_id.data or 0) > 0 else None,
            role=form.role.data or "", status=form.status.data or "")
    else:
        status = 422
    results = services.search_users(filters, page=_page_arg(), per_page=PER_PAGE)
    return render_template("admin/users.html", form=form, results=results), status


def _user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404, description=_("No account with this number."))
    return user


def _render_user(user: User, status: int = 200, *, profile=None, nip=None, roles=None,
                 confirm=None, reset_link=None):
    if profile is None:
        profile = AdminProfileForm(obj=user, formdata=None)
    profile.fill_choices(current_rank=user.pangkat_golongan, current_opd=user.opd,
                         holder_nip=user.nip)
    nip = nip or NipForm(formdata=None)
    if roles is None:
        roles = RolesForm(formdata=None)
        roles.roles.data = sorted(r.value for r in user.roles)
    return render_template(
        "admin/user.html", user=user, profile=profile, nip_form=nip, roles_form=roles,
        confirm=confirm or ConfirmForm(formdata=None), locked=services.is_locked(user),
        reset_link=reset_link, reset_hours=reset.lifetime_hours()), status


def _attach(form, error) -> None:
    message = account_error_message(error.code) if error.code != "own_account" else _(
        "You cannot do this to your own account.")
    if error.code == "reason_required":
        message = _("Give the reason for the correction.")
    field = getattr(form, error.field, None) if error.field else None
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user(user_id: int):
    """One account: its facts, and forms to edit the profile, correct the NIP, set the
    roles, deactivate or reactivate, and unlock."""
    account = _user_or_404(user_id)
    if request.method == "GET":
        return _render_user(account)
    form = AdminProfileForm()
    form.fill_choices(current_rank=account.pangkat_golongan, current_opd=account.opd,
                      holder_nip=account.nip)
    if form.validate_on_submit():
        try:
            changed = services.edit_profile(
                account, email=form.email.data, full_name=form.full_name.data,
                name_prefix=form.name_prefix.data, name_suffix=form.name_suffix.data,
                pangkat_golongan=form.pangkat_golongan.data, jabatan=form.jabatan.data,
                opd_id=form.opd_id.data, **_who())
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            _attach(form, exc)
        except IntegrityError:
            db.session.rollback()
            _attach(form, AccountError("duplicate_email", "email"))
        else:
            flash(_("The profile was saved.") if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return _render_user(account, _status(form), profile=form)


@bp.post("/users/<int:user_id>/nip")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user_nip(user_id: int):
    """Correct the account's NIP, with a reason (audited)."""
    account = _user_or_404(user_id)
    form = NipForm()
    if form.validate_on_submit():
        try:
            services.correct_nip(account, form.nip.data, form.reason.data, **_who())
            db.session.commit()
        except InvalidNip as exc:
            db.session.rollback()
            form.nip.errors = [nip_error_message(exc, form.nip.data)]
        except AccountError as exc:
            db.session.rollback()
            _attach(form, exc)
        except IntegrityError:
            db.session.rollback()
            _attach(form, AccountError("duplicate_nip", "nip"))
        else:
            flash(_("The NIP was corrected."), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return _render_user(account, _status(form), nip=form)


@bp.post("/users/<int:user_id>/roles")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user_roles(user_id: int):
    """Give the account exactly the roles ticked (audited)."""
    account = _user_or_404(user_id)
    form = RolesForm()
    if form.validate_on_submit():
        try:
            changed = services.set_roles(account, form.roles.data or [], **_who())
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            flash(_("The roles were saved.") if changed else _("Nothing was changed."),
                  "success" if changed else "info")
            return redirect(url_for("admin.user", user_id=account.id))
    return _render_user(account, _status(form), roles=form)


@bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user_active(user_id: int):
    """Deactivate (``active=0``: every session of the account ends at once) or reactivate
    (``active=1``) the account (audited)."""
    account = _user_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit() and form.active.data in ("0", "1"):
        active = form.active.data == "1"
        try:
            services.set_active(account, active, **_who())
            db.session.commit()
        except AccountError as exc:
            db.session.rollback()
            _attach(form, exc)
        else:
            flash(_("The account was reactivated.") if active else
                  _("The account was deactivated and logged out everywhere."), "success")
            return redirect(url_for("admin.user", user_id=account.id))
    return _render_user(account, _status(form), confirm=form)


@bp.post("/users/<int:user_id>/unlock")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user_unlock(user_id: int):
    """Lift the throttling of wrong passwords for the account (audited)."""
    account = _user_or_404(user_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.unlock(account, **_who())
        db.session.commit()
        flash(_("The account can try passwords again."), "success")
        return redirect(url_for("admin.user", user_id=account.id))
    return _render_user(account, _status(form), confirm=form)


@bp.post("/users/<int:user_id>/reset-link")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def user_reset_link(user_id: int):
    """Make a one-time password-reset link for the account (:mod:`portal.admin.reset`) and
    show it once, on this page, for the admin to hand over (audited; never stored)."""
    account = _user_or_404(user_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _render_user(account, _status(form), confirm=form)
    link = reset.make_link(account, **_who())
    db.session.commit()
    return _render_user(account, reset_link=link)


# --- audit log --------------------------------------------------------------------------------

@bp.get("/audit")
@role_required(Role.ADMIN)
def audit_log():
    """The audit log, newest first, filtered by actor, action, target and WIB dates."""
    form = AuditSearchForm(formdata=request.args)
    status, filters = 200, audit.AuditFilter()
    if form.validate():
        filters = audit.AuditFilter(
            actor=form.actor.data or "", action=form.action.data or "",
            target_kind=form.target_kind.data or "", target_id=form.target_id.data or "",
            date_from=form.date_from.data, date_to=form.date_to.data)
    elif request.args:
        status = 422
    results = audit.search(filters, page=_page_arg(), per_page=PER_PAGE)
    return render_template("admin/audit.html", form=form, results=results), status


# --- agencies and units -------------------------------------------------------------------------

def _agency_error(form, error: agency_services.AgencyError) -> None:
    messages = {"duplicate_code": _("Another entry already has this code."),
                "empty": _("This cannot be empty."),
                "unknown_kind": _("Choose a kind from the list.")}
    field = getattr(form, error.field or "", None)
    message = messages.get(error.code, _("This change could not be saved."))
    if field is not None:
        field.errors = [*field.errors, message]
    else:
        form.form_errors.append(message)


@bp.route("/agencies", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def agencies():
    """Every agency (active or not), and a form to add one."""
    form = AgencyForm() if request.method == "POST" else AgencyForm(formdata=None)
    if form.validate_on_submit():
        try:
            agency = agency_services.create_agency(
                code=form.code.data, name=form.name.data, kind=form.kind.data, **_who())
            db.session.commit()
        except agency_services.AgencyError as exc:
            db.session.rollback()
            _agency_error(form, exc)
        else:
            flash(_("The agency %(name)s was added.", name=agency.name), "success")
            return redirect(url_for("admin.agency", agency_id=agency.id))
    return render_template("admin/agencies.html", form=form,
                           agencies=agency_services.all_agencies(),
                           confirm=ConfirmForm(formdata=None)), _status(form)


def _agency_or_404(agency_id: int) -> Agency:
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        abort(404, description=_("No agency with this number."))
    return agency


def _render_agency(agency: Agency, status: int = 200, *, unit_form=None, rename=None,
                   rename_unit=None):
    return render_template(
        "admin/agency.html", agency=agency, units=agency_services.units_of(agency),
        unit_form=unit_form or UnitForm(formdata=None),
        rename=rename or RenameForm(formdata=None, data={"name": agency.name}),
        rename_unit=rename_unit, confirm=ConfirmForm(formdata=None)), status


@bp.route("/agencies/<int:agency_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def agency(agency_id: int):
    """One agency: its units (active or not), and a form to add a unit."""
    agency = _agency_or_404(agency_id)
    if request.method == "GET":
        return _render_agency(agency)
    form = UnitForm()
    if form.validate_on_submit():
        try:
            unit = agency_services.create_unit(agency, code=form.code.data,
                                               name=form.name.data, **_who())
            db.session.commit()
        except agency_services.AgencyError as exc:
            db.session.rollback()
            _agency_error(form, exc)
        else:
            flash(_("The unit %(name)s was added.", name=unit.name), "success")
            return redirect(url_for("admin.agency", agency_id=agency.id))
    return _render_agency(agency, _status(form), unit_form=form)


@bp.post("/agencies/<int:agency_id>/rename")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def agency_rename(agency_id: int):
    """Rename the agency (audited)."""
    agency = _agency_or_404(agency_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            agency_services.rename_agency(agency, form.name.data, **_who())
            db.session.commit()
        except agency_services.AgencyError as exc:
            db.session.rollback()
            _agency_error(form, exc)
        else:
            flash(_("The name was saved."), "success")
            return redirect(url_for("admin.agency", agency_id=agency.id))
    return _render_agency(agency, _status(form), rename=form)


@bp.post("/agencies/<int:agency_id>/active")
@role_required(Role.ADMIN)
def agency_active(agency_id: int):
    """Deactivate (``active=0``) or reactivate (``active=1``) the agency (audited)."""
    agency = _agency_or_404(agency_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    agency_services.set_agency_active(agency, form.active.data == "1", **_who())
    db.session.commit()
    flash(_("The agency was saved."), "success")
    return redirect(url_for("admin.agency", agency_id=agency.id))


def _unit_or_404(unit_id: int) -> Opd:
    unit = db.session.get(Opd, unit_id)
    if unit is None:
        abort(404, description=_("No work unit with this number."))
    return unit


@bp.post("/units/<int:unit_id>/rename")
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def unit_rename(unit_id: int):
    """Rename a work unit (audited)."""
    unit = _unit_or_404(unit_id)
    form = RenameForm()
    if form.validate_on_submit():
        try:
            agency_services.rename_unit(unit, form.name.data, **_who())
            db.session.commit()
        except agency_services.AgencyError as exc:
            db.session.rollback()
            _agency_error(form, exc)
        else:
            flash(_("The name was saved."), "success")
            return redirect(url_for("admin.agency", agency_id=unit.agency_id))
    form.unit_id = unit.id
    return _render_agency(unit.agency, _status(form), rename_unit=form)


@bp.post("/units/<int:unit_id>/active")
@role_required(Role.ADMIN)
def unit_active(unit_id: int):
    """Deactivate (``active=0``: no longer offered at registration) or reactivate
    (``active=1``) a work unit (audited)."""
    unit = _unit_or_404(unit_id)
    form = ConfirmForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    agency_services.set_unit_active(unit, form.active.data == "1", **_who())
    db.session.commit()
    flash(_("The unit was saved."), "success")
    return redirect(url_for("admin.agency", agency_id=unit.agency_id))
