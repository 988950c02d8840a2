"""The cluster test's data (scripts/cluster/run.sh): staff, tilbud with draft applications in a
round whose deadline falls inside the load run, forløb with tasks for the consultants.

Run with the app's environment (DATABASE_URL of the test's own PostgreSQL) after
`flask db upgrade`; prints one JSON object with the logins and ids the load script needs.
Usage: python seed.py DEADLINE_EPOCH APPLICANTS CONSULTANTS MANAGERS
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, timedelta

from indsatsteam import clock, create_app
from indsatsteam.applications.steps import STEPS
from indsatsteam.auth.services import create_user
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.municipalities import region_for
from indsatsteam.engagements.planning import create_engagement
from indsatsteam.extensions import db
from indsatsteam.models import (
    Application,
    ApplicationRound,
    Provider,
    ProviderMembership,
    Role,
    Theme,
)

PASSWORD = "klynge-test-adgangskode-2026"
ANSWERS = dict(contact_name="Kim Kontakt", contact_phone="12345678", duration_months=6,
               participants="Leder og personale", participant_count=5, hours_per_month=10,
               management_anchoring="Lederen", motivation="Udgangspunkt",
               challenges="Dokumentation", hoped_outcomes="Bedre praksis")
MUNICIPALITIES = ("751", "101", "461", "851", "147")


def provider(n: int) -> Provider:
    code = MUNICIPALITIES[n % len(MUNICIPALITIES)]
    made = Provider(name=f"Klyngetilbud {n}", cvr="10000009", p_number=f"{n + 1:010d}",
                    kind="sel108", owner_type="kommune", municipality_code=code,
                    region=region_for(code), address="Vej 1", postal_code="8000",
                    city="Aarhus C", contact_name="Kim Kontakt",
                    contact_email=f"kontakt{n}@klynge.example.dk", contact_phone="12345678")
    db.session.add(made)
    return made


def application(round_: ApplicationRound, tilbud: Provider, themes, status: str,
                contact_email: str, n: int) -> Application:
    made = Application(round=round_, provider=tilbud, status=status,
                       contact_email=contact_email, **ANSWERS)
    made.desired_start = round_.closes_at.date() + timedelta(days=30)
    made.themes = list(themes)
    made.current_step = len(STEPS) + 1
    if status != ApplicationStatus.DRAFT:
        made.submitted_at = clock.now() - timedelta(days=60)
        made.reference = f"KL-2026-{n:04d}"
    db.session.add(made)
    return made


def main() -> None:
    deadline = datetime.fromtimestamp(float(sys.argv[1]), UTC)
    applicants, consultants, managers = (int(v) for v in sys.argv[2:5])
    app = create_app()
    out: dict = {"password": PASSWORD, "deadline": deadline.timestamp()}
    with app.app_context():
        now = clock.now()
        themes = list(db.session.execute(db.select(Theme).order_by(Theme.position)
                                         .limit(2)).scalars())
        deadline_round = ApplicationRound(
            name="Klyngerunden", description="Fristen falder midt i belastningen",
            opens_at=now - timedelta(days=20), closes_at=deadline, programmes_offered=50)
        past_round = ApplicationRound(
            name="Forårsrunden", description="Afgjort", opens_at=now - timedelta(days=200),
            closes_at=now - timedelta(days=150), programmes_offered=50)
        db.session.add_all([deadline_round, past_round])
        staff_managers = [create_user(f"leder{i}@klynge.example.dk", f"Leder {i}",
                                      Role.MANAGER.value, PASSWORD, confirmed=True)
                          for i in range(managers)]
        out["managers"] = [{"email": u.email} for u in staff_managers]
        out["consultants"] = []
        n = 0
        for i in range(consultants):
            user = create_user(f"konsulent{i}@klynge.example.dk", f"Konsulent {i}",
                               Role.CONSULTANT.value, PASSWORD, confirmed=True)
            user.capacity = 4
            db.session.flush()
            engagements = []
            for _ in range(2):
                n += 1
                approved = application(past_round, provider(n), themes,
                                       ApplicationStatus.APPROVED, f"k{n}@klynge.example.dk", n)
                db.session.flush()
                engagement = create_engagement(
                    approved, lead_consultant_id=user.id, second_consultant_id=None,
                    planned_start=clock.today() - timedelta(days=14), duration_months=6,
                    theme_ids=[t.id for t in themes], actor=staff_managers[0])
                db.session.flush()
                engagements.append({"id": engagement.id,
                                    "tasks": [t.id for t in engagement.tasks][:6]})
            out["consultants"].append({"email": user.email, "id": user.id,
                                       "engagements": engagements})
        out["applicants"] = []
        for i in range(applicants):
            n += 1
            email = f"ansoeger{i}@klynge.example.dk"
            user = create_user(email, f"Ansøger {i}", Role.APPLICANT.value, PASSWORD,
                               confirmed=True)
            tilbud = provider(n)
            db.session.add(ProviderMembership(user=user, provider=tilbud))
            draft = application(deadline_round, tilbud, themes, ApplicationStatus.DRAFT,
                                email, n)
            db.session.flush()
            out["applicants"].append({"email": email, "application": draft.id})
        # The throttle probe: an account whose failed logins the load script counts.
        probe = create_user("probe@klynge.example.dk", "Probe", Role.APPLICANT.value, PASSWORD,
                            confirmed=True)
        out["probe"] = {"email": probe.email}
        out["round_id"] = None
        db.session.commit()
        out["round_id"] = deadline_round.id
    print(json.dumps(out))


if __name__ == "__main__":
    main()
