"""Routes of the certificates blueprint: PDF download, public verification, HR register.

- ``/certificates/<code>.pdf`` (download): the holder, HR and admins; anyone else gets 404 so
  a code's existence is never confirmed.
- ``/verify`` and ``/verify/<code>`` (public): what confirms a certificate and nothing more
  (UU 27/2022 PDP): name, masked NIP, course, JP, dates, result, issuer, number, status and
  the PDF's SHA-256.
- ``/hr/certificates`` and ``/hr/certificates/<code>`` (HR, admin): the register; every look
  at one certificate's personal data is logged.
"""

from __future__ import annotations

import re
from datetime import date

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.auth.models import Role
from portal.certificates import bp
from portal.certificates import services
from portal.certificates.codes import format_code, normalize_code
from portal.certificates.forms import HrSearchForm, VerifyForm
from portal.extensions import db
from portal.ledger import services as ledger
from portal.progress.services import YEARLY_JP_TARGET
from portal.request_boundary import parse_id
from portal.security import role_required

PER_PAGE = 20


@bp.app_template_filter("cert_code")
def cert_code_filter(code: str | None) -> str:
    """Show a code grouped by five: ``K7M2Q-9XDPA-3HWTC-8RNVB``."""
    return format_code(code)


def pdf_filename(number: str) -> str:
    """``sertifikat-0007-BPSDM-JBI-PPBTI-01-2026.pdf``: the number with every character
    other than ASCII letters, digits and dashes turned into a dash."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", number).strip("-") or "sertifikat"
    return f"sertifikat-{slug}.pdf"


def _noindex(response):
    """Keep verification pages out of search engines (they carry names)."""
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _not_found():
    """The public 404 for a code that matches no certificate (no hint of near matches)."""
    page = render_template("certificates/not_found.html", form=VerifyForm(formdata=None))
    return _noindex(make_response(page, 404))


def _day(iso: str | None) -> date | None:
    """A snapshot's ISO date (``YYYY-MM-DD``, WIB) as a date for ``|tanggal``."""
    try:
        return date.fromisoformat(iso) if iso else None
    except ValueError:
        return None


@bp.get("/certificates/<code>.pdf")
@login_required
def download(code: str):
    """The certificate's PDF (rendered on first download, the stored bytes after).

    The holder, HR and admins only; for anyone else the certificate does not exist (404).
    A download by staff other than the holder is logged (UU 27/2022 PDP).
    """
    certificate = services.find_certificate(code)
    if certificate is None or not services.can_download(current_user, certificate):
        abort(404)
    if certificate.user_id != current_user.id:
        services.record_access(certificate, current_user, services.AccessAction.DOWNLOAD_PDF)
    data = services.certificate_pdf(certificate)
    db.session.commit()
    response = make_response(data)
    response.headers["Content-Type"] = "application/pdf"
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{pdf_filename(certificate.number)}"')
    # Personal data: never kept by browsers or proxies. The ETag is the document's SHA-256,
    # the fingerprint shown on the verification page.
    response.headers["Cache-Control"] = "private, no-store"
    response.set_etag(certificate.pdf_sha256)
    return response.make_conditional(request)


@bp.get("/verify")
def verify_form():
    """Public form to type a code; a valid code redirects to its verification page."""
    form = VerifyForm(formdata=request.args if "code" in request.args else None)
    if "code" in request.args:
        if form.validate():
            code = normalize_code(form.code.data)
            if code is not None:
                return redirect(url_for("certificates.verify", code=code))
            form.code.errors.append(_(
                "A verification code has 20 letters and digits, e.g. K7M2Q-9XDPA-3HWTC-8RNVB. "
                "Check the code and try again."))
        return render_template("certificates/verify_form.html", form=form), 422
    return render_template("certificates/verify_form.html", form=form)


def sees_the_score(certificate) -> bool:
    """True when the user of this request may see a certificate's post-test score on its
    verification page: its holder, or HR (and admins). Anyone else holding the code sees
    what confirms the certificate (name, masked NIP, course, JP, dates, validity), not how
    well its holder did: the score is personal data the check does not need (UU 27/2022,
    data minimisation). The PDF keeps the score; it is the holder's document."""
    if not current_user.is_authenticated:
        return False
    return current_user.id == certificate.user_id or current_user.has_role(Role.HR)


@bp.get("/verify/<code>")
def verify(code: str):
    """Public verification page of a certificate, from its frozen snapshot; the post-test
    score only for its holder and HR (:func:`sees_the_score`)."""
    certificate = services.find_certificate(code)
    if certificate is None:
        return _not_found()
    snap = certificate.snapshot
    page = render_template("certificates/verify.html", certificate=certificate, s=snap,
                           completed_on=_day(snap.get("completed_on")),
                           issued_on=_day(snap.get("issued_on")),
                           show_score=sees_the_score(certificate))
    response = make_response(page)
    response.headers["Cache-Control"] = "private, no-cache"  # the page depends on who asks
    response.vary.add("Cookie")
    return _noindex(response)


@bp.get("/hr/certificates")
@role_required(Role.HR)
def hr_search():
    """The certificate register for HR: search by number, name or NIP, 20 rows a page."""
    form = HrSearchForm(formdata=request.args)
    status = 200
    query = ""
    if request.args.get("q") is not None:
        if form.validate():
            query = form.q.data or ""
        else:
            status = 422
    page = parse_id(request.args.get("page", "1")) or 1  # out of range: the first page
    results = services.search_certificates(query, page=page, per_page=PER_PAGE)
    services.record_listing(results.items, current_user)
    # Rendered before the commit, which would expire the user the page shows.
    html = render_template("hr/certificates.html", form=form, results=results, query=query)
    db.session.commit()
    return html, status


@bp.get("/hr/certificates/<code>")
@role_required(Role.HR)
def hr_detail(code: str):
    """One certificate in full for HR, with its access log and the holder's JP credited in
    the year of this completion (summed from the JP ledger); the view itself is logged."""
    certificate = services.find_certificate(code)
    if certificate is None:
        abort(404, description=_("No certificate with this code."))
    services.record_access(certificate, current_user, services.AccessAction.VIEW_DETAIL)
    db.session.commit()
    snap = certificate.snapshot
    credit = ledger.completion_credit_of_certificate(certificate.id)
    return render_template("hr/certificate_detail.html", certificate=certificate, s=snap,
                           jp_year=credit.year if credit else None,
                           jp_in_year=ledger.jp_in_year(certificate.user_id, credit.year)
                           if credit else None,
                           jp_target=YEARLY_JP_TARGET,
                           enrolled_on=_day(snap.get("enrolled_on")),
                           completed_on=_day(snap.get("completed_on")),
                           issued_on=_day(snap.get("issued_on")),
                           accesses=services.access_log(certificate))
