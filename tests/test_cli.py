from datetime import UTC, datetime

from sqlalchemy import func, select

from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Application, ApplicationRound, User


def test_create_user_with_password_option(runner):
    result = runner.invoke(args=["create-user", "Konsulent@Team.dk", "--role", "consultant",
                                 "--name", "Karen K", "--password", "en-lang-adgangskode"])
    assert result.exit_code == 0, result.output
    user = db.session.execute(select(User)).scalar_one()
    assert (user.email, user.role, user.name) == ("konsulent@team.dk", "consultant", "Karen K")
    assert user.email_confirmed_at is not None
    assert "en-lang-adgangskode" not in user.password_hash


def test_create_user_prompts_for_password(runner):
    result = runner.invoke(args=["create-user", "a@b.dk", "--role", "admin", "--name", "A"],
                           input="en-lang-adgangskode\nen-lang-adgangskode\n")
    assert result.exit_code == 0, result.output
    assert db.session.execute(select(User.role)).scalar_one() == "admin"


def test_create_user_refuses_short_password_and_duplicates(runner):
    result = runner.invoke(args=["create-user", "a@b.dk", "--role", "admin", "--name", "A",
                                 "--password", "kort"])
    assert result.exit_code != 0 and "mindst 12 tegn" in result.output
    runner.invoke(args=["create-user", "a@b.dk", "--role", "admin", "--name", "A",
                        "--password", "en-lang-adgangskode"])
    result = runner.invoke(args=["create-user", "A@B.dk", "--role", "manager", "--name", "B",
                                 "--password", "en-lang-adgangskode"])
    assert result.exit_code != 0 and "findes allerede" in result.output


def test_rounds_create_reads_danish_local_time(runner):
    result = runner.invoke(args=["rounds", "create", "--name", "Vinter", "--opens",
                                 "2026-07-01 08:00", "--closes", "2026-11-27 12:00",
                                 "--programmes", "8"])
    assert result.exit_code == 0, result.output
    round_ = db.session.execute(select(ApplicationRound)).scalar_one()
    # Summer time (UTC+2) for the opening, winter time (UTC+1) for the deadline.
    assert round_.opens_at == datetime(2026, 7, 1, 6, 0, tzinfo=UTC)
    assert round_.closes_at == datetime(2026, 11, 27, 11, 0, tzinfo=UTC)
    assert round_.programmes_offered == 8


def test_rounds_create_refuses_deadline_before_opening(runner):
    result = runner.invoke(args=["rounds", "create", "--name", "X", "--opens", "2026-11-27 12:00",
                                 "--closes", "2026-11-01 12:00"])
    assert result.exit_code != 0
    assert db.session.execute(select(func.count()).select_from(ApplicationRound)).scalar_one() == 0


def test_seed_demo_loads_every_status_once(runner):
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert "indsats-demo-2026" in result.output
    statuses = set(db.session.execute(select(Application.status)).scalars())
    assert statuses == {s.value for s in ApplicationStatus}
    roles = set(db.session.execute(select(User.role)).scalars())
    assert roles == {"applicant", "consultant", "manager", "admin"}
    rounds = db.session.execute(select(ApplicationRound)).scalars().all()
    assert sum(r.is_open() for r in rounds) == 2 and len(rounds) == 3

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "findes allerede" in again.output
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 6
