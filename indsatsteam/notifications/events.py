"""Event notifications: a decision on an application, an engagement's phase move, what a
tilbud writes in its forløb, and its follow-up after the forløb.

Each function only adds rows (via `notify`) and never commits: the caller calls it before
its own commit, so the notification exists exactly when the change does.
"""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select

from .. import clock
from ..domain.danish_time import local_date
from ..extensions import db
from ..links import path_for
from ..models import Application, Engagement, PhaseTransition, ProviderMembership, User
from .services import notify


def provider_users(provider_id: int) -> list[User]:
    """The tilbud's active users, the recipients of events about its application and forløb."""
    return list(db.session.execute(
        select(User).join(ProviderMembership, ProviderMembership.user_id == User.id)
        .where(ProviderMembership.provider_id == provider_id, User.active.is_(True))
        .order_by(User.id)).scalars())


def application_decided(application: Application) -> int:
    """Tell the tilbud's users about the manager's decision; returns how many were added."""
    subject = f"Afgørelse på ansøgning {application.reference}"
    body = render_template("notifications/decision_made.txt", application=application)
    url = path_for("applications.view", application_id=application.id)
    return sum(
        notify(user, "decision_made", subject=subject, body=body, url=url,
               dedupe_key=f"decision_made:application:{application.id}:"
                          f"{application.status}:{user.id}")
        for user in provider_users(application.provider_id))


def phase_moved(engagement: Engagement, transition: PhaseTransition) -> int:
    """Tell the tilbud's users that their forløb moved phase; returns how many were added."""
    if transition.id is None:
        db.session.flush()  # the transition's id is part of the key
    to_phase = transition.to_phase
    subject = f"Jeres forløb er nu i fasen {to_phase.label}"
    body = render_template(
        "notifications/phase_moved.txt", engagement=engagement, transition=transition,
        from_phase=transition.from_phase,
        to_phase=to_phase)
    url = path_for("portal.view", engagement_id=engagement.id)
    return sum(
        notify(user, "phase_moved", subject=subject, body=body, url=url,
               dedupe_key=f"phase_moved:engagement:{engagement.id}:{transition.id}:{user.id}")
        for user in provider_users(engagement.provider_id))


def _consultants(engagement: Engagement) -> list[User]:
    """The forløb's active consultants, the recipients of what the tilbud does in it."""
    return [u for u in (engagement.lead_consultant, engagement.second_consultant)
            if u is not None and u.active]


def follow_up_received(engagement: Engagement) -> int:
    """Tell the forløb's consultants that the tilbud has given its follow-up; once."""
    subject = f"Opfølgning modtaget: {engagement.provider.name}"
    body = (f"{engagement.provider.name} har givet opfølgningen på rådgivningsforløbet: "
            "indikatorerne er målt igen, og anbefalingerne er vurderet igen.")
    url = path_for("engagements.view", engagement_id=engagement.id) + "#effekt"
    return sum(
        notify(user, "follow_up_received", subject=subject, body=body, url=url,
               dedupe_key=f"follow_up_received:engagement:{engagement.id}:{user.id}")
        for user in _consultants(engagement))


def tilbud_wrote(engagement: Engagement, what: str, anchor: str) -> int:
    """Tell the forløb's consultants that the tilbud saved its part of something (`what`:
    "forventningsafstemningen", "indikatorerne", …): at most once a day per thing, since a
    tilbud often saves a draft several times."""
    day = local_date(clock.now()).isoformat()
    subject = f"{engagement.provider.name} har skrevet i {what}"
    body = (f"{engagement.provider.name} har gemt {what} i sin portal. Se det på forløbets "
            "side.")
    url = path_for("engagements.view", engagement_id=engagement.id) + f"#{anchor}"
    return sum(
        notify(user, "tilbud_wrote", subject=subject, body=body, url=url,
               dedupe_key=f"tilbud_wrote:engagement:{engagement.id}:{what}:{day}:{user.id}")
        for user in _consultants(engagement))
