"""Every command in the README runs as written on a fresh copy of the repository.

The copy holds the repository's files without ``.venv``, ``.env``, ``instance/`` or compiled
catalogues, as a clone does; its ``.venv`` is a link to this checkout's (already set up, so
nothing is installed). The commands run in the order a newcomer meets them, with no setting
in the environment: ``make run`` first (on a free port, then stopped), then each command of
the README's shell blocks. Only these change, and the test says where:

- the port of ``make run PORT=...`` (a free one: the written port may be taken here);
- the database name of the PostgreSQL suite command (another run may be using it), and
  ``PYTEST_ADDOPTS`` narrows that command to one test (the whole suite is CI's job);
- ``make test`` is not run (it is the command that runs this test; ``.ci/run`` runs it).
"""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.factories import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
STAMP = ROOT / ".venv" / ".installed-stamp"
CLONE_IGNORE = shutil.ignore_patterns(
    ".venv", ".env", "instance", ".git", "__pycache__", ".pytest_cache", "*.mo", "*.pyc",
    "*.egg-info", "results", "node_modules", "messages.pot")
PASSWORD = "Rahasia-Jambi-2026"


def readme_commands() -> list[str]:
    """Every command line of the README's ``sh`` blocks, comments removed, in order."""
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", README, re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if command:
                commands.append(command)
    return commands


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    """A fresh copy of the repository whose ``.venv`` is this checkout's."""
    assert STAMP.is_file(), "set up this checkout first: make setup"
    target = tmp_path_factory.mktemp("clone") / "portal"
    shutil.copytree(ROOT, target, ignore=CLONE_IGNORE, symlinks=True)
    (target / ".venv").symlink_to(ROOT / ".venv")
    # The copy's pyproject.toml is no newer than the shared install, so make installs nothing
    # (an install from the copy would point this checkout's editable install at it).
    stamp_time = STAMP.stat().st_mtime - 1
    os.utime(target / "pyproject.toml", (stamp_time, stamp_time))
    return target


@pytest.fixture(scope="module")
def bare_env(clone) -> dict[str, str]:
    """No portal setting, no Flask variable: what a newcomer's shell has."""
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(clone.parent),
            "LANG": "C.UTF-8", "TMPDIR": str(clone.parent)}


def bounded(command: str, seconds: int) -> list[str]:
    """``command`` for the shell, killed after ``seconds`` by coreutils' ``timeout``.

    The test never waits with a timeout of its own: Python's timed waits sleep, and a sleep
    fails with EINVAL under the libfaketime pass of ``.ci/run``.
    """
    return ["timeout", "-k", "10", str(seconds), "sh", "-c", command]


def start(command: str, cwd: Path, env: dict[str, str]) -> subprocess.Popen:
    """Start a shell command (at most 5 minutes) in its own process group."""
    return subprocess.Popen(bounded(command, 300), cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)


def read_until(process: subprocess.Popen, text: str) -> list[str]:
    """The process's output lines up to the first one holding ``text``; later lines keep
    being read (and kept) by a thread so the process never blocks on a full pipe."""
    lines: list[str] = []
    for line in process.stdout:
        lines.append(line.rstrip("\n"))
        if text in line:
            break
    else:
        raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(lines))

    def drain():
        for rest in process.stdout:
            lines.append(rest.rstrip("\n"))

    threading.Thread(target=drain, daemon=True).start()
    return lines


def stop(process: subprocess.Popen) -> None:
    """Stop the whole process group (make, flask run and its server)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    process.wait()


def log_in(base_url: str, identifier: str, password: str) -> str:
    """Log in through the real login form (CSRF on); the URL the portal lands on."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    page = opener.open(f"{base_url}/login", timeout=30).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": html.unescape(token),
                                   "identifier": identifier, "password": password}).encode()
    response = opener.open(f"{base_url}/login", data=form, timeout=30)
    assert response.status == 200
    return response.url


def test_the_readme_lists_the_commands_this_test_runs():
    commands = readme_commands()
    assert commands[:2] == ["make run", "make test"]
    assert any(c.startswith("make run PORT=") for c in commands)
    assert sum("flask --app wsgi" in c for c in commands) == 9
    assert any("pytest" in c and "TEST_DATABASE_URL=" in c for c in commands)
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_every_readme_command_runs_as_written_after_make_run(clone, bare_env):
    commands = readme_commands()
    run_on_port = next(c for c in commands if c.startswith("make run PORT="))
    port = free_port()
    command = re.sub(r"PORT=\d+", f"PORT={port}", run_on_port)
    url = f"http://127.0.0.1:{port}"
    process = start(command, clone, bare_env)
    lines: list[str] = []
    try:
        lines = read_until(process, f"Running on {url}")
        output = "\n".join(lines)
        assert f"Portal Pembinaan ASN: open {url}" in output  # the printed URL is the served one
        with urllib.request.urlopen(f"{url}/healthz", timeout=30) as response:
            assert response.read() == b"ok"
        # The printed demo logins work on the printed address.
        email, password = re.search(r"^\s+(\S+@example\.com)\s+.*?\s(\S+)\s+peserta\s",
                                    output, re.M).groups()
        assert log_in(url, email, password).endswith("/dashboard")
    finally:
        stop(process)
    assert (clone / ".env").is_file() and "SECRET_KEY=" in (clone / ".env").read_text()
    assert "Traceback" not in "\n".join(lines)

    for command in commands:
        if command.startswith("make run") or command == "make test":
            continue  # make run ran above; make test runs this test (.ci/run runs it)
        env = dict(bare_env)
        if "pytest" in command:
            command = re.sub(r"(postgresql\+psycopg://[^/\s]+/)\w+",
                             rf"\g<1>readme_{os.getpid()}", command)
            env["PYTEST_ADDOPTS"] = "-p no:cacheprovider tests/test_app.py::test_health_check"
        result = subprocess.run(bounded(command, 300), cwd=clone, env=env, text=True,
                                capture_output=True, input=f"{PASSWORD}\n{PASSWORD}\n",
                                start_new_session=True)
        output = result.stdout + result.stderr
        assert result.returncode == 0, f"{command}\n{output}"
        assert "Traceback" not in output, f"{command}\n{output}"
        if "users create" in command:
            assert "hr@example.go.id" in output
        if "pytest" in command:
            assert "1 passed" in output
