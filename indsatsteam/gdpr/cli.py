"""`flask retention run [--dry-run] [--at …]`."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from .. import clock
from ..reminders.cli import AT_OPTION

retention_cli = AppGroup("retention", help="Opbevaring: slet eller anonymiser udløbne data.")


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Vis hvad der ville ske, uden at ændre noget.")
@AT_OPTION
def run_command(dry_run: bool, at: datetime | None) -> None:
    """Slet eller anonymiser det, hvis opbevaringsperiode er udløbet."""
    from ..audit import acting_as
    from .retention import KIND_LABELS, run_retention

    if at is not None:
        clock.freeze(at)
    with acting_as(None):
        run = run_retention(at, dry_run=dry_run, trigger="cli")
    verb = "ville blive" if dry_run else "blev"
    for kind, counts in run.summary.items():
        parts = ", ".join(f"{n} {verb} {'slettet' if what == 'deleted' else 'anonymiseret'}"
                          for what, n in counts.items())
        click.echo(f"{KIND_LABELS.get(kind, kind)}: {parts}")
    if dry_run:
        click.echo("Prøvekørsel: intet er ændret.")
