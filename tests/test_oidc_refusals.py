"""Every login the provider's answer does not justify is refused: nothing is logged in,
nothing is created, the page says why in Danish, and the refusal is in the audit trail.

The broken id_tokens come from the real provider (OIDC_TEST_FAULTS=1 in server.mjs re-signs
the token endpoint's id_token for the "fejl-…" identities)."""

from __future__ import annotations

import pytest
from oidc_helpers import DENNIS, LARS_LOW, TOVE, ULRIK, oidc_login, through_provider
from sqlalchemy import func, select

from indsatsteam.extensions import db
from indsatsteam.models import AuditEvent, OidcIdentity, Role, User

from helpers import text_of


def _counts() -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(User)),
            db.session.scalar(select(func.count()).select_from(OidcIdentity)))


def _refusal(response, status: int, words: str, reason: str) -> None:
    assert response.status_code == status, text_of(response)
    page = text_of(response)
    assert "Du blev ikke logget ind" in page and words in page
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "login_refused").order_by(AuditEvent.id.desc())).scalars().first()
    assert event is not None and event.actor_id is None
    assert event.changes["reason"][1].startswith(reason)


def _logged_out(client, *, never_in: bool = True) -> None:
    response = client.get("/mit-tilbud/")
    assert response.status_code == 302 and "/log-ind" in response.headers["Location"]
    if never_in:
        with client.session_transaction() as session:
            assert "_user_id" not in session and "oidc_login" not in session


@pytest.fixture
def tilbud(make_provider):
    return make_provider(cvr="10000009")


@pytest.mark.parametrize(("fault", "words", "reason"), [
    ("iss", "udstedt af en anden udbyder", "iss"),
    ("aud", "udstedt til et andet system", "aud"),
    ("exp", "Login-beviset er udløbet", "exp"),
    ("nonce", "hører ikke til dette login-forløb", "nonce"),
    ("none", "ikke signeret på en måde, vi godtager", "alg"),
    ("hs256", "ikke signeret på en måde, vi godtager", "alg"),
    ("kid", "nøgle, som login-udbyderen ikke har offentliggjort", "unknown_key"),
])
def test_a_broken_id_token_is_refused(client, oidc, tilbud, fault, words, reason):
    before = _counts()
    response = oidc_login(client, "tilbud", f"fejl-{fault}")
    _refusal(response, 400, words, reason)
    assert _counts() == before
    _logged_out(client)


def test_a_wrong_state_is_refused(client, oidc, tilbud, post):
    detour = through_provider(client, "tilbud", TOVE)
    forged = detour.callback.replace("state=", "state=x")
    _refusal(client.get(forged), 400, "Vi kunne ikke genkende login-forløbet", "state")
    _logged_out(client)
    # The real answer still works, once.
    assert client.get(detour.callback).status_code == 302
    post(client, "/log-ud")
    _refusal(client.get(detour.callback), 400, "genkende login-forløbet", "state")


def test_a_callback_in_another_browser_is_refused(client, app, oidc, tilbud):
    detour = through_provider(client, "tilbud", TOVE)
    other = app.test_client()
    _refusal(other.get(detour.callback), 400, "genkende login-forløbet", "state")


def test_a_replayed_code_is_refused(client, oidc, tilbud, post):
    first = through_provider(client, "tilbud", TOVE)
    assert client.get(first.callback).status_code == 302
    post(client, "/log-ud")
    second = through_provider(client, "tilbud", TOVE)
    old_code = first.callback.split("code=")[1].split("&")[0]
    new_code = second.callback.split("code=")[1].split("&")[0]
    replay = second.callback.replace(new_code, old_code)
    _refusal(client.get(replay), 400, "login-koden, fordi den er brugt før", "token:")
    _logged_out(client)


def test_a_too_low_acr_is_refused(client, oidc, tilbud):
    before = _counts()
    response = oidc_login(client, "tilbud", LARS_LOW)
    _refusal(response, 403, "for lavt sikringsniveau", "acr")
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "login_refused")).scalars().first()
    assert event.changes["acr"][1].endswith("/Low")
    assert _counts() == before
    _logged_out(client)


def test_an_identity_bound_to_another_cvr_is_refused(client, oidc, tilbud, make_user,
                                                     make_provider):
    """The person's persistent id acted for CVR 20000007 before; now the token says another
    CVR. Nobody gets the data of a tilbud by changing which organisation they log in for."""
    other = make_provider(cvr="20000007")
    user = make_user(Role.APPLICANT, provider=other)
    db.session.add(OidcIdentity(provider="tilbud", subject=TOVE, user_id=user.id,
                                cvr="20000007"))
    db.session.commit()
    response = oidc_login(client, "tilbud", TOVE)
    _refusal(response, 403, "CVR-nummer 20000007", "cvr_changed")
    assert db.session.get(User, user.id).provider_ids == {other.id}
    _logged_out(client)


def test_a_deactivated_tilbud_user_stays_out(client, oidc, tilbud, post):
    oidc_login(client, "tilbud", TOVE)
    user = db.session.execute(select(OidcIdentity).where(
        OidcIdentity.subject == TOVE)).scalar_one().user
    user.active = False
    db.session.commit()
    _logged_out(client, never_in=False)  # the running session ends at once
    _refusal(oidc_login(client, "tilbud", TOVE), 403, "deaktiveret", "deactivated")
    _logged_out(client, never_in=False)


def test_a_deactivated_staff_member_stays_out(client, oidc, make_user):
    user = make_user(Role.CONSULTANT, email="deaktiveret@indsatsteam.example.dk")
    user.active = False
    db.session.commit()
    before = _counts()
    _refusal(oidc_login(client, "staff", DENNIS), 403, "deaktiveret", "deactivated")
    assert _counts() == before


def test_an_unknown_staff_identity_is_refused_and_nothing_is_created(client, oidc):
    before = _counts()
    _refusal(oidc_login(client, "staff", ULRIK), 403,
             "ikke oprettet som medarbejder", "unknown_staff")
    assert _counts() == before
    _logged_out(client)


def test_an_applicant_address_does_not_become_staff(client, oidc, make_user):
    """The staff provider asserts an address that belongs to an applicant: refused."""
    make_user(Role.APPLICANT, email="ukendt@indsatsteam.example.dk")
    before = _counts()
    _refusal(oidc_login(client, "staff", ULRIK), 403, "ikke oprettet som medarbejder",
             "unknown_staff")
    assert _counts() == before


def test_refusals_are_counted_like_wrong_passwords(client, app, oidc, tilbud, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_MAX_ATTEMPTS_PER_IP", 2)
    for _ in range(2):
        oidc_login(client, "tilbud", "fejl-aud")
    response = client.get("/log-ind/oidc/tilbud/retur?state=x&code=y")
    assert response.status_code == 429
    assert "For mange mislykkede forsøg" in text_of(response)


def test_an_unknown_provider_is_404(client, oidc):
    assert client.get("/log-ind/oidc/andet").status_code == 404
    assert client.get("/log-ind/oidc/andet/retur?code=x&state=y").status_code == 404


def test_the_providers_login_form_refuses_a_post_without_its_token(client, oidc):
    """The stand-in provider's own page has CSRF protection too (login CSRF)."""
    import requests

    start = client.get("/log-ind/oidc/tilbud").headers["Location"]
    browser = requests.Session()
    page = browser.get(start, timeout=10)  # follows to the interaction page
    assert page.status_code == 200 and 'name="csrf_token"' in page.text
    refused = browser.post(f"{page.url}/login", data={"account": "x", "csrf_token": "forkert"},
                           allow_redirects=False, timeout=10)
    assert refused.status_code == 403
