"""The shared conventions: domain_errors (the one way a form action commits), enum columns
as StrEnum members, and the one "round is open" rule in Python and in SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import get_flashed_messages
from sqlalchemy import func, select, text
from wtforms import StringField

from indsatsteam import clock
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.domain.engagements import TaskStatus
from indsatsteam.domain.errors import DomainError
from indsatsteam.extensions import db
from indsatsteam.forms import Form, domain_errors, form_status
from indsatsteam.models import ApplicationRound, Role, User

from helpers import aware


class NameForm(Form):
    class Meta:
        csrf = False

    name = StringField("Navn")


def _users_named(name: str) -> int:
    return db.session.scalar(select(func.count()).select_from(User).where(User.name == name))


def _add_user(name: str) -> User:
    user = User(email=f"{name.lower()}@example.dk", name=name, role=Role.CONSULTANT,
                password_hash="x")
    db.session.add(user)
    return user


# --- domain_errors ----------------------------------------------------------------------------

def test_a_successful_action_is_committed(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with domain_errors(form) as done:
            _add_user("Signe")
        assert done.ok and done.error is None and form_status(form) == 200
    db.session.rollback()  # nothing pending is left to undo: the row was committed
    assert _users_named("Signe") == 1


def test_a_refusal_rolls_back_and_lands_next_to_its_field(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with domain_errors(form) as done:
            _add_user("Bent")
            db.session.flush()
            raise DomainError("Navnet er optaget", field="name")
        assert not done.ok and done.error.message == "Navnet er optaget"
        assert form.name.errors == ["Navnet er optaget"]
        assert form_status(form) == 400
        assert get_flashed_messages() == []
    assert _users_named("Bent") == 0


def test_a_refusal_without_a_field_goes_to_the_form_summary(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with domain_errors(form):
            raise DomainError("Der er ingen ændringer at gemme.")
        assert form.form_errors == ["Der er ingen ændringer at gemme."]


def test_without_a_form_the_refusal_is_flashed(app):
    with app.test_request_context(method="POST"):
        with domain_errors() as done:
            _add_user("Karla")
            raise DomainError("Forløbet er afsluttet")
        assert not done.ok
        assert get_flashed_messages(with_categories=True) == [("error", "Forløbet er afsluttet")]
    assert _users_named("Karla") == 0


def test_flash_general_flashes_only_the_messages_without_a_field(app):
    with app.test_request_context(method="POST"):
        form = NameForm()
        with domain_errors(form, flash_general=True):
            raise DomainError("Der er truffet afgørelse")
        assert form.errors == {}
        with domain_errors(form, flash_general=True):
            raise DomainError("Vælg et navn", field="name")
        assert form.name.errors == ["Vælg et navn"]
        assert get_flashed_messages() == ["Der er truffet afgørelse"]  # only the general one


def test_other_exceptions_are_not_swallowed(app):
    with app.test_request_context(method="POST"), pytest.raises(ValueError):
        with domain_errors(NameForm()):
            raise ValueError("a bug, not a rule")
    db.session.rollback()


# --- enum columns -------------------------------------------------------------------------------

def test_enum_columns_read_members_and_store_the_plain_value(app, make_user):
    user = make_user(Role.MANAGER)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(User, user.id).role is Role.MANAGER
    stored = db.session.execute(text("SELECT role FROM users WHERE id = :id"),
                                {"id": user.id}).scalar_one()
    assert stored == "manager" and type(stored) is str


def test_assigning_a_string_gives_the_member_at_once_and_an_unknown_value_is_refused(app):
    user = User(email="x@example.dk", name="X", role="consultant", password_hash="x")
    assert user.role is Role.CONSULTANT and user.role.label == "Konsulent"
    with pytest.raises(ValueError):
        user.role = "superuser"


def test_queries_compare_enum_columns_with_members_or_values(app, make_round, make_provider,
                                                             make_application):
    application = make_application(make_round(), make_provider(),
                                   status=ApplicationStatus.SUBMITTED)
    db.session.commit()
    from indsatsteam.models import Application

    for value in (ApplicationStatus.SUBMITTED, "submitted"):
        found = db.session.execute(select(Application.id, Application.status)
                                   .where(Application.status == value)).one()
        assert found == (application.id, ApplicationStatus.SUBMITTED)
    assert TaskStatus("done") is TaskStatus.DONE


# --- the round is open: one rule ----------------------------------------------------------------

@pytest.mark.parametrize(("offset", "open_"), [
    (timedelta(seconds=-1), False),  # before opening
    (timedelta(0), True),            # the opening moment belongs to the round
    (timedelta(days=3), True),
    (timedelta(days=7), False),      # the deadline itself is too late
])
def test_is_open_is_the_same_rule_for_a_loaded_round_and_in_sql(app, make_round, offset, open_):
    opens = aware(2026, 11, 1, 8, 0)
    round_ = make_round(opens_at=opens, closes_at=opens + timedelta(days=7))
    db.session.commit()
    at = opens + offset
    assert round_.is_open(at) is open_
    in_sql = db.session.execute(select(ApplicationRound.id)
                                .where(ApplicationRound.is_open(at))).scalars().all()
    assert (round_.id in in_sql) is open_


def test_is_open_defaults_to_the_clock(app, make_round):
    now = aware(2026, 11, 20, 9, 0)
    clock.freeze(now)
    round_ = make_round(opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=1))
    db.session.commit()
    assert round_.is_open()
    assert db.session.execute(select(ApplicationRound.id)
                              .where(ApplicationRound.is_open())).scalars().all() == [round_.id]
