from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.expectations import BENEFITS
from indsatsteam.domain.indicators import FollowUpState, follow_up_date
from indsatsteam.domain.phases import Phase
from indsatsteam.extensions import db
from indsatsteam.models import Application, ApplicationRound, Engagement, User


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
    clock.freeze(datetime(2026, 6, 1, 9, 0, tzinfo=UTC))  # the round's rules: a future deadline
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
    assert sum(r.is_open() for r in rounds) == 2 and len(rounds) == 4

    again = runner.invoke(args=["seed-demo", "--if-empty"])
    assert again.exit_code == 0 and "findes allerede" in again.output
    assert db.session.execute(select(func.count()).select_from(User)).scalar_one() == 7


def test_seed_demo_documents_effect(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    today = clock.today()
    engagements = db.session.execute(select(Engagement).order_by(Engagement.id)).scalars().all()
    by_phase: dict[str, list[Engagement]] = {}
    for engagement in engagements:
        by_phase.setdefault(engagement.phase, []).append(engagement)
    assert {p: len(e) for p, e in by_phase.items()} == {
        Phase.ANALYSIS: 1, Phase.STARTUP: 1, Phase.COMPLETED: 2}
    assert by_phase[Phase.STARTUP][0].indicators == []  # still to choose them
    for engagement in (*by_phase[Phase.ANALYSIS], *by_phase[Phase.COMPLETED]):
        assert 2 <= len(engagement.indicators) <= 3
        for row in engagement.indicators:
            assert row.indicator.catalogue.is_current
            assert row.baseline_date is not None and row.baseline_date <= today
            low, high = row.indicator.unit.bounds
            for value in (row.baseline_value, row.target_value, row.end_value,
                          row.follow_up_value):
                assert value is None or low <= value <= high
            assert row.target_value != row.baseline_value

    states = {}
    for engagement in by_phase[Phase.COMPLETED]:
        assert engagement.follow_up_due == follow_up_date(engagement.actual_end, 6)
        assert all(row.end_value is not None and row.end_date <= engagement.actual_end
                   for row in engagement.indicators)
        assert [r.benefit_code for r in engagement.benefit_ratings] == [b.code for b in BENEFITS]
        assert all(1 <= r.score <= 5 and r.comment for r in engagement.benefit_ratings)
        chosen = [r for r in engagement.recommendations if r.chosen_at is not None]
        assert chosen and all(r.final_score is not None for r in chosen)
        received = all(row.follow_up_value is not None and row.follow_up_date is not None
                       for row in engagement.indicators) and all(
            r.follow_up_score is not None for r in chosen)
        state = FollowUpState(due=engagement.follow_up_due, received=received)
        states[engagement.provider.name] = (received, state.pending(today))
        assert engagement.follow_up_due < today
    assert states == {"Botilbuddet Fjordglimt": (True, False),
                      "Bostøtten Nord": (False, True)}
    awaiting = next(e for e in by_phase[Phase.COMPLETED] if e.provider.name == "Bostøtten Nord")
    assert all(row.follow_up_value is None for row in awaiting.indicators)


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--closes", "2027-03-28 02:30",
     "Klokken 02.30 findes ikke den 28. marts 2027, fordi uret stilles frem fra 02.00 til "
     "03.00 (sommertid). Tidspunktet ville blive til kl. 03.30."),
    ("--closes", "2027-10-31 02:30",
     "Klokken 02.30 forekommer to gange den 31. oktober 2027, fordi uret stilles tilbage"),
    ("--opens", "2027-03-28 02:00", "Klokken 02.00 findes ikke den 28. marts 2027"),
])
def test_rounds_create_refuses_times_the_dst_change_skips_or_repeats(runner, option, value,
                                                                     message):
    clock.freeze(datetime(2026, 12, 1, 9, 0, tzinfo=UTC))
    dates = {"--opens": "2027-01-04 08:00", "--closes": "2027-11-26 12:00", option: value}
    result = runner.invoke(args=["rounds", "create", "--name", "Forår 2027",
                                 "--opens", dates["--opens"], "--closes", dates["--closes"]])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split()), result.output
    assert db.session.execute(select(func.count()).select_from(ApplicationRound)).scalar_one() == 0
