"""Page and certificate benchmarks, as ratios against a bare Flask endpoint.

Runs in one process on this machine, through the WSGI test client (no network): each page
is timed interleaved with a bare Flask app answering ``ok`` (bare, page, bare, page, ...),
and each page's time is reported as the median of its ratios to the bare request timed
just before it, so a machine busy with other work slows both sides of every pair. The
certificate PDF render is timed separately (WeasyPrint dominates it). Over HTTP with
gunicorn, see ``bench/bench_http.py``.

Usage: ``.venv/bin/python bench/bench_pages.py [--requests 200] [--pdfs 5]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "testing")


def _interleaved(bare, client, url: str, n: int) -> tuple[float, float]:
    """``(median page ms, median ratio page / bare)`` over ``n`` pairs: a bare request,
    then the page, alternately (after 5 warm-up requests of each)."""
    for _ in range(5):
        assert bare.get("/").status_code == 200
        assert client.get(url).status_code == 200, url
    pages, ratios = [], []
    for _ in range(n):
        start = time.perf_counter()
        bare.get("/")
        middle = time.perf_counter()
        response = client.get(url)
        end = time.perf_counter()
        assert response.status_code == 200, url
        pages.append((end - middle) * 1000)
        ratios.append((end - middle) / (middle - start))
    return statistics.median(pages), statistics.median(ratios)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pdfs", type=int, default=5)
    args = parser.parse_args()

    from flask import Flask
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from portal import create_app
    from portal.auth.models import User
    from portal.auth.sessions import stamp_for
    from portal.certificates.pdf import render_certificate_pdf
    from portal.certificates.services import issue_certificate
    from portal.courses.importer import import_all
    from portal.courses.models import Course
    from portal.extensions import db
    from portal.progress import services as progress
    from portal.timeutil import utcnow

    bare = Flask("bare")
    bare.add_url_rule("/", "index", lambda: "ok")

    tmp = tempfile.mkdtemp(prefix="portal-bench-")
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite3",
        "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
        "CONTENT_DIR": str(ROOT / "content"), "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
    })
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        import_all(Path(app.config["CONTENT_DIR"]))
        db.session.commit()
        user = User(nip="198609262015051001", email="bench@jambiprov.go.id",
                    password_hash=generate_password_hash("bench-password"),
                    full_name="Rina Marlina", name_suffix="S.E.",
                    pangkat_golongan="Penata, III/c", jabatan="Analis", role="peserta")
        db.session.add(user)
        db.session.commit()
        course = db.session.scalars(db.select(Course).order_by(Course.slug)).first()
        enrolment = progress.enrol(user, course)
        for module in course.modules:
            progress.record_visit(enrolment, module, utcnow() - timedelta(hours=2))
            progress.mark_module_done(enrolment, module, utcnow())
        enrolment.completed_at = utcnow() - timedelta(minutes=1)
        certificate = issue_certificate(enrolment)
        db.session.commit()
        user_id, slug, module_slug, code = user.id, course.slug, course.modules[0].slug, certificate.code
        stamp = stamp_for(user, utcnow())  # a login session, as sessions.start makes it

        # A second learner mid-course: a submitted pre-test, a post-test attempt in progress.
        from portal.quizzes import services as quizzes

        learner = User(nip="198609262015051002", email="bench2@jambiprov.go.id",
                       password_hash=user.password_hash, full_name="Budi Santoso",
                       pangkat_golongan="Penata, III/c", jabatan="Analis", role="peserta")
        db.session.add(learner)
        db.session.flush()
        mid = progress.enrol(learner, course)
        for module in course.modules:
            progress.record_visit(mid, module, utcnow() - timedelta(hours=2))
            progress.mark_module_done(mid, module, utcnow())
        pretest = quizzes.quiz_for(mid, "pretest")
        submitted = quizzes.start_attempt(mid, pretest, utcnow())
        quizzes.submit_attempt(submitted, utcnow(), 30)
        open_attempt = quizzes.start_attempt(mid, quizzes.quiz_for(mid, "posttest"), utcnow())
        db.session.commit()
        learner_id, review_id, take_id = learner.id, submitted.public_id, open_attempt.public_id
        learner_stamp = stamp_for(learner, utcnow())

        pdf_times = []
        for _ in range(args.pdfs):
            start = time.perf_counter()
            pdf = render_certificate_pdf(certificate)
            pdf_times.append((time.perf_counter() - start) * 1000)

    client = app.test_client()
    with client.session_transaction() as sess:
        sess["_user_id"] = str(user_id)
        sess["_fresh"] = True
        sess.update(stamp)

    quiz_client = app.test_client()
    with quiz_client.session_transaction() as sess:
        sess["_user_id"] = str(learner_id)
        sess["_fresh"] = True
        sess.update(learner_stamp)

    bare_client = bare.test_client()
    rows = []
    for label, url, who in [
        ("/healthz", "/healthz", client),
        ("catalogue /courses", "/courses", client),
        ("course page", f"/courses/{slug}", client),
        ("module page (logged in)", f"/courses/{slug}/modules/{module_slug}", client),
        ("dashboard (logged in)", "/dashboard", client),
        ("public verification", f"/verify/{code}", client),
        ("quiz page (post-test)", f"/courses/{slug}/quizzes/posttest", quiz_client),
        ("take page (post-test)", f"/attempts/{take_id}", quiz_client),
        ("confirmation page", f"/attempts/{take_id}/confirm", quiz_client),
        ("review (pre-test)", f"/attempts/{review_id}/review", quiz_client),
    ]:
        rows.append((label, *_interleaved(bare_client, who, url, args.requests)))

    print(f"{'endpoint':32} {'median ms':>10} {'× bare':>8} {'% of bare':>10}")
    for label, ms, ratio in rows:
        print(f"{label:32} {ms:10.3f} {ratio:8.1f} {100 / ratio:9.1f}%")
    print(f"certificate PDF render: median {statistics.median(pdf_times):.0f} ms over "
          f"{args.pdfs} renders, {len(pdf) / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
