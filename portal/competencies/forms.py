"""The form of a technical competency (kompetensi teknis) of one agency."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from portal.forms import PortalForm


class TechnicalCompetencyForm(PortalForm):
    """A technical competency: code, name, definition, agency, jabatan (optional) and up to
    five level descriptions."""

    code = StringField(_l("Code"), validators=[
        DataRequired(), Length(max=20),
        Regexp(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$",
               message=_l("Letters, digits, dots and dashes only, e.g. T.DINKES.01."))])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    definition = TextAreaField(_l("Definition"), validators=[Optional(), Length(max=5000)])
    agency = SelectField(_l("Agency"), coerce=int, validators=[DataRequired()])
    jabatan = StringField(_l("Jabatan"), validators=[Optional(), Length(max=200)],
                          description=_l("Empty: every jabatan of the agency."))
    level1 = TextAreaField(_l("Level 1"), validators=[Optional(), Length(max=2000)])
    level2 = TextAreaField(_l("Level 2"), validators=[Optional(), Length(max=2000)])
    level3 = TextAreaField(_l("Level 3"), validators=[Optional(), Length(max=2000)])
    level4 = TextAreaField(_l("Level 4"), validators=[Optional(), Length(max=2000)])
    level5 = TextAreaField(_l("Level 5"), validators=[Optional(), Length(max=2000)])
