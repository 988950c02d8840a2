"""`flask reminders run|preview [--at …]` and `flask scheduler`."""

from __future__ import annotations

import logging
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from .. import clock
from ..domain.danish_time import format_danish_date, local_to_utc
from ..wording import ngettext

reminders_cli = AppGroup("reminders", help="Påmindelser: send dem, der er aktuelle, eller se dem.")

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LocalTime(click.ParamType):
    """'2026-11-27 09:00' in Danish local time → aware UTC."""

    name = "dansk tid"

    def convert(self, value, param, ctx) -> datetime:
        if isinstance(value, datetime):
            return value
        for fmt in ("%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d"):
            try:
                return local_to_utc(datetime.strptime(value, fmt))  # noqa: DTZ007 (wall time)
            except ValueError:
                continue
        self.fail("brug formatet ÅÅÅÅ-MM-DD TT:MM, fx 2026-11-27 09:00", param, ctx)


AT_OPTION = click.option(
    "--at", "at", type=LocalTime(), default=None,
    help="Kør som om klokken var dette tidspunkt (dansk tid), fx '2026-11-27 09:00'.")


@reminders_cli.command("run")
@AT_OPTION
def run_command(at: datetime | None) -> None:
    """Læg aktuelle påmindelser i udbakken, og send udbakken."""
    from .sweep import run_sweep

    if at is not None:
        clock.freeze(at)  # the outbox rows, the sender and the rules all see this time
    result = run_sweep(at)
    click.echo(
        ngettext("%(num)s aktuel påmindelse", "%(num)s aktuelle påmindelser", result.due)
        + ", " + ngettext("%(num)s ny", "%(num)s nye", result.created) + "; "
        + ngettext("%(num)s e-mail sendt", "%(num)s e-mails sendt", result.sent) + ", "
        + ngettext("%(num)s venter", "%(num)s venter", result.retried) + " på nyt forsøg, "
        + f"{result.failed} fejlet.")


@reminders_cli.command("preview")
@AT_OPTION
def preview_command(at: datetime | None) -> None:
    """Vis, hvad en kørsel ville lægge i udbakken, uden at sende noget."""
    from .sweep import preview

    if at is not None:
        clock.freeze(at)
    items = preview(at)
    if not items:
        click.echo("Ingen nye påmindelser.")
        return
    table = [("Regel", "Dato", "Modtager", "Emne")] + [
        (item.rule, format_danish_date(item.occurrence), item.recipient.email, item.subject)
        for item in items]
    widths = [max(len(row[i]) for row in table) for i in range(3)]
    for rule, day, email, subject in table:
        click.echo(f"{rule:<{widths[0]}}  {day:<{widths[1]}}  {email:<{widths[2]}}  {subject}")
    click.echo(ngettext("%(num)s påmindelse.", "%(num)s påmindelser.", len(items)))


@click.command("scheduler")
def scheduler_command() -> None:
    """Kør påmindelser og den daglige opsamling efter planen, til processen stoppes."""
    from .scheduler import run_scheduler

    for handler in logging.getLogger().handlers:
        handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    run_scheduler(current_app._get_current_object())
