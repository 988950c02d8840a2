"""Logins through the real OpenID provider (scripts/oidc_provider/server.mjs): MitID Erhverv
for tilbud, the staff provider for the team; what the first login creates, and logout."""

from __future__ import annotations

from oidc_helpers import IDA, KAREN, LENE, NIELS, TOVE, oidc_login, through_provider
from sqlalchemy import select

from indsatsteam.extensions import db
from indsatsteam.models import AuditEvent, OidcIdentity, Role, User

from helpers import text_of


def _identity(subject: str) -> OidcIdentity | None:
    return db.session.execute(
        select(OidcIdentity).where(OidcIdentity.subject == subject)).scalar_one_or_none()


def test_the_login_page_shows_a_button_per_configured_provider(client, oidc):
    page = text_of(client.get("/log-ind"))
    assert "Log ind med MitID Erhverv (test)" in page
    assert "Log ind som medarbejder (test)" in page
    assert "Log ind med e-mail og adgangskode" in page


def test_without_providers_there_are_no_buttons(client):
    page = text_of(client.get("/log-ind"))
    assert "MitID" not in page and "medarbejder (test)" not in page
    assert client.get("/log-ind/oidc/tilbud").status_code == 404


def test_a_tilbud_user_joins_the_tilbud_of_their_cvr(client, oidc, make_provider,
                                                     make_round):
    provider = make_provider(cvr="10000009")
    other = make_provider(cvr="20000007")
    response = oidc_login(client, "tilbud", TOVE)
    assert response.status_code == 302
    identity = _identity(TOVE)
    user = identity.user
    assert identity.cvr == "10000009" and identity.provider == "tilbud"
    assert user.role == Role.APPLICANT and user.name == "Tove Tilbud"
    assert user.email == "tove.tilbud@mitid-test.example.dk" and user.email_confirmed_at
    assert user.provider_ids == {provider.id}
    assert other.id not in user.provider_ids
    page = client.get(response.headers["Location"], follow_redirects=True)
    assert "Du er logget ind som Tove Tilbud" in text_of(page)
    assert client.get(f"/mit-tilbud/{provider.id}/rediger").status_code == 200
    assert client.get(f"/mit-tilbud/{other.id}/rediger").status_code == 404


def test_the_second_login_finds_the_same_user(client, oidc, make_provider):
    make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    client.post("/log-ud", data={"csrf_token": _csrf(client)})
    first = _identity(TOVE).user_id
    oidc_login(client, "tilbud", TOVE)
    assert _identity(TOVE).user_id == first
    assert db.session.query(User).filter_by(name="Tove Tilbud").count() == 1


def _csrf(client) -> str:
    import re
    page = client.get("/mit-tilbud/").get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_new_cvr_goes_to_registration_with_the_cvr_locked(client, oidc, post):
    response = oidc_login(client, "tilbud", NIELS)
    assert response.headers["Location"].endswith("/mit-tilbud/registrer")
    page = client.get("/mit-tilbud/registrer")
    html = page.get_data(as_text=True)
    assert 'value="70000008"' in html and "readonly" in html
    assert "ikke registreret et tilbud under CVR-nummer 70000008" in text_of(page)
    assert "Kommer fra jeres login med MitID Erhverv" in text_of(page)
    # Whatever is posted, the tilbud is registered under the CVR of the login.
    response = post(client, "/mit-tilbud/registrer", {
        "name": "Nyt Tilbud", "cvr": "10000009", "p_number": "", "kind": "sel108",
        "owner_type": "privat", "municipality_code": "751", "address": "Vej 2",
        "postal_code": "8000", "city": "Aarhus C", "contact_name": "Niels",
        "contact_email": "niels@example.dk", "contact_phone": "12345678"})
    assert response.status_code == 302, text_of(response)
    user = _identity(NIELS).user
    assert [m.provider.cvr for m in user.memberships] == ["70000008"]


def test_a_next_given_before_the_detour_is_followed_after_it(client, oidc, make_provider):
    make_provider(cvr="10000009")
    response = oidc_login(client, "tilbud", TOVE, next_url="/vores-forloeb/")
    assert response.headers["Location"].endswith("/vores-forloeb/")


def test_an_unsafe_next_is_dropped_before_the_detour(client, oidc, make_provider):
    make_provider(cvr="10000009")
    response = oidc_login(client, "tilbud", TOVE, next_url="https://evil.example/")
    assert "evil" not in response.headers["Location"]


def test_a_consultant_from_the_role_claim_sees_mit_overblik(client, oidc):
    response = oidc_login(client, "staff", KAREN)
    assert response.status_code == 302
    user = _identity(KAREN).user
    assert user.role == Role.CONSULTANT
    page = text_of(client.get("/", follow_redirects=True))
    assert "Mit overblik" in page


def test_the_role_claim_decides_the_role_at_every_login(client, oidc):
    oidc_login(client, "staff", LENE)
    assert _identity(LENE).user.role == Role.MANAGER


def test_an_invited_staff_member_without_role_claim_is_matched_on_email(
        client, oidc, make_user):
    invited = make_user(Role.CONSULTANT, email="inviteret@indsatsteam.example.dk",
                        confirmed=False)
    response = oidc_login(client, "staff", IDA)
    assert response.status_code == 302
    assert _identity(IDA).user_id == invited.id
    assert db.session.get(User, invited.id).role == Role.CONSULTANT


def test_each_login_is_in_the_audit_trail_with_method_and_acr(client, oidc, make_provider):
    make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    event = db.session.execute(select(AuditEvent).where(
        AuditEvent.action == "login").order_by(AuditEvent.id.desc())).scalars().first()
    assert event.changes["method"] == [None, "oidc:tilbud"]
    assert event.changes["acr"][1].endswith("/Substantial")
    assert event.changes["outcome"] == [None, "success"]
    assert "Tove" not in str(event.changes)


def test_the_session_is_new_after_the_login(client, oidc, make_provider):
    make_provider(cvr="10000009")
    with client.session_transaction() as session:
        session["planted"] = "fra før login"
    oidc_login(client, "tilbud", TOVE)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["oidc_login"]["provider"] == "tilbud"


def test_logout_ends_at_the_providers_end_session_endpoint(client, oidc, make_provider, post):
    make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    response = post(client, "/log-ud")
    location = response.headers["Location"]
    assert location.startswith(oidc.issuer) and "id_token_hint=" in location
    assert "post_logout_redirect_uri=http%3A%2F%2Flocalhost%2F" in location
    assert client.get("/mit-tilbud/").status_code == 302  # logged out here already


def test_a_password_login_logs_out_locally_only(client, oidc, make_user, login, post):
    user = make_user(Role.CONSULTANT)
    login(client, user)
    response = post(client, "/log-ud")
    assert response.headers["Location"] == "/"


def test_the_detour_keeps_state_and_pkce(client, oidc):
    detour_start = client.get("/log-ind/oidc/tilbud")
    location = detour_start.headers["Location"]
    assert "code_challenge_method=S256" in location and "state=" in location
    assert "nonce=" in location and "acr_values=" in location
    through_provider(client, "staff", KAREN)


# --- bound to one CVR -------------------------------------------------------------------------

def test_a_mitid_user_cannot_join_a_tilbud_of_another_cvr(client, oidc, make_provider, post,
                                                          make_user):
    import re

    from indsatsteam import mail

    own = make_provider(cvr="10000009")
    other = make_provider(name="Andet Bosted", cvr="20000007")
    oidc_login(client, "tilbud", TOVE)
    user = _identity(TOVE).user
    inviter = make_user(Role.APPLICANT, provider=other)
    inviter_client = client.application.test_client()
    post(inviter_client, "/log-ind", {"email": inviter.email, "password": "korrekt-hest-batteri"})
    mail.outbox.clear()
    post(inviter_client, f"/mit-tilbud/{other.id}/kolleger", {"email": user.email})
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    link = re.search(r"http://localhost(/mit-tilbud/invitation/\S+)", body).group(1)
    page = client.get(link)
    assert "Du er logget ind med MitID Erhverv for CVR-nummer 10000009" in text_of(page)
    response = post(client, link)
    assert response.status_code == 400
    assert db.session.get(User, user.id).provider_ids == {own.id}


def test_a_mitid_user_cannot_move_their_tilbud_to_another_cvr(client, oidc, make_provider):
    from indsatsteam.domain.errors import DomainError
    from indsatsteam.providers import services

    provider = make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    user = _identity(TOVE).user
    data = {key: getattr(provider, key) for key in (*services.FIELDS, "p_number")}
    try:
        services.update_provider(provider, {**data, "cvr": "20000007"}, user)
    except DomainError as err:
        assert "CVR-nummer 10000009" in err.message and err.field == "cvr"
    else:
        raise AssertionError("update_provider took another CVR")
    db.session.rollback()
    assert db.session.get(type(provider), provider.id).cvr == "10000009"


def test_password_users_are_not_bound_to_a_cvr(client, make_provider, make_user):
    from indsatsteam.providers import services

    provider = make_provider(cvr="10000009")
    user = make_user(Role.APPLICANT, provider=provider)
    data = {key: getattr(provider, key) for key in (*services.FIELDS, "p_number")}
    services.update_provider(provider, {**data, "cvr": "20000007"}, user)
    assert provider.cvr == "20000007"


def test_hostile_callback_parameters_are_refused_not_crashed(client, app, oidc, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_FREE_FAILURES", 100)  # each answer, not the count
    client.get("/log-ind/oidc/tilbud")  # a pending state in the session
    for query in ("state=" + "x" * 5000 + "&code=y", "state=%00&code=%FF",
                  "error=access_denied&error_description=%3Cscript%3E&state=abc",
                  "code=" + "y" * 5000, "state[]=1&code[]=2", ""):
        response = client.get(f"/log-ind/oidc/tilbud/retur?{query}")
        assert response.status_code == 400, query
        assert "<script>" not in response.get_data(as_text=True)


def test_the_profile_says_how_the_user_logs_in_and_offers_no_password_change(client, oidc,
                                                                            make_provider):
    make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    page = text_of(client.get("/min-profil"))
    assert "Du logger ind med MitID Erhverv for CVR-nummer 10000009" in page
    assert "Skift adgangskode" not in page
    data = client.get("/min-profil/data.json").get_json()
    assert data["login_identities"][0]["cvr"] == "10000009"


def test_anonymising_a_user_removes_the_login_identity(client, oidc, make_provider):
    from indsatsteam.users.services import anonymise_user

    make_provider(cvr="10000009")
    oidc_login(client, "tilbud", TOVE)
    user = _identity(TOVE).user
    anonymise_user(user)
    db.session.commit()
    assert _identity(TOVE) is None
