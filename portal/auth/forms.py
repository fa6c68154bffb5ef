"""WTForms forms of the auth feature, with translated, field-specific messages."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import PortalForm, printable, printed_filter
from wtforms import EmailField, PasswordField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, InputRequired, Length, Optional, \
    ValidationError

from portal.auth.nip import MIN_AGE_PNS, MIN_AGE_PPPK, PPPK, InvalidNip, nip_kind, \
    normalize_nip, parse_nip
from portal.auth.opd import active_agencies, active_opds
from portal.auth.ranks import PNS_RANKS, PPPK_GRADES, is_known_rank, rank_mismatch
from portal.auth.services import MIN_PASSWORD_LENGTH, email_taken, nip_taken
from portal.request_boundary import parse_id

NIP_MESSAGES = {
    "digits": _l("A NIP / NI PPPK contains digits only; spaces between the groups are fine."),
    "birth_date": _l("The birth date in the NIP / NI PPPK (digits 1–8) is not a real date."),
    "appointment": _l("The appointment year and month in the NIP (digits 9–14) are not a real "
                      "month. An NI PPPK has 21 in digits 13–14 instead of a month."),
    "pppk_year": _l("The appointment year in the NI PPPK (digits 9–12) is not a real year: "
                    "PPPK were first appointed in 2019."),
    "order": _l("The appointment date in the NIP / NI PPPK (digits 9–14) must come after the "
                "birth date (digits 1–8)."),
    "gender": _l("The 15th digit of the NIP / NI PPPK (gender) must be 1 or 2."),
    "sequence": _l("The sequence number in the NIP / NI PPPK (last 3 digits) starts at 001."),
}
"""A translated message for each :class:`portal.auth.nip.InvalidNip` code except ``length``
and ``age``, which need a number (see :func:`nip_error_message`)."""


ACCOUNT_MESSAGES = {
    "duplicate_nip": _l("An account with this NIP / NI PPPK already exists. Log in instead, "
                        "or contact the portal admin if it is not yours."),
    "duplicate_email": _l("This email address is already used by another account."),
    "wrong_password": _l("The current password is wrong."),
    "unknown_opd": _l("Choose a work unit from the list."),
    "password_too_short": _l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
    "unknown_role": _l("This role does not exist."),
    "unprintable": _l("This contains a character a certificate cannot print."),
    "pns_rank_for_pppk": _l("An NI PPPK (21 in digits 13–14) belongs to a PPPK: choose a PPPK "
                            "grade (golongan I–XVII), not a PNS rank."),
    "pppk_grade_for_pns": _l("A NIP belongs to a PNS: choose a PNS rank (pangkat, "
                             "golongan/ruang), not a PPPK grade."),
}
"""A translated message for each :class:`portal.auth.services.AccountError` code."""


def account_error_message(code: str) -> str:
    """The translated message for an :class:`portal.auth.services.AccountError` code."""
    from flask_babel import gettext

    message = ACCOUNT_MESSAGES.get(code)
    return str(message) if message else gettext("This change could not be saved.")


def nip_error_message(error: InvalidNip, raw: str) -> str:
    """The translated, specific message for an invalid NIP typed as ``raw``."""
    from flask_babel import gettext

    if error.code == "length":
        return gettext("A NIP / NI PPPK has 18 digits; you typed %(count)d.",
                       count=len(normalize_nip(raw)))
    if error.code == "age":
        if nip_kind(raw) == PPPK:
            return gettext("By the birth date (digits 1–8) and the appointment year (digits "
                           "9–12), this NI PPPK's holder was under %(age)d when appointed; a "
                           "PPPK is at least %(age)d. Check the number.", age=MIN_AGE_PPPK)
        return gettext("By the birth date (digits 1–8) and the appointment month (digits "
                       "9–14), this NIP's holder was under %(age)d when appointed; a PNS is "
                       "at least %(age)d. Check the number.", age=MIN_AGE_PNS)
    message = NIP_MESSAGES.get(error.code)
    return str(message) if message else gettext("This NIP / NI PPPK is not valid.")


def valid_nip(form, field) -> None:
    """WTForms validator: the field holds a valid NIP (``data`` stays as typed, so a
    re-rendered form shows it unchanged).

    Raises:
        wtforms.validators.ValidationError: the NIP breaks a rule of
            :func:`portal.auth.nip.parse_nip`; the message is :func:`nip_error_message`.
    """
    try:
        parse_nip(field.data or "")
    except InvalidNip as exc:
        raise ValidationError(nip_error_message(exc, field.data or "")) from exc


def rank_choices(current: str = "") -> list[SelectChoice]:
    """Choices for the pangkat/golongan select: a placeholder, then the PNS ranks and the PPPK
    grades in two option groups. ``current`` (a saved value no longer on the lists) is kept
    selectable in a group of its own."""
    choices = [SelectChoice("", str(_l("Choose your rank or grade")))]
    if current and not is_known_rank(current):
        choices.append(SelectChoice(current, current, optgroup=str(_l("Current"))))
    pns = str(_l("PNS (pangkat, golongan/ruang)"))
    pppk = str(_l("PPPK (golongan)"))
    choices += [SelectChoice(rank, rank, optgroup=pns) for rank in PNS_RANKS]
    choices += [SelectChoice(grade, grade, optgroup=pppk) for grade in PPPK_GRADES]
    return choices


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _opd_id(value):
    """Coerce a posted OPD or agency id: empty -> None, not a number or out of the id range
    (:func:`portal.request_boundary.parse_id`) -> -1 (refused by the validator)."""
    if value in (None, "", "None"):
        return None
    number = parse_id(value)
    return number if number is not None else -1


def _new_password_field(label, missing_message) -> PasswordField:
    """A field for choosing a password: required, at least ``MIN_PASSWORD_LENGTH``
    characters, marked ``new-password`` for password managers."""
    return PasswordField(
        label,
        validators=[DataRequired(missing_message),
                    Length(min=MIN_PASSWORD_LENGTH,
                           message=_l("Use at least %(min)d characters.",
                                      min=MIN_PASSWORD_LENGTH))],
        description=_l("At least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
        render_kw={"autocomplete": "new-password"})


def _confirm_field(label, missing_message, other: str) -> PasswordField:
    """A field repeating the password typed in the field named ``other``."""
    return PasswordField(
        label,
        validators=[DataRequired(missing_message),
                    EqualTo(other, _l("The two passwords are not the same."))],
        render_kw={"autocomplete": "new-password"})


class _AccountFields(PortalForm):
    """Fields shared by registration and the profile."""

    name_prefix = StringField(
        _l("Titles before the name"), filters=[printed_filter],
        validators=[Optional(), Length(max=60), printable],
        description=_l("Optional, e.g. Dr. or Ir."))
    full_name = StringField(
        _l("Full name"), filters=[printed_filter],
        validators=[DataRequired(_l("Enter your full name.")), Length(max=150), printable],
        description=_l("Without titles, as written on your SK."))
    name_suffix = StringField(
        _l("Titles after the name"), filters=[printed_filter],
        validators=[Optional(), Length(max=100), printable],
        description=_l("Optional, e.g. S.E., M.Si."))
    email = EmailField(
        _l("Email"), filters=[_lower],
        validators=[DataRequired(_l("Enter your email address.")),
                    Email(_l("Enter a valid email address, e.g. nama@jambiprov.go.id.")),
                    Length(max=254)])
    pangkat_golongan = SelectField(
        _l("Rank / grade (pangkat/golongan)"),
        validators=[DataRequired(_l("Choose your rank or grade."))],
        validate_choice=False)
    jabatan = StringField(
        _l("Position (jabatan)"), filters=[printed_filter],
        validators=[DataRequired(_l("Enter your position.")), Length(max=200), printable],
        description=_l("E.g. Analis Kebijakan Ahli Pertama."))
    agency_id = SelectField(
        _l("Agency (instansi)"), coerce=_opd_id, validate_choice=False,
        description=_l("Pemerintah Provinsi Jambi, or your kabupaten or kota government."))
    opd_id = SelectField(
        _l("Work unit (unit kerja)"), coerce=_opd_id,
        validators=[InputRequired(_l("Choose your work unit."))], validate_choice=False,
        description=_l("Units are listed under their agency."))

    units_offered: dict = {}
    """The units of the unit select, by id (set by :meth:`fill_choices`)."""

    holder_nip: str | None = None
    """The account's NIP or NI PPPK, against which the rank is checked (set by
    :meth:`fill_choices`; registration reads its own ``nip`` field instead)."""

    def fill_choices(self, current_rank: str = "", current_opd=None,
                     only_chosen_agency: bool = False, holder_nip: str | None = None) -> None:
        """Fill the select boxes: ranks, agencies, and units grouped by agency.

        The unit list holds every agency's units (so the form works without JavaScript),
        or, with ``only_chosen_agency`` (the htmx update after the agency changes), only the
        units of the agency in ``agency_id``. When the request carries no ``agency_id`` at
        all, the agency of ``current_opd`` is preselected. ``current_rank`` and
        ``current_opd`` (the account's saved values) stay selectable even when they are no
        longer on the lists, so a profile edit never fails on them. The units offered are
        kept in ``units_offered`` (``{id: Opd}``). ``holder_nip`` (the account's NIP or NI
        PPPK) decides which kind of rank may be chosen.
        """
        self.holder_nip = holder_nip
        self.pangkat_golongan.choices = rank_choices(current_rank)
        agencies = active_agencies()
        if current_opd is not None and current_opd.agency not in agencies:
            agencies.insert(0, current_opd.agency)
        self.agency_id.choices = [SelectChoice("", str(_l("Choose your agency")))] + [
            SelectChoice(str(agency.id), agency.name) for agency in agencies]
        if not self.agency_id.raw_data and current_opd is not None:  # nothing posted for it
            self.agency_id.data = current_opd.agency_id
        narrow = only_chosen_agency and self.agency_id.data not in (None, -1)
        opds = active_opds(self.agency_id.data if narrow else None)
        if current_opd is not None and current_opd not in opds and (
                not narrow or current_opd.agency_id == self.agency_id.data):
            opds.insert(0, current_opd)
        self.units_offered = {opd.id: opd for opd in opds}
        self.opd_id.choices = [SelectChoice("", str(_l("Choose your work unit")))] + [
            SelectChoice(str(opd.id), opd.name, optgroup=opd.agency.name) for opd in opds]

    def validate_agency_id(self, field) -> None:
        """Raise ``ValidationError`` when an agency not among the choices is posted. No
        agency is fine: the unit says which it is."""
        if field.data is not None and field.data not in {
                int(choice.value) for choice in field.choices if choice.value}:
            raise ValidationError(_l("Choose an agency from the list."))

    def rank_holder_nip(self) -> str | None:
        """The NIP or NI PPPK the rank must fit (:attr:`holder_nip`)."""
        return self.holder_nip

    def validate_pangkat_golongan(self, field) -> None:
        """Raise ``ValidationError`` unless the rank is one of the filled-in choices and of
        the kind of the number (:func:`portal.auth.ranks.rank_mismatch`: no PNS rank for an
        NI PPPK, no PPPK grade for a NIP)."""
        allowed = {choice.value for choice in field.choices if choice.value}
        if field.data not in allowed:
            raise ValidationError(_l("Choose a rank or grade from the list."))
        mismatch = rank_mismatch(field.data, self.rank_holder_nip())
        if mismatch is not None:
            raise ValidationError(account_error_message(mismatch))

    def validate_opd_id(self, field) -> None:
        """Raise ``ValidationError`` when no work unit, or one not among the choices, is
        posted (a non-numeric id arrives here as -1), or a unit of another agency than the
        one chosen."""
        if field.data is None:
            raise ValidationError(_l("Choose your work unit."))
        if field.data not in {int(choice.value) for choice in field.choices if choice.value}:
            raise ValidationError(_l("Choose a work unit from the list."))
        chosen = self.agency_id.data
        opd = self.units_offered.get(field.data)
        if chosen not in (None, -1) and opd is not None and opd.agency_id != chosen:
            raise ValidationError(_l(
                "%(unit)s is a unit of %(agency)s, not of the agency you chose. Choose a unit "
                "of your agency, or change the agency.", unit=opd.name, agency=opd.agency.name))


class RegistrationForm(_AccountFields):
    """Self-registration of an ASN learner.

    A NIP or email already in use is reported with the other errors, on its field; the
    service checks again when saving.
    """

    nip = StringField(
        _l("NIP / NI PPPK"), validators=[DataRequired(_l("Enter your NIP / NI PPPK.")),
                                         valid_nip],
        description=_l("18 digits, e.g. 19860926 201505 1 001 (PNS) or 19820828 202321 2 004 "
                       "(PPPK). Spaces are fine."),
        render_kw={"inputmode": "numeric", "autocomplete": "username"})
    password = _new_password_field(_l("Password"), _l("Choose a password."))
    confirm = _confirm_field(_l("Repeat the password"), _l("Repeat the password."), "password")

    def rank_holder_nip(self) -> str | None:
        """The number typed in this form's ``nip`` field."""
        return self.nip.data

    def validate_nip(self, field) -> None:
        """Raise ``ValidationError`` (``duplicate_nip`` message) when another account has
        this NIP."""
        if field.data and nip_taken(field.data):
            raise ValidationError(account_error_message("duplicate_nip"))

    def validate_email(self, field) -> None:
        """Raise ``ValidationError`` (``duplicate_email`` message) when another account uses
        this email address (case-insensitive)."""
        if field.data and email_taken(field.data):
            raise ValidationError(account_error_message("duplicate_email"))


class ProfileForm(_AccountFields):
    """The editable parts of one's own account."""

    locale = SelectField(_l("Language"), choices=[SelectChoice("id", "Bahasa Indonesia"),
                                                  SelectChoice("en", "English")])


class LoginForm(PortalForm):
    """Login by NIP or email and password."""

    identifier = StringField(
        _l("NIP or email"), filters=[_strip],
        validators=[DataRequired(_l("Enter your NIP or email address."))],
        render_kw={"autocomplete": "username"})
    password = PasswordField(
        _l("Password"), validators=[DataRequired(_l("Enter your password."))],
        render_kw={"autocomplete": "current-password"})


class ChangePasswordForm(PortalForm):
    """Change one's own password."""

    current_password = PasswordField(
        _l("Current password"),
        validators=[DataRequired(_l("Enter your current password."))],
        render_kw={"autocomplete": "current-password"})
    new_password = _new_password_field(_l("New password"), _l("Choose a new password."))
    confirm = _confirm_field(_l("Repeat the new password"), _l("Repeat the new password."),
                             "new_password")
