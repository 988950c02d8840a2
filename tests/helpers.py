"""Small helpers for tests (import with `from helpers import ...`)."""

from __future__ import annotations

import html
import re
from datetime import UTC, date, datetime

from flask import g
from flask.testing import FlaskClient

PASSWORD = "korrekt-hest-batteri"
_RAW_CSRF = "0" * 40


def csrf_token(app, client) -> str:
    """Put a known raw token in the client's session and return its signed form."""
    from itsdangerous import URLSafeTimedSerializer

    with client.session_transaction() as session:
        session["csrf_token"] = _RAW_CSRF
    return URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token").dumps(_RAW_CSRF)


def complete_answers() -> dict:
    """Answers that pass every step of the application form."""
    return dict(contact_name="Kim Kontakt", contact_email="kim@example.dk",
                contact_phone="12345678", duration_months=6, participants="Leder og personale",
                participant_count=5, hours_per_month=10, management_anchoring="Lederen",
                motivation="Vi vil udvikle os", challenges="Dokumentation",
                hoped_outcomes="Bedre praksis")


def is_valid_cvr(value: str) -> bool:
    """Whether check_cvr accepts the number (for asserting over many numbers at once)."""
    from indsatsteam.domain.cvr import check_cvr
    from indsatsteam.domain.errors import DomainError

    try:
        check_cvr(value)
    except DomainError:
        return False
    return True


def first_themes(n: int) -> list:
    """The first n of the six seeded themes, in their order."""
    from indsatsteam.extensions import db
    from indsatsteam.models import Theme

    return list(db.session.execute(
        db.select(Theme).order_by(Theme.position).limit(n)).scalars())


def text_of(response) -> str:
    """The visible text of a response, whitespace folded, for content assertions."""
    html = response.get_data(as_text=True)
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)).strip()


def aware(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def count_statements(client, url: str, **kwargs) -> int:
    """How many SQL statements one GET of `url` runs (asserting it answers 200).

    The session is expired first, so every row must come from the request's own queries.
    """
    from sqlalchemy import event

    from indsatsteam.extensions import db

    statements: list[str] = []

    def before(conn, cursor, statement, *args):
        statements.append(statement)

    db.session.expire_all()
    event.listen(db.engine, "before_cursor_execute", before)
    try:
        response = client.get(url, **kwargs)
    finally:
        event.remove(db.engine, "before_cursor_execute", before)
    assert response.status_code == 200, response.status_code
    return len(statements)


def field_error(response, field_id: str) -> str | None:
    match = re.search(rf'<span class="form-error-message" id="{field_id}-error">'
                      r'<span class="sr-only">Fejl: </span>(.*?)</span>',
                      response.get_data(as_text=True), flags=re.S)
    return html.unescape(match.group(1)) if match else None


def input_value(response, field_id: str) -> str | None:
    tag = re.search(rf'<input[^>]*\bid="{field_id}"[^>]*>', response.get_data(as_text=True))
    assert tag, f"no input #{field_id}"
    value = re.search(r'\bvalue="([^"]*)"', tag.group(0))
    return html.unescape(value.group(1)) if value else None


def run_at_once(app, job, workers: int = 2) -> list:
    """Run `job()` in `workers` threads released at the same instant, each in its own app
    context (its own session), and return their results."""
    import threading

    from indsatsteam.extensions import db

    barrier = threading.Barrier(workers)
    results = []

    def run():
        with app.app_context():
            barrier.wait()
            results.append(job())
            db.session.remove()

    threads = [threading.Thread(target=run) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def log_in(page, audit, user, password: str = PASSWORD) -> None:
    """Log in through the form in a Playwright page, checking both pages with axe."""
    from playwright.sync_api import expect

    page.goto("/log-ind")
    audit.check("log-ind")
    page.get_by_label("E-mailadresse").fill(user.email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    expect(page.locator(".portal-user")).to_contain_text(user.name)
    audit.check("efter-log-ind")


# A complete forventningsafstemning, as the staff's form posts it (add "agreed": "y").
EXPECTATIONS_FORM = {
    "meaning_insight": "Vi vil se, hvor vi står", "goals": "Recovery",
    "participants": "Alle", "time_commitment": "10 timer om måneden",
    "leadership_involvement": "Lederen deltager i møderne", "meeting_cadence": "Hver 14. dag",
    "contact_person": "Kim Kontakt", "risks": "Ingen kendte",
}


def expectations(**changes):
    """The same as plain values for development.services.save_expectations."""
    from indsatsteam.domain.expectations import BENEFIT_COLUMNS, Expectations

    values = {**EXPECTATIONS_FORM, **changes}
    return Expectations(meanings={c: values.pop(c, "") for c in BENEFIT_COLUMNS}, **values)


def make_plans(engagement) -> None:
    """A complete udviklingsplan for every chosen recommendation (the caller commits)."""
    from indsatsteam.development import services as work
    from indsatsteam.development.values import chosen_rows

    for row in chosen_rows(engagement):
        work.save_plan(engagement, row, "team", work.PlanInput(
            changes="Borgerne skriver selv deres mål",
            conditions={"leadership_conditions": "Lederen følger op hver måned"},
            responsible="Afdelingsleder", method_ids=[],
            milestones=[work.MilestoneInput("Første opfølgning", None)]))


class FreshUserClient(FlaskClient):
    """Tests keep one app context open (for db.session), and Flask reuses it for every test
    request, so `g` would carry Flask-Login's cached user from one client to the next.

    After each request the queue of account e-mails is sent, as the scheduler's `mail_queue`
    job would a few seconds later, so tests read those mails from `mail.outbox`. Set
    `deliver_mail = False` on a client to see the queue as the request left it."""

    deliver_mail = True

    def open(self, *args, **kwargs):
        g.pop("_login_user", None)
        response = super().open(*args, **kwargs)
        # (The test's app context, and so `g`, outlives the request.)
        if self.deliver_mail and g.pop("queued_mail", False):
            from indsatsteam.notifications.mail_queue import send_queued

            send_queued()
        return response


def add_indicators(engagement, count: int = 1) -> list:
    """The first `count` indicators of the catalogue agreed for the forløb, each with a
    baseline measured today and a target that is better, and committed: what the
    samarbejdsaftale needs before it can be agreed."""
    from indsatsteam import clock
    from indsatsteam.extensions import db
    from indsatsteam.measurements import services as measurements

    indicators = measurements.current_indicators()[:count]
    measurements.choose_indicators(engagement, "team", [i.id for i in indicators])
    values = {}
    for indicator in indicators:
        low, high = indicator.unit.bounds
        start, goal = (0.4, 0.6) if indicator.direction == "higher" else (0.6, 0.4)
        high = min(high, 100)
        values[indicator.id] = measurements.Measurement(
            round(low + (high - low) * start, 1), clock.today(),
            round(low + (high - low) * goal, 1), field=measurements.indicator_prefix(indicator.id))
    measurements.save_baselines(engagement, "team", values, today=clock.today())
    db.session.commit()
    return indicators


def laerken_case(make_user, make_provider, make_round, make_engagement) -> dict:
    """The forløb of the phases' work tests: Bostedet Lærken (§ 108) from 1 February 2027,
    ten months, two themes, with its lead, a manager and one user of the tilbud; the clock
    frozen at 10 January 2027 09:00 UTC."""
    from indsatsteam import clock
    from indsatsteam.models import Role

    clock.freeze(aware(2027, 1, 10, 9, 0))
    provider = make_provider(kind="sel108", name="Bostedet Lærken")
    round_ = make_round(opens_at=aware(2026, 10, 1, 6, 0), closes_at=aware(2026, 12, 1, 11, 0))
    lead = make_user(Role.CONSULTANT, name="Lea Lead")
    manager = make_user(Role.MANAGER, name="Mona Manager")
    applicant = make_user(Role.APPLICANT, provider=provider, name="Sofie Sørensen")
    engagement = make_engagement(provider=provider, round_=round_, lead=lead, manager=manager,
                                 planned_start=date(2027, 2, 1), months=10, themes=2)
    return dict(engagement=engagement, lead=lead, manager=manager, applicant=applicant)
