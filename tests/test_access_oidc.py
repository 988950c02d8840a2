"""The authorization matrix (tests/test_access.py) for users created by their first login
through the OpenID provider: a MitID Erhverv user of provider A and one of provider B, a
consultant and a manager from the staff provider's role claim. Every route answers them as
it answers the password users of the same standing."""

from __future__ import annotations

import pytest
from oidc_helpers import KAREN, LENE, NIELS, TOVE, oidc_login
from sqlalchemy import select, update
from test_access import (  # noqa: F401  (world is a fixture)
    CONSULTANT,
    HOME,
    MANAGER,
    MATRIX,
    OTHER,
    OWNER,
    matches,
    outcome,
    world,
)

from indsatsteam.extensions import db
from indsatsteam.models import Engagement, Notification, OidcIdentity, Review

from helpers import text_of

OIDC_ROLES = {OTHER: ("tilbud", NIELS), CONSULTANT: ("staff", KAREN), MANAGER: ("staff", LENE),
              OWNER: ("tilbud", TOVE)}  # owner last: it may change data


def _user_of(subject: str):
    return db.session.execute(select(OidcIdentity).where(
        OidcIdentity.subject == subject)).scalar_one().user


@pytest.fixture
def oidc_clients(app, oidc, world):  # noqa: F811
    """A client per role, logged in through the provider; the world's objects handed over
    to the new users (A's CVR is 10000009, B gets Niels's 70000008)."""
    world.provider_a.cvr = "10000009"
    other_provider = next(m.provider for m in world.users[OTHER].memberships)
    other_provider.cvr = "70000008"
    db.session.commit()
    clients = {}
    for role, (provider, subject) in OIDC_ROLES.items():
        client = app.test_client()
        response = oidc_login(client, provider, subject)
        assert response.status_code == 302, text_of(response)
        clients[role] = client
    owner, consultant = _user_of(TOVE), _user_of(KAREN)
    assert owner.provider_ids == {world.provider_a.id}
    assert _user_of(NIELS).provider_ids == {other_provider.id}
    db.session.execute(update(Engagement).values(lead_consultant_id=consultant.id))
    db.session.execute(update(Review).values(reviewer_id=consultant.id))
    db.session.execute(update(Notification).where(
        Notification.recipient_id == world.users[OWNER].id).values(recipient_id=owner.id))
    db.session.commit()
    return clients


@pytest.mark.parametrize(("rule", "method"), sorted(MATRIX), ids=lambda v: v)
def test_route_access_for_oidc_users(app, post, oidc, world, oidc_clients,  # noqa: F811
                                     rule, method):
    template, expected = MATRIX[(rule, method)]
    path = template.format(**world.ids)
    wrong = []
    for role, client in oidc_clients.items():
        response = client.get(path) if method == "GET" else post(client, path)
        want = expected[role]
        if isinstance(want, str) and want.startswith("→"):
            want = want.format(**world.ids)
        got = outcome(response, path, method)
        if rule.startswith("/log-ind/oidc/"):
            want = "→" + HOME[role]  # configured here: logged-in users go to their start page
        if rule in ("/log-ud", "/log-ud-alle-steder"):
            # RP-initiated logout: the provider's end_session_endpoint, then our front page.
            want = "→" + oidc.issuer
        if not matches(want, got):
            wrong.append(f"{role}: expected {want}, got {got}")
        response.close()
    assert not wrong, f"{method} {path}:\n" + "\n".join(wrong)
