"""``flask demo setup``: one demo account per role and a PPPK learner of a kabupaten, and a
needs survey with 30 answers (:mod:`portal.needs.demo`), for a local try-out of the portal.

Only allowed when ``PORTAL_ENV`` is ``development`` or ``testing``: the demo password is
public. Idempotent: accounts that already exist (by email) are left exactly as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from portal.auth.models import Role
from portal.auth.nip import format_nip
from portal.auth.opd import find_opd
from portal.auth.services import create_user, find_by_email, nip_taken
from portal.extensions import db
from portal.needs.demo import ensure_demo_needs_survey
from portal.timeutil import utcnow

DEMO_PASSWORD = "Demo-Jambi-2026"
"""The password of every demo account (public; development and testing only)."""

ALLOWED_ENVS = ("development", "testing")


@dataclass(frozen=True)
class DemoAccount:
    """One demo account. ``opd_code`` is an :class:`portal.auth.models.Opd` code in the
    agency with code ``agency_code`` (default: the province); the NIP or NI PPPK is valid
    (birth date, appointment, gender digit)."""

    role: Role
    email: str
    nip: str
    name_prefix: str
    full_name: str
    name_suffix: str
    pangkat_golongan: str
    jabatan: str
    opd_code: str
    agency_code: str = "15"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount(Role.PESERTA, "rina.marlina@example.com", "199003142015032001",
                "", "Rina Marlina", "S.E.", "Penata Muda Tk. I, III/b",
                "Pranata Komputer Ahli Pertama", "DISKOMINFO"),
    DemoAccount(Role.INSTRUCTOR, "hendra.saputra@example.com", "197805122003121002",
                "Dr.", "Hendra Saputra", "M.Pd.", "Pembina Tk. I, IV/b",
                "Widyaiswara Ahli Madya", "BPSDM"),
    DemoAccount(Role.HR, "dewi.kartika@example.com", "198507212010012003",
                "", "Dewi Kartika Sari", "S.Psi., M.M.", "Penata Tk. I, III/d",
                "Analis Sumber Daya Manusia Aparatur Ahli Muda", "BKD"),
    DemoAccount(Role.ADMIN, "ahmad.fauzi@example.com", "198811042014031004",
                "", "Ahmad Fauzi", "S.Kom.", "Penata, III/c",
                "Pranata Komputer Ahli Muda", "BPSDM"),
    DemoAccount(Role.PESERTA, "sri.wahyuni@example.com", "198208282023212004",
                "", "Sri Wahyuni", "S.Pd.", "PPPK Golongan IX",
                "Guru Ahli Pertama", "DISDIK", "15.05"),
)
"""One account per role, plus a learner with an NI PPPK at a kabupaten (Muaro Jambi)."""

demo_cli = AppGroup("demo", help="Demo data for a local try-out (development and testing only).")


def ensure_demo_accounts() -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts that do not exist yet (flushed, not committed).

    Returns:
        ``(account, state)`` pairs; state is ``created``, ``exists`` (same email, left
        unchanged) or ``nip-taken`` (another account holds the NIP; nothing created).
    """
    results = []
    for account in DEMO_ACCOUNTS:
        if find_by_email(account.email) is not None:
            results.append((account, "exists"))
            continue
        if nip_taken(account.nip):
            results.append((account, "nip-taken"))
            continue
        opd = find_opd(account.opd_code, account.agency_code)
        create_user(email=account.email, password=DEMO_PASSWORD, full_name=account.full_name,
                    nip=account.nip, name_prefix=account.name_prefix,
                    name_suffix=account.name_suffix, pangkat_golongan=account.pangkat_golongan,
                    jabatan=account.jabatan, opd_id=opd.id if opd else None, role=account.role)
        results.append((account, "created"))
    return results


@demo_cli.command("setup")
def setup_command() -> None:
    """Create one demo account per role (and a PPPK learner) and print the logins with the portal's address
    (``PUBLIC_BASE_URL``, which ``make run`` sets to the address it serves).

    \f
    Raises:
        click.ClickException: ``PORTAL_ENV`` is not ``development`` or ``testing``.
    """
    env = current_app.config.get("PORTAL_ENV")
    if env not in ALLOWED_ENVS:
        raise click.ClickException(
            f"Refusing to create demo accounts: PORTAL_ENV is {env!r}. Demo accounts have a "
            "public password and exist only with PORTAL_ENV=development or testing.")
    results = ensure_demo_accounts()
    needs_state = ensure_demo_needs_survey(DEMO_PASSWORD, utcnow())
    db.session.commit()

    click.echo(f"Portal Pembinaan ASN: open {current_app.config['PUBLIC_BASE_URL']}")
    click.echo("Demo logins (log in with the email or the NIP):")
    rows = [("email", "NIP / NI PPPK", "password", "role", "state")]
    for account, state in results:
        rows.append((account.email, format_nip(account.nip), DEMO_PASSWORD,
                     account.role.value, state))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for index, row in enumerate(rows):
        click.echo("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if index == 0:
            click.echo("  " + "  ".join("-" * width for width in widths))
    click.echo(f"Needs survey with 30 answers (log in as admin, menu Needs analysis): {needs_state}")
    if any(state == "exists" for _account, state in results):
        click.echo("Existing demo accounts were left unchanged (their password too).")


def register_cli(app: Flask) -> None:
    """Attach ``flask demo`` to ``app`` (called by :func:`portal.cli.register`)."""
    app.cli.add_command(demo_cli)
