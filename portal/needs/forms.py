"""Forms of the needs pages. Times are typed in WIB and stored as aware UTC
(:func:`wib_to_utc`)."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from wtforms import (DateField, DateTimeLocalField, IntegerField, RadioField,
                     SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from portal.forms import PortalForm
from portal.timeutil import UTC, WIB

#: The formats a WIB date and time is accepted in (the browser's ``datetime-local`` value,
#: or typed by hand where the browser shows a plain text box).
WIB_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]

#: The Likert scale of every rating (1 lowest .. 5 highest).
SCALE = [(n, str(n)) for n in range(1, 6)]


def wib_to_utc(value: datetime) -> datetime:
    """A naive date and time read as WIB (UTC+7, no daylight saving) → aware UTC."""
    return value.replace(tzinfo=WIB).astimezone(UTC)


class CheckboxListField(SelectMultipleField):
    """Several choices as a list of checkboxes (works without script, on a phone)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class SurveyForm(PortalForm):
    """Open a needs survey: title, window (WIB), who is invited, competencies."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=250)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    opens_at = DateTimeLocalField(_l("Opens (WIB)"), format=WIB_FORMATS,
                                  validators=[DataRequired()])
    closes_at = DateTimeLocalField(_l("Closes (WIB)"), format=WIB_FORMATS,
                                   validators=[DataRequired()])
    agencies = SelectMultipleField(_l("Agencies"), coerce=int, validators=[Optional()],
                                   description=_l("Everyone in these agencies is invited."))
    units = SelectMultipleField(_l("Units"), coerce=int, validators=[Optional()],
                                description=_l("Everyone in these units is invited."))
    jabatan = TextAreaField(_l("Jabatan"), validators=[Optional(), Length(max=5000)],
                            description=_l("One per line; empty: every jabatan."))
    competencies = CheckboxListField(_l("Competencies"), validators=[
        DataRequired(message=_l("Choose at least one competency."))])

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.opens_at.data and self.closes_at.data and \
                self.closes_at.data <= self.opens_at.data:
            self.closes_at.errors = [*self.closes_at.errors,
                                     _l("The survey must close after it opens.")]
            ok = False
        return ok

    def jabatan_list(self) -> list[str]:
        """The jabatan typed, one per line, blanks dropped."""
        return [line.strip() for line in (self.jabatan.data or "").splitlines() if line.strip()]


class DiscussionForm(PortalForm):
    """Record an interview or a focus group discussion (participants without names)."""

    kind = RadioField(_l("Kind"), choices=[("interview", _l("Interview")),
                                           ("fgd", _l("Focus group discussion"))],
                      validators=[InputRequired()])
    held_on = DateField(_l("Date (WIB)"), validators=[DataRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=200)])
    facilitator = StringField(_l("Facilitator"), validators=[DataRequired(), Length(max=200)])
    participant_count = IntegerField(_l("Number of participants"),
                                     validators=[InputRequired(), NumberRange(min=1, max=10000)])
    participant_groups = StringField(
        _l("Participant groups"), validators=[Optional(), Length(max=300)],
        description=_l("For example: 6 analysts of Dinas Kesehatan, 2 heads of section. No names."))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=20000)],
                          description=_l("Markdown: **bold**, lists with -, links."))
    competencies = CheckboxListField(_l("Competencies it points to"), validators=[Optional()])


def rating_form(competencies: list[tuple[str, str]], *, supervisor: bool, **kwargs) -> PortalForm:
    """The answer form of one survey: for each ``(code, label)`` a radio group 1..5 of
    proficiency (``c0``, ``c1``, ...) and, for the ASN's own answer, of importance (``i0``,
    ...). Own answers are all required; a supervisor may leave a competency unrated.
    ``kwargs`` go to the form (``data=`` for saved answers)."""

    class RatingForm(PortalForm):
        pass

    missing = _l("Choose a value from 1 to 5.")
    for index, (_code, label) in enumerate(competencies):
        if not supervisor:
            setattr(RatingForm, f"i{index}", RadioField(
                _l("Importance for the job"), choices=SCALE, coerce=int,
                validators=[InputRequired(message=missing)]))
        setattr(RatingForm, f"c{index}", RadioField(
            _l("Current proficiency"), choices=SCALE, coerce=int,
            validators=[Optional()] if supervisor else [InputRequired(message=missing)]))
    return RatingForm(**kwargs)
