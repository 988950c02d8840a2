"""The applicant's tilbud: registration with CVR and P-number rules, the region from the
municipality, editing, and colleagues who then share the provider's applications."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from indsatsteam import clock, mail
from indsatsteam.domain.applications import ApplicationStatus
from indsatsteam.extensions import db
from indsatsteam.models import Provider, ProviderMembership, Role

from helpers import aware, field_error, input_value, text_of

CHECKSUM_MESSAGE = "CVR-nummeret er ikke gyldigt. Tjek at du har skrevet det rigtigt"
LENGTH_MESSAGE = "Indtast et CVR-nummer på 8 cifre"
def duplicate_message(cvr: str, *sites: str) -> str:
    """Which tilbud are already registered under the CVR, and how to go on."""
    return (f"Under CVR-nummer {cvr} er der allerede registreret: {'; '.join(sites)}. Arbejder "
            "du der, så bed en kollega, der er tilknyttet tilbuddet, om at tilføje dig som "
            "kollega under \"Mit tilbud\" med din e-mailadresse. Registrerer I et andet sted "
            "under samme CVR-nummer, så angiv stedets eget P-nummer.")

FORM = {"name": "Bostedet Lyngen", "cvr": "10000009", "p_number": "", "kind": "sel107",
        "owner_type": "kommune", "municipality_code": "751", "address": "Lyngvej 1",
        "postal_code": "8000", "city": "Aarhus C", "contact_name": "Sofie Leder",
        "contact_email": "Sofie@Lyngen.dk", "contact_phone": "12 34 56 78"}


def selected_option(response, field_id: str) -> str | None:
    select_ = re.search(rf'<select[^>]*\bid="{field_id}".*?</select>',
                        response.get_data(as_text=True), re.S)
    assert select_, f"no select #{field_id}"
    chosen = re.search(r'<option value="([^"]*)" selected>', select_.group(0))
    return chosen.group(1) if chosen else None


def providers() -> list[Provider]:
    return db.session.execute(select(Provider).order_by(Provider.id)).scalars().all()


@pytest.fixture
def applicant(client, login, make_user):
    user = make_user(Role.APPLICANT, name="Sofie Leder", email="sofie@lyngen.dk")
    login(client, user)
    client.get("/")  # shows the login message
    return user


def register(client, post, **changes):
    return post(client, "/mit-tilbud/registrer", {**FORM, **changes})


# --- registration -----------------------------------------------------------------------------

def test_the_form_is_prefilled_with_the_users_name_and_email(client, applicant):
    page = client.get("/mit-tilbud/registrer")
    assert input_value(page, "contact_name") == "Sofie Leder"
    assert input_value(page, "contact_email") == "sofie@lyngen.dk"
    kinds = re.findall(r'<option value="([a-z0-9_]+)"', re.search(
        r'<select[^>]*id="kind".*?</select>', page.get_data(as_text=True), re.S).group(0))
    assert kinds == ["sel85_home", "sel107", "sel108", "abl_sel85"]


def test_registration_stores_the_provider_and_makes_the_user_a_member(client, post, applicant):
    response = register(client, post, cvr="1000 0009", p_number="12345 67890")
    assert response.headers["Location"] == "/"
    assert "Bostedet Lyngen er registreret. Nu kan I søge om et rådgivningsforløb." in text_of(
        client.get("/"))
    provider = db.session.execute(select(Provider)).scalar_one()
    assert (provider.cvr, provider.p_number, provider.region, provider.contact_email) == (
        "10000009", "1234567890", "Region Midtjylland", "sofie@lyngen.dk")
    assert [m.user_id for m in provider.memberships] == [applicant.id]
    page = text_of(client.get("/mit-tilbud/"))
    assert "Bostedet Lyngen" in page and "Botilbud efter § 107" in page
    assert "Aarhus (Region Midtjylland)" in page


@pytest.mark.parametrize("cvr", ["12345678", "10000008", "02345678", "1000 0008"])
def test_invalid_cvr_is_shown_at_the_field_and_keeps_the_other_values(client, post, applicant,
                                                                      cvr):
    response = register(client, post, cvr=cvr, p_number="1234567890")
    assert response.status_code == 400
    assert field_error(response, "cvr") == CHECKSUM_MESSAGE
    assert field_error(response, "name") is None
    assert f'<a href="#cvr">{CHECKSUM_MESSAGE}</a>' in response.get_data(as_text=True)
    # Everything typed is still there, the wrong CVR too so it can be corrected.
    assert input_value(response, "cvr") == cvr
    assert input_value(response, "name") == "Bostedet Lyngen"
    assert input_value(response, "p_number") == "1234567890"
    assert input_value(response, "address") == "Lyngvej 1"
    assert input_value(response, "postal_code") == "8000"
    assert input_value(response, "contact_phone") == "12 34 56 78"
    assert selected_option(response, "kind") == "sel107"
    assert selected_option(response, "municipality_code") == "751"
    assert selected_option(response, "owner_type") == "kommune"
    assert providers() == []


def test_every_error_comes_in_one_pass(client, post, applicant):
    """The CVR check runs with the other fields, not after they are fixed."""
    response = register(client, post, cvr="12345678", p_number="123", address="", city="x" * 101)
    assert field_error(response, "cvr") == CHECKSUM_MESSAGE
    assert field_error(response, "p_number") == "Indtast et P-nummer på 10 cifre"
    assert field_error(response, "address") == "Indtast tilbuddets adresse"
    assert field_error(response, "city") == "Skriv højst 100 tegn"
    assert providers() == []


@pytest.mark.parametrize("cvr", ["123456789", "1234567", "1234567a", "", "١٠٠٠٠٠٠٩"])
def test_cvr_of_the_wrong_length_or_with_letters(client, post, applicant, cvr):
    response = register(client, post, cvr=cvr)
    assert response.status_code == 400
    assert field_error(response, "cvr") == LENGTH_MESSAGE
    assert providers() == []


@pytest.mark.parametrize("p_number", ["123", "12345678901", "12345abcde"])
def test_p_number_must_have_10_digits(client, post, applicant, p_number):
    response = register(client, post, p_number=p_number)
    assert field_error(response, "p_number") == "Indtast et P-nummer på 10 cifre"
    assert input_value(response, "p_number") == p_number
    assert providers() == []


@pytest.mark.parametrize(("field", "value", "message"), [
    ("postal_code", "800", "Indtast et postnummer på 4 cifre"),
    ("contact_phone", "1234", "Indtast et telefonnummer på 8 cifre, fx 12 34 56 78"),
    ("contact_email", "sofie", "Indtast en e-mailadresse i formatet navn@eksempel.dk"),
    ("name", "", "Indtast tilbuddets navn"),
    ("kind", "sel110", "Vælg en af mulighederne på listen"),
])
def test_other_fields_have_specific_messages(client, post, applicant, field, value, message):
    response = register(client, post, **{field: value})
    assert field_error(response, field) == message
    assert providers() == []


@pytest.mark.parametrize(("typed_cvr", "typed_p"), [
    ("10000009", "1234567890"),
    ("1000 0009", "12345 67890"),
])
def test_the_same_cvr_and_p_number_cannot_be_registered_twice(client, post, applicant,
                                                              make_provider, typed_cvr, typed_p):
    make_provider(name="Lyngen (første)", cvr="10000009", p_number="1234567890")
    response = register(client, post, cvr=typed_cvr, p_number=typed_p)
    assert response.status_code == 400
    assert field_error(response, "cvr") == duplicate_message(
        "10000009", "Lyngen (første) (Vej 1, 8000 Aarhus C, P-nummer 1234567890)")
    assert len(providers()) == 1
    assert db.session.execute(select(func.count()).select_from(ProviderMembership)
                              ).scalar_one() == 0


def test_the_same_cvr_without_p_number_cannot_be_registered_twice(client, post, applicant,
                                                                  make_provider):
    make_provider(name="Lyngen", cvr="10000009", p_number="")
    response = register(client, post, p_number="")
    assert field_error(response, "cvr") == duplicate_message(
        "10000009", "Lyngen (Vej 1, 8000 Aarhus C, uden P-nummer)")


def test_the_same_cvr_with_different_p_numbers_is_allowed(client, post, applicant,
                                                         make_provider):
    """One organisation (CVR) can run several sites, each with its own P-number."""
    make_provider(name="Lyngen Nord", cvr="10000009", p_number="1234567890")
    response = register(client, post, name="Lyngen Syd", p_number="1234567891")
    assert response.status_code == 302
    assert sorted(p.p_number for p in providers()) == ["1234567890", "1234567891"]


def test_a_known_cvr_without_a_new_p_number_names_the_tilbud_already_there(
        client, post, applicant, make_provider):
    """Issue 12: a second tilbud under another's CVR is no longer accepted silently."""
    make_provider(name="Lyngen Nord", cvr="10000009", p_number="1234567890")
    make_provider(name="Lyngen Syd", cvr="10000009", p_number="1234567891", city="Viby J")
    response = register(client, post, name="Lyngen Vest", p_number="")
    message = field_error(response, "cvr")
    assert message == duplicate_message(
        "10000009", "Lyngen Nord (Vej 1, 8000 Aarhus C, P-nummer 1234567890)",
        "Lyngen Syd (Vej 1, 8000 Viby J, P-nummer 1234567891)")
    assert [p.name for p in providers()] == ["Lyngen Nord", "Lyngen Syd"]


@pytest.mark.parametrize(("code", "region"), [
    ("101", "Region Hovedstaden"),
    ("330", "Region Sjælland"),
    ("461", "Region Syddanmark"),
    ("751", "Region Midtjylland"),
    ("851", "Region Nordjylland"),
])
def test_the_region_comes_from_the_municipality(client, post, applicant, code, region):
    assert register(client, post, municipality_code=code).status_code == 302
    assert providers()[0].region == region


def test_an_unknown_municipality_is_refused(client, post, applicant):
    response = register(client, post, municipality_code="999")
    assert field_error(response, "municipality_code") == "Vælg en af mulighederne på listen"
    assert providers() == []


# --- editing ----------------------------------------------------------------------------------

@pytest.fixture
def own_provider(applicant, make_provider):
    provider = make_provider(name="Bostedet Lyngen", cvr="10000009", p_number="1234567890",
                             municipality_code="751")
    db.session.add(ProviderMembership(user=applicant, provider=provider))
    db.session.commit()
    return provider


def test_edit_shows_the_stored_values(client, own_provider):
    page = client.get(f"/mit-tilbud/{own_provider.id}/rediger")
    assert "Ret oplysninger om Bostedet Lyngen" in text_of(page)
    assert input_value(page, "cvr") == "10000009"
    assert input_value(page, "p_number") == "1234567890"
    assert selected_option(page, "municipality_code") == "751"


def test_edit_saves_and_derives_the_new_region(client, post, own_provider):
    response = post(client, f"/mit-tilbud/{own_provider.id}/rediger", {
        **FORM, "name": "Lyngen Odense", "cvr": "10000009", "p_number": "1234567890",
        "municipality_code": "461", "city": "Odense C", "postal_code": "5000"})
    assert response.headers["Location"] == "/mit-tilbud/"
    page = text_of(client.get("/mit-tilbud/"))
    assert "Oplysningerne om tilbuddet er gemt." in page
    assert "Odense (Region Syddanmark)" in page
    db.session.refresh(own_provider)
    assert (own_provider.name, own_provider.region, own_provider.city) == (
        "Lyngen Odense", "Region Syddanmark", "Odense C")


def test_edit_refuses_another_providers_cvr_and_p_number(client, post, own_provider,
                                                         make_provider):
    make_provider(cvr="10000017", p_number="5555555555")
    response = post(client, f"/mit-tilbud/{own_provider.id}/rediger", {
        **FORM, "cvr": "10000017", "p_number": "5555555555"})
    assert field_error(response, "cvr").startswith("Under CVR-nummer 10000017 er der allerede "
                                                   "registreret: ")
    db.session.refresh(own_provider)
    assert (own_provider.cvr, own_provider.p_number) == ("10000009", "1234567890")


def test_edit_refuses_an_invalid_cvr_and_keeps_the_stored_one(client, post, own_provider):
    response = post(client, f"/mit-tilbud/{own_provider.id}/rediger", {
        **FORM, "name": "Nyt navn", "cvr": "12345678"})
    assert field_error(response, "cvr") == CHECKSUM_MESSAGE
    assert input_value(response, "name") == "Nyt navn"
    db.session.refresh(own_provider)
    assert (own_provider.name, own_provider.cvr) == ("Bostedet Lyngen", "10000009")


# --- colleagues -------------------------------------------------------------------------------

def add_colleague(client, post, provider, email):
    return post(client, f"/mit-tilbud/{provider.id}/kolleger", {"email": email})


def invitation_link() -> str:
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    return re.search(r"http://localhost(/mit-tilbud/invitation/\S+)", body).group(1)


def test_a_colleague_accepts_an_invitation_and_then_sees_the_providers_applications(
        app, client, post, login, own_provider, make_user, make_round, make_application):
    clock.freeze(aware(2026, 11, 20, 9, 0))
    application = make_application(make_round(name="Vinterrunden"), own_provider,
                                   status=ApplicationStatus.SUBMITTED)
    colleague = make_user(Role.APPLICANT, name="Kim Kollega", email="kim@lyngen.dk")

    response = add_colleague(client, post, own_provider, "KIM@Lyngen.dk")
    assert response.headers["Location"] == "/mit-tilbud/"
    page = text_of(client.get("/mit-tilbud/"))
    assert "Vi sender en invitation til kim@lyngen.dk" in page
    # Not attached without consent, and nothing about the account is revealed.
    assert "Kim Kollega" not in page and len(own_provider.memberships) == 1
    assert mail.outbox[-1]["To"] == "kim@lyngen.dk"
    link = invitation_link()

    other = app.test_client()
    response = other.get(link)
    assert "Log ind med e-mailadressen kim@lyngen.dk" in text_of(response)
    login(other, colleague)
    page = other.get(link)
    assert "Tilknyt mig Bostedet Lyngen" in text_of(page)
    response = post(other, link, {})
    assert response.headers["Location"] == "/mit-tilbud/"
    assert "Du er nu tilknyttet Bostedet Lyngen" in text_of(other.get("/mit-tilbud/"))
    mine = text_of(other.get("/ansoegninger"))
    assert application.reference in mine and "Vinterrunden" in mine
    assert other.get(f"/ansoegninger/{application.id}").status_code == 200
    assert "Kim Kollega (kim@lyngen.dk)" in text_of(client.get("/mit-tilbud/"))


@pytest.mark.parametrize("who", ["unknown", "staff", "applicant"])
def test_the_answer_is_the_same_for_every_address(client, post, own_provider, make_user, who):
    email = {"unknown": "ukendt@example.dk", "staff": make_user(Role.CONSULTANT).email,
             "applicant": make_user(Role.APPLICANT, name="Hemmelig Hansen").email}[who]
    response = add_colleague(client, post, own_provider, email)
    assert response.status_code == 302
    page = text_of(client.get("/mit-tilbud/"))
    assert f"Vi sender en invitation til {email}." in page and "Hemmelig" not in page
    assert [m["To"] for m in mail.outbox] == [email]
    assert "Opret en bruger" not in page
    db.session.refresh(own_provider)
    assert len(own_provider.memberships) == 1


def test_an_unknown_address_is_told_to_create_an_account_with_it(app, client, post,
                                                                  own_provider):
    add_colleague(client, post, own_provider, "ny@lyngen.dk")
    body = mail.outbox[-1].get_body(("plain",)).get_content()
    assert "opret en med denne e-mailadresse først" in body
    response = app.test_client().get(invitation_link())
    assert "Opret en bruger med ny@lyngen.dk" in text_of(response)


@pytest.mark.parametrize("who", ["other_applicant", "staff"])
def test_only_the_invited_address_can_accept(app, client, post, login, own_provider,
                                             make_user, who):
    add_colleague(client, post, own_provider, "kim@lyngen.dk")
    link = invitation_link()
    other = app.test_client()
    login(other, make_user(Role.APPLICANT if who == "other_applicant" else Role.CONSULTANT))
    message = ("Invitationen er sendt til kim@lyngen.dk" if who == "other_applicant"
               else "Kun ansøgere kan tilknyttes et tilbud")
    assert message in text_of(other.get(link))
    response = post(other, link, {})
    assert response.status_code == 400 and message in text_of(response)
    db.session.refresh(own_provider)
    assert len(own_provider.memberships) == 1


def test_a_forged_or_expired_invitation_is_refused(app, client, post, own_provider,
                                                   monkeypatch):
    assert app.test_client().get("/mit-tilbud/invitation/forfalsket").status_code == 410
    clock.freeze(aware(2026, 11, 20, 9, 0))
    add_colleague(client, post, own_provider, "kim@lyngen.dk")
    link = invitation_link()
    clock.freeze(aware(2026, 11, 28, 9, 0))  # 8 days later
    response = app.test_client().get(link)
    assert response.status_code == 410 and "udløbet" in text_of(response)


def test_invitations_to_one_address_are_capped(client, post, own_provider):
    for _ in range(5):
        assert add_colleague(client, post, own_provider, "kim@lyngen.dk").status_code == 302
    assert len(mail.outbox) == 3  # MAIL_MAX_PER_ADDRESS_PER_HOUR


def test_a_member_cannot_be_added_twice(client, post, applicant, own_provider):
    response = add_colleague(client, post, own_provider, applicant.email)
    assert response.status_code == 400
    assert field_error(response, "email") == "Kollegaen er allerede tilknyttet tilbuddet"


def test_the_colleague_field_needs_an_email(client, post, own_provider):
    response = add_colleague(client, post, own_provider, "")
    assert field_error(response, "email") == "Indtast kollegaens e-mailadresse"
