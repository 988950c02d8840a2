"""Command-line tools: flask create-user, flask seed-demo, flask rounds create, flask reminders
run|preview and flask scheduler."""

from __future__ import annotations

from datetime import datetime

import click
from flask import Flask
from flask.cli import AppGroup

from .domain.danish_time import local_to_utc
from .domain.eligibility import ALL_KINDS, join_codes, parse_codes
from .domain.errors import DomainError
from .extensions import db
from .models import ApplicationRound, Role

rounds_cli = AppGroup("rounds", help="Ansøgningsrunder.")


def _parse_local(value: str) -> datetime:
    """'2026-11-27 12:00' in Danish local time → aware UTC."""
    for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return local_to_utc(datetime.strptime(value, fmt))  # noqa: DTZ007 (local wall time)
        except ValueError:
            continue
    raise click.BadParameter("Brug formatet ÅÅÅÅ-MM-DD TT:MM, fx 2026-11-27 12:00")


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
    opens_at, closes_at = _parse_local(opens), _parse_local(closes)
    if closes_at <= opens_at:
        raise click.BadParameter("Fristen skal ligge efter åbningstidspunktet",
                                 param_hint="--closes")
    chosen = parse_codes(kinds)
    if chosen - ALL_KINDS:
        raise click.BadParameter("Ukendt type: " + ", ".join(sorted(chosen - ALL_KINDS))
                                 + ". Brug " + ", ".join(sorted(ALL_KINDS)), param_hint="--kinds")
    round_ = ApplicationRound(name=name, description=description, opens_at=opens_at,
                              closes_at=closes_at, programmes_offered=programmes,
                              eligible_kinds=join_codes(chosen, ALL_KINDS))
    db.session.add(round_)
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


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Gør intet, hvis der allerede er brugere.")
@click.option("--size", type=click.Choice(["small", "large"]), default="small",
              show_default=True, help="large: syntetiske data i fuld skala (se README, Ydelse).")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Skalafaktor for --size large (1.0 = 2 000 tilbud, 120 000 opgaver).")
def seed_demo_command(if_empty: bool, size: str, scale: float) -> None:
    """Indlæs demodata: runder, tilbud, ansøgninger i alle statusser og demobrugere."""
    from flask import current_app

    from .demo import seed_demo

    if current_app.config.get("ENV_NAME") == "production":
        # The demo users' password is in the README: never in a real database.
        raise click.ClickException(
            "seed-demo kører ikke i produktion (demobrugernes adgangskode står i README). "
            "Sæt INDSATSTEAM_ENV=development for en udviklingsdatabase.")

    if size == "small":
        seed_demo(if_empty=if_empty, echo=click.echo)
        return
    from sqlalchemy import func, select

    from .demo_large import generate
    from .models import User

    if if_empty and db.session.execute(select(func.count()).select_from(User)).scalar_one():
        click.echo("Demodata findes allerede – intet indlæst.")
        return
    generate(scale, echo=click.echo)


def init_app(app: Flask) -> None:
    from .bench import bench_command
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
