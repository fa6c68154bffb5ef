"""Forms of the certificates feature. Both are GET search forms: no CSRF token (they change
nothing) and the values stay in the URL, so a result can be bookmarked or shared."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from portal.forms import PortalForm
from wtforms import SearchField, StringField
from wtforms.validators import DataRequired, Length


class VerifyForm(PortalForm):
    """The code printed on a certificate, as typed (dashes, spaces and case ignored)."""

    class Meta:
        csrf = False

    code = StringField(
        _l("Verification code"),
        validators=[DataRequired(message=_l("Type the code printed on the certificate.")),
                    Length(max=64)],
        description=_l("20 letters and digits, printed under the QR code, "
                       "e.g. K7M2Q-9XDPA-3HWTC-8RNVB."),
        render_kw={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"},
    )


class HrSearchForm(PortalForm):
    """HR's search in the certificate register: a number, a name or a NIP."""

    class Meta:
        csrf = False

    q = SearchField(
        _l("Certificate number, name or NIP"),
        validators=[Length(max=120)],
        description=_l("Part of a name or number is enough; a NIP may be typed with or "
                       "without spaces."),
    )
