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
