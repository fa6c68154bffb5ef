"""The base form of every portal form: CSRF from Flask-WTF, validation messages in the
user's language.

WTForms ships no Indonesian catalogue, so the portal carries one
(``portal/translations/id/LC_MESSAGES/wtforms.po``, domain ``wtforms``); other locales fall
back to WTForms' own catalogues, then to its English messages.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from babel.support import NullTranslations, Translations
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

TRANSLATIONS_DIR = Path(__file__).resolve().parent / "translations"


@lru_cache(maxsize=8)
def wtforms_translations(locale: str) -> NullTranslations:
    """Translations of WTForms' built-in messages for ``locale`` (e.g. ``"id"``)."""
    own = Translations.load(str(TRANSLATIONS_DIR), [locale], domain="wtforms")
    bundled = Translations.load(messages_path(), [locale], domain="wtforms")
    if isinstance(own, Translations):
        if isinstance(bundled, Translations):
            own.add_fallback(bundled)
        return own
    return bundled


class PortalForm(FlaskForm):
    """A Flask-WTF form (CSRF token included) whose built-in validation messages follow the
    request's locale."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            return wtforms_translations(str(get_locale() or "id"))


# --- text printed on certificates -----------------------------------------------------------

MAX_NAMED_CHARACTERS = 5
"""How many distinct unprintable characters a message names (the rest are counted)."""


def printed_filter(value):
    """WTForms filter for a field printed on certificates: :func:`portal.printable.
    normalize_printed` (NFC, plain single spaces, stripped); non-text values pass as they
    are."""
    from portal.printable import normalize_printed

    return normalize_printed(value) if isinstance(value, str) else value


def unprintable_message(chars: list[str]) -> str:
    """The translated message naming ``chars`` (from :func:`portal.printable.
    unprintable_characters`): a visible character is quoted with its code point and Unicode
    name (``“😀” (U+1F600 GRINNING FACE)``), an invisible one named only; at most
    :data:`MAX_NAMED_CHARACTERS`, then how many more."""
    from flask_babel import gettext, ngettext

    from portal.printable import character_name, is_visible

    named = []
    for ch in chars[:MAX_NAMED_CHARACTERS]:
        if is_visible(ch):
            named.append(f"“{ch}” ({character_name(ch)})")
        else:
            named.append(gettext("%(name)s, invisible", name=character_name(ch)))
    listed = "; ".join(named)
    if len(chars) > MAX_NAMED_CHARACTERS:
        listed = gettext("%(listed)s and %(count)d more", listed=listed,
                         count=len(chars) - MAX_NAMED_CHARACTERS)
    return ngettext(
        "This contains a character a certificate cannot print: %(chars)s. Remove it, or "
        "write it with Latin letters.",
        "This contains characters a certificate cannot print: %(chars)s. Remove them, or "
        "write them with Latin letters.",
        len(chars), chars=listed)


def printable(form, field) -> None:
    """WTForms validator for a field printed on certificates: every character must be one
    the certificate's fonts draw and none invisible (:func:`portal.printable.
    unprintable_characters`). Use after :func:`printed_filter`.

    Raises:
        wtforms.validators.ValidationError: with :func:`unprintable_message`.
    """
    from wtforms.validators import ValidationError

    from portal.printable import unprintable_characters

    chars = unprintable_characters(field.data if isinstance(field.data, str) else "")
    if chars:
        raise ValidationError(unprintable_message(chars))
