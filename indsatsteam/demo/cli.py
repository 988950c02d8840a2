"""`flask seed-demo` (small or large) and `flask bench`."""

from __future__ import annotations

import click
from flask import current_app
from sqlalchemy import func, select

from ..extensions import db
from ..models import User
from .bench import bench_command
from .large import generate
from .seed import seed_demo

__all__ = ["bench_command", "seed_demo_command"]


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Gør intet, hvis der allerede er brugere.")
@click.option("--size", type=click.Choice(["small", "large"]), default="small",
              show_default=True, help="large: syntetiske data i fuld skala (se README, Ydelse).")
@click.option("--scale", type=float, default=1.0, show_default=True,
              help="Skalafaktor for --size large (1.0 = 2 000 tilbud, 120 000 opgaver).")
def seed_demo_command(if_empty: bool, size: str, scale: float) -> None:
    """Indlæs demodata: runder, tilbud, ansøgninger i alle statusser og demobrugere."""
    if current_app.config.get("ENV_NAME") == "production":
        # The demo users' password is in the README: never in a real database.
        raise click.ClickException(
            "seed-demo kører ikke i produktion (demobrugernes adgangskode står i README). "
            "Sæt INDSATSTEAM_ENV=development for en udviklingsdatabase.")
    if size == "small":
        seed_demo(if_empty=if_empty, echo=click.echo)
        return
    if if_empty and db.session.execute(select(func.count()).select_from(User)).scalar_one():
        click.echo("Demodata findes allerede – intet indlæst.")
        return
    generate(scale, echo=click.echo)
