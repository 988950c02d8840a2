"""Command-line tools: flask create-user, flask seed-demo, flask rounds create, flask reminders
run|preview and flask scheduler."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup

from .domain.danish_time import check_wall_time, local_to_utc
from .domain.eligibility import ALL_KINDS, parse_codes
from .domain.errors import DomainError
from .extensions import db
from .models import Role

rounds_cli = AppGroup("rounds", help="Ansøgningsrunder.")


def _parse_local(value: str, option: str) -> datetime:
    """'2026-11-27 12:00' in Danish local time → aware UTC; a time the clocks skip or pass
    twice on a DST change is refused with what it would become."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            naive = datetime.strptime(value, fmt)  # noqa: DTZ007 (local wall time)
        except ValueError:
            continue
        try:
            check_wall_time(naive)
        except DomainError as err:
            raise click.BadParameter(err.message, param_hint=option) from err
        return local_to_utc(naive)
    raise click.BadParameter("Brug formatet ÅÅÅÅ-MM-DD TT:MM, fx 2026-11-27 12:00",
                             param_hint=option)


@rounds_cli.command("create")
@click.option("--name", required=True, help="Rundens navn.")
@click.option("--opens", required=True, help="Åbner (dansk tid), fx '2026-10-01 08:00'.")
@click.option("--closes", required=True, help="Frist (dansk tid), fx '2026-11-27 12:00'.")
@click.option("--programmes", default=10, show_default=True, help="Antal forløb i runden.")
@click.option("--description", default="", help="Beskrivelse.")
@click.option("--kinds", default="", help="Typer tilbud, der kan søge, adskilt af komma, fx "
              "'sel85_home,abl_sel85' (standard: alle).")
def create_round(name: str, opens: str, closes: str, programmes: int, description: str,
                 kinds: str) -> None:
    """Opret en ansøgningsrunde."""
    from .rounds.services import create_round as create

    opens_at, closes_at = _parse_local(opens, "--opens"), _parse_local(closes, "--closes")
    chosen = parse_codes(kinds)
    if chosen - ALL_KINDS:
        raise click.BadParameter("Ukendt type: " + ", ".join(sorted(chosen - ALL_KINDS))
                                 + ". Brug " + ", ".join(sorted(ALL_KINDS)), param_hint="--kinds")
    try:
        round_ = create(name=name, description=description, opens_at=opens_at,
                        closes_at=closes_at, programmes_offered=programmes,
                        eligible_kinds=sorted(chosen) or None)
    except DomainError as err:
        option = {"closes_at": "--closes", "opens_at": "--opens",
                  "programmes_offered": "--programmes",
                  "eligible_kinds": "--kinds"}.get(err.field or "")
        raise click.BadParameter(err.message, param_hint=option) from err
    db.session.commit()
    click.echo(f"Oprettet runde {round_.id}: {name}")


@click.command("create-user")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), required=True)
@click.option("--name", required=True)
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def create_user_command(email: str, role: str, name: str, password: str) -> None:
    """Opret en bruger (personale eller ansøger) med bekræftet e-mail."""
    from .auth.services import create_user

    try:
        user = create_user(email, name, role, password, confirmed=True)
    except DomainError as err:
        raise click.ClickException(err.message) from err
    db.session.commit()
    click.echo(f"Oprettet {Role(role).label.lower()} {user.email}")


def init_app(app: Flask) -> None:
    from .demo.cli import bench_command, seed_demo_command
    from .gdpr.cli import retention_cli
    from .reminders.cli import reminders_cli, scheduler_command
    from .users.cli import users_cli

    app.cli.add_command(rounds_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(scheduler_command)
    app.cli.add_command(create_user_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(bench_command)
