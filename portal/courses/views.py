"""The learner's course pages: catalogue, course page, enrolment, modules, resume, assets,
and the instructors' course overview.

Decisions:
- The catalogue, course pages and module images are public; modules need an enrolment.
- An unpublished course is shown only to its enrolled learners and to instructors/admins;
  everyone else gets "Course not found" (404).
- The pre-test comes first: enrolling leads to it, and module pages show a prominent notice
  while it is not submitted. It does not block reading, because its score never decides
  passing (it only measures the starting point for the gain).
"""

from __future__ import annotations

from datetime import datetime

from flask import (
    abort, current_app, flash, make_response, redirect, render_template, request, send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.auth.models import Role
from portal.completion import complete_enrolment_if_done
from portal.courses import bp
from portal.courses.assets import asset_file
from portal.courses.lookup import course_or_404
from portal.courses.models import Course, Module
from portal.extensions import db
from portal.progress import services as progress
from portal.progress import summaries
from portal.progress.links import certificate_url, quiz_url
from portal.security import role_required
from portal.timeutil import format_datetime_long, format_time_short, to_local, utcnow

#: Labels of ``Course.competency_type`` (PermenPANRB 38/2017).
COMPETENCY_TYPE_LABELS = {
    "teknis": _l("Technical"),
    "manajerial": _l("Managerial"),
    "sosial_kultural": _l("Socio-cultural"),
}

#: Labels of ``Course.mode``.
MODE_LABELS = {
    "e-learning": _l("E-learning"),
    "klasikal": _l("Classroom"),
    "blended": _l("Blended learning"),
}

#: Courses a page on the teaching overview.
TEACHING_PER_PAGE = 20
#: Seconds a browser may cache a course asset (images change only on re-import).
ASSET_MAX_AGE = 3600
#: Content-Security-Policy of a course asset opened on its own (a diagram opened full size
#: from its link): it may show its own inline styles and the portal's images and fonts, and
#: runs nothing (``sandbox``: no script in an SVG ever runs with the portal's origin).
ASSET_CSP = ("default-src 'none'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
             "font-src 'self'; frame-ancestors 'none'; sandbox")


@bp.app_template_filter("competency_type_label")
def competency_type_label(value: str) -> str:
    """Translated label of a competency type code (``manajerial`` → "Managerial")."""
    return str(COMPETENCY_TYPE_LABELS.get(value, value))


@bp.app_template_filter("mode_label")
def mode_label(value: str) -> str:
    """Translated label of a delivery mode (``klasikal`` → "Classroom")."""
    return str(MODE_LABELS.get(value, value))


def _is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _module_or_404(course: Course, module_slug: str) -> Module:
    """The current module of ``course`` with ``module_slug`` (from the course's loaded
    modules), else abort with 404."""
    module = next((m for m in course.modules if m.slug == module_slug), None)
    if module is None:
        abort(404, description=_("Module not found in this course."))
    return module


def _not_enrolled(course: Course):
    """Send a learner who is not enrolled back to the course page with a message."""
    flash(_("Enrol in this course to open its modules."), "warning")
    target = url_for("courses.course", slug=course.slug)
    if _is_htmx():
        response = make_response("", 204)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


def _module_url(course: Course, module: Module) -> str:
    return url_for("courses.module", slug=course.slug, module_slug=module.slug)


def _next_step(state: summaries.CourseState, module: Module) -> tuple[str, str]:
    """``(url, label)`` of what follows ``module`` once it is done: the next module; after the
    last one, the post-test when every module is done (the course page when there is no
    post-test), else the first module still to do."""
    course = state.course
    _previous, following, _position = state.neighbours(module)
    if following is not None:
        return (_module_url(course, following),
                _("Next module: %(title)s", title=following.title))
    if state.posttest_unlocked:
        url = quiz_url(course, state.posttest.quiz)
        if url:
            return url, _("Go to the post-test")
        return url_for("courses.course", slug=course.slug), _("Back to the course page")
    undone = state.first_undone()
    return (_module_url(course, undone),
            _("Some modules are not done yet. Continue with: %(title)s", title=undone.title))


# --- catalogue and course page --------------------------------------------------------


@bp.get("/courses")
def catalogue():
    """Public catalogue of published courses; ``?q=`` filters by title."""
    query = request.args.get("q", "", type=str)[:200]
    entries = summaries.catalogue(current_user, query)
    return render_template("courses/catalogue.html", entries=entries, query=query)


@bp.get("/courses/<slug>")
def course(slug: str):
    """Public course page: description, facts, modules, quizzes and the learner's action."""
    course = course_or_404(slug)
    enrolment, certificate = summaries.enrolment_with_certificate(current_user, course)
    state = summaries.course_state(course, enrolment)
    return render_template(
        "courses/course.html",
        course=course, modules=state.modules, facts=state.facts, enrolment=enrolment,
        summary=state.progress if enrolment else None,
        done_ids=state.done_ids,
        pretest=state.pretest, posttest=state.posttest,
        pretest_url=quiz_url(course, state.pretest.quiz),
        posttest_url=quiz_url(course, state.posttest.quiz),
        posttest_unlocked=state.posttest_unlocked,
        certificate=certificate, certificate_url=certificate_url(certificate),
    )


@bp.route("/courses/<slug>/enrol", methods=["GET", "POST"])
def enrol(slug: str):
    """Enrol the logged-in user (any role). Idempotent. Then go to the pre-test if it is not
    taken yet, else to where the learner left off (the first module for a new enrolment).

    Login is checked here rather than with ``login_required`` so the login page returns to
    the course page (the form that posts here). A GET enrols nothing and leads to the
    course page.
    """
    if not current_user.is_authenticated:
        flash(_("Log in or register to enrol in a course."), "info")
        return redirect(url_for("auth.login", next=url_for("courses.course", slug=slug)))
    if request.method == "GET":
        return redirect(url_for("courses.course", slug=slug))
    course = course_or_404(slug)
    already = progress.get_enrolment(current_user, course) is not None
    try:
        enrolment = progress.enrol(current_user, course)
    except progress.ProgressError:
        flash(_("This course is not open for enrolment."), "error")
        return redirect(url_for("courses.course", slug=course.slug))
    db.session.commit()
    if already:
        flash(_("You are already enrolled in this course."), "info")
    else:
        flash(_("You are enrolled in %(title)s.", title=course.title), "success")
    pending = progress.pretest_pending(enrolment)
    url = quiz_url(course, pending.quiz) if pending else None
    if url:
        return redirect(url)
    return redirect(url_for("courses.resume", slug=course.slug))


@bp.get("/courses/<slug>/resume")
@login_required
def resume(slug: str):
    """Continue where the learner left off: the last visited module, else the first module
    not done, else the post-test (else the course page). Once every module is done and the
    course is not completed yet, the post-test comes first: that is where work remains."""
    course = course_or_404(slug)
    enrolment = progress.get_enrolment(current_user, course)
    if enrolment is None:
        return _not_enrolled(course)
    posttest_url = quiz_url(course, progress.quiz_status(course, enrolment,
                                                         progress.POSTTEST).quiz)
    if posttest_url and enrolment.completed_at is None and progress.posttest_unlocked(enrolment):
        return redirect(posttest_url)
    module = progress.resume_module(enrolment)
    if module is not None:
        return redirect(_module_url(course, module))
    return redirect(posttest_url or url_for("courses.course", slug=course.slug))


# --- modules --------------------------------------------------------------------------


def _min_ratio() -> float:
    return float(current_app.config.get("MIN_STUDY_RATIO", 0.0))


def _ready_moment(ready_at: datetime, now: datetime) -> dict:
    """When a module may be marked done, as the learner reads it: ``{"time": "10.43 WIB"}``
    on the same day in the display zone, else ``{"datetime": "1 Januari 2028 pukul 00.20
    WIB"}`` (the sentences around them differ: "pukul" comes with the time alone)."""
    locale = str(get_locale() or "id")
    zone = current_app.config["PORTAL_TIMEZONE"]
    if to_local(ready_at, zone).date() == to_local(now, zone).date():
        return {"time": format_time_short(ready_at, locale, zone)}
    return {"datetime": format_datetime_long(ready_at, locale, zone)}


def _too_early_message(ready_at: datetime, now: datetime) -> str:
    moment = _ready_moment(ready_at, now)
    if "time" in moment:
        return _("Not yet: you can mark this module as done from %(time)s. The time counts "
                 "from when you first opened the module.", time=moment["time"])
    return _("Not yet: you can mark this module as done from %(datetime)s. The time counts "
             "from when you first opened the module.", datetime=moment["datetime"])


def _module_context(state: summaries.CourseState, module: Module, now: datetime,
                    opened_at: datetime | None = None) -> dict:
    """Everything ``_module_done.html`` needs (and the module page around it): whether the
    module is done and what comes next, else when it may be marked done (``study``).
    ``opened_at``: the module's first opening when the caller has it (saves a query)."""
    course, enrolment, done_ids = state.course, state.enrolment, state.done_ids
    is_done = module.id in done_ids
    next_url, next_label = _next_step(state, module) if is_done else (None, None)
    study = None
    if not is_done:
        gate = (progress.gate_after_opening(module, opened_at, _min_ratio()) if opened_at
                else progress.study_gate(enrolment, module, _min_ratio()))
        if gate.is_waiting(now):
            study = {**_ready_moment(gate.ready_at, now),
                     "seconds_left": gate.seconds_left(now),
                     "minutes_left": gate.minutes_left(now)}
    return {"course": course, "module": module, "enrolment": enrolment,
            "done_ids": done_ids, "is_done": is_done,
            "next_url": next_url, "next_label": next_label, "study": study}


@bp.get("/courses/<slug>/modules/<module_slug>")
@login_required
def module(slug: str, module_slug: str):
    """A module page for an enrolled learner; records it as the resume point and, the
    first time, its opening, in the transaction committed once the page is rendered."""
    course = course_or_404(slug)
    module = _module_or_404(course, module_slug)
    enrolment, opened_at = summaries.enrolment_with_opening(current_user, course, module)
    if enrolment is None:
        return _not_enrolled(course)
    now = utcnow()
    if opened_at is None:
        opened_at = progress.record_visit(enrolment, module, now)
    elif enrolment.last_module_id != module.id:
        enrolment.last_module_id = module.id
    state = summaries.course_state(course, enrolment)
    previous, following, position = state.neighbours(module)
    pretest = state.pretest_pending
    html = render_template(
        "courses/module.html",
        modules=state.modules, summary=state.progress,
        previous=previous, following=following, position=position,
        pretest_pending=pretest, pretest_url=quiz_url(course, pretest.quiz) if pretest else None,
        **_module_context(state, module, now, opened_at),
    )
    # Committed after rendering: a commit expires what the page reads (user, course).
    db.session.commit()
    return html


@bp.route("/courses/<slug>/modules/<module_slug>/done", methods=["GET", "POST"])
@login_required
def module_done(slug: str, module_slug: str):
    """Mark a module as done (POST; idempotent) and check course completion.

    With htmx (``HX-Request``) the response is the ``_module_done.html`` fragment; without,
    a redirect to the next step (next module, or the post-test after the last module).
    A GET changes nothing and leads to the module page: it is where the login page returns
    a learner whose session ended before pressing the button.

    Refused, with nothing recorded, when the module page was never served to the learner
    or its minimum study time has not passed (:mod:`portal.progress.study_time`): the
    fragment then says why and when (htmx, status 200 so htmx swaps it in), or a plain post
    is sent back to the module page with the same message.
    """
    course = course_or_404(slug)
    module = _module_or_404(course, module_slug)
    if request.method == "GET":
        return redirect(_module_url(course, module))
    enrolment = progress.get_enrolment(current_user, course)
    if enrolment is None:
        return _not_enrolled(course)
    now = utcnow()
    try:
        progress.mark_module_done(enrolment, module, now, _min_ratio())
    except progress.ProgressError as error:
        if error.code == "not_opened":
            message = _("Open and study this module before you mark it as done.")
        elif error.code == "too_early":
            message = _too_early_message(error.ready_at, now)
        else:
            raise
        db.session.rollback()
        if _is_htmx():
            return render_template(
                "courses/_module_done.html", refusal=message,
                **_module_context(summaries.course_state(course, enrolment), module, now))
        flash(message, "warning")
        return redirect(_module_url(course, module) + "#module-done")
    completed_now = (enrolment.completed_at is None
                     and complete_enrolment_if_done(enrolment, now) is not None)
    db.session.commit()
    state = summaries.course_state(course, enrolment)
    context = _module_context(state, module, now)
    if _is_htmx():
        return render_template("courses/_module_done.html", completed_now=bool(completed_now),
                               oob=True, summary=state.progress, **context)
    if completed_now:
        flash(_("Congratulations! You have completed %(title)s.", title=course.title),
              "success")
    return redirect(context["next_url"])


@bp.get("/courses/<slug>/assets/<path:filename>")
def asset(slug: str, filename: str):
    """A file from the course's ``assets/`` folder under CONTENT_DIR (public: module
    images). Only a regular file whose real path stays inside that folder is served
    (:func:`portal.courses.assets.asset_file`); anything else is a 404.
    Served with :data:`ASSET_CSP`, since module images link here to open full size."""
    course = course_or_404(slug)
    path = asset_file(current_app.config["CONTENT_DIR"], course.slug, filename)
    if path is None:
        abort(404)
    response = send_file(path, max_age=ASSET_MAX_AGE)
    response.headers["Content-Security-Policy"] = ASSET_CSP
    return response


# --- instructors ----------------------------------------------------------------------


@bp.get("/teaching")
@role_required(Role.INSTRUCTOR)
def instructor_overview():
    """Instructors and admins: every course with enrolments, completions and mean grades,
    :data:`TEACHING_PER_PAGE` courses a page (``?page=``)."""
    page = request.args.get("page", 1, type=int) or 1
    data = summaries.teaching_overview(page=page, per_page=TEACHING_PER_PAGE)
    return render_template("courses/teaching.html", data=data, rows=data.rows)
