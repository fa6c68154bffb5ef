"""Routes of the quizzes blueprint: the quiz intro page, starting, taking (with autosave),
the confirmation before the final submit, submitting and reviewing attempts.

URLs: ``/courses/<slug>/quizzes/<quiz_slug>`` (``quizzes.quiz``), POST ``.../start``
(``quizzes.start``), ``/attempts/<public_id>`` (``quizzes.attempt``), POST
``/attempts/<public_id>/save`` (``quizzes.save``, autosave), POST
``/attempts/<public_id>/finish`` (``quizzes.finish``: the take page's button; saves, then
the confirmation), ``/attempts/<public_id>/confirm`` (``quizzes.confirm``: answered and
unanswered questions, the final Submit), POST ``/attempts/<public_id>/submit``
(``quizzes.submit``), ``/attempts/<public_id>/review`` (``quizzes.review``).

The POST URLs also answer GET with a redirect to their page (a reload, a bookmark, or the
way back from the login page), never a 405. A session that ends while the take page is open
loses nothing: autosave gets a 401 that ``static/js/quiz.js`` explains, and a Finish or Submit
posted meanwhile is carried across the login and saved (:func:`resume_answers`).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from flask import (abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal import completion
from portal.auth import reauth
from portal.courses.lookup import course_or_404
from portal.courses.models import Course
from portal.extensions import db
from portal.numbers import NumberNotationError
from portal.progress import services as progress_services
from portal.quizzes import bp
from portal.quizzes import services
from portal.quizzes.models import Attempt, AttemptState
from portal.quizzes.review import EVERYTHING, options_for
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

#: The hidden field of the take page's form: this post carries the answers (a question
#: whose boxes are all unticked sends nothing, so its absence cannot mean "cleared").
WITH_ANSWERS = "with_answers"

#: Prefix of the take page's hidden field per question holding the revision of the saved
#: answer the page shows (``rev_q<question id>``); a save based on an older revision than
#: the stored one is refused for that question (see :func:`services.save_answers`).
REVISION_PREFIX = "rev_"


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


def _revisions(attempt: Attempt, form=None) -> dict[int, int]:
    """The revision each question's answer had on the page that posted (``rev_q<id>``
    fields); questions without a readable one are left out (saved unconditionally)."""
    form = request.form if form is None else form
    found = {}
    for qid in attempt.question_ids:
        raw = form.get(REVISION_PREFIX + services.field_name(int(qid)), "")
        if isinstance(raw, str) and raw.strip().isdigit():
            found[int(qid)] = int(raw.strip())
    return found


def _stale_message() -> str:
    return _("Some answers were not saved: they were changed in another tab or window "
             "after this page was opened. The page now shows the answers saved there; "
             "check them and change them again if needed.")


def _posted_answers(attempt: Attempt, form=None) -> dict[int, list[str]] | None:
    """The answers of a post from the take page (its hidden ``with_answers`` field, or any
    answer field), or None for a post without answers (the confirmation page's); from
    ``form`` (default: this request's form)."""
    form = request.form if form is None else form
    names = {services.field_name(int(qid)) for qid in attempt.question_ids or []}
    if form.get(WITH_ANSWERS) or names & set(form.keys()):
        return _form_values(attempt, form)
    return None


def number_problem_message(problem: NumberNotationError) -> str:
    """The learner's message for a typed number the Indonesian notation refuses."""
    if problem.suggestion:
        return _("“%(text)s” is not a number as written in Indonesian. Did you mean "
                 "%(suggestion)s? Use a comma for decimals and a dot between thousands.",
                 text=problem.text, suggestion=problem.suggestion)
    return _("“%(text)s” is not a number as written in Indonesian. Use a comma for decimals "
             "and a dot between thousands, as in 3,5 and 1.000.", text=problem.text)


@bp.app_template_global("number_problem_message")
def _number_problem_message_global(problem: NumberNotationError) -> str:
    """Template access to :func:`number_problem_message`."""
    return number_problem_message(problem)


def _render_quiz(course, quiz, enrolment, message: str | None = None, status: int = 200):
    completion.close_expired_attempt_and_complete(enrolment, quiz, utcnow(), _grace())
    summary = services.quiz_summary(enrolment, quiz)
    html = render_template(
        "quizzes/quiz.html", course=course, quiz=quiz, summary=summary, message=message,
        course_url=_course_url(course), enrolment=enrolment,
        results={a.id: services.passed(a) for a in summary.attempts},
        percents={a.id: services.attempt_percent(a) for a in summary.attempts},
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind),
        grading_label=GRADING_LABELS.get(quiz.grading, quiz.grading),
    )
    # An expired open attempt may just have been closed. Committed after rendering: a
    # commit expires the attempts listed, and the page would reload them one by one.
    db.session.commit()
    return html, status


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
        with_answers=WITH_ANSWERS, revision_prefix=REVISION_PREFIX,
    ), status


def _render_confirm(attempt: Attempt, message: str | None = None, status: int = 200):
    quiz = attempt.quiz
    return render_template(
        "quizzes/confirm.html", attempt=attempt, quiz=quiz, course=quiz.course,
        overview=services.answer_overview(attempt), message=message,
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind),
    ), status


def _enrolment_or_none(course: Course):
    return progress_services.get_enrolment(current_user, course)


def _not_enrolled(course: Course):
    flash(_("Enrol in this course to take its quizzes."), "info")
    return redirect(_course_url(course))


def _to_review(attempt: Attempt):
    return redirect(url_for("quizzes.review", public_id=attempt.public_id))


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

    No attempts left, or the post-test of a completed course: the intro page with a
    message, 409. Locked post-test: 403. A GET starts nothing and leads to the intro page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.quiz", slug=slug, quiz_slug=quiz_slug))
    course = course_or_404(slug)
    quiz = _quiz_or_404(course, quiz_slug)
    enrolment = _enrolment_or_none(course)
    if enrolment is None:
        return _not_enrolled(course)
    now = utcnow()
    # an expired open attempt is closed first, and may complete the course
    if completion.close_expired_attempt_and_complete(enrolment, quiz, now, _grace()):
        db.session.commit()
    try:
        attempt = services.start_attempt(enrolment, quiz, now, grace_seconds=_grace())
    except services.QuizError as exc:
        db.session.rollback()
        if exc.code == "locked":
            return _render_locked(course, enrolment)
        if exc.code == "completed":
            message = _("You completed this course, so its post-test is closed. Your result "
                        "stays the grade that completed the course.")
        else:
            message = _("You have used all the attempts allowed for this quiz.")
        return _render_quiz(course, quiz, enrolment, status=409, message=message)
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
    now = utcnow()
    if attempt.state == AttemptState.IN_PROGRESS and services.close_if_expired(
            attempt, now, _grace()):
        completion.complete_after_attempt(attempt, now)
        db.session.commit()
        flash(_("Time ran out, so the answers you had saved were submitted."), "info")
    if attempt.state != AttemptState.IN_PROGRESS:
        return _to_review(attempt)
    return _render_take(attempt)


@bp.route("/attempts/<public_id>/save", methods=["GET", "POST"])
@login_required
def save(public_id: str):
    """Autosave (from static/js/quiz.js): store the posted answers of an open attempt.

    200 with ``{"revisions": {field name: revision}, "problems": {field name: message}}``
    when saved (``problems``: typed numbers not written the Indonesian way; the page sends
    the revisions with its next save); 409 with ``{"error": "stale", "message": ...}``
    when a question's answer was saved from another tab after this page was loaded: that
    question is not saved (the others are), and the page reloads to show the stored
    answers with the message; 409 with ``{"error": "time_up" |
    "not_in_progress"}`` when the attempt is closed or its time (+ grace) is over (a late
    post is kept aside with the attempt, not counted); 401 JSON ``{"error":
    "login_required"}`` when the session has ended (:mod:`portal.auth.reauth`). A GET saves
    nothing and leads to the take page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.attempt", public_id=public_id))
    attempt = _own_attempt_or_404(public_id)
    now = utcnow()
    try:
        saved = services.save_answers(attempt, _form_values(attempt), now, _grace(),
                                      based_on=_revisions(attempt))
    except services.QuizError as exc:
        db.session.rollback()
        return {"error": exc.code}, 409
    completion.complete_after_attempt(attempt, now)  # a late post closes the attempt
    db.session.commit()
    if saved.late:
        return {"error": "time_up"}, 409
    if saved.stale:
        flash(_stale_message(), "warning")
        return {"error": "stale", "message": _stale_message()}, 409
    problems = {item.name: number_problem_message(item.problem)
                for item in services.take_items(attempt) if item.problem is not None}
    return {"revisions": {services.field_name(int(qid)): rev
                          for qid, rev in saved.revisions.items()},
            "problems": problems}, 200


def _save_posted(attempt: Attempt, posted) -> services.Saved | None:
    """Save a take-page post; None when the attempt is (now) closed (submitted elsewhere,
    or the post came after the deadline + grace and was kept aside), else what was saved
    (``stale``: questions refused because another tab saved them since; the message is
    flashed)."""
    now = utcnow()
    try:
        saved = services.save_answers(attempt, posted, now, _grace(),
                                      based_on=_revisions(attempt))
    except services.QuizError:
        db.session.rollback()  # submitted meanwhile by another request
        return None
    completion.complete_after_attempt(attempt, now)  # a late post closes the attempt
    db.session.commit()
    if saved.late:
        return None
    if saved.stale:
        flash(_stale_message(), "warning")
    return saved


def _csrf_failed(attempt: Attempt):
    """A post whose CSRF token failed is not trusted: nothing is saved or graded. The take
    page comes back (400) with the posted answers and a fresh token, or the confirmation
    page for a post without answers."""
    if attempt.state != AttemptState.IN_PROGRESS:
        return review(attempt.public_id)  # already graded: show it (the status stays 400)
    message = _("Your session form expired; your answers are still here. Press Submit again.")
    posted = _posted_answers(attempt)
    if posted is None:
        return _render_confirm(attempt, status=400, message=message)
    return _render_take(attempt, responses=services.responses_from_form(attempt, posted),
                        status=400, message=message)


@bp.route("/attempts/<public_id>/finish", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def finish(public_id: str):
    """The take page's "Finish attempt" button: save the posted answers, then the
    confirmation page (works without JavaScript). A post after the deadline + grace goes to
    the review: the attempt is graded with the answers saved in time. A GET saves nothing
    and leads to the take page."""
    if request.method == "GET":
        return redirect(url_for("quizzes.attempt", public_id=public_id))
    attempt = _own_attempt_or_404(public_id)
    if g.get("csrf_error"):
        return _csrf_failed(attempt)
    posted = _posted_answers(attempt)
    saved = None
    if attempt.state == AttemptState.IN_PROGRESS and posted is not None:
        saved = _save_posted(attempt, posted)
    if attempt.state != AttemptState.IN_PROGRESS:
        return _to_review(attempt)
    if saved is not None and saved.stale:
        return redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
    return redirect(url_for("quizzes.confirm", public_id=attempt.public_id))


@bp.get("/attempts/<public_id>/confirm")
@login_required
def confirm(public_id: str):
    """Before the final submit: how many questions are answered, links to the unanswered
    ones and to typed numbers that cannot be read, the deadline, and the Submit button."""
    attempt = _own_attempt_or_404(public_id)
    now = utcnow()
    if attempt.state == AttemptState.IN_PROGRESS and services.close_if_expired(
            attempt, now, _grace()):
        completion.complete_after_attempt(attempt, now)
        db.session.commit()
        flash(_("Time ran out, so the answers you had saved were submitted."), "info")
    if attempt.state != AttemptState.IN_PROGRESS:
        return _to_review(attempt)
    return _render_confirm(attempt)


@bp.route("/attempts/<public_id>/submit", methods=["GET", "POST"])
@login_required
@rerender_on_csrf_error
def submit(public_id: str):
    """Save the posted answers (if the post carries them) and grade the attempt (once),
    then show the review.

    Posted from the confirmation page (no answers: the saved ones are graded), from the
    take page when its time is up, or from an older take page. A second submission of the
    same attempt goes to the review (graded once). After the deadline + grace the attempt is
    graded with the answers saved in time and the late post is kept aside (not counted). A
    post after the session ended gets the login page carrying the answers (see
    :func:`resume_answers`). A GET submits nothing and leads to the take page.
    """
    if request.method == "GET":
        return redirect(url_for("quizzes.attempt", public_id=public_id))
    attempt = _own_attempt_or_404(public_id)
    if g.get("csrf_error"):
        return _csrf_failed(attempt)
    if attempt.state == AttemptState.IN_PROGRESS:
        posted = _posted_answers(attempt)
        if posted is not None:
            saved = _save_posted(attempt, posted)
            if saved is None:
                return _to_review(attempt)
            if saved.stale and (attempt.deadline_at is None or utcnow() < attempt.deadline_at):
                # Nothing is graded on answers the learner has not seen; once the time is
                # up the post goes on, graded with the stored answers.
                return redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
        now = utcnow()
        services.submit_attempt(attempt, now, _grace())
        completion.complete_after_attempt(attempt, now)
        db.session.commit()
    return _to_review(attempt)


@reauth.resumes("quizzes.finish")
@reauth.resumes("quizzes.submit")
def resume_answers(post: reauth.CarriedPost, public_id: str):
    """After a new login: save the answers of a Finish or Submit that arrived while the
    session had ended, then show the attempt again so the learner checks them and goes on
    (nothing is graded without the learner seeing the page again).

    The answers count as saved at ``post.arrived_at``: when they arrived if the server's
    record of them can be trusted (:func:`portal.auth.reauth.resume`: this account's newest
    carried post, used once, recent), so a learner whose session ended just before the
    deadline keeps them even if logging in again takes longer; otherwise at the login.
    Answers that count as arriving after the deadline + grace are kept aside with the
    attempt, not counted, as any late post. Answers saved after the post arrived are not
    replaced by it. Another user's attempt, or answers typed in another account's session,
    are left alone (None: the login goes on as usual).
    """
    attempt = db.session.scalars(
        sa.select(Attempt).where(Attempt.public_id == public_id)
    ).first()
    if attempt is None or attempt.enrolment.user_id != current_user.id or (
            post.user_id is not None and not post.typed_by(current_user.id)):
        return None
    target = redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
    posted = _posted_answers(attempt, post.fields)
    if attempt.state != AttemptState.IN_PROGRESS or posted is None:
        return target
    if attempt.answers_saved_at is not None and attempt.answers_saved_at > post.arrived_at:
        flash(_("Answers saved after that page was sent are kept; the older page was not "
                "applied. Check your answers, then press Finish attempt."), "warning")
        return target
    try:
        saved = services.save_answers(attempt, posted, post.arrived_at, _grace(),
                                      based_on=_revisions(attempt, post.fields))
    except services.QuizError:
        db.session.rollback()  # submitted meanwhile by another request
        return target
    completion.complete_after_attempt(attempt, utcnow())  # a late post closes the attempt
    db.session.commit()
    if saved.late:
        flash(_("Your answers arrived after the time limit, so they were kept aside and "
                "do not count."), "warning")
        return target
    if saved.stale:
        flash(_stale_message(), "warning")
        return target
    flash(_("You are logged in again and your answers are saved. Check them, then press "
            "Finish attempt."), "success")
    return target


# --- review -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One next step offered at the top of a review: a link, or a button that posts to
    ``url`` (``post``); ``primary`` for the main one."""

    label: str
    url: str
    post: bool = False
    primary: bool = False


def _next_steps(attempt: Attempt) -> tuple[str | None, list[Step]]:
    """``(note, steps)`` for the top of the owner's review: what to do now."""
    quiz = attempt.quiz
    course = quiz.course
    enrolment = attempt.enrolment
    course_url = _course_url(course)
    back = Step(_("Back to the course"), course_url)
    if quiz.kind == services.POSTTEST:
        if enrolment.completed_at is not None:
            from portal.progress.links import certificate_url

            steps = []
            link = certificate_url(progress_services.certificate_for(enrolment))
            if link:
                steps.append(Step(_("Download your certificate"), link, primary=True))
            steps.append(Step(_("Go to my learning"), url_for("progress.dashboard")))
            return None, steps
        refusal = services.start_refusal(enrolment, quiz)
        if refusal is None:
            return (_("Study the modules again where you were unsure, then try again."),
                    [Step(_("Start attempt %(number)s",
                            number=services.next_attempt_number(enrolment, quiz)),
                          url_for("quizzes.start", slug=course.slug, quiz_slug=quiz.slug),
                          post=True, primary=True),
                     Step(_("Review the modules"), course_url)])
        if refusal == "no_attempts_left":
            return (_("You have used all the attempts allowed for this post-test. Contact the "
                      "course instructor."), [back])
        return None, [back]
    if quiz.kind == services.PRETEST:
        module = progress_services.resume_module(enrolment)
        if module is not None:
            first = not progress_services.done_module_ids(enrolment)
            label = (_("Start module %(number)s: %(title)s", number=module.position,
                       title=module.title) if first
                     else _("Continue with: %(title)s", title=module.title))
            return None, [Step(label, _module_url(course, module), primary=True), back]
        return None, [Step(_("Back to the course"), course_url, primary=True)]
    steps = []
    if services.start_refusal(enrolment, quiz) is None:
        steps.append(Step(_("Try again"), url_for("quizzes.start", slug=course.slug,
                                                  quiz_slug=quiz.slug), post=True))
    steps.append(Step(_("Back to the course"), course_url, primary=True))
    return None, steps


@bp.get("/attempts/<public_id>/review")
@login_required
def review(public_id: str):
    """The graded attempt: at the top the result (passed or not for a post-test) and the
    next step; then what the quiz's review policy allows the learner to see now (their
    answers, right or wrong, marks, the right answers, the explanations; see
    :mod:`portal.quizzes.review`) and answers sent after the time limit, marked as not
    counted.

    Visible to its owner (by the policy), instructors and admins (everything; others: 404).
    An attempt still in progress has no review: its owner goes back to the take page.
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
    now = utcnow()
    if attempt.state == AttemptState.IN_PROGRESS and is_owner \
            and services.close_if_expired(attempt, now, _grace()):
        completion.complete_after_attempt(attempt, now)
        db.session.commit()
    if attempt.state == AttemptState.IN_PROGRESS:
        if is_owner:
            return redirect(url_for("quizzes.attempt", public_id=attempt.public_id))
        return render_template("quizzes/in_progress.html", attempt=attempt), 409
    quiz = attempt.quiz
    course = quiz.course
    passed = services.passed(attempt)
    show = services.review_options(attempt, now) if is_owner else EVERYTHING
    note, steps = _next_steps(attempt) if is_owner else (None, [])
    return render_template(
        "quizzes/review.html", attempt=attempt, quiz=quiz, course=course,
        items=services.review_items(attempt, show), show=show, is_owner=is_owner,
        key_later=options_for(quiz.kind, quiz.review_policy, "after_close").shows_key,
        passed=passed, percent=services.attempt_percent(attempt),
        completed=bool(passed) and enrolment.is_completed,
        next_note=note, next_steps=steps,
        grade=services.grade_that_counts(enrolment, quiz),
        closed_automatically=services.closed_automatically(attempt),
        kind_label=KIND_LABELS.get(quiz.kind, quiz.kind),
        grading_label=GRADING_LABELS.get(quiz.grading, quiz.grading),
        learner=enrolment.user, course_url=_course_url(course),
        quiz_url=url_for("quizzes.quiz", slug=course.slug, quiz_slug=quiz.slug),
    )
