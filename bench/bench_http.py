"""HTTP benchmark: the portal's pages against a bare Flask app, both served by gunicorn.

Both apps run under gunicorn with the same settings (``--workers 2``, sync workers, on
127.0.0.1). Load comes from ``wrk`` when it is installed, else from this script (several
processes, each with several threads, each sending requests back to back). Each page is
measured in rounds interleaved with the bare app (bare, page, bare, page, bare, page), and
reported as the median over rounds of the page's requests per second as a percentage of the
bare app's in the round just before it.

The portal runs on a fresh SQLite file (or ``--database-url``, e.g. a PostgreSQL database
that is dropped and refilled) with the shipped courses, a learner part-way through one
course and done with another, an instructor and an HR officer.

Usage: ``.venv/bin/python bench/bench_http.py [--seconds 3] [--rounds 3] [--clients 8]``
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET = "bench-http-" + "k" * 40


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(database_url: str, base_url: str) -> tuple[dict, dict]:
    """Fill the database; return ``(urls, cookies)``: each page's path and the session
    cookie of who asks for it."""
    os.environ.update({"PORTAL_ENV": "development", "SECRET_KEY": SECRET,
                       "DATABASE_URL": database_url, "PUBLIC_BASE_URL": base_url})
    from flask_migrate import upgrade
    from werkzeug.security import generate_password_hash

    from portal import create_app
    from portal.auth.models import User
    from portal.auth.sessions import stamp_for
    from portal.certificates.services import issue_certificate
    from portal.courses.importer import import_all
    from portal.courses.models import Course
    from portal.extensions import db
    from portal.progress import services as progress
    from portal.timeutil import utcnow

    app = create_app()
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        import_all(Path(app.config["CONTENT_DIR"]))
        db.session.commit()
        users = {}
        for i, (role, name) in enumerate([("peserta", "Rina Marlina"),
                                          ("instructor", "Ahmad Fauzi"), ("hr", "Dewi Lestari")]):
            users[role] = User(nip=f"19860926201505100{i + 1}",
                               email=f"bench{i}@jambiprov.go.id",
                               password_hash=generate_password_hash("x", "pbkdf2:sha256:1"),
                               full_name=name, pangkat_golongan="Penata, III/c",
                               jabatan="Analis", role=role)
            db.session.add(users[role])
        db.session.flush()
        done, going = db.session.scalars(db.select(Course).order_by(Course.slug)).all()[:2]
        now = utcnow()
        learner = users["peserta"]
        enrolment = progress.enrol(learner, done)
        for module in done.modules:
            progress.record_visit(enrolment, module, now - timedelta(hours=3))
            progress.mark_module_done(enrolment, module, now)
        enrolment.completed_at = now - timedelta(minutes=1)
        certificate = issue_certificate(enrolment)
        mid = progress.enrol(learner, going)
        first = going.modules[0]
        progress.record_visit(mid, first, now - timedelta(hours=3))
        progress.mark_module_done(mid, first, now)
        db.session.commit()
        urls = {
            "module page": ("peserta", f"/courses/{going.slug}/modules/{going.modules[1].slug}"),
            "course page": ("peserta", f"/courses/{going.slug}"),
            "dashboard": ("peserta", "/dashboard"),
            "/teaching": ("instructor", "/teaching"),
            "HR search": ("hr", f"/hr/certificates?q={learner.full_name.split()[0]}"),
        }
        serializer = app.session_interface.get_signing_serializer(app)
        cookies = {}
        for role, user in users.items():
            session = {"_user_id": str(user.id), "_fresh": True, **stamp_for(user, utcnow())}
            cookies[role] = f"{app.config['SESSION_COOKIE_NAME']}={serializer.dumps(session)}"
        db.engine.dispose()
    return urls, cookies


def _start(args: list[str], port: int, cwd: Path, env: dict) -> subprocess.Popen:
    process = subprocess.Popen(
        [GUNICORN, "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
         *args], cwd=cwd, env=env)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"gunicorn on port {port} did not start")


def _worker(port: int, path: str, cookie: str, seconds: float, threads: int, queue) -> None:
    """One load process: ``threads`` threads sending GETs for ``seconds``; puts the count
    of 200 answers on ``queue``."""
    counts = [0] * threads
    stop = time.perf_counter() + seconds
    headers = {"Cookie": cookie} if cookie else {}

    def run(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    raise SystemExit(f"{path}: HTTP {response.status}")
                counts[index] += 1
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    pool = [threading.Thread(target=run, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    queue.put(sum(counts))


def requests_per_second(port: int, path: str, cookie: str, seconds: float,
                        clients: int) -> float:
    """Requests per second of ``path`` under ``clients`` concurrent clients (wrk when
    installed, else two load processes of ``clients // 2`` threads)."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", f"-c{clients}", f"-d{int(seconds)}s",
                   f"http://127.0.0.1:{port}{path}"]
        if cookie:
            command[1:1] = ["-H", f"Cookie: {cookie}"]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    queue = multiprocessing.Queue()
    processes = [multiprocessing.Process(
        target=_worker, args=(port, path, cookie, seconds, max(1, clients // 2), queue))
        for _ in range(2)]
    for process in processes:
        process.start()
    total = sum(queue.get() for _ in processes)
    for process in processes:
        process.join()
    return total / seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="length of a round")
    parser.add_argument("--rounds", type=int, default=3, help="A B pairs per page")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="portal-http-bench-"))
    database_url = args.database_url or f"sqlite:///{tmp}/bench.sqlite3"
    portal_port, bare_port = _free_port(), _free_port()
    base_url = f"http://127.0.0.1:{portal_port}"
    urls, cookies = prepare(database_url, base_url)
    env = {**os.environ, "PORTAL_ENV": "development", "SECRET_KEY": SECRET,
           "DATABASE_URL": database_url, "PUBLIC_BASE_URL": base_url}
    servers = [_start(["wsgi:app"], portal_port, ROOT, env),
               _start(["bare_app:app"], bare_port, ROOT / "bench", env)]
    try:
        for _ in range(2):  # warm both
            requests_per_second(bare_port, "/", "", 1, args.clients)
        print(f"gunicorn --workers 2 (sync), {args.clients} clients, "
              f"{'wrk' if shutil.which('wrk') else 'Python load generator'}, "
              f"{args.rounds} rounds of {args.seconds:g} s, database "
              f"{database_url.split(':', 1)[0]}")
        print(f"{'page':14} {'bare req/s':>11} {'page req/s':>11} {'% of bare (median)':>19}")
        for label, (role, path) in urls.items():
            cookie = cookies[role]
            requests_per_second(portal_port, path, cookie, 1, args.clients)  # warm
            bares, pages, ratios = [], [], []
            for _ in range(args.rounds):
                bare = requests_per_second(bare_port, "/", "", args.seconds, args.clients)
                page = requests_per_second(portal_port, path, cookie, args.seconds,
                                           args.clients)
                bares.append(bare)
                pages.append(page)
                ratios.append(100 * page / bare)
            print(f"{label:14} {statistics.median(bares):11.0f} {statistics.median(pages):11.0f}"
                  f" {statistics.median(ratios):18.1f}%   (rounds: "
                  f"{', '.join(f'{r:.1f}' for r in ratios)})")
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
