"""flask users invite EMAIL --role --name: invite a staff member from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..domain.errors import DomainError
from ..extensions import db
from ..models import Role
from . import services

users_cli = AppGroup("users", help="Brugere.")


@users_cli.command("invite")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in services.INVITE_ROLES]),
              required=True)
@click.option("--name", required=True)
@click.option("--capacity", type=click.IntRange(services.MIN_CAPACITY, services.MAX_CAPACITY),
              default=None, help="Konsulentens kapacitet (antal forløb).")
def invite_command(email: str, role: str, name: str, capacity: int | None) -> None:
    """Invitér en medarbejder: e-mail med et link til at vælge adgangskode."""
    try:
        user = services.invite_user(email, name, role, capacity)
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from err
    db.session.commit()
    click.echo(f"Inviteret {Role(role).label.lower()} {user.email}")
