"""A configuration error is one clear line and a non-zero exit: on the ``flask`` command, on
importing ``wsgi`` and under a WSGI server (gunicorn), never a traceback.

Each command runs in a fresh process, in an empty folder (so no ``.env`` is found), with
only the settings given.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.factories import ROOT

BIN = ROOT / ".venv" / "bin"
PYTHON = sys.executable
MISSING = "Configuration error: SECRET_KEY is not set"


def run(args: list[str], cwd, timeout: int = 90, **settings: str):
    """Run ``args`` with a bare environment plus ``settings``; the CompletedProcess.

    coreutils' ``timeout`` bounds the run: Python's own timed waits sleep, and a sleep fails
    with EINVAL under the libfaketime pass of ``.ci/run``.
    """
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd),
           "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), **settings}
    return subprocess.run(["timeout", "-k", "10", str(timeout), *args], cwd=cwd, env=env,
                          capture_output=True, text=True, stdin=subprocess.DEVNULL,
                          start_new_session=True)


def flask_command() -> list[str]:
    return [PYTHON, "-m", "flask", "--app", str(ROOT / "wsgi.py")]


@pytest.mark.parametrize("settings, expected", [
    ({}, MISSING),
    ({"PORTAL_ENV": "production", "SECRET_KEY": "kunci"},
     "Configuration error: SECRET_KEY is too short"),
    ({"PORTAL_ENV": "prod"}, "Configuration error: PORTAL_ENV must be production, "
                             "development or testing, got 'prod'."),
    ({"PORTAL_ENV": "development", "QUIZ_GRACE_SECONDS": "tiga puluh"},
     "Configuration error: QUIZ_GRACE_SECONDS must be a whole number, got 'tiga puluh'."),
    ({"PORTAL_ENV": "development", "QUIZ_GRACE_SECONDS": "-5"},
     "Configuration error: QUIZ_GRACE_SECONDS must be 0 or more, got '-5'."),
    ({"PORTAL_ENV": "development", "SESSION_IDLE_MINUTES": "0"},
     "Configuration error: SESSION_IDLE_MINUTES must be 1 or more, got '0'."),
    ({"PORTAL_ENV": "development", "SESSION_MAX_HOURS": "12h"},
     "Configuration error: SESSION_MAX_HOURS must be a whole number, got '12h'."),
    ({"PORTAL_ENV": "development", "MINUTES_PER_JP_KLASIKAL": "-45"},
     "Configuration error: MINUTES_PER_JP_KLASIKAL must be 1 or more, got '-45'."),
    ({"PORTAL_ENV": "development", "DATABASE_URL": "postgresql://portal:rahasia@db:5432x/p"},
     "Configuration error: DATABASE_URL is not a database address"),
    ({"PORTAL_ENV": "development", "DATABASE_URL": "localhost/portal"},
     "Configuration error: DATABASE_URL is not a database address"),
    ({"PORTAL_ENV": "development", "DATABASE_URL": "mysql://portal@db/portal"},
     "Configuration error: DATABASE_URL must be a PostgreSQL or SQLite address"),
    ({"PORTAL_ENV": "development", "RATELIMIT_STORAGE_URI": "127.0.0.1:6379"},
     "Configuration error: RATELIMIT_STORAGE_URI must be memory:// or a storage address"),
    ({"PORTAL_ENV": "development", "RATELIMIT_STORAGE_URI": "redsi://127.0.0.1:6379"},
     "Configuration error: RATELIMIT_STORAGE_URI must be memory:// or a storage address"),
    ({"PORTAL_ENV": "development", "PORTAL_TIMEZONE": "WIB"},
     "Configuration error: PORTAL_TIMEZONE must be a time zone name such as Asia/Jakarta"),
    ({"PORTAL_ENV": "development", "PORTAL_TIMEZONE": "Asia/Jakartaa"},
     "Configuration error: PORTAL_TIMEZONE must be a time zone name such as Asia/Jakarta"),
    ({"PORTAL_ENV": "production", "SECRET_KEY": "4f9c1d7e2b8a6035c1e9f4a7d2b06e8c",
      "PUBLIC_BASE_URL": "https://portal.bpsdm.jambiprov.go.id"},
     "Configuration error: CERT_SIGNATORY_NIP must be the 18-digit NIP"),
])
def test_the_flask_command_prints_one_line_and_exits_non_zero(tmp_path, settings, expected):
    result = run([*flask_command(), "db", "upgrade"], tmp_path, **settings)
    assert result.returncode == 4
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(expected)
    assert "Traceback" not in result.stdout + result.stderr
    assert "rahasia" not in result.stderr  # a database password is never printed


def test_every_readme_command_family_gets_the_same_line(tmp_path):
    for args in (["content", "check"], ["users", "create", "--role", "hr", "--email",
                                        "hr@example.go.id", "--name", "Nama"],
                 ["demo", "setup"], ["run", "--port", "0"]):
        result = run([*flask_command(), *args], tmp_path)
        assert result.returncode == 4, args
        assert result.stderr.strip().startswith(MISSING), args
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_importing_wsgi_prints_one_line_and_exits_non_zero(tmp_path):
    result = run([PYTHON, "-c", "import wsgi"], tmp_path)
    assert result.returncode == 4
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(MISSING)


def test_gunicorn_with_preload_prints_only_the_line_and_exits_4(tmp_path):
    """As the README says to run it: the master loads the app once, before any worker."""
    result = run([str(BIN / "gunicorn"), "--preload", "--bind", "127.0.0.1:0", "--workers",
                  "3", "--chdir", str(tmp_path), "wsgi:app"], tmp_path, timeout=120)
    assert result.returncode == 4
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert result.stderr.startswith(MISSING)


def test_gunicorn_without_preload_prints_the_line_and_stops_instead_of_restarting(tmp_path):
    """A worker's exit status 4 is gunicorn's "App failed to load": it stops rather than
    starting workers again and again. (With several workers and no --preload, gunicorn
    itself may add a traceback of its own HaltServer while stopping.)"""
    result = run([str(BIN / "gunicorn"), "--bind", "127.0.0.1:0", "--chdir", str(tmp_path),
                  "wsgi:app"], tmp_path, timeout=120)
    assert result.returncode == 4
    ours = [line for line in result.stderr.splitlines() if not line.startswith("[")]
    assert ours == [result.stderr[result.stderr.index(MISSING):].splitlines()[0]]
    assert "Traceback" not in result.stderr
    assert "App failed to load." in result.stderr


def test_a_correct_production_config_starts(tmp_path):
    result = run([*flask_command(), "routes"], tmp_path, PORTAL_ENV="production",
                 SECRET_KEY="4f9c1d7e2b8a6035c1e9f4a7d2b06e8c",
                 PUBLIC_BASE_URL="https://portal.bpsdm.jambiprov.go.id",
                 CERT_SIGNATORY_NIP="19700101 199503 1 001")
    assert result.returncode == 0, result.stderr
    assert "/verify/<code>" in result.stdout
