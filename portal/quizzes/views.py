"""Routes of the quizzes blueprint: the quiz intro page, starting, taking (with autosave),
submitting and reviewing attempts.

URLs (see the URL map in the design notes): ``/courses/<slug>/quizzes/<quiz_slug>``
(``quizzes.quiz``), POST ``.../start`` (``quizzes.start``), ``/attempts/<public_id>``
(``quizzes.attempt``), POST ``/attempts/<public_id>/save`` (``quizzes.save``, autosave),
POST ``/attempts/<public_id>/submit`` (``quizzes.submit``), ``/attempts/<public_id>/review``
(``quizzes.review``).

The POST URLs also answer GET with a redirect to their page (a reload, a bookmark, or the
way back from the login page), never a 405. A session that ends while the take page is open
loses nothing: autosave gets a 401 that ``static/js/quiz.js`` explains, and a Submit posted
meanwhile is carried across the login and saved (:func:`resume_submit`).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import (abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal.auth import reauth
from portal.courses.lookup import course_or_404
from portal.courses.models import Course
from portal.extensions import db
from portal.progress import services as progress_services
from portal.quizzes import bp
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.security import rerender_on_csrf_error
from portal.timeutil import utcnow

#: Names of the quiz kinds, for the pages.
KIND_LABELS = {
    "pretest": _l("Pre-test"),
    "posttest": _l("Post-test"),
    "practice": _l("Practice quiz"),
}

#: Names of the grading methods, for the pages.
GRADING_LABELS = {
    "highest": _l("Highest score"),
    "average": _l("Average of all scores"),
    "first": _l("First attempt"),
    "last": _l("Last attempt"),
}


# --- helpers ----------------------------------------------------------------------------


def _grace() -> int:
    """Seconds of slack after a deadline (``QUIZ_GRACE_SECONDS``)."""
    return int(current_app.config.get("QUIZ_GRACE_SECONDS", 30))


def _course_url(course: Course) -> str:
    return url_for("courses.course", slug=course.slug)


def _module_url(course: Course, module) -> str | None:
    if module is None:
        return None
    return url_for("courses.module", slug=course.slug, module_slug=module.slug)


def _quiz_or_404(course: Course, quiz_slug: str):
    quiz = services.quiz_by_slug(course.id, quiz_slug)
    if quiz is None:
        abort(404)
    return quiz


def _own_attempt_or_404(public_id: str) -> Attempt:
    """The attempt with ``public_id`` if it belongs to the current user, else 404 (another
    learner's attempt is indistinguishable from a missing one)."""
    attempt = db.session.scalars(
        sa.select(Attempt).where(Attempt.public_id == public_id)
    ).first()
    if attempt is None or attempt.enrolment.user_id != current_user.id:
        abort(404)
    return attempt


def _form_values(attempt: Attempt, form=None) -> dict[int, list[str]]:
    """The posted values of each of the attempt's questions (empty list: left blank), from
    ``form`` (default: this request's form)."""
    form = request.form if form is None else form
    return {int(qid): form.getlist(services.field_name(int(qid)))
            for qid in attempt.question_ids or []}


def _render_quiz(course, quiz, enrolment, message: str | None = None, status: int = 200):
    summary = services.quiz_summary(enrolment, quiz, utcnow(), _grace())
    db.session.commit()  # an expired open attempt may just have been closed
    return render_template(
        "quizzes/quiz.html", course=course, quiz=quiz, summary=summary, message=message,
        course_url=_course_url(course),
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind),
        grading_label=GRADING_LABELS.get(quiz.grading, quiz.grading),
    ), status


def _render_locked(course, enrolment):
    module = progress_services.first_undone_module(enrolment)
    return render_template(
        "quizzes/locked.html", course=course, module=module,
        module_url=_module_url(course, module), course_url=_course_url(course),
    ), 403


def _render_take(attempt: Attempt, responses=None, message: str | None = None,
                 status: int = 200):
    quiz = attempt.quiz
    return render_template(
        "quizzes/take.html", attempt=attempt, quiz=quiz, course=quiz.course,
        items=services.take_items(attempt, responses),
        seconds_left=services.seconds_left(attempt, utcnow()),
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind), message=message,
    ), status


def _enrolment_or_none(course: Course):
    return progress_services.get_enrolment(current_user, course)


def _not_enrolled(course: Course):
    flash(_("Enrol in this course to take its quizzes."), "info")
    return redirect(_course_url(course))


# --- the quiz intro page and starting -------------------------------------------------------


@bp.get("/courses/<slug>/quizzes/<quiz_slug>")
@login_required
def quiz(slug: str, quiz_slug: str):
    """Intro page: settings, the learner's attempts and grade, a Start/Continue button.

    Not enrolled: redirect to the course page with a message. A locked post-test: 403 with
    a link to the first module not done yet.
    """
    course = course_or_404(slug)
    quiz = _quiz_or_404(course, quiz_slug)
    enrolment = _enrolment_or_none(course)
    if enrolment is None:
        return _not_enrolled(course)
    if services.posttest_locked(enrolment, quiz):
        return _render_locked(course, enrolment)
    return _render_quiz(course, quiz, enrolment)


@bp.route("/courses/<slug>/quizzes/<quiz_slug>/start", methods=["GET", "POST"])
@login_required
def start(slug: str, quiz_slug: str):
    """Start an attempt (or resume the open one) and go to its page.

    No attempts left: the intro page with a message, 409. Locked post-test: 403. A GET
    starts nothing and leads to the intro page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.quiz", slug=slug, quiz_slug=quiz_slug))
    course = course_or_404(slug)
    quiz = _quiz_or_404(course, quiz_slug)
    enrolment = _enrolment_or_none(course)
    if enrolment is None:
        return _not_enrolled(course)
    try:
        attempt = services.start_attempt(enrolment, quiz, utcnow(), grace_seconds=_grace())
    except services.QuizError as exc:
        db.session.rollback()
        if exc.code == "locked":
            return _render_locked(course, enrolment)
        return _render_quiz(course, quiz, enrolment, status=409, message=_(
            "You have used all the attempts allowed for this quiz."))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", public_id=attempt.public_id))


# --- taking an attempt ----------------------------------------------------------------------


@bp.get("/attempts/<public_id>")
@login_required
def attempt(public_id: str):
    """The take page: every question on one page, the deadline and a countdown.

    A submitted attempt goes to its review; an attempt past its deadline + grace is closed
    with the answers saved in time (see :mod:`portal.quizzes.services`) and goes to its
    review.
    """
    attempt = _own_attempt_or_404(public_id)
    if attempt.state == AttemptState.IN_PROGRESS and services.close_if_expired(
            attempt, utcnow(), _grace()):
        db.session.commit()
        flash(_("Time ran out, so the answers you had saved were submitted."), "info")
    if attempt.state != AttemptState.IN_PROGRESS:
        return redirect(url_for("quizzes.review", public_id=attempt.public_id))
    return _render_take(attempt)


@bp.route("/attempts/<public_id>/save", methods=["GET", "POST"])
@login_required
def save(public_id: str):
    """Autosave (from static/js/quiz.js): store the posted answers of an open attempt.

    204 when saved; 409 with a JSON ``{"error": "time_up" | "not_in_progress"}`` when the
    attempt is closed or its time (+ grace) is over, and nothing is saved; 401 JSON
    ``{"error": "login_required"}`` when the session has ended (:mod:`portal.auth.reauth`).
    A GET saves nothing and leads to the take page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.attempt", public_id=public_id))
    attempt = _own_attempt_or_404(public_id)
    try:
        services.save_answers(attempt, _form_values(attempt), utcnow(), grace_seconds=_grace())
    except services.QuizError as exc:
        db.session.rollback()
        return {"error": exc.code}, 409
    db.session.commit()
    return "", 204


@bp.route("/attempts/<public_id>/submit", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def submit(public_id: str):
    """Save the posted answers and grade the attempt (once), then show the review.

    A second submission of the same attempt goes to the review (graded once). A post whose
    CSRF token failed is not trusted: nothing is saved or graded; the take page comes back
    (400) with the posted answers filled in and a fresh token. A post after the session
    ended gets the login page carrying the answers (see :func:`resume_submit`). A GET
    submits nothing and leads to the take page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.attempt", public_id=public_id))
    attempt = _own_attempt_or_404(public_id)
    if g.get("csrf_error"):
        if attempt.state != AttemptState.IN_PROGRESS:
            return review(public_id)  # already graded: show it (the status stays 400)
        posted = services.responses_from_form(attempt, _form_values(attempt))
        return _render_take(attempt, responses=posted, status=400, message=_(
            "Your session form expired; your answers are still here. Press Submit again."))
    if attempt.state == AttemptState.IN_PROGRESS:
        now = utcnow()
        try:
            services.save_answers(attempt, _form_values(attempt), now)
        except services.QuizError:
            db.session.rollback()  # submitted meanwhile by another request
        else:
            services.submit_attempt(attempt, now, _grace())
            db.session.commit()
    return redirect(url_for("quizzes.review", public_id=attempt.public_id))


@reauth.resumes("quizzes.submit")
def resume_submit(post: reauth.CarriedPost, public_id: str):
    """After a new login: save the answers of a Submit that arrived while the session had
    ended, then show the attempt again so the learner checks them and submits.

    The answers count as saved when they arrived (``post.arrived_at``, signed by the
    server), so a learner whose session ended just before the deadline keeps them even if
    logging in again takes longer; answers that arrived after the deadline + grace are not
    saved, as with autosave. Another user's attempt, or answers typed in another account's
    session, are left alone (None: the login goes on as usual).
    """
    attempt = db.session.scalars(
        sa.select(Attempt).where(Attempt.public_id == public_id)
    ).first()
    if attempt is None or attempt.enrolment.user_id != current_user.id or (
            post.user_id is not None and not post.typed_by(current_user.id)):
        return None
    target = redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
    if attempt.state != AttemptState.IN_PROGRESS:
        return target
    try:
        services.save_answers(attempt, _form_values(attempt, post.fields), post.arrived_at,
                              grace_seconds=_grace())
    except services.QuizError as exc:
        db.session.rollback()
        if exc.code == "time_up":
            flash(_("Your answers arrived after the time limit, so they were not saved."),
                  "warning")
        return target
    db.session.commit()
    flash(_("You are logged in again and your answers are saved. Check them, then press "
            "Submit answers."), "success")
    return target


# --- review -----------------------------------------------------------------------------


@bp.get("/attempts/<public_id>/review")
@login_required
def review(public_id: str):
    """The graded attempt: score, pass/fail for a post-test, each question with the
    learner's answer, the right answer and the explanation.

    Visible to its owner, instructors and admins (others: 404). An attempt still in progress
    has no review: its owner goes back to the take page.
    """
    attempt = db.session.scalars(
        sa.select(Attempt).where(Attempt.public_id == public_id)
    ).first()
    if attempt is None:
        abort(404)
    enrolment = attempt.enrolment
    is_owner = enrolment.user_id == current_user.id
    if not is_owner and not current_user.has_role("instructor"):
        abort(404)
    if attempt.state == AttemptState.IN_PROGRESS and is_owner \
            and services.close_if_expired(attempt, utcnow(), _grace()):
        db.session.commit()
    if attempt.state == AttemptState.IN_PROGRESS:
        if is_owner:
            return redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
        return render_template("quizzes/in_progress.html", attempt=attempt), 409
    quiz = attempt.quiz
    course = quiz.course
    passed = services.passed(attempt)
    certificate = progress_services.certificate_for(enrolment) if passed else None
    from portal.progress.links import certificate_url

    return render_template(
        "quizzes/review.html", attempt=attempt, quiz=quiz, course=course,
        items=services.review_items(attempt), is_owner=is_owner, passed=passed,
        completed=bool(passed and enrolment.is_completed),
        certificate_url=certificate_url(certificate),
        dashboard_url=url_for("progress.dashboard"),
        grade=services.quiz_grade(enrolment, quiz),
        closed_automatically=services.closed_automatically(attempt),
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind),
        grading_label=GRADING_LABELS.get(quiz.grading, quiz.grading),
        learner=enrolment.user, course_url=_course_url(course),
        quiz_url=url_for("quizzes.quiz", slug=course.slug, quiz_slug=quiz.slug),
    )
