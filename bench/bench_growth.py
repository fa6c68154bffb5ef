"""Growth benchmark: the teaching overview, the HR register search and a learner's dashboard
at about 200 and at about 20,000 learners, on PostgreSQL, reported as the ratio of their
median times (goal: at most 1.5, the page costing about the same whatever the size).

Each size is a fresh database (``<name>_growth``, dropped and created on the server of
``--database-url``), migrated, with the shipped courses imported, then filled in bulk
(``executemany`` of plain rows, not the services one by one): every learner enrolled in
both shipped courses with a pre- and a post-test attempt, half of them completed with a
certificate. The pages are timed through the WSGI test client (no network).

Usage: ``.venv/bin/python bench/bench_growth.py --database-url
postgresql+psycopg://postgres@127.0.0.1:5432/bench [--small 200] [--large 20000]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("PORTAL_ENV", "testing")


def _recreate(url) -> None:
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                             "WHERE datname = :n AND pid <> pg_backend_pid()"),
                     {"n": url.database})
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{url.database}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


def fill(db, learners: int) -> dict:
    """Insert ``learners`` learners with their enrolments, attempts and certificates in
    bulk; return the ids the pages need."""
    from portal.auth.models import Opd, User
    from portal.certificates.models import Certificate
    from portal.courses.models import Course
    from portal.progress.models import Enrolment
    from portal.quizzes.models import Attempt, Quiz
    from portal.timeutil import utcnow

    now = utcnow()
    opd = db.session.scalars(sa.select(Opd).order_by(Opd.id)).first()
    courses = db.session.scalars(sa.select(Course).order_by(Course.slug)).all()[:2]
    quizzes = {(q.course_id, q.kind): q.id for q in db.session.scalars(sa.select(Quiz))}
    names = ["Budi Santoso", "Siti Rahmawati", "Ahmad Fauzi", "Dewi Lestari", "Rina Marlina"]
    db.session.execute(sa.insert(User), [
        {"nip": f"{1970 + i // 1000:04d}0101" "201505" "1" f"{i % 1000:03d}",
         "email": f"learner{i}@jambiprov.go.id", "password_hash": "x",
         "full_name": f"{names[i % len(names)]} {i}", "opd_id": opd.id, "role": "peserta",
         "pangkat_golongan": "Penata, III/c", "jabatan": "Analis", "session_version": 0,
         "created_at": now, "name_prefix": "", "name_suffix": "", "is_active_account": True}
        for i in range(learners)])
    users = db.session.execute(sa.select(User.id, User.full_name, User.nip)
                               .where(User.email.like("learner%"))).all()
    db.session.execute(sa.insert(Enrolment), [
        {"user_id": u.id, "course_id": c.id, "enrolled_at": now - timedelta(days=10),
         "completed_at": now - timedelta(days=1) if u.id % 2 else None,
         "final_grade": 80.0 if u.id % 2 else None}
        for u in users for c in courses])
    enrolments = db.session.execute(
        sa.select(Enrolment.id, Enrolment.user_id, Enrolment.course_id,
                  Enrolment.completed_at)).all()
    attempts = []
    for e in enrolments:
        for kind, score in (("pretest", 40.0 + e.id % 30), ("posttest", 70.0 + e.id % 30)):
            attempts.append({
                "public_id": f"{e.id:016x}{kind == 'pretest':016x}", "enrolment_id": e.id,
                "quiz_id": quizzes[(e.course_id, kind)], "number": 1, "state": "finished",
                "question_ids": [], "answers": {}, "marks": {}, "points": score / 10,
                "max_points": 10.0, "score": score, "started_at": now - timedelta(days=2),
                "submitted_at": now - timedelta(days=2)})
    db.session.execute(sa.insert(Attempt), attempts)
    by_user = {u.id: u for u in users}
    db.session.execute(sa.insert(Certificate), [
        {"code": f"C{e.id:019d}", "number": f"{e.id:06d}/BPSDM-JBI/{e.course_id}/2026",
         "enrolment_id": e.id, "user_id": e.user_id, "issued_at": e.completed_at,
         "holder_name": by_user[e.user_id].full_name, "holder_nip": by_user[e.user_id].nip,
         "status": "valid",
         "snapshot": {"name": by_user[e.user_id].full_name, "nip": by_user[e.user_id].nip,
                      "unit_kerja": "Dinas", "instansi": "Pemerintah Provinsi Jambi",
                      "course_title": "Kursus", "completed_on_text": "1 Desember 2026"}}
        for e in enrolments if e.completed_at is not None])
    db.session.commit()
    return {"learner": users[len(users) // 2].id, "query": "santoso"}


def _median_ms(client, url: str, n: int) -> float:
    for _ in range(3):
        assert client.get(url).status_code == 200, url
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, url
    return statistics.median(samples)


def measure(database_url: str, learners: int, n: int) -> dict[str, float]:
    """Median ms of each page at ``learners`` learners."""
    from flask_migrate import upgrade

    from portal import create_app
    from portal.auth.models import User
    from portal.auth.sessions import stamp_for
    from portal.courses.importer import import_all
    from portal.extensions import db
    from portal.timeutil import utcnow

    url = make_url(database_url)
    _recreate(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "bench",
                      "PUBLIC_BASE_URL": "http://127.0.0.1:5000", "WTF_CSRF_ENABLED": False,
                      "CONTENT_DIR": str(ROOT / "content")})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        import_all(ROOT / "content")
        db.session.commit()
        ids = fill(db, learners)
        staff = {}
        for role in ("instructor", "hr"):
            user = User(nip=None, email=f"{role}@jambiprov.go.id", password_hash="x",
                        full_name=role.title(), role=role)
            db.session.add(user)
            db.session.flush()
            staff[role] = user
        db.session.commit()
        db.session.execute(sa.text("ANALYZE"))
        db.session.commit()
        who = {"peserta": db.session.get(User, ids["learner"]), **staff}
        clients = {}
        for role, user in who.items():
            client = app.test_client()
            with client.session_transaction() as sess:
                sess.update({"_user_id": str(user.id), "_fresh": True,
                             **stamp_for(user, utcnow())})
            clients[role] = client
    pages = {"/teaching": ("instructor", "/teaching"),
             "HR search": ("hr", f"/hr/certificates?q={ids['query']}"),
             "HR register": ("hr", "/hr/certificates"),
             "dashboard": ("peserta", "/dashboard")}
    result = {label: _median_ms(clients[role], path, n) for label, (role, path) in pages.items()}
    with app.app_context():
        db.engine.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL URL")
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--large", type=int, default=20000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    url = make_url(args.database_url)
    target = url.set(database=f"{url.database or 'bench'}_growth")
    target_url = target.render_as_string(hide_password=False)
    small = measure(target_url, args.small, args.requests)
    large = measure(target_url, args.large, args.requests)
    print(f"{'page':12} {f'{args.small} ms':>10} {f'{args.large} ms':>10} {'ratio':>7}")
    for label in small:
        print(f"{label:12} {small[label]:10.1f} {large[label]:10.1f} "
              f"{large[label] / small[label]:7.2f}")
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}"'))
    admin.dispose()


if __name__ == "__main__":
    main()
