"""Needs-analysis pages of admins (open, list and close surveys; record interviews and FGDs)
and of HR and admins (results, XLSX export, the needs report; read-only).

Results never name who answered, and groups with fewer respondents than
``NEEDS_MIN_GROUP_SIZE`` are hidden.
"""

from __future__ import annotations

from babel.numbers import format_decimal
from flask import current_app, flash, g, make_response, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.auth.models import Role
from portal.auth.opd import active_agencies, active_opds
from portal.competencies.services import catalogue
from portal.extensions import db
from portal.needs import bp, results, services
from portal.needs.chart import bar_chart
from portal.needs.export import dimension_label, results_workbook
from portal.needs.forms import DiscussionForm, SurveyForm, wib_to_utc
from portal.needs.models import NeedsSurvey
from portal.needs.views import find_survey, labelled
from portal.security import rerender_on_csrf_error, role_required
from portal.timeutil import utcnow

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _min_group() -> int:
    return int(current_app.config["NEEDS_MIN_GROUP_SIZE"])


@bp.get("/admin/needs")
@role_required(Role.ADMIN)
def admin_surveys():
    """Every survey, newest first, with its window and how many answered (a count)."""
    surveys = db.session.scalars(db.select(NeedsSurvey).order_by(
        NeedsSurvey.opens_at.desc(), NeedsSurvey.id.desc())).all()
    counts = {s.id: results.respondent_count(s) for s in surveys}
    return render_template("needs/admin_surveys.html", surveys=surveys, counts=counts,
                           now=utcnow())


def _survey_form() -> SurveyForm:
    form = SurveyForm()
    form.agencies.choices = [(a.id, a.name) for a in active_agencies()]
    units: dict[str, list] = {}
    for opd in active_opds():
        units.setdefault(opd.agency.name, []).append((opd.id, opd.name))
    form.units.choices = units
    form.competencies.choices = [(c.code, c.label) for c in catalogue()]
    return form


@bp.route("/admin/needs/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def admin_new_survey():
    """Open a survey: title, window typed in WIB (stored UTC), targets, competencies."""
    form = _survey_form()
    if not g.get("csrf_error") and form.validate_on_submit():
        survey = services.create_survey(
            title=form.title.data, description=form.description.data or "",
            opens_at=wib_to_utc(form.opens_at.data), closes_at=wib_to_utc(form.closes_at.data),
            competency_codes=form.competencies.data, agency_ids=form.agencies.data or [],
            opd_ids=form.units.data or [], jabatan=form.jabatan_list(), created_by=current_user)
        db.session.commit()
        flash(_("The survey “%(title)s” is saved.", title=survey.title), "success")
        return redirect(url_for("needs.admin_surveys"))
    return render_template("needs/admin_new_survey.html", form=form)


@bp.post("/admin/needs/<public_id>/close")
@role_required(Role.ADMIN)
def admin_close_survey(public_id: str):
    """Close a survey now; answers already saved stay."""
    survey = find_survey(public_id)
    if services.close_survey(survey, utcnow()):
        db.session.commit()
        flash(_("The survey “%(title)s” is closed.", title=survey.title), "success")
    else:
        flash(_("The survey “%(title)s” was already closed.", title=survey.title), "info")
    return redirect(url_for("needs.admin_surveys"))


@bp.route("/admin/needs/<public_id>/discussions/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def admin_new_discussion(public_id: str):
    """Record an interview or FGD of the survey (participants as a count and groups)."""
    survey = find_survey(public_id)
    form = DiscussionForm()
    form.competencies.choices = labelled(survey)
    if not g.get("csrf_error") and form.validate_on_submit():
        services.add_discussion(
            survey, kind=form.kind.data, held_on=form.held_on.data, place=form.place.data,
            facilitator=form.facilitator.data, participant_count=form.participant_count.data,
            participant_groups=form.participant_groups.data or "", notes=form.notes.data or "",
            competency_codes=form.competencies.data or [])
        db.session.commit()
        flash(_("The record is saved."), "success")
        return redirect(url_for("needs.results_page", public_id=public_id))
    return render_template("needs/admin_new_discussion.html", survey=survey, form=form)


def _number(value) -> str:
    """A figure with two decimals in the locale's marks (``3,25`` in Indonesian); a dash
    for None."""
    if value is None:
        return "—"
    return format_decimal(value, format="0.00", locale=str(get_locale() or "id"))


@bp.get("/needs/<public_id>/results")
@role_required(Role.HR, Role.ADMIN)
def results_page(public_id: str):
    """Figures per competency, overall and per agency, unit and jabatan, with a chart of
    the overall MWDS beside its table, and the interviews/FGDs of the survey."""
    survey = find_survey(public_id)
    figures = results.grouped_results(survey, _min_group())
    names = dict(labelled(survey))
    chart = None
    if figures.overall:
        chart = bar_chart([(row.competency, row.mwds or 0.0) for row in figures.overall],
                          chart_id="mwds", title=_("MWDS per competency"),
                          description=_("Bars of the mean weighted discrepancy score, "
                                        "highest need first; the table below gives the "
                                        "same figures."), number=_number)
    return render_template("needs/results.html", survey=survey, figures=figures, names=names,
                           chart=chart, discussions=results.discussions_of(survey),
                           dimensions=[(d, dimension_label(d)) for d in results.DIMENSIONS],
                           number=_number)


@bp.get("/needs/<public_id>/results.xlsx")
@role_required(Role.HR, Role.ADMIN)
def results_xlsx(public_id: str):
    """The figures of the results page as an XLSX workbook."""
    survey = find_survey(public_id)
    data = results_workbook(survey.title, results.grouped_results(survey, _min_group()))
    response = make_response(data)
    response.headers["Content-Type"] = XLSX
    response.headers["Content-Disposition"] = \
        f'attachment; filename="kebutuhan-{survey.public_id[:8]}.xlsx"'
    return response


@bp.get("/needs/<public_id>/report")
@role_required(Role.HR, Role.ADMIN)
def report(public_id: str):
    """The needs report: needs ranked by MWDS, the courses that address each (or a flag
    that none does), and the interviews/FGDs that mention it."""
    survey = find_survey(public_id)
    figures, lines = results.needs_report(survey, _min_group())
    return render_template("needs/report.html", survey=survey, figures=figures, lines=lines,
                           number=_number)
