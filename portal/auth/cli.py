"""``flask users ...``: create accounts, give and take roles, record supervisors.

Examples::

    flask users create --role admin --email operator@jambiprov.go.id --name "Ahmad Fauzi"
    flask users create --role peserta --email rina@jambiprov.go.id --name "Rina Marlina" \\
        --nip "19900314 201503 2 001" --password "at-least-10-chars"
    flask users add-role rina@jambiprov.go.id instructor     # she stays a learner too
    flask users remove-role rina@jambiprov.go.id instructor
    flask users set-supervisor 199003142015032001 197805122003121002   # NIP, atasan's NIP
    flask users clear-supervisor 199003142015032001
    flask users set-password rina@jambiprov.go.id      # a reset: asks for the new password
    flask users deactivate rina@jambiprov.go.id        # also ends every session at once
    flask users activate rina@jambiprov.go.id
    flask users end-sessions rina@jambiprov.go.id      # log the account out everywhere

Errors print a clear message and exit with status 1.
"""

from __future__ import annotations

import click
from email_validator import EmailNotValidError, validate_email
from flask import Flask
from flask.cli import AppGroup

from portal.auth.models import Role
from portal.auth.nip import InvalidNip, format_nip, nip_label, parse_nip
from portal.auth.services import MIN_PASSWORD_LENGTH, AccountError, add_role, create_user, \
    end_all_sessions, find_by_email, find_by_identifier, remove_role, set_active, \
    set_password, set_supervisor
from portal.extensions import db
from portal.printable import character_name, normalize_printed, unprintable_characters

ROLE_CHOICE = click.Choice([role.value for role in Role], case_sensitive=False)

users_cli = AppGroup("users", help="Manage portal accounts.")


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _account(email: str):
    user = find_by_email(email)
    if user is None:
        _fail(f"No account with the email address {email!r}.")
    return user


def _account_error_text(error: AccountError) -> str:
    return {
        "duplicate_nip": "An account with this NIP already exists.",
        "duplicate_email": "An account with this email address already exists.",
        "password_too_short": f"The password needs at least {MIN_PASSWORD_LENGTH} characters.",
        "unknown_role": "Unknown role.",
        "unknown_opd": "Unknown or inactive unit kerja.",
        "unprintable": "The text has a character a certificate cannot print.",
        "own_supervisor": "An account cannot be its own supervisor.",
    }.get(error.code, f"Refused: {error.code}.")


def _roles_text(user) -> str:
    return ", ".join(sorted(user.roles)) or "no role"


def _account_by_nip(nip: str):
    user = find_by_identifier(nip) if "@" not in nip else None
    if user is None:
        _fail(f"No account with the NIP {nip!r}.")
    return user


def _validate_nip(ctx, param, value):
    if not value:
        return None
    try:
        return parse_nip(value).value
    except InvalidNip as exc:
        raise click.BadParameter(str(exc)) from exc


def _printed_text(ctx, param, value):
    """Click callback: normalize a printed field and refuse characters a certificate cannot
    print, naming each (``U+1F600 GRINNING FACE``)."""
    text = normalize_printed(value)
    chars = unprintable_characters(text)
    if chars:
        names = "; ".join(character_name(ch) for ch in chars)
        raise click.BadParameter(f"a certificate cannot print {names}; remove or replace it.")
    return text


@users_cli.command("create")
@click.option("--role", required=True, type=ROLE_CHOICE, help="peserta, instructor, hr or admin.")
@click.option("--email", required=True, help="Email address (login and contact).")
@click.option("--name", "full_name", required=True, callback=_printed_text,
              help="Full name without titles, as printed on certificates.")
@click.option("--nip", default=None, callback=_validate_nip,
              help="18-digit NIP or NI PPPK (spaces allowed); optional for non-ASN accounts.")
@click.option("--password", default=None,
              help=f"At least {MIN_PASSWORD_LENGTH} characters; asked for when omitted.")
def create_command(role: str, email: str, full_name: str, nip: str | None,
                   password: str | None) -> None:
    """Create an account with the given role; every account is also a learner (peserta)."""
    if password is None:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        validate_email(email.strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        _fail(f"{email!r} is not an email address: {exc}")
    if not full_name.strip():
        _fail("The name must not be empty.")
    try:
        user = create_user(email=email, password=password, full_name=full_name, nip=nip,
                           role=role.lower())
    except AccountError as exc:
        db.session.rollback()
        _fail(_account_error_text(exc))
    db.session.commit()
    nip_text = f", {nip_label(user.nip)} {format_nip(user.nip)}" if user.nip else ""
    click.echo(f"Created account {user.email}{nip_text} with roles {_roles_text(user)}.")


@users_cli.command("add-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def add_role_command(email: str, role: str) -> None:
    """Give the account EMAIL the role ROLE beside the roles it holds."""
    user = _account(email)
    add_role(user, role.lower())
    db.session.commit()
    click.echo(f"{user.email}: roles {_roles_text(user)}.")


@users_cli.command("remove-role")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
def remove_role_command(email: str, role: str) -> None:
    """Take the role ROLE from the account EMAIL."""
    user = _account(email)
    remove_role(user, role.lower())
    db.session.commit()
    click.echo(f"{user.email}: roles {_roles_text(user)}.")


@users_cli.command("set-supervisor")
@click.argument("nip")
@click.argument("supervisor_nip")
def set_supervisor_command(nip: str, supervisor_nip: str) -> None:
    """Record the account SUPERVISOR_NIP as the atasan langsung (direct supervisor, who
    appraises performance: PP 30/2019, PermenPANRB 6/2022) of the account NIP."""
    user, supervisor = _account_by_nip(nip), _account_by_nip(supervisor_nip)
    try:
        set_supervisor(user, supervisor)
    except AccountError as exc:
        db.session.rollback()
        _fail(_account_error_text(exc))
    db.session.commit()
    click.echo(f"{format_nip(user.nip)}: supervisor {supervisor.display_name} "
               f"({format_nip(supervisor.nip)}).")


@users_cli.command("clear-supervisor")
@click.argument("nip")
def clear_supervisor_command(nip: str) -> None:
    """Record that the account NIP has no known supervisor."""
    user = _account_by_nip(nip)
    set_supervisor(user, None)
    db.session.commit()
    click.echo(f"{format_nip(user.nip)}: no supervisor.")


@users_cli.command("set-password")
@click.argument("email")
@click.option("--password", default=None,
              help=f"At least {MIN_PASSWORD_LENGTH} characters; asked for when omitted.")
def set_password_command(email: str, password: str | None) -> None:
    """Reset the password of the account EMAIL; every session of it ends."""
    user = _account(email)
    if password is None:
        password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    try:
        set_password(user, password)
    except AccountError as exc:
        db.session.rollback()
        _fail(_account_error_text(exc))
    db.session.commit()
    click.echo(f"{user.email}: password reset; every session of the account has ended.")


@users_cli.command("deactivate")
@click.argument("email")
def deactivate_command(email: str) -> None:
    """Deactivate the account EMAIL: no login, and every session of it ends at once."""
    user = _account(email)
    set_active(user, False)
    db.session.commit()
    click.echo(f"{user.email}: deactivated; every session of the account has ended.")


@users_cli.command("activate")
@click.argument("email")
def activate_command(email: str) -> None:
    """Let the account EMAIL log in again."""
    user = _account(email)
    set_active(user, True)
    db.session.commit()
    click.echo(f"{user.email}: active.")


@users_cli.command("end-sessions")
@click.argument("email")
def end_sessions_command(email: str) -> None:
    """Log the account EMAIL out everywhere (e.g. after a lost phone)."""
    user = _account(email)
    end_all_sessions(user)
    db.session.commit()
    click.echo(f"{user.email}: every session of the account has ended.")


def register_cli(app: Flask) -> None:
    """Attach ``flask users`` to ``app`` (called by :func:`portal.cli.register`)."""
    app.cli.add_command(users_cli)
