"""Needs-survey pages of ASN and their supervisors.

- ``/needs`` (any account): the open surveys that invite me, and those where I rate my team.
- ``/needs/<public_id>`` (an invited ASN, while open): my own importance and proficiency
  ratings, editable until the survey closes.
- ``/needs/<public_id>/team`` and ``/needs/<public_id>/team/<member_id>`` (the direct
  supervisor of invited ASN, while open): their proficiency as the supervisor sees it.
Anyone else gets 404, so a survey's existence is not confirmed.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.models import User
from portal.competencies.services import by_codes
from portal.extensions import db
from portal.needs import bp, results, services
from portal.needs.forms import rating_form
from portal.needs.models import NeedsSurvey
from portal.security import rerender_on_csrf_error
from portal.timeutil import utcnow


def find_survey(public_id: str) -> NeedsSurvey:
    """The survey named by ``public_id``, or 404."""
    survey = db.session.scalar(db.select(NeedsSurvey).where(NeedsSurvey.public_id == public_id))
    if survey is None:
        abort(404)
    return survey


def labelled(survey: NeedsSurvey) -> list[tuple[str, str]]:
    """``[(code, "M.05 Pelayanan Publik")]`` in the survey's order (the code alone when it
    is not in the catalogue)."""
    known = by_codes(survey.competency_codes)
    return [(code, known[code].label if code in known else code)
            for code in survey.competency_codes]


@bp.get("/needs")
@login_required
def my_surveys():
    """Open surveys that invite me (answered or not) and the ones where I rate my team."""
    now = utcnow()
    mine = services.open_surveys_for(current_user, now)
    answered = {s.id for s in mine if services.own_ratings(s, current_user)}
    return render_template("needs/my_surveys.html", surveys=mine, answered=answered,
                           to_rate=results.surveys_to_rate(current_user, now))


@bp.route("/needs/<public_id>", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def answer(public_id: str):
    """The answer form: importance and own proficiency (1..5) per competency."""
    survey = find_survey(public_id)
    now = utcnow()
    if not services.is_invited(survey, current_user):
        abort(404)
    if not survey.is_open(now):
        return render_template("needs/closed.html", survey=survey), 410
    items = labelled(survey)
    saved = services.own_ratings(survey, current_user)
    data = {}
    for index, (code, _label) in enumerate(items):
        if code in saved:
            data[f"i{index}"], data[f"c{index}"] = saved[code]
    form = rating_form(items, supervisor=False, data=data)
    if not g.get("csrf_error") and form.validate_on_submit():
        ratings = {code: (form[f"i{index}"].data, form[f"c{index}"].data)
                   for index, (code, _label) in enumerate(items)}
        services.save_self_ratings(survey, current_user, ratings, now)
        db.session.commit()
        flash(_("Thank you: your answers are saved. You can change them until the survey closes."),
              "success")
        return redirect(url_for("needs.answer", public_id=public_id))
    return render_template("needs/answer.html", survey=survey, form=form, items=items,
                           supervisor=False, edited=bool(saved))


def _my_team(survey: NeedsSurvey) -> list[User]:
    team = results.team_to_rate(survey, current_user)
    if not team:
        abort(404)
    return team


@bp.get("/needs/<public_id>/team")
@login_required
def team(public_id: str):
    """The invited ASN I supervise directly, to rate each one's proficiency."""
    survey = find_survey(public_id)
    members = _my_team(survey)
    rated = results.supervisor_rated(survey, [m.id for m in members])
    return render_template("needs/team.html", survey=survey, members=members, rated=rated,
                           is_open=survey.is_open(utcnow()))


@bp.route("/needs/<public_id>/team/<member_id>", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def rate_member(public_id: str, member_id: str):
    """The supervisor's proficiency ratings (1..5, each optional) of one team member."""
    survey = find_survey(public_id)
    members = {str(m.id): m for m in _my_team(survey)}
    member = members.get(member_id)
    if member is None:
        abort(404)
    now = utcnow()
    if not survey.is_open(now):
        return render_template("needs/closed.html", survey=survey), 410
    items = labelled(survey)
    saved = results.supervisor_ratings(survey, member)
    data = {f"c{i}": saved[code] for i, (code, _label) in enumerate(items) if code in saved}
    form = rating_form(items, supervisor=True, data=data)
    if not g.get("csrf_error") and form.validate_on_submit():
        ratings = {code: form[f"c{i}"].data for i, (code, _label) in enumerate(items)
                   if form[f"c{i}"].data is not None}
        services.save_supervisor_ratings(survey, current_user, member, ratings, now)
        db.session.commit()
        flash(_("Your ratings of %(name)s are saved.", name=member.display_name), "success")
        return redirect(url_for("needs.team", public_id=public_id))
    return render_template("needs/answer.html", survey=survey, form=form, items=items,
                           supervisor=True, member=member, edited=bool(saved))
