"""The learner's dashboard: courses in progress and completed, pre/post scores with the
normalized gain, and the JP earned this year against the yearly target."""

from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.numbers import format_floored
from portal.progress import bp, summaries
from portal.progress.gain import GAIN_DECIMALS, shown_gain
from portal.progress.links import certificate_url

#: Labels of the gain bands (Hake 1998), see :func:`portal.progress.gain.gain_band`.
GAIN_BAND_LABELS = {"high": _l("high"), "medium": _l("medium"), "low": _l("low"),
                    "decline": _l("decline")}


@bp.app_template_filter("gain_band_label")
def gain_band_label(band: str | None) -> str:
    """Translated label of a gain band (``"medium"`` → "medium"); empty for None."""
    return str(GAIN_BAND_LABELS.get(band, "")) if band else ""


@bp.app_template_filter("gain")
def gain_figure(g: float | None) -> str:
    """A normalized gain as pages show it (:func:`portal.progress.gain.shown_gain`: rounded
    down, so never across a band's bound) with the locale's marks: 0.6999 -> "0,69";
    empty for None."""
    from flask_babel import get_locale

    return format_floored(shown_gain(g), str(get_locale() or "id"), GAIN_DECIMALS)


@bp.get("/dashboard")
@login_required
def dashboard():
    """The logged-in user's own learning (every role sees the same page for itself)."""
    data = summaries.learner_dashboard(current_user)
    return render_template("progress/dashboard.html", data=data,
                           certificate_url=certificate_url)
