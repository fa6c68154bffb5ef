"""Competency pages: the catalogue (HR and admins, read-only) and the form of a technical
competency (admins)."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, url_for
from flask_babel import gettext as _

from portal.auth.models import Role
from portal.auth.opd import active_agencies
from portal.competencies import bp, services
from portal.competencies.forms import TechnicalCompetencyForm
from portal.extensions import db
from portal.security import rerender_on_csrf_error, role_required


@bp.get("/competencies")
@role_required(Role.HR, Role.ADMIN)
def catalogue():
    """Every active competency with its five levels and their indicators."""
    return render_template("competencies/catalogue.html", competencies=services.catalogue())


@bp.route("/admin/competencies/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
@rerender_on_csrf_error
def new_technical():
    """Add a technical competency of one agency (and optionally one jabatan)."""
    form = TechnicalCompetencyForm()
    form.agency.choices = [(a.id, a.name) for a in active_agencies()]
    if not g.get("csrf_error") and form.validate_on_submit():
        try:
            competency = services.create_technical(
                code=form.code.data, name=form.name.data, definition=form.definition.data or "",
                agency_id=form.agency.data, jabatan=form.jabatan.data or "",
                levels=[form[f"level{n}"].data or "" for n in range(1, 6)])
        except services.CompetencyError:
            form.code.errors = [*form.code.errors, _("This code is already used.")]
        else:
            db.session.commit()
            flash(_("The competency %(label)s is saved.", label=competency.label), "success")
            return redirect(url_for("competencies.catalogue"))
    return render_template("competencies/new_technical.html", form=form)
