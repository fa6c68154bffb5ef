"""Forms of the admin pages (CSRF on every form that changes something)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, HiddenField, SelectField, SelectMultipleField, StringField, \
    TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from portal.audit.services import ACTIONS
from portal.auth.forms import _AccountFields, valid_nip
from portal.auth.models import AgencyKind, Role
from portal.forms import PortalForm

ROLE_CHOICES = [SelectChoice(Role.PESERTA.value, _l("Learner (peserta)")),
                SelectChoice(Role.INSTRUCTOR.value, _l("Instructor (widyaiswara)")),
                SelectChoice(Role.HR.value, _l("HR staff")),
                SelectChoice(Role.ADMIN.value, _l("Administrator"))]
"""The roles with their translated names, from the lowest up."""

KIND_CHOICES = [SelectChoice(AgencyKind.PROVINSI.value, _l("Province")),
                SelectChoice(AgencyKind.KABUPATEN.value, _l("Regency (kabupaten)")),
                SelectChoice(AgencyKind.KOTA.value, _l("City (kota)"))]
"""Kinds of agency with their translated names."""


def _id_or_none(value):
    if value in (None, "", "None"):
        return None
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else -1


class UserSearchForm(PortalForm):
    """The account list's filters (a GET form, no CSRF token)."""

    class Meta(PortalForm.Meta):
        csrf = False

    q = StringField(_l("Name, NIP or email"), validators=[Optional(), Length(max=200)])
    agency_id = SelectField(_l("Agency (instansi)"), coerce=_id_or_none, validate_choice=False)
    opd_id = SelectField(_l("Work unit (unit kerja)"), coerce=_id_or_none,
                         validate_choice=False)
    role = SelectField(_l("Role"), choices=[SelectChoice("", _l("Any role")), *ROLE_CHOICES], default="")
    status = SelectField(_l("Status"), choices=[SelectChoice("", _l("Any status")),
                                                SelectChoice("active", _l("Active")),
                                                SelectChoice("inactive", _l("Deactivated"))], default="")


class AdminProfileForm(_AccountFields):
    """An account's profile as an admin edits it: the learner's own fields and rules
    (:class:`portal.auth.forms.ProfileForm` without the language)."""


class NipForm(PortalForm):
    """Correct the NIP of an account; a reason is required (it goes into the audit log)."""

    nip = StringField(
        _l("Correct NIP or NI PPPK"),
        validators=[DataRequired(_l("Enter the correct NIP or NI PPPK.")), valid_nip],
        render_kw={"inputmode": "numeric"})
    reason = TextAreaField(
        _l("Reason for the correction"),
        validators=[DataRequired(_l("Give the reason for the correction.")),
                    Length(max=500)],
        description=_l("E.g. the SK shows another NIP. Kept in the audit log."))


class RolesForm(PortalForm):
    """The roles an account holds (tick every one it should hold)."""

    roles = SelectMultipleField(_l("Roles"), choices=ROLE_CHOICES,
                                widget=ListWidget(prefix_label=False),
                                option_widget=CheckboxInput())


class ConfirmForm(PortalForm):
    """A button that changes something (deactivate, reactivate, unlock): the CSRF token
    and, where it matters, the state wanted (``1`` active, ``0`` inactive)."""

    active = HiddenField()

    def validate_active(self, field) -> None:
        """Raise ``ValidationError`` unless the state is empty, ``0`` or ``1``."""
        if field.data not in (None, "", "0", "1"):
            raise ValidationError(_l("This change could not be saved."))


class AuditSearchForm(PortalForm):
    """The audit log's filters (a GET form, no CSRF token); dates are WIB calendar days."""

    class Meta(PortalForm.Meta):
        csrf = False

    actor = StringField(_l("Who (name or email)"), validators=[Optional(), Length(max=200)])
    action = SelectField(_l("Action"), choices=[SelectChoice("", _l("Any action"))] + [
        SelectChoice(action, action) for action in ACTIONS], default="")
    target_kind = SelectField(_l("Target"), choices=[
        SelectChoice("", _l("Anything")), SelectChoice("user", _l("Account")), SelectChoice("agency", _l("Agency")),
        SelectChoice("unit", _l("Work unit"))], default="")
    target_id = StringField(_l("Target number"), validators=[Optional(), Length(max=40)])
    date_from = DateField(_l("From (WIB)"), validators=[Optional()])
    date_to = DateField(_l("Until (WIB)"), validators=[Optional()])

    def validate_date_to(self, field) -> None:
        """Raise ``ValidationError`` when the range ends before it starts."""
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date comes before the start date."))


class AgencyForm(PortalForm):
    """A new agency (instansi)."""

    code = StringField(_l("Region code"),
                       validators=[DataRequired(_l("Enter the region code.")),
                                   Length(max=16)],
                       description=_l("Kemendagri's code, e.g. 15.09."))
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")),
                                               Length(max=200)])
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES)


class UnitForm(PortalForm):
    """A new work unit (unit kerja) of one agency."""

    code = StringField(_l("Code"), validators=[DataRequired(_l("Enter the code.")),
                                               Length(max=32)],
                       description=_l("Short and unique in the agency, e.g. DINKES."))
    name = StringField(_l("Name"), validators=[DataRequired(_l("Enter the name.")),
                                               Length(max=200)])


class RenameForm(PortalForm):
    """A new name for an agency or unit."""

    name = StringField(_l("New name"), validators=[DataRequired(_l("Enter the name.")),
                                                   Length(max=200)])
